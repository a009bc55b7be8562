"""An endpoint service over a load balancer given by id and type, and what every service form shares.

Every form of PrivateLink service publishes a load balancer the same way: one
``alicloud_privatelink_vpc_endpoint_service``, the load balancer attached with
``alicloud_privatelink_vpc_endpoint_service_resource`` (once per zone for an
NLB or an ALB), and one ``alicloud_privatelink_vpc_endpoint_service_user`` per
allowed account. :class:`PrivateLinkServiceBase` does that (``_publish``) and
holds the one attributes block; :class:`EndpointService` publishes a load
balancer the team already runs, and :class:`~alicloud_privatelink.PrivateLinkService`
(CLB), :class:`~alicloud_privatelink.PrivateLinkNlbService` and
:class:`~alicloud_privatelink.PrivateLinkAlbService` build theirs first.
The resources are created directly in the service construct's scope, under the
construct ids ``endpoint-service``, ``service-resource[-<zone>]`` and
``allowed-<account>``, so the built forms' ids (a contract) stay as they were.

Provider facts (aliyun/terraform-provider-alicloud v1.289.0):

* ``resource_type`` is ``slb`` for a CLB, ``nlb`` or ``alb``
  (resource_alicloud_privatelink_vpc_endpoint_service_resource.go). A CLB is
  attached without ``zone_id``, as in the resource's documented example: its
  zone is its primary zone. An NLB or ALB is attached once per zone, with
  ``zone_id``.
* A load balancer the app did not build is looked up at plan time
  (``alicloud_slb_load_balancers`` / ``alicloud_nlb_load_balancers`` /
  ``alicloud_alb_load_balancers`` by ``ids``) and the endpoint service carries
  Terraform ``precondition`` blocks on what was found: PrivateLink publishes
  only an intranet load balancer (PrivateLink "Create an endpoint service":
  the service resource must be an internal-facing CLB, NLB or ALB), and an
  endpoint can use only a zone the load balancer spans.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal

from constructs import Construct

from ._runtime import ITerraformDependable, Precondition, TerraformResourceLifecycle
from .bindings import (
    DataAlbLoadBalancers,
    DataNlbLoadBalancers,
    DataSlbLoadBalancers,
    PrivatelinkVpcEndpointService,
    PrivatelinkVpcEndpointServiceResource,
    PrivatelinkVpcEndpointServiceUser,
)
from .bindings.privatelink import PrivatelinkVpcEndpointServiceServiceResourceType as ServiceResourceType
from .checks import Checks, is_token
from .listeners import AnyListenerProtocol, Listener, ServiceForm, check_listener_settings, listeners_of

#: The protocols a PrivateLink service's listener may have: the CLB's (``https`` needs a certificate
#: this library does not manage), of which an NLB-backed service uses ``tcp`` only.
ListenerProtocol = Literal["http", "tcp", "udp"]
#: The protocols of a published load balancer's listeners that consumers may reach.
PUBLISHED_PROTOCOLS: tuple[AnyListenerProtocol, ...] = typing.get_args(AnyListenerProtocol)
#: A load balancer the app publishes but did not build (or a service consumed from elsewhere).
PUBLISHED = ServiceForm(PUBLISHED_PROTOCOLS, built=False)
#: The IP versions of a service: IPv4 only, or dual-stack (the endpoint service's ``address_ip_version`` values
#: IPv4, IPv6, DualStack in the provider's schema; an IPv6-only service is not built).
IpVersion = Literal["IPv4", "DualStack"]
#: Who pays for the endpoint connections: the endpoint's owner or the service's (``payer``; the schema's enum,
#: ForceNew: changing it replaces the endpoint service, and with it every endpoint).
Payer = Literal["Endpoint", "EndpointService"]
#: The endpoint service's ``connect_bandwidth`` in Mbit/s, inclusive: the provider's rule
#: ``IntBetween(100, 10240)`` (resource_alicloud_privatelink_vpc_endpoint_service.go v1.289.0, the schema
#: copy's ``validate_func``; a test keeps the two equal). Updated in place.
CONNECT_BANDWIDTH = (100, 10240)
#: The load balancers an endpoint service can front.
LoadBalancerType = Literal["clb", "nlb", "alb"]


@dataclass(frozen=True)
class LoadBalancerKind:
    """What differs between the load balancer types, for publishing one and for looking one up."""

    #: The endpoint service's ``resource_type``.
    resource_type: ServiceResourceType
    #: How the product and the docs name it.
    word: str
    #: The same with its article ("a CLB", "an NLB").
    a_word: str
    #: The shape of its id (its API's ``LoadBalancerId``), used with fullmatch.
    id_pattern: str
    #: An id of that shape, for messages.
    id_example: str
    #: The look-up's ``address_type`` of an intranet load balancer.
    intranet: str
    #: Where the look-up lists the zones it spans.
    zones_path: str
    #: Whether it is attached to the endpoint service once per zone, with ``zone_id``.
    per_zone: bool
    #: Where backends see its traffic from, when that is known without reading its vSwitches.
    backend_source_cidrs: tuple[str, ...] | None
    #: The look-up's ``address_allocated_mode`` PrivateLink needs, where it has one: an ALB must have fixed
    #: addresses (PrivateLink "Create an SLB instance that supports PrivateLink"; see :mod:`.alb_service`).
    address_mode: str | None = None


#: CLB API CreateLoadBalancer (LoadBalancerId ``lb-bp1b6c719dfa08ex****``, AddressType internet|intranet);
#: NLB API CreateLoadBalancer (``nlb-83ckzc8d4xlp8o****``, Internet|Intranet); ALB API CreateLoadBalancer
#: (``alb-o9ulmq5hgn68jk****``, Internet|Intranet). Look-up attributes: the schema of each data source.
LOAD_BALANCERS: Mapping[LoadBalancerType, LoadBalancerKind] = {
    "clb": LoadBalancerKind(
        "slb", "CLB", "a CLB", "lb-[a-z0-9]{8,32}", "lb-bp1b6c719dfa08exabcd", "intranet", "master_zone_id", False,
        # CLB health checks and forwarded traffic come from 100.64.0.0/10 (security_group.CLB_SOURCE_CIDR).
        ("100.64.0.0/10",),
    ),
    "nlb": LoadBalancerKind(
        "nlb", "NLB", "an NLB", "nlb-[a-z0-9]{8,32}", "nlb-83ckzc8d4xlp8oabcd", "Intranet", "zone_mappings[*].zone_id",
        True, None,
    ),
    "alb": LoadBalancerKind(
        "alb", "ALB", "an ALB", "alb-[a-z0-9]{8,32}", "alb-o9ulmq5hgn68jkabcd", "Intranet", "zone_mappings[*].zone_id",
        True, None, "Fixed",
    ),
}  # fmt: skip
_LOOKUPS = {"clb": DataSlbLoadBalancers, "nlb": DataNlbLoadBalancers, "alb": DataAlbLoadBalancers}


def check_load_balancer_id(checks: Checks, path: str, value: object, load_balancer: object) -> None:
    """An existing load balancer's id has its type's shape; the message cites the pattern."""
    kind = LOAD_BALANCERS.get(load_balancer) if isinstance(load_balancer, str) else None  # type: ignore[call-overload]
    if kind is None or not isinstance(value, str) or checks.is_token(value):
        return
    if not re.fullmatch(kind.id_pattern, value):
        checks.fail(
            path,
            f"{value!r} is not {kind.a_word} id: it must match {kind.id_pattern} "
            f"(the {kind.word} API's LoadBalancerId, e.g. {kind.id_example})",
        )


def default_description(load_balancer: LoadBalancerType) -> str:
    """The endpoint service's description when none is given."""
    return f"PrivateLink endpoint service in front of an internal {LOAD_BALANCERS[load_balancer].word}"


