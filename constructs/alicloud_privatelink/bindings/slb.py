"""Classic Load Balancer (CLB, API name SLB): instance, listener, backend servers."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Literal

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudResource, Block, ResourceOptions, attributes_from

LoadBalancerSpec = Literal[
    "slb.s1.small",
    "slb.s2.medium",
    "slb.s2.small",
    "slb.s3.large",
    "slb.s3.medium",
    "slb.s3.small",
    "slb.s4.large",
    "slb.lcu.elastic",
]
ListenerProtocol = Literal["http", "https", "tcp", "udp"]


class SlbLoadBalancer(AlicloudResource):
    """``alicloud_slb_load_balancer``: a CLB instance."""

    terraform_type = "alicloud_slb_load_balancer"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        load_balancer_name: str | None = None,
        load_balancer_spec: LoadBalancerSpec | None = None,
        address_type: Literal["internet", "intranet"] | None = None,
        address_ip_version: Literal["ipv4", "ipv6"] | None = None,
        payment_type: Literal["PayAsYouGo", "Subscription"] | None = None,
        instance_charge_type: Literal["PayBySpec", "PayByCLCU"] | None = None,
        vswitch_id: str | None = None,
        master_zone_id: str | None = None,
        slave_zone_id: str | None = None,
        address: str | None = None,
        delete_protection: Literal["off", "on"] | None = None,
        modification_protection_status: Literal["ConsoleProtection", "NonProtection"] | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def address(self) -> str:
        """The CLB's private IP address."""
        return self.get_string_attribute("address")  # type: ignore[no-any-return]


class SlbListener(AlicloudResource):
    """``alicloud_slb_listener``: a frontend port and how it forwards to backends."""

    terraform_type = "alicloud_slb_listener"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        load_balancer_id: str,
        protocol: ListenerProtocol,
        frontend_port: int,
        backend_port: int | None = None,
        bandwidth: int | None = None,
        scheduler: Literal["wrr", "wlc", "rr", "sch", "tch", "qch"] | None = None,
        health_check: Literal["on", "off"] | None = None,
        health_check_type: Literal["tcp", "http"] | None = None,
        health_check_connect_port: int | None = None,
        health_check_uri: str | None = None,
        health_check_interval: int | None = None,
        health_check_timeout: int | None = None,
        healthy_threshold: int | None = None,
        unhealthy_threshold: int | None = None,
        established_timeout: int | None = None,
        server_group_id: str | None = None,
        description: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


@dataclasses.dataclass(frozen=True, kw_only=True)
class SlbBackendServerEntry(Block):
    """One entry of ``backend_servers``."""

    server_id: str
    weight: int
    type: Literal["eni", "ecs", "eci"] | None = None
    server_ip: str | None = None


class SlbBackendServer(AlicloudResource):
    """``alicloud_slb_backend_server``: the CLB's default server group."""

    terraform_type = "alicloud_slb_backend_server"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        load_balancer_id: str,
        backend_servers: Sequence[SlbBackendServerEntry] | None = None,
        delete_protection_validation: bool | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)
