"""The consumer side of PrivateLink (console Steps 4-5): security group, endpoint, zones, acceptance.

An endpoint has a network interface in each zone it is placed in
(``alicloud_privatelink_vpc_endpoint_zone``, one per zone), so it survives
the loss of a zone when the service spans several (an NLB does).
"""

from __future__ import annotations

import ipaddress
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from constructs import Construct

from ._runtime import ITerraformDependable, Postcondition, TerraformProvider, TerraformResourceLifecycle
from .addresses import address_below, move_within
from .bindings import (
    DataPrivatelinkVpcEndpointZones,
    PrivatelinkVpcEndpoint,
    PrivatelinkVpcEndpointConnection,
    PrivatelinkVpcEndpointZone,
    ResourceOptions,
)
from .bindings.privatelink import PrivatelinkVpcEndpointAddressIpVersion
from .checks import CONNECTION_BANDWIDTH, Checks
from .endpoint_service import ListenerProtocol
from .listeners import AnyListenerProtocol, Listener
from .security_group import IngressSecurityGroup, IngressSecurityGroupProps, port_pairs


class IPrivateLinkService(Protocol):
    """What an endpoint needs to know about the service it connects to.

    :class:`~alicloud_privatelink.EndpointService` and the forms that build
    their load balancer (``PrivateLinkService``, ``PrivateLinkNlbService``,
    ``PrivateLinkAlbService``) are ones (also from another stack: their
    attributes become cross-stack references). For a
    service built elsewhere, use :class:`ExistingPrivateLinkService`.
    """

    @property
    def service_id(self) -> str | None: ...
    @property
    def service_name(self) -> str | None: ...
    # The primary zone and listener, then all of them.
    @property
    def zone(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def listener_protocol(self) -> AnyListenerProtocol: ...
    @property
    def zones(self) -> Sequence[str]: ...
    @property
    def listeners(self) -> Sequence[Listener]: ...
    @property
    def auto_accept_connections(self) -> bool: ...


@dataclass(frozen=True, kw_only=True)
class ExistingPrivateLinkService:
    """An endpoint service that is not built in this app, e.g. another team's or account's, by id or by name.

    Give exactly one of ``service_id`` and ``service_name``; an endpoint uses the one given.
    """

    #: Its id, e.g. ``epsrv-gw8...``. Default: None; then give ``service_name``.
    service_id: str | None = None
    #: Its name, e.g. ``com.aliyuncs.privatelink.eu-central-1.epsrv-gw8...``. Default: None; then give
    #: ``service_id``.
    service_name: str | None = None
    #: Its zone; endpoints must use the same one.
    zone: str
    #: Every zone endpoints may use (an NLB-backed service has several). Default: just ``zone``.
    zones: Sequence[str] = ()
    #: Its (primary) listener port, which the endpoint's security group opens.
    port: int
    #: Its listener protocol. Default: ``tcp``.
    listener_protocol: ListenerProtocol = "tcp"
    #: Every listener consumers reach (the group opens each frontend port), the primary one first. Default:
    #: none, just ``port`` with ``listener_protocol``.
    listeners: Sequence[Listener] = ()
    #: Whether it accepts endpoints by itself. Default: False, so the endpoint's connection is accepted explicitly.
    auto_accept_connections: bool = False
    #: Whether it serves IPv6 (its ``service_support_ipv6``), which a dual-stack endpoint needs. Default: False.
    supports_ipv6: bool = False

    def __post_init__(self) -> None:
        if not self.zones:
            object.__setattr__(self, "zones", (self.zone,))
        if not self.listeners:
            listener = Listener(protocol=self.listener_protocol, frontend_port=self.port)
            object.__setattr__(self, "listeners", (listener,))


#: The endpoint's IP versions this library builds (the provider's ``address_ip_version`` also has ``IPv6``).
EndpointIpVersion = Literal["IPv4", "DualStack"]
ENDPOINT_IP_VERSIONS: tuple[EndpointIpVersion, ...] = typing.get_args(EndpointIpVersion)
assert set(ENDPOINT_IP_VERSIONS) <= set(typing.get_args(PrivatelinkVpcEndpointAddressIpVersion))


@dataclass(frozen=True, kw_only=True)
class _InterfaceAddress:
    """The interface's address in a zone's vSwitch: each :class:`EndpointPlacement`'s, and that of
    :class:`PrivateLinkEndpointProps`' single-zone form (in its ``vswitch_id``)."""

    #: The interface's fixed address in the vSwitch (``eni_ip``, ForceNew). Default: None, the cloud picks one.
    endpoint_ip: str | None = None
    #: The vSwitch's CIDR block, to check ``endpoint_ip`` against. Default: None, not checked.
    vswitch_cidr: str | None = None


@dataclass(frozen=True, kw_only=True)
class EndpointPlacement(_InterfaceAddress):
    """One zone of an endpoint: the zone and the consumer vSwitch that gets the endpoint's interface there
    (with ``endpoint_ip`` and ``vswitch_cidr``)."""

    #: Zone id; one of the service's zones (of the endpoint's own region when the service is in another).
    zone: str
    #: vSwitch in ``zone``.
    vswitch_id: str


@dataclass(frozen=True, kw_only=True)
class PrivateLinkEndpointProps(_InterfaceAddress):
    """Props of :class:`PrivateLinkEndpoint` (``endpoint_ip`` and ``vswitch_cidr``: the single-zone form's, in
    ``vswitch_id``; with ``placements``, each placement has its own)."""

    #: The service to connect to.
    service: IPrivateLinkService
    #: Consumer VPC the endpoint is created in.
    vpc_id: str
    #: vSwitch (in ``zone``) that gets the endpoint's network interface. Default: None; then give ``placements``.
    vswitch_id: str | None = None
    #: Zone of the endpoint; must be one of the service's zones. Default: None; then give ``placements``.
    zone: str | None = None
    #: Several zones instead of ``zone`` and ``vswitch_id``, each a service zone, no zone twice; the first
    #: is the primary one. Each gets the construct id ``endpoint-zone-<zone>``, whatever its position.
    #: Default: none.
    placements: Sequence[EndpointPlacement] = ()
    #: Endpoint name: 2-128 letters, digits, ``_`` and ``-``, starting with a letter.
    endpoint_name: str
    #: The service's region when it is not the endpoint's own (the stack provider's): sets ``service_region_id``;
    #: the zones are then the endpoint's region's, not the service's. Default: None, the same region.
    service_region: str | None = None
    #: With ``service_region``: the cross-region bandwidth in Mbit/s. Default: None, Alibaba Cloud's default.
    cross_region_bandwidth: int | None = None
    #: The connection's bandwidth in Mbit/s (100-10240), set when accepting it. Default: None, the service's
    #: default (its ``connect_bandwidth``).
    bandwidth: int | None = None
    #: ``IPv4`` or ``DualStack`` (``address_ip_version``); dual-stack needs vSwitches with IPv6. Default: None,
    #: IPv4.
    ip_version: EndpointIpVersion | None = None
    #: CIDR blocks of the clients allowed to reach the service's port, usually the consumer vSwitch.
    #: Default: none; then ``security_group_id`` must be given.
    client_cidrs: Sequence[str] = ()
    #: An existing security group for the endpoint, used as it is. Default: None, a group admitting
    #: only ``client_cidrs`` to the service's port is created.
    security_group_id: str | None = None
    #: Endpoint description, 2-256 characters. Default: ``PrivateLink endpoint <endpoint_name>``.
    description: str | None = None
    #: Accept the connection on the service owner's behalf. Default: None, accept unless the
    #: service accepts connections by itself.
    accept_connection: bool | None = None
    #: Provider acting as the service owner, for accepting. Default: None, the stack's default provider.
    acceptor: TerraformProvider | None = None
    #: What must exist before the endpoint, e.g. servers with fixed addresses in the same vSwitch,
    #: so that the endpoint's interface does not take their address. Default: nothing.
    depends_on: Sequence[ITerraformDependable] = ()
    #: Tags for every taggable resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def self_accepting(auto_accept: str) -> str:
    """Why nothing sets a connection's bandwidth when the service accepts by itself (its setting ``auto_accept``)."""
    return (
        f"the service accepts connections by itself ({auto_accept}), so nothing would set it: remove it or "
        "accept explicitly"
    )


def check_endpoint_settings(
    checks: Checks,
    prefix: str,
    settings: Mapping[str, object],
    *,
    cross_region: bool = False,
    not_accepted: str | None = None,
    service_ipv6: bool = False,
) -> None:
    """The consumer-side rules, for both the construct's props and the scenario file.

    ``cross_region``: the endpoint is in another region than its service. ``not_accepted``: why nothing here
    accepts the connection, which ends a sentence; None: it is accepted here (an
    ``alicloud_privatelink_vpc_endpoint_connection``), the only place its bandwidth can be set: the endpoint's
    own ``bandwidth`` is read-only (Computed) in provider v1.289.0. ``service_ipv6``: the
    service serves IPv6 (``service_support_ipv6`` of alicloud_privatelink_vpc_endpoint_service), without which
    a dual-stack endpoint's IPv6 address (CreateVpcEndpoint ``Zone.Ipv6Address``) would lead nowhere.
    """
    if "endpoint_name" in settings:
        checks.shape("endpoint_name", f"{prefix}endpoint_name", settings["endpoint_name"])
    if "description" in settings:
        checks.description(f"{prefix}description", settings["description"])
    if settings.get("bandwidth") is not None:
        checks.in_range(
            f"{prefix}bandwidth", settings["bandwidth"], CONNECTION_BANDWIDTH.start, CONNECTION_BANDWIDTH[-1]
        )
        if not_accepted is not None:
            checks.fail(
                f"{prefix}bandwidth",
                f"is the bandwidth of the endpoint's connection, set when it is accepted; {not_accepted}",
            )
    crossing = settings.get("cross_region_bandwidth")
    if crossing is not None and not cross_region:
        checks.fail(f"{prefix}cross_region_bandwidth", "only applies to an endpoint in another region than its service")
    elif (
        isinstance(crossing, int) and not isinstance(crossing, bool) and not checks.is_token(crossing) and crossing < 1
    ):
        checks.fail(f"{prefix}cross_region_bandwidth", f"{crossing} Mbit/s is not a bandwidth; give at least 1")
    if settings.get("ip_version") is not None:
        checks.one_of(f"{prefix}ip_version", settings["ip_version"], ENDPOINT_IP_VERSIONS)
    if settings.get("ip_version") == "DualStack" and not service_ipv6:
        checks.fail(
            f"{prefix}ip_version",
            "DualStack needs an endpoint service that serves IPv6 (service_support_ipv6), and this one does not",
        )


def check_endpoint_ip(
    checks: Checks, path: str, value: object, vswitch: ipaddress.IPv4Network | None, vswitch_path: str
) -> None:
    """A zone's fixed endpoint address (``eni_ip``): an IPv4 address in the zone's vSwitch, not one of the four
    the vSwitch reserves (:meth:`Checks.host_address`)."""
    checks.host_address(path, value, vswitch, vswitch_path)


def _network(checks: Checks, path: str, cidr: str | None) -> ipaddress.IPv4Network | None:
    return checks.cidr(path, cidr) if cidr is not None else None


def _placements(checks: Checks, props: PrivateLinkEndpointProps) -> list[EndpointPlacement]:
    """The endpoint's zones, from ``zone``/``vswitch_id`` or ``placements``, checked against the service's zones."""
    service = props.service
    single = props.zone is not None or props.vswitch_id is not None
    if single and props.placements:
        checks.fail("placements", "give either zone and vswitch_id, or placements, not both")
        return []
    if single:
        if props.zone is None or props.vswitch_id is None:
            checks.fail("vswitch_id" if props.vswitch_id is None else "zone", "give both zone and vswitch_id")
            return []
        placements = [
            EndpointPlacement(
                zone=props.zone,
                vswitch_id=props.vswitch_id,
                endpoint_ip=props.endpoint_ip,
                vswitch_cidr=props.vswitch_cidr,
            )
        ]
        paths = ["zone"]
    else:
        placements = list(props.placements)
        paths = [f"placements[{i}].zone" for i in range(len(placements))]
        for index, placement in enumerate(placements):
            checks.resource_id(f"placements[{index}].vswitch_id", placement.vswitch_id, "vswitch")
        if not placements:
            checks.fail("placements", "give zone and vswitch_id, or at least one placement")
    checks.unique([(path, p.zone) for path, p in zip(paths, placements, strict=True)], "zone")
    for path, placement in zip(paths, placements, strict=True):
        where = path.removesuffix("zone")
        vswitch = _network(checks, f"{where}vswitch_cidr", placement.vswitch_cidr)
        check_endpoint_ip(checks, f"{where}endpoint_ip", placement.endpoint_ip, vswitch, f"{where}vswitch_cidr")
    if props.service_region is not None:
        return placements  # zones of the endpoint's own region: CreateVpcEndpoint's Zone.ZoneId is in its RegionId
    zones = list(service.zones)
    # As the scenario file: a zonal service's zones are a list even when it has one.
    several = len(zones) != 1 or getattr(service, "load_balancer_type", "clb") != "clb"
    for path, placement in zip(paths, placements, strict=True):
        check_endpoint_zone(checks, path, placement.zone, zones, several=several)
    return placements


def check_endpoint_zone(checks: Checks, path: str, zone: object, zones: Sequence[object], *, several: bool) -> None:
    """An endpoint's zone is one of its service's: the one zone (a CLB's primary zone), or any of ``several``."""
    if not several:
        checks.same_zone(path, zone, "service.zone", zones[0] if zones else None)
        return
    known = [z for z in zones if isinstance(z, str)]
    if not isinstance(zone, str) or not known or any(checks.is_token(z) for z in [zone, *known]):
        return
    if zone not in known:
        checks.fail(path, f"{zone} is not one of service.zones ({', '.join(known)}); an endpoint can only use those")


def check_service_reference(checks: Checks, by_id: bool, by_name: bool) -> None:
    """A service published elsewhere is known by exactly one of its id and its name."""
    if by_id and by_name:
        checks.fail("service.service_name", "give either service.service_id or service.service_name, not both")
    elif not by_id and not by_name:
        checks.fail("service.service_id", "give the service's service_id or its service_name")


def check_single_endpoint_ip(checks: Checks, path: str, given: bool, several: str) -> None:
    """One ``endpoint_ip`` belongs to the single-zone form; with ``several`` zones each gives its own."""
    if given:
        checks.fail(path, f"give each of {several} its endpoint_ip instead")


def check_endpoint_access(
    checks: Checks, prefix: str, *, security_group_given: bool, client_cidrs: object, defaulted: bool
) -> None:
    """Who may reach the endpoint: an existing security group, with its own rules, or the clients' CIDR blocks,
    which the group made here admits (and nothing else). ``client_cidrs``: None when not given;
    ``defaulted``: they then default to the consumer's own vSwitch (a scenario's network built here)."""
    if isinstance(client_cidrs, (list, tuple)):
        checks.source_cidr_set(f"{prefix}client_cidrs", client_cidrs)
    if security_group_given:
        if client_cidrs is not None:
            checks.fail(
                f"{prefix}client_cidrs", "an existing security_group_id has its own rules; give one or the other"
            )
    elif not client_cidrs and (client_cidrs is not None or not defaulted):
        checks.fail(f"{prefix}client_cidrs", "give the clients' CIDR blocks (or an existing security_group_id)")


class PrivateLinkEndpoint(Construct):
    """An interface endpoint in one or more zones, reachable only by the consumer's clients on the service port.

    Construct ids: ``security-group`` (unless one is given), ``endpoint``,
    ``endpoint-zone`` (given ``zone`` and ``vswitch_id``) or
    ``endpoint-zone-<zone>`` (each of ``placements``: keyed by the zone, not
    its position, so adding, removing or reordering zones replaces no other
    zone), ``zone-domains`` (a look-up of each zone's domain, with several
    zones) and ``connection`` (when accepting).
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkEndpointProps) -> None:
        service = props.service
        description = props.description or f"PrivateLink endpoint {props.endpoint_name}"
        accept = props.accept_connection if props.accept_connection is not None else not service.auto_accept_connections
        not_accepted = None  # why nothing here accepts the connection (see check_endpoint_settings)
        if props.accept_connection is False:
            not_accepted = "accept_connection is False, so nothing here would set it: remove it"
        elif not accept:
            not_accepted = self_accepting("auto_accept_connections")
        checks = Checks()
        check_endpoint_settings(
            checks,
            "",
            {
                "endpoint_name": props.endpoint_name,
                "description": description,
                "bandwidth": props.bandwidth,
                "cross_region_bandwidth": props.cross_region_bandwidth,
                "ip_version": props.ip_version,
            },
            cross_region=props.service_region is not None,
            not_accepted=not_accepted,
            service_ipv6=bool(getattr(service, "supports_ipv6", False)),
        )
        checks.region("service_region", props.service_region)
        check_single_endpoint_ip(
            checks, "endpoint_ip", props.endpoint_ip is not None and bool(props.placements), "placements"
        )
        checks.port("service.port", service.port)
        for index, listener in enumerate(service.listeners):
            checks.port(f"service.listeners[{index}].frontend_port", listener.frontend_port)
        placements = _placements(checks, props)
        checks.resource_id("vpc_id", props.vpc_id, "vpc")
        checks.resource_id("vswitch_id", props.vswitch_id, "vswitch")
        checks.resource_id("security_group_id", props.security_group_id, "security_group")
        checks.resource_id("service.service_id", service.service_id, "service")
        by_id, by_name = service.service_id is not None, service.service_name is not None
        if not isinstance(service, ExistingPrivateLinkService):
            by_name = by_name and not by_id  # a service built here has both, and the endpoint uses its id
        check_service_reference(checks, by_id, by_name)
        if not by_id:
            checks.service_name("service.service_name", service.service_name, None)
        checks.tags("tags", props.tags)
        check_endpoint_access(
            checks,
            "",
            security_group_given=props.security_group_id is not None,
            client_cidrs=list(props.client_cidrs) or None,
            defaulted=False,
        )
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None

        security_group_id = props.security_group_id
        if security_group_id is None:
            first, more = port_pairs([(listener.transport, listener.frontend_port) for listener in service.listeners])
            security_group_id = IngressSecurityGroup(
                self,
                "security-group",
                IngressSecurityGroupProps(
                    vpc_id=props.vpc_id,
                    # Security group names have at most 128 characters, endpoint names 128 (provider docs).
                    name=f"{props.endpoint_name[:125]}-sg",
                    description=f"Clients of PrivateLink endpoint {props.endpoint_name}",
                    port=first[1],
                    protocol=first[0],
                    more_ports=more,
                    source_cidrs=props.client_cidrs,
                    tags=props.tags,
                ),
            ).security_group_id
        by_name = service.service_id is None
        endpoint = PrivatelinkVpcEndpoint(
            self,
            "endpoint",
            vpc_id=props.vpc_id,
            service_id=service.service_id,
            service_name=service.service_name if by_name else None,
            security_group_ids=[security_group_id],
            vpc_endpoint_name=props.endpoint_name,
            endpoint_description=description,
            endpoint_type="Interface",
            service_region_id=props.service_region,
            cross_region_bandwidth=props.cross_region_bandwidth,
            address_ip_version=props.ip_version,
            tags=tags,
            depends_on=list(props.depends_on),
        )
        endpoint_zones = [
            PrivatelinkVpcEndpointZone(
                self,
                f"endpoint-zone-{placement.zone}" if props.placements else "endpoint-zone",
                endpoint_id=endpoint.id,
                vswitch_id=placement.vswitch_id,
                zone_id=placement.zone,
                eni_ip=placement.endpoint_ip,
            )
            for placement in placements
        ]
        # Switching between ``zone`` and ``placements`` keeps the first zone's interface (see Network).
        first_zone = placements[0].zone
        first_id = f"endpoint-zone-{first_zone}" if props.placements else "endpoint-zone"
        other = "endpoint-zone" if props.placements else f"endpoint-zone-{first_zone}"
        move_within(scope, id, "alicloud_privatelink_vpc_endpoint_zone", other, first_id)
        if accept:
            # The service owner can disconnect an endpoint (console, or DisableVpcEndpointConnection): the
            # provider then reads status "Disconnected" and plans nothing, as status is only computed
            # (resource_alicloud_privatelink_vpc_endpoint_connection.go, v1.289.0). The postcondition makes
            # every plan fail on it, saying how to accept the endpoint again.
            address = address_below(scope, [id, "connection"], PrivatelinkVpcEndpointConnection.terraform_type)
            hint = (
                "The service owner disconnected this endpoint. To accept it again, run "
                f"`terraform state rm {address}` in this stack's folder, then deploy the stack: "
                "it accepts the endpoint anew (EnableVpcEndpointConnection)."
            )
            acceptance: ResourceOptions = {
                "depends_on": list(endpoint_zones),
                "lifecycle": TerraformResourceLifecycle(
                    postcondition=[Postcondition(condition='${self.status != "Disconnected"}', error_message=hint)]
                ),
            }
            if props.acceptor is not None:
                acceptance["provider"] = props.acceptor
            PrivatelinkVpcEndpointConnection(
                self,
                "connection",
                # Known by name only: the endpoint reads the service's id back.
                service_id=endpoint.service_id if by_name else str(service.service_id),
                endpoint_id=endpoint.id,
                bandwidth=props.bandwidth,
                **acceptance,
            )

        #: The endpoint's id (token).
        self.endpoint_id: str = endpoint.id
        #: The id of the service it connects to (a token read back from the endpoint when given by name).
        self.service_id: str = endpoint.service_id if by_name else str(service.service_id)
        #: DNS name that reaches the service through this endpoint.
        self.endpoint_domain: str = endpoint.endpoint_domain
        #: Security group on the endpoint's network interface.
        self.security_group_id: str = security_group_id
        #: The endpoint's first (primary) zone.
        self.zone: str = placements[0].zone
        #: Every zone the endpoint has an interface in.
        self.zones: tuple[str, ...] = tuple(p.zone for p in placements)
        #: With several zones, each zone's own domain by zone id (a token for a map, e.g.
        #: ``{"eu-central-1a" = "ep-...-eu-central-1a...."}``), so a client can pin a zone; else None, as
        #: ``endpoint_domain`` already reaches the one zone.
        self.zone_domains: str | None = None
        if len(placements) > 1:
            lookup = DataPrivatelinkVpcEndpointZones(
                self, "zone-domains", endpoint_id=endpoint.id, depends_on=list(endpoint_zones)
            )
            zones = "data." + address_below(scope, [id, "zone-domains"], lookup.terraform_type) + ".zones"
            self.zone_domains = f"${{{{ for z in {zones} : z.zone_id => z.zone_domain }}}}"
