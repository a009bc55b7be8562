"""Network Load Balancer (NLB): instance, server group and its servers, listener, security group.

Hand-written for the NLB-backed endpoint service, in the names the generated
bindings will use (see the binding naming rules), so they can replace this
module without touching a construct. Allowed values are those of
aliyun/alicloud v1.289.0 (``resource_alicloud_nlb_*.go``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Literal

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudResource, Block, ResourceOptions, attributes_from

NlbProtocol = Literal["TCP", "UDP", "TCPSSL"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class NlbLoadBalancerZoneMappings(Block):
    """One entry of ``zone_mappings``: the NLB's presence (and local addresses) in one zone's vSwitch."""

    vswitch_id: str
    zone_id: str
    allocation_id: str | None = None
    private_ipv4_address: str | None = None


class NlbLoadBalancer(AlicloudResource):
    """``alicloud_nlb_load_balancer``: an NLB instance across at least two zones of one VPC."""

    terraform_type = "alicloud_nlb_load_balancer"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        address_type: str,
        vpc_id: str,
        zone_mappings: Sequence[NlbLoadBalancerZoneMappings],
        load_balancer_name: str | None = None,
        load_balancer_type: Literal["Network", "Gateway", "Inner"] | None = None,
        address_ip_version: str | None = None,
        payment_type: Literal["Subscription", "PayAsYouGo"] | None = None,
        cross_zone_enabled: bool | None = None,
        deletion_protection_enabled: bool | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def dns_name(self) -> str:
        """The NLB's own domain name."""
        return self.get_string_attribute("dns_name")  # type: ignore[no-any-return]


@dataclasses.dataclass(frozen=True, kw_only=True)
class NlbServerGroupHealthCheck(Block):
    """The ``health_check`` block of a server group."""

    health_check_enabled: bool | None = None
    health_check_type: Literal["TCP", "HTTP", "UDP"] | None = None
    health_check_connect_port: int | None = None
    health_check_url: str | None = None
    health_check_interval: int | None = None
    health_check_connect_timeout: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None


class NlbServerGroup(AlicloudResource):
    """``alicloud_nlb_server_group``: the backends of a listener; servers are attached one by one."""

    terraform_type = "alicloud_nlb_server_group"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        server_group_name: str,
        vpc_id: str,
        server_group_type: Literal["Instance", "Ip"] | None = None,
        protocol: NlbProtocol | None = None,
        scheduler: Literal["Wrr", "Rr", "Qch", "Tch", "Sch", "Wlc"] | None = None,
        address_ip_version: Literal["DualStack", "Ipv4"] | None = None,
        preserve_client_ip_enabled: bool | None = None,
        connection_drain_enabled: bool | None = None,
        connection_drain_timeout: int | None = None,
        any_port_enabled: bool | None = None,
        health_check: NlbServerGroupHealthCheck | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class NlbServerGroupServerAttachment(AlicloudResource):
    """``alicloud_nlb_server_group_server_attachment``: one backend in a server group."""

    terraform_type = "alicloud_nlb_server_group_server_attachment"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        server_group_id: str,
        server_id: str,
        server_type: str,
        port: int | None = None,
        weight: int | None = None,
        server_ip: str | None = None,
        description: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class NlbListener(AlicloudResource):
    """``alicloud_nlb_listener``: a port of the NLB and the server group it forwards to."""

    terraform_type = "alicloud_nlb_listener"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        listener_port: int,
        listener_protocol: NlbProtocol,
        load_balancer_id: str,
        server_group_id: str,
        listener_description: str | None = None,
        idle_timeout: int | None = None,
        proxy_protocol_enabled: bool | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class NlbLoadBalancerSecurityGroupAttachment(AlicloudResource):
    """``alicloud_nlb_load_balancer_security_group_attachment``: puts an NLB behind a security group."""

    terraform_type = "alicloud_nlb_load_balancer_security_group_attachment"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        load_balancer_id: str,
        security_group_id: str,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)
