"""The provider side of PrivateLink on a Network Load Balancer (NLB), across several zones.

Why NLB: CLB is Alibaba Cloud's legacy load balancer; for layer-4 services
Alibaba points to NLB, which spans at least two zones, so the service survives
the loss of one. The endpoint-service half is shared with the CLB form
(:mod:`.endpoint_service`).

Provider facts (aliyun/alicloud v1.289.0):

* ``alicloud_nlb_load_balancer`` needs ``address_type``, ``vpc_id`` and one
  ``zone_mappings`` entry per zone; the NLB API refuses fewer than two zones,
  which the schema does not enforce, so :class:`PrivateLinkNlbService` does.
* ``alicloud_nlb_server_group`` has no inline servers: every backend is an
  ``alicloud_nlb_server_group_server_attachment``.
* ``alicloud_privatelink_vpc_endpoint_service_resource`` with
  ``resource_type = "nlb"`` takes a ``zone_id`` (the resource id and its
  read-back include it), so the NLB is attached once per zone. The endpoint
  service's inline ``resource`` set is keyed on id and type only and cannot
  hold one NLB per zone, hence the standalone resource.

Where backends see NLB traffic from (Alibaba Cloud NLB documentation):

* "NLB health checks" (help.aliyun.com/en/slb/network-load-balancer/user-guide/
  nlb-health-check-overview): NLB probes backends from its *local IP address*;
  the page adds that no ECS security-group rule is needed for it, only that
  other filters (iptables) must let it in. The provider exposes the local
  addresses per zone as ``zone_mappings.ipv4_local_addresses``: the NLB takes
  them in the vSwitch of each zone mapping.
* "Obtain client IP addresses through an NLB instance"
  (help.aliyun.com/en/slb/network-load-balancer/use-cases/obtain-client-ip-addresses):
  with client IP preservation on (a server-group setting), backends see the
  client's address instead. This construct turns it off, so forwarded traffic,
  like health checks, comes from the local addresses, i.e. from the NLB's
  vSwitch CIDR blocks. :func:`nlb_source_cidrs` is the rule backends get:
  unlike a CLB's 100.64.0.0/10 it is the provider's own vSwitches, nothing wider.

The NLB's own security group does not restrict its listener:

* "Add an NLB instance to a security group" (alibabacloud.com/help/en/slb/
  network-load-balancer/user-guide/add-an-nlb-instance-to-a-security-group)
  and the NLB FAQ (alibabacloud.com/help/en/slb/network-load-balancer/nlb-faq):
  in a group with no deny rule, the listener ports accept
  every request; only a deny rule (of lower priority than the accepts)
  restricts them.
* No Alibaba document found (PrivateLink and NLB pages) says which source
  range PrivateLink traffic has when it reaches an NLB. A deny rule that
  guessed wrong would cut every consumer off, so none is added: the group
  carries one accept rule, :data:`PRIVATELINK_SOURCE_CIDR` on the listener
  port, which records what the listener is for and restricts nothing. The
  internal NLB therefore accepts its listener port from its own VPC (and
  networks attached to it) as well as from PrivateLink.

UDP: NLB has UDP listeners, but the PrivateLink documentation searched
(quotas and limits, endpoint-service pages) does not say that an NLB-backed
endpoint service carries UDP, so only ``tcp`` is built.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from constructs import Construct

from ._runtime import ITerraformDependable
from .backends import BuiltServiceProps, check_built_props, listener_description, load_balancer_basics
from .bindings import (
    NlbListener,
    NlbLoadBalancer,
    NlbLoadBalancerSecurityGroupAttachment,
    NlbLoadBalancerZoneMappings,
    NlbServerGroup,
    NlbServerGroupHealthCheck,
    NlbServerGroupServerAttachment,
)
from .checks import Checks
from .endpoint_service import (
    PrivateLinkServiceBase,
    check_publish_settings,
    settings_of,
)
from .listeners import ServiceForm, listener_id, per_backend_port
from .security_group import CLB_SOURCE_CIDR, IngressSecurityGroup, IngressSecurityGroupProps, port_pairs

#: The NLB API's minimum number of zones.
MIN_NLB_ZONES = 2
#: Listener protocols an NLB-backed endpoint service is built with (see the module docstring on UDP).
NlbListenerProtocol = Literal["tcp"]
NLB_LISTENER_PROTOCOLS: tuple[NlbListenerProtocol, ...] = typing.get_args(NlbListenerProtocol)
#: The source the NLB's group accepts on the listener port: PrivateLink's range for a CLB, assumed for an NLB
#: (undocumented there); accept-only, so it records intent and restricts nothing (see the module docstring).
PRIVATELINK_SOURCE_CIDR = CLB_SOURCE_CIDR
#: NLB CreateLoadBalancer LoadBalancerName and CreateServerGroup ServerGroupName: 2-128 letters, digits,
#: '.', '_' and '-', starting with a letter (Alibaba Cloud NLB API reference, 2022-04-30; the ALB API's
#: LoadBalancerName and ServerGroupName have the same rule). The server
#: group is named ``<nlb_name>-backends``, so the NLB's own name may have at most 128 - 9 characters.
_NLB_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{1,118}")


@dataclass(frozen=True, kw_only=True)
class NlbZone:
    """One zone of the NLB: the zone and the vSwitch (of the NLB's VPC) it takes its addresses from."""

    #: Zone id, e.g. ``eu-central-1a``.
    zone: str
    #: vSwitch in ``zone``.
    vswitch_id: str
    #: The vSwitch's CIDR block, where known: backends see the NLB's traffic from there. Default: None.
    vswitch_cidr: str | None = None


@dataclass(frozen=True, kw_only=True)
class ZonalServiceProps(BuiltServiceProps):
    """What the forms whose load balancer spans several zones (NLB, ALB) take besides ``BuiltServiceProps``."""

    #: VPC of the load balancer, its vSwitches and its backends.
    vpc_id: str
    #: At least two zones, each with its vSwitch; endpoints may use any of them.
    zones: Sequence[NlbZone]


@dataclass(frozen=True, kw_only=True)
class PrivateLinkNlbServiceProps(ZonalServiceProps):
    """Props of :class:`PrivateLinkNlbService` (with those of every form: ``ZonalServiceProps``,
    ``BuiltServiceProps``, ``ServiceProps``; its ``listener_protocol`` may only be ``tcp``)."""

    #: NLB name: 2-119 letters, digits, ``.``, ``_`` and ``-``, starting with a letter (its server group adds 9).
    #: Default: ``nlb-privatelink``.
    nlb_name: str = "nlb-privatelink"
    #: Sources the NLB's security group accepts on the listener port; with no deny rule this documents intent
    #: and does not restrict the listener (see the module docstring). Default: 100.64.0.0/10.
    source_cidrs: Sequence[str] = (PRIVATELINK_SOURCE_CIDR,)


def nlb_source_cidrs(vswitch_cidrs: Sequence[str]) -> list[str]:
    """What backends must admit on the backend port: the NLB's vSwitch CIDR blocks (see the module docstring)."""
    return list(dict.fromkeys(vswitch_cidrs))


def zone_source_cidrs(zones: Sequence[NlbZone]) -> tuple[str, ...] | None:
    """The backends' sources of a load balancer in ``zones`` (its vSwitches), or None unless every CIDR is known."""
    cidrs = [z.vswitch_cidr for z in zones]
    return tuple(nlb_source_cidrs([c for c in cidrs if c])) if all(cidrs) else None


def check_nlb_zones(checks: Checks, path: str, zones: Sequence[object], a_word: str = "an NLB") -> None:
    """At least two zones, all different (the NLB API's rules, and the ALB API's)."""
    if len(zones) < MIN_NLB_ZONES:
        checks.fail(path, f"{a_word} needs at least {MIN_NLB_ZONES} zones, each with its vSwitch; got {len(zones)}")
    checks.unique([(f"{path}[{i}].zone", zone) for i, zone in enumerate(zones)], "zone")


def check_balancer_name(checks: Checks, prefix: str, settings: Mapping[str, object], key: str) -> None:
    """An NLB's or ALB's name (``key``): the same rule for both APIs (see ``_NLB_NAME``)."""
    name = settings.get(key)
    if isinstance(name, str) and not checks.is_token(name) and not _NLB_NAME.fullmatch(name):
        checks.fail(
            f"{prefix}{key}",
            f"{name!r} must be 2 to 119 characters of letters, digits, '.', '_' and '-', starting with a letter "
            f"(the server group '<{key}>-backends' must stay within 128)",
        )


def backends_group_name(balancer_name: str, suffix: str) -> str:
    """The server group ``<balancer_name>-backends<suffix>`` of an NLB or ALB, within the APIs' 128 characters
    (``suffix``: ``-<port>`` for each backend port but the first; see ``_NLB_NAME``)."""
    return f"{balancer_name}-backends{suffix}"[:128]


class ServerGroupBasics(typing.TypedDict):
    """The arguments every server group the app builds (NLB or ALB) shares."""

    server_group_name: str
    vpc_id: str
    server_group_type: Literal["Instance"]


def server_group_basics(balancer_name: str, vpc_id: str, suffix: str) -> ServerGroupBasics:
    """The group of one backend port's servers: named by :func:`backends_group_name`, in the service's VPC, of
    ECS instances (the backends are instances, attached by id)."""
    return {
        "server_group_name": backends_group_name(balancer_name, suffix),
        "vpc_id": vpc_id,
        "server_group_type": "Instance",
    }


def check_nlb_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The NLB-side rules, for both the construct's props and the scenario file."""
    check_balancer_name(checks, prefix, settings, "nlb_name")
    check_publish_settings(checks, prefix, settings, ServiceForm(NLB_LISTENER_PROTOCOLS, dual_stack=True))
    if "backend_port" in settings:
        checks.port(f"{prefix}backend_port", settings["backend_port"])


class PrivateLinkNlbService(PrivateLinkServiceBase):
    """An internal NLB across several zones, exposed as a PrivateLink endpoint service.

    Its security group has accept rules only, so it does not restrict the
    listener: the NLB accepts its listener port from its VPC and from
    PrivateLink (see the module docstring for why no deny rule is added).

    Construct ids: ``security-group``, ``nlb``, ``nlb-security-group``,
    ``server-group``, ``server-<name>`` (one per backend; ``server-<n>`` by position when it has no name),
    ``listener``, ``endpoint-service``, ``service-resource-<zone>`` and
    ``allowed-<account id>``.
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkNlbServiceProps) -> None:
        super().__init__(scope, id, props, "nlb")
        listeners = props.all_listeners
        (_, port), more = port_pairs([("tcp", listener.frontend_port) for listener in listeners])
        ports = ", ".join(f"tcp/{listener.frontend_port}" for listener in listeners)
        group = IngressSecurityGroup(
            self,
            "security-group",
            IngressSecurityGroupProps(
                vpc_id=props.vpc_id,
                name=f"{props.nlb_name}-sg",
                description=f"PrivateLink traffic to the NLB listener{'s' if more else ''} {ports}",
                port=port,
                more_ports=more,
                source_cidrs=props.source_cidrs,
                tags=props.tags,
            ),
        )
        dual = props.ip_version == "DualStack"
        nlb = NlbLoadBalancer(
            self,
            "nlb",
            vpc_id=props.vpc_id,
            zone_mappings=[NlbLoadBalancerZoneMappings(zone_id=z.zone, vswitch_id=z.vswitch_id) for z in props.zones],
            load_balancer_type="Network",
            address_type="Intranet",
            payment_type="PayAsYouGo",
            # Dual-stack: IPv4 and IPv6 listener addresses (NLB CreateLoadBalancer AddressIpVersion ipv4 |
            # DualStack, ForceNew), the IPv6 one private (Ipv6AddressType Intranet), as the IPv4 one is.
            address_ip_version="DualStack" if dual else None,
            ipv6_address_type="Intranet" if dual else None,
            deletion_protection_enabled=True if props.deletion_protection else None,
            **load_balancer_basics(props.nlb_name, self._tags, props),
        )
        joined = NlbLoadBalancerSecurityGroupAttachment(
            self, "nlb-security-group", load_balancer_id=nlb.id, security_group_id=group.security_group_id
        )
        # NLB configuration calls on one instance run one at a time: a second one while a job runs gets
        # Conflict.Lock. The provider retries that for the attachments but not for CreateListener (see
        # resource_alicloud_nlb_listener.go, v1.289.0), so the listeners wait for them. They wait for the NLB
        # group's rules too, so that a refused detach (endpoints connected) leaves them in place. Each
        # listener waits for the one before it, for the same reason: Terraform then creates them one at a
        # time, and deletes them one at a time in reverse (an NLB replaced, or listeners removed together).
        configuring: list[ITerraformDependable] = [joined, *group.rules]
        groups = per_backend_port(listeners, lambda port, suffix: self._server_group(props, port, suffix, configuring))
        nlb_listeners: list[ITerraformDependable] = []
        for index, listener in enumerate(listeners):
            nlb_listener = NlbListener(
                self,
                listener_id(index, listener),
                load_balancer_id=nlb.id,
                listener_protocol="TCP",
                listener_port=listener.frontend_port,
                server_group_id=groups[listener.target_port].id,
                # NLB CreateListener ListenerDescription: 2-256 letters, digits and , . ; / @ _ - (no spaces).
                listener_description=listener_description("tcp", listener.frontend_port, listener.target_port),
                tags=self._tags,
                depends_on=configuring + nlb_listeners[-1:],
            )
            nlb_listeners.append(nlb_listener)
        self._publish(props, nlb.id, [z.zone for z in props.zones], zone_source_cidrs(props.zones), after=nlb_listeners)

        #: The NLB's id (token).
        self.nlb_id: str = nlb.id
        #: The NLB's own domain name.
        self.nlb_dns_name: str = nlb.dns_name

    def _check(self, checks: Checks, props: PrivateLinkNlbServiceProps) -> None:
        check_nlb_zones(checks, "zones", [z.zone for z in props.zones])
        check_nlb_settings(checks, "", settings_of(props))
        check_built_props(checks, props)

    def _server_group(
        self, props: PrivateLinkNlbServiceProps, port: int, suffix: str, configuring: list[ITerraformDependable]
    ) -> NlbServerGroup:
        """The backends on ``port``: ``server-group<suffix>`` and ``server-<name><suffix>`` per backend (an
        NLB server group's servers each have one port, so each backend port has its group); each attachment
        is added to ``configuring``, which the listeners wait for."""
        server_group = NlbServerGroup(
            self,
            f"server-group{suffix}",
            **server_group_basics(props.nlb_name, props.vpc_id, suffix),
            protocol="TCP",
            # Off, so that backends see the NLB's local addresses (its vSwitches), which their group admits.
            preserve_client_ip_enabled=False,
            health_check=NlbServerGroupHealthCheck(
                health_check_enabled=True, health_check_type="TCP", health_check_connect_port=port
            ),
            tags=self._tags,
        )
        for index, backend in enumerate(props.backends):
            attachment = NlbServerGroupServerAttachment(
                self,
                f"server-{backend.name if backend.name is not None else index}{suffix}",
                server_group_id=server_group.id,
                server_id=backend.server_id,
                server_type="Ecs",
                port=port,
                weight=backend.weight,
            )
            configuring.append(attachment)
        return server_group