@dataclass(frozen=True, kw_only=True)
class ServiceProps:
    """What every form of PrivateLink service takes: how its endpoint service is published."""

    #: Listener protocol consumers reach: ``tcp``, ``udp`` or ``http`` (an NLB: ``tcp`` only). Default: ``tcp``.
    listener_protocol: ListenerProtocol = "tcp"
    #: Port clients connect to (the listener's). Default: 80.
    frontend_port: int = 80
    #: Accept every endpoint connection without review. Default: False, each is accepted explicitly.
    auto_accept_connections: bool = False
    #: Resolve the endpoint's domain to the ENI in the client's own zone first. Default: True.
    zone_affinity_enabled: bool = True
    #: Endpoint service description, 2-256 characters. Default: None, "PrivateLink endpoint service in front
    #: of an internal <CLB|NLB|ALB>".
    description: str | None = None
    #: Further accounts (16-digit ids) allowed to connect. Default: none, only the owner.
    allowed_accounts: Sequence[str] = ()
    #: Tags for every taggable resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)
    #: Regions endpoints may connect from (``supported_region_list``, updated in place:
    #: resource_alicloud_privatelink_vpc_endpoint_service.go, v1.289.0), the service's own included when its
    #: endpoints are elsewhere too. Default: none, the service's own region only.
    supported_regions: Sequence[str] = ()
    #: Several listeners instead of the one ``listener_protocol`` / ``frontend_port`` (/ ``backend_port``)
    #: describe; the first is the primary one (see :mod:`.listeners`). Default: none, that one listener.
    listeners: Sequence[Listener] = ()
    #: ``IPv4``, or ``DualStack``: consumers may also reach the service over IPv6 (the endpoint service's
    #: ``address_ip_version`` and ``service_support_ipv6``; an NLB the app builds only). Default: ``IPv4``.
    ip_version: IpVersion = "IPv4"
    #: ``Endpoint`` (the consumers pay for their connections) or ``EndpointService`` (you do). ForceNew: changing
    #: it replaces the endpoint service and every endpoint. Default: None, Alibaba Cloud's default (``Endpoint``).
    payer: Payer | None = None
    #: Bandwidth of each endpoint connection, 100-10240 Mbit/s. Default: None, Alibaba Cloud's default.
    connect_bandwidth: int | None = None

    def _shorthand_backend_port(self) -> int | None:
        """The single listener's backend port; None: the load balancer is the team's."""
        return None

    @property
    def all_listeners(self) -> tuple[Listener, ...]:
        """``listeners``, or the one listener the single-listener settings describe."""
        return listeners_of(self.listeners, self.listener_protocol, self.frontend_port, self._shorthand_backend_port())


