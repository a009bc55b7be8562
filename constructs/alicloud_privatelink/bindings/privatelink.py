"""PrivateLink: activation, endpoint services and their resources and users, endpoints, zones, connections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudDataSource, AlicloudResource, ResourceOptions, attributes_from

ServiceResourceType = Literal["slb", "alb", "nlb", "gwlb"]


class PrivatelinkVpcEndpointService(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint_service``: what the provider offers to other VPCs."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_service"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service_description: str | None = None,
        service_resource_type: ServiceResourceType | None = None,
        auto_accept_connection: bool | None = None,
        zone_affinity_enabled: bool | None = None,
        connect_bandwidth: int | None = None,
        payer: Literal["Endpoint", "EndpointService"] | None = None,
        address_ip_version: Literal["IPv4", "IPv6", "DualStack"] | None = None,
        service_support_ipv6: bool | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def service_domain(self) -> str:
        return self.get_string_attribute("service_domain")  # type: ignore[no-any-return]

    @property
    def vpc_endpoint_service_name(self) -> str:
        return self.get_string_attribute("vpc_endpoint_service_name")  # type: ignore[no-any-return]


class PrivatelinkVpcEndpointServiceResource(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint_service_resource``: attaches e.g. a CLB to a service."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_service_resource"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service_id: str,
        resource_id: str,
        resource_type: ServiceResourceType,
        zone_id: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class PrivatelinkVpcEndpointServiceUser(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint_service_user``: whitelists an account for a service."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_service_user"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service_id: str,
        user_id: str,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class PrivatelinkVpcEndpoint(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint``: the consumer's way into a service."""

    terraform_type = "alicloud_privatelink_vpc_endpoint"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_id: str,
        service_id: str | None = None,
        service_name: str | None = None,
        security_group_ids: Sequence[str] | None = None,
        vpc_endpoint_name: str | None = None,
        endpoint_description: str | None = None,
        endpoint_type: Literal["Interface", "GatewayLoadBalancer"] | None = None,
        address_ip_version: Literal["IPv4", "DualStack", "IPv6"] | None = None,
        zone_private_ip_address_count: Literal[0, 1] | None = None,
        protected_enabled: bool | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def endpoint_domain(self) -> str:
        """The DNS name clients use to reach the service through this endpoint."""
        return self.get_string_attribute("endpoint_domain")  # type: ignore[no-any-return]

    @property
    def connection_status(self) -> str:
        return self.get_string_attribute("connection_status")  # type: ignore[no-any-return]


class PrivatelinkVpcEndpointZone(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint_zone``: places the endpoint's ENI in a zone's vSwitch."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_zone"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoint_id: str,
        vswitch_id: str,
        zone_id: str | None = None,
        eni_ip: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def eni_ip(self) -> str:
        return self.get_string_attribute("eni_ip")  # type: ignore[no-any-return]


class PrivatelinkVpcEndpointConnection(AlicloudResource):
    """``alicloud_privatelink_vpc_endpoint_connection``: the service owner accepting an endpoint."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_connection"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        service_id: str,
        endpoint_id: str,
        bandwidth: int | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def status(self) -> str:
        return self.get_string_attribute("status")  # type: ignore[no-any-return]


class DataPrivatelinkService(AlicloudDataSource):
    """``data "alicloud_privatelink_service"``: with ``enable = "On"``, activates PrivateLink in the account."""

    terraform_type = "alicloud_privatelink_service"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        enable: Literal["On", "Off"] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def status(self) -> str:
        return self.get_string_attribute("status")  # type: ignore[no-any-return]


class DataPrivatelinkVpcEndpointZones(AlicloudDataSource):
    """``data.alicloud_privatelink_vpc_endpoint_zones``: an endpoint's zones, with each zone's own domain."""

    terraform_type = "alicloud_privatelink_vpc_endpoint_zones"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoint_id: str,
        status: Literal[
            "Connected", "Connecting", "Creating", "Deleted", "Deleting", "Disconnected", "Disconnecting", "Wait"
        ]
        | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def zone_domains(self) -> list[str]:
        """Each zone's own domain name, in the data source's order (a splat of ``zones[*].zone_domain``)."""
        return self.get_list_attribute("zones[*].zone_domain")  # type: ignore[no-any-return]