def check_supported_regions(checks: Checks, path: str, regions: Sequence[str], resource_type: str) -> None:
    """Other regions may connect only to a service type PrivateLink connects across regions; each region once."""
    for index, region in enumerate(regions):
        checks.region(f"{path}[{index}]", region)
    checks.unique([(f"{path}[{i}]", region) for i, region in enumerate(regions)], "region")
    if regions:
        checks.cross_region_type(path, resource_type, "endpoints in other regions need supported regions")


def settings_of(props: object) -> dict[str, object]:
    """The fields of a props dataclass that the user set (those not at their default), as a mapping: what a
    scenario file's table is to the same rules."""
    settings: dict[str, object] = {}
    for item in fields(props):  # type: ignore[arg-type]
        value = getattr(props, item.name)
        default = item.default_factory() if item.default_factory is not MISSING else item.default
        if default is MISSING or value != default:
            settings[item.name] = value
    return settings


def check_publish_settings(checks: Checks, prefix: str, settings: Mapping[str, object], form: ServiceForm) -> None:
    """The rules every service form shares, as far as ``form`` allows: the listeners, the IP version, the payer
    and bandwidth, the frontend port, the description and the allowed accounts."""
    check_listener_settings(checks, prefix, settings, form)
    if "ip_version" in settings:
        version = settings["ip_version"]
        checks.one_of(f"{prefix}ip_version", version, typing.get_args(IpVersion))
        if version == "DualStack" and not form.dual_stack:
            checks.fail(
                f"{prefix}ip_version",
                "DualStack is built on an NLB only (a dual-stack NLB serves IPv6 consumers through PrivateLink); "
                + ('use load_balancer = "nlb", or IPv4' if form.built else "leave it IPv4 for a load balancer by id"),
            )
    if settings.get("payer") is not None:
        checks.one_of(f"{prefix}payer", settings["payer"], typing.get_args(Payer))
    if settings.get("connect_bandwidth") is not None:
        checks.in_range(f"{prefix}connect_bandwidth", settings["connect_bandwidth"], *CONNECT_BANDWIDTH)
    if "frontend_port" in settings:
        checks.port(f"{prefix}frontend_port", settings["frontend_port"])
    if settings.get("description") is not None:
        checks.description(f"{prefix}description", settings["description"])
    accounts = settings.get("allowed_accounts")
    if isinstance(accounts, (list, tuple)):
        for index, account in enumerate(accounts):
            checks.shape("account_id", f"{prefix}allowed_accounts[{index}]", account)
        checks.unique([(f"{prefix}allowed_accounts[{i}]", a) for i, a in enumerate(accounts)], "account")
    if isinstance(settings.get("tags"), Mapping):
        checks.tags(f"{prefix}tags", settings["tags"])


@dataclass(frozen=True, kw_only=True)
class EndpointServiceProps(ServiceProps):
    """Props of :class:`EndpointService`: a load balancer that already exists, by type and id."""

    #: ``clb``, ``nlb`` or ``alb``.
    load_balancer_type: LoadBalancerType
    #: Its id, e.g. ``nlb-83ckzc8d4xlp8oabcd``; looked up at plan time unless it is a token.
    load_balancer_id: str
    #: The zones endpoints may use, each one the load balancer spans; a CLB: exactly its primary zone.
    zones: Sequence[str]


class PrivateLinkServiceBase(Construct):
    """What every service form exposes, and publishing its load balancer (see the module docstring)."""

    #: The endpoint service's id (token); endpoints connect to it.
    service_id: str
    #: The endpoint service's name, which consumers may use instead of the id.
    service_name: str
    #: The endpoint service's domain.
    service_domain: str
    #: ``clb``, ``nlb`` or ``alb``.
    load_balancer_type: LoadBalancerType
    #: The load balancer's id (a token when the app builds it).
    load_balancer_id: str
    #: The first zone, where a single-zone endpoint goes by default.
    zone: str
    #: Zones endpoints may be created in.
    zones: tuple[str, ...]
    #: The primary listener's port, which endpoints forward to.
    port: int
    #: The primary listener's protocol.
    listener_protocol: AnyListenerProtocol
    #: Every listener, the primary one first.
    listeners: tuple[Listener, ...]
    #: Whether the service accepts endpoints by itself.
    auto_accept_connections: bool
    #: The sources the backends' security groups must admit on the backend port; None when only the load
    #: balancer's own vSwitches know them (an NLB or ALB the app did not build: admit their CIDR blocks).
    backend_source_cidrs: tuple[str, ...] | None
    #: The load balancer's attachments (one per zone of an NLB or ALB); depend on them to create endpoints
    #: only once it is attached.
    attachments: list[PrivatelinkVpcEndpointServiceResource]

    def __init__(self, scope: Construct, id: str, props: ServiceProps, load_balancer_type: LoadBalancerType) -> None:
        """Checks ``props`` before anything is created, every problem at once: the form's own rules
        (:meth:`_check`), then the supported regions, against ``load_balancer_type``'s resource type."""
        checks = Checks()
        self._check(checks, props)
        resource_type = LOAD_BALANCERS[load_balancer_type].resource_type
        check_supported_regions(checks, "supported_regions", props.supported_regions, resource_type)
        checks.raise_if_any()
        super().__init__(scope, id)
        self.load_balancer_type = load_balancer_type
        #: The tags of every taggable resource, as the bindings take them (None: no tags).
        self._tags = dict(props.tags) or None

    def _check(self, checks: Checks, props: Any) -> None:
        """The form's own rules on ``props`` (its props class), reported to ``checks``."""
        raise NotImplementedError

    def _publish(
        self,
        props: ServiceProps,
        load_balancer_id: str,
        zones: Sequence[str],
        backend_source_cidrs: tuple[str, ...] | None,
        after: Sequence[ITerraformDependable] = (),
    ) -> None:
        """Publish the load balancer. Each attachment depends on ``after`` (a built load balancer's listeners
        and backends): then Terraform detaches the load balancer before it destroys them, and when the cloud
        refuses the detach because endpoints are connected (DetachResourceFromVpcEndpointService:
        ``EndpointServiceConnectionDependence``, PrivateLink API), the apply stops before anything that carries
        their traffic is gone."""
        load_balancer_type = self.load_balancer_type
        kind = LOAD_BALANCERS[load_balancer_type]
        lifecycle = None
        if not is_token(load_balancer_id):
            lifecycle = self._look_up(kind, load_balancer_type, load_balancer_id, zones)
        dual = props.ip_version == "DualStack"
        service = PrivatelinkVpcEndpointService(
            self,
            "endpoint-service",
            service_description=props.description or default_description(load_balancer_type),
            service_resource_type=kind.resource_type,
            auto_accept_connection=props.auto_accept_connections,
            zone_affinity_enabled=props.zone_affinity_enabled,
            supported_region_list=list(props.supported_regions) or None,
            tags=self._tags,
            address_ip_version="DualStack" if dual else None,
            service_support_ipv6=True if dual else None,
            payer=props.payer,
            connect_bandwidth=props.connect_bandwidth,
            **({"lifecycle": lifecycle} if lifecycle is not None else {}),
        )
        self.attachments = [
            PrivatelinkVpcEndpointServiceResource(
                self,
                f"service-resource-{zone}" if kind.per_zone else "service-resource",
                service_id=service.id,
                resource_id=load_balancer_id,
                resource_type=kind.resource_type,
                zone_id=zone if kind.per_zone else None,
                depends_on=list(after),
            )
            for zone in (zones if kind.per_zone else zones[:1])
        ]
        for account in props.allowed_accounts:
            PrivatelinkVpcEndpointServiceUser(self, f"allowed-{account}", service_id=service.id, user_id=account)
        self.service_id = service.id
        self.service_name = service.vpc_endpoint_service_name
        self.service_domain = service.service_domain
        self.load_balancer_id = load_balancer_id
        self.zone = zones[0]
        self.zones = tuple(zones)
        self.listeners = props.all_listeners
        self.port = self.listeners[0].frontend_port
        self.listener_protocol = self.listeners[0].protocol
        self.auto_accept_connections = props.auto_accept_connections
        self.backend_source_cidrs = backend_source_cidrs

    def _look_up(
        self, kind: LoadBalancerKind, load_balancer_type: LoadBalancerType, load_balancer_id: str, zones: Sequence[str]
    ) -> TerraformResourceLifecycle:
        """The load balancer's look-up (``load-balancer``) and the preconditions on what it finds."""
        found = _LOOKUPS[load_balancer_type](self, "load-balancer", ids=[load_balancer_id]).fqn
        it = f"The {kind.word} {load_balancer_id}"
        # Each condition on what was found holds when nothing was: then only "not found" is reported.
        count, spans = f"length({found}.balancers)", f"flatten({found}.balancers[*].{kind.zones_path})"
        fixed = []
        if kind.address_mode is not None:
            mode = json.dumps(kind.address_mode)
            fixed.append(
                (
                    f"${{alltrue([for m in {found}.balancers[*].address_allocated_mode : m == {mode}])}}",
                    f"{it} does not have fixed addresses (its address_allocated_mode is not {kind.address_mode}): "
                    f"PrivateLink publishes only {kind.a_word} with fixed addresses, which is set when it is "
                    f"created, so give the id of such {kind.a_word}.",
                )
            )
        conditions = [
            (
                f"${{{count} == 1}}",
                f"{it} was not found in the provider's region: give the id of an existing {kind.word}.",
            ),
            (
                f"${{alltrue([for t in {found}.balancers[*].address_type : t == {json.dumps(kind.intranet)}])}}",
                f"{it} is internet-facing, not intranet: PrivateLink publishes only an internal load balancer, "
                f"so give the id of an intranet {kind.word}.",
            ),
            *fixed,
            *(
                (
                    f"${{{count} != 1 || contains({spans}, {json.dumps(zone)})}}",
                    f"{it} does not span zone {zone}, which the service's zones list: remove {zone} from the "
                    f"zones, or give {kind.a_word} that has {zone}"
                    + (" as its primary zone." if not kind.per_zone else " among its zones."),
                )
                for zone in zones
            ),
        ]
        return TerraformResourceLifecycle(
            precondition=[Precondition(condition=condition, error_message=message) for condition, message in conditions]
        )


class EndpointService(PrivateLinkServiceBase):
    """A PrivateLink endpoint service over a load balancer that already exists, given by type and id.

    Construct ids: ``load-balancer`` (its look-up, unless the id is a token),
    ``endpoint-service``, ``service-resource`` (a CLB) or
    ``service-resource-<zone>`` (an NLB or ALB, one per zone) and
    ``allowed-<account id>``. Nothing else is created: the load balancer's
    network, listeners and backends stay the team's.
    """

    def __init__(self, scope: Construct, id: str, props: EndpointServiceProps) -> None:
        super().__init__(scope, id, props, props.load_balancer_type)
        kind = LOAD_BALANCERS[props.load_balancer_type]
        self._publish(props, props.load_balancer_id, props.zones, kind.backend_source_cidrs)

    def _check(self, checks: Checks, props: EndpointServiceProps) -> None:
        check_publish_settings(checks, "", settings_of(props), PUBLISHED)
        check_endpoint_service_zones(
            checks, "zones", props.load_balancer_type, [(f"zones[{i}]", z) for i, z in enumerate(props.zones)]
        )
        check_load_balancer_id(checks, "load_balancer_id", props.load_balancer_id, props.load_balancer_type)


def check_endpoint_service_zones(
    checks: Checks, path: str, load_balancer: object, zones: Sequence[tuple[str, object]]
) -> None:
    """``zones`` (each with its path): a CLB's service has exactly its primary zone, an NLB's or ALB's at
    least one; each zone-shaped, none twice."""
    if load_balancer == "clb" and len(zones) != 1:
        checks.fail(path, f"a CLB's endpoint service has exactly one zone, the CLB's primary zone; got {len(zones)}")
    elif not zones:
        spans = "the load balancer spans" if load_balancer is not None else "the service offers"
        checks.fail(path, f"give at least one zone {spans}")
    for zone_path, zone in zones:
        checks.shape("zone_id", zone_path, zone)
    checks.unique(list(zones), "zone")
