"""Pass 2 of reading a scenario: Alibaba Cloud's rules on whatever values are readable.

The rules themselves live beside the constructs (``alicloud_privatelink.checks``
and each construct's ``check_*``), so a scenario file and a library user get
the same line for the same mistake. This module walks the file and hands
each value, with its dotted path, to the rule that owns it; it holds only the
rules of what a scenario file has and props do not: its three modes, the demo
servers and client, ``vpc_cidr`` beside ``vpc_id``, and consumers' regions.
"""

from __future__ import annotations

import ipaddress
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from alicloud_privatelink.alb_service import check_alb_settings
from alicloud_privatelink.backends import check_backends
from alicloud_privatelink.checks import QUOTAS_BY_ID, Checks, Problem, account_of_role
from alicloud_privatelink.demo_servers import check_server_name, check_server_settings
from alicloud_privatelink.endpoint import (
    check_endpoint_access,
    check_endpoint_ip,
    check_endpoint_settings,
    check_endpoint_zone,
    check_service_reference,
    check_single_endpoint_ip,
    self_accepting,
)
from alicloud_privatelink.endpoint_service import (
    LOAD_BALANCERS,
    PUBLISHED,
    check_endpoint_service_zones,
    check_load_balancer_id,
    check_publish_settings,
)
from alicloud_privatelink.listeners import AnyListenerProtocol, ServiceForm, check_listener_settings
from alicloud_privatelink.network import check_ipv6_blocks, check_vswitches_apart
from alicloud_privatelink.nlb_service import check_nlb_settings, check_nlb_zones
from alicloud_privatelink.service import CLB_PROTOCOLS, check_service_settings

from .names import DEFAULT_OSS_PREFIX, PROVIDER_STACK_NAME, check_names_apart, stack_prefix
from .settings import BUILT_IN_TAGS, Scenario, ServiceMode


def _tables(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """The entries of an array of tables that are tables, with their index (pass 1 reports the rest)."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping)]


def check_scenario(raw: Mapping[str, Any]) -> list[Problem]:
    """Every rule that applies to the readable values of ``raw``; shape errors are pass 1's job."""
    checks = Checks(allow_tokens=False)
    raw = checks.literal_tree("", raw)  # text unsafe to read is reported once here and withheld from the rules
    region = checks.region("region", raw.get("region"))
    checks.shape("simple_name", "name", raw.get("name"))
    checks.tags("tags", raw.get("tags"), built_in=BUILT_IN_TAGS)
    service = raw.get("service")
    service_vpc = None
    service_zones: list[Any] = []
    several = False  # whether endpoints may use any of several service zones (else the CLB's one zone)
    service_type: str | None = "slb"  # the endpoint service's resource type, None when published elsewhere
    not_accepted = None  # why nothing here accepts the connections (see check_endpoint_settings)
    if isinstance(service, Mapping):
        mode = service_mode(checks, service)
        checks.shape("role_arn", "service.role_arn", service.get("role_arn"))
        if service.get("auto_accept") is True:
            not_accepted = self_accepting("service.auto_accept")
        elif mode == "consume" and service.get("role_arn") is None:
            not_accepted = (
                "without service.role_arn the service's owner accepts it (see the acceptance_command output), "
                "so nothing here would set it: remove it, or give service.role_arn"
            )
        built = service.get("load_balancer", "clb")
        kind = LOAD_BALANCERS.get(typing.cast(Any, built)) if mode != "consume" and isinstance(built, str) else None
        service_type = kind.resource_type if kind is not None else None
        if service.get("listeners") == []:
            checks.fail("service.listeners", "needs at least one entry; or leave it out for the one listener")
        if mode != "build":
            _check_published_elsewhere(checks, service, region, mode)
            service_zones, several = [z.get("zone") for _, z in _tables(service.get("zones"))], True
        elif service.get("load_balancer") in ("nlb", "alb"):
            service_vpc = _check_nlb_service(checks, service, region, service["load_balancer"])
            service_zones, several = [z.get("zone") for _, z in _tables(service.get("zones"))], True
        else:
            service_vpc = _check_service(checks, service, region)
            service_zones = [service.get("zone")]
    consumers = _tables(raw.get("consumers"))
    service_ipv6 = isinstance(service, Mapping) and service.get("ip_version") == "DualStack"
    for index, consumer in consumers:
        _check_consumer(
            checks,
            f"consumers[{index}]",
            consumer,
            region,
            (service_zones, several),
            service_vpc,
            not_accepted=not_accepted,
            service_type=service_type,
            service_ipv6=service_ipv6,
        )
    checks.unique([(f"consumers[{i}].name", c.get("name")) for i, c in consumers], "name")
    check_names_apart(checks, raw, consumers)
    servers = raw.get("servers")
    if isinstance(servers, Mapping):
        check_server_settings(checks, "servers.", servers)
    state = raw.get("state")
    if isinstance(state, Mapping):
        _check_state(checks, state, raw.get("name", Scenario.model_fields["name"].default))
    accepted = raw.get("accepted_quotas")
    if isinstance(accepted, list):
        for index, quota in enumerate(accepted):
            checks.one_of(f"accepted_quotas[{index}]", quota, list(QUOTAS_BY_ID))
    return checks.problems


def quota_warnings(scenario: Scenario) -> list[Problem]:
    """Where ``scenario`` exceeds a raisable quota's default and ``accepted_quotas`` does not say it was raised.

    Hard limits (tags, security-group rules) are refused by the checks instead.
    """
    warnings: list[Problem] = []

    def over(path: str, quota_id: str, count: int, where: str) -> None:
        quota = QUOTAS_BY_ID[quota_id]
        if count > quota.limit and quota_id not in scenario.accepted_quotas:
            warnings.append(
                Problem(
                    path,
                    f"{count} {quota.what.split(' ')[0]} {where}, over Alibaba Cloud's default quota of "
                    f"{quota.limit} {quota.what} ({quota.id}); ask for more in Quota Center, "
                    f"then add {quota.id!r} to accepted_quotas",
                )
            )

    # The VPC quota is per region and account.
    vpcs_per_account: dict[tuple[str, str], int] = {}
    owner = "the service owner's account"
    if scenario.service.vpc_cidr is not None:
        vpcs_per_account[(owner, scenario.region)] = 1
    for consumer in scenario.consumers:
        if consumer.vpc_cidr is not None:
            account = f"account {consumer.effective_account_id}" if consumer.is_cross_account else owner
            where = (account, consumer.region_or(scenario.region))
            vpcs_per_account[where] = vpcs_per_account.get(where, 0) + 1
    several_regions = len({region for _, region in vpcs_per_account}) > 1
    for (account, region), count in vpcs_per_account.items():
        place = f"in {account}, {region}" if several_regions else f"in {account}"
        over("consumers", "vpc_quota_instances_num", count, place)
    endpoints_per_vpc: dict[str, int] = {}
    for consumer in scenario.consumers:
        if consumer.vpc_id is not None:
            endpoints_per_vpc[consumer.vpc_id] = endpoints_per_vpc.get(consumer.vpc_id, 0) + 1
    for vpc_id, count in endpoints_per_vpc.items():
        over("consumers", "pvl_quota_total_ep_per_vpc", count, f"in {vpc_id}")
    return warnings


#: Settings that only a built CLB-backed service has, and only one across zones (a built NLB or ALB).
CLB_ONLY = ("zone", "vswitch_cidr", "vswitch_id", "backup_zone", "clb_name")
ZONAL_ONLY = ("zones",)
#: The load balancers the app builds (any of LOAD_BALANCERS can be published by id).
BUILT_LOAD_BALANCERS = ("clb", "nlb", "alb")


#: The keys that choose a mode other than build, and what each mode is, for messages.
CONSUME_MARKERS = ("service_id", "service_name")
EXISTING_MARKERS = ("load_balancer_id",)
MODE_WORDS: Mapping[ServiceMode, str] = {
    "build": "builds the load balancer",
    "existing": "publishes an existing load balancer",
    "consume": "connects to a service published elsewhere",
}
#: The keys each mode other than build takes; every other key of [service] belongs to the build mode.
MODE_KEYS: Mapping[ServiceMode, tuple[str, ...]] = {
    "existing": (
        "load_balancer", "load_balancer_id", "zones", "frontend_port", "listener_protocol", "auto_accept",
        "zone_affinity", "description", "allowed_accounts", "role_arn", "listeners", "payer", "connect_bandwidth",
    ),
    "consume": (
        "service_id", "service_name", "zones", "frontend_port", "listener_protocol", "auto_accept", "role_arn",
        "listeners",
    ),
}  # fmt: skip
#: Listener protocols by load balancer type (an ALB is layer 7: HTTP and HTTPS; the shorthand cannot be https).
PROTOCOLS_BY_TYPE: Mapping[str, Sequence[AnyListenerProtocol]] = {
    "clb": CLB_PROTOCOLS,
    "nlb": ("tcp",),
    "alb": ("http", "https"),
}


def service_mode(checks: Checks, service: Mapping[str, Any]) -> ServiceMode:
    """The mode ``service``'s keys choose; a key of another mode is refused with one line naming both keys."""
    marker = next((k for k in (*CONSUME_MARKERS, *EXISTING_MARKERS) if k in service), None)
    if marker is None:
        return "build"
    mode: ServiceMode = "consume" if marker in CONSUME_MARKERS else "existing"
    for key in service:
        if key in MODE_KEYS[mode]:
            continue
        other: ServiceMode = "existing" if key in MODE_KEYS["existing"] else "build"
        checks.fail(
            f"service.{key}",
            f"{MODE_WORDS[other]}, but service.{marker} {MODE_WORDS[mode]}; give the settings of one mode only",
        )
    return mode


def _check_published_elsewhere(
    checks: Checks, service: Mapping[str, Any], region: str | None, mode: ServiceMode
) -> None:
    """The existing-load-balancer and consume modes: what is published (or consumed), its zones and listener."""
    if mode == "consume":
        check_service_reference(checks, "service_id" in service, "service_name" in service)
        checks.resource_id("service.service_id", service.get("service_id"), "service")
        checks.service_name("service.service_name", service.get("service_name"), region)
        check_listener_settings(checks, "service.", service, PUBLISHED)
        if service.get("auto_accept") is True and "role_arn" in service:
            checks.fail(
                "service.role_arn",
                "is the service owner's role, used here only to accept connections, and the service accepts them "
                "by itself (auto_accept = true): remove it",
            )
        load_balancer = None
    else:
        load_balancer = service.get("load_balancer")
        if load_balancer is None:
            checks.fail("service.load_balancer", 'is required with service.load_balancer_id: "clb", "nlb" or "alb"')
        checks.one_of("service.load_balancer", load_balancer, list(LOAD_BALANCERS))
        check_load_balancer_id(checks, "service.load_balancer_id", service.get("load_balancer_id"), load_balancer)
        protocols = PROTOCOLS_BY_TYPE.get(load_balancer) if isinstance(load_balancer, str) else None
        # An unknown load balancer is reported above; its listeners are then checked as any published ones.
        form = ServiceForm(protocols, built=False) if protocols else PUBLISHED
        # A key of another mode is refused once, by service_mode; the publishing rules read only this mode's.
        own = {key: value for key, value in service.items() if key in MODE_KEYS[mode]}
        check_publish_settings(checks, "service.", own, form)
    checks.port("service.frontend_port", service.get("frontend_port"))
    if "zones" not in service:
        marker = "service.load_balancer_id" if mode == "existing" else "the service's id or name"
        checks.fail("service.zones", f'is required with {marker}: zones = [{{ zone = "..." }}, ...]')
        return
    zones = _tables(service.get("zones"))
    for index, zone in zones:
        _refuse(
            checks, f"service.zones[{index}].", zone, ("vswitch_cidr", "vswitch_id"),
            "the load balancer's own vSwitches serve the zone; give only zone",
        )  # fmt: skip
        checks.zone(f"service.zones[{index}].zone", zone.get("zone"), region, "region")
    if isinstance(service.get("zones"), list) and len(zones) == len(service["zones"]):  # pass 1 reports the rest
        entries = [(f"service.zones[{i}].zone", z.get("zone")) for i, z in zones]
        check_endpoint_service_zones(checks, "service.zones", load_balancer, entries)


def _refuse(checks: Checks, prefix: str, side: Mapping[str, Any], keys: Sequence[str], reason: str) -> None:
    for key in keys:
        if key in side:
            checks.fail(f"{prefix}{key}", reason)


def _check_service(checks: Checks, service: Mapping[str, Any], region: str | None) -> ipaddress.IPv4Network | None:
    checks.one_of("service.load_balancer", service.get("load_balancer"), BUILT_LOAD_BALANCERS)
    _refuse(checks, "service.", service, ZONAL_ONLY, 'only applies with load_balancer = "nlb" or "alb"')
    _refuse(checks, "service.", service, ("nlb_name",), 'only applies with load_balancer = "nlb"')
    _refuse(checks, "service.", service, ("alb_name",), 'only applies with load_balancer = "alb"')
    if "zone" not in service:
        checks.fail("service.zone", "is required but missing")
    for index, backend in _tables(service.get("backends")):
        _refuse(
            checks,
            f"service.backends[{index}].",
            backend,
            ("zone",),
            'only applies with load_balancer = "nlb" or "alb"',
        )
    vpc, vswitch = _check_placement(checks, "service.", service, region)
    if "backup_zone" in service:
        checks.zone("service.backup_zone", service["backup_zone"], region, "region")
    check_service_settings(checks, "service.", service)
    for index, backend in _check_backends(checks, service):
        path = f"service.backends[{index}]"
        checks.host_address(f"{path}.private_ip", backend.get("private_ip"), vswitch, "service.vswitch_cidr")
    return vpc


def _check_nlb_service(
    checks: Checks, service: Mapping[str, Any], region: str | None, load_balancer: str = "nlb"
) -> ipaddress.IPv4Network | None:
    """An NLB- or ALB-backed service: a VPC, at least two zones with a vSwitch each, backends placed in those
    vSwitches."""
    kind = LOAD_BALANCERS["alb" if load_balancer == "alb" else "nlb"]
    _refuse(
        checks,
        "service.",
        service,
        CLB_ONLY,
        f'only applies with load_balancer = "clb"; {kind.a_word} uses service.zones',
    )
    other = "alb_name" if load_balancer == "nlb" else "nlb_name"
    _refuse(checks, "service.", service, (other,), f'only applies with load_balancer = "{other.split("_")[0]}"')
    if "zones" not in service:
        checks.fail(
            "service.zones", f'is required with load_balancer = "{load_balancer}": at least 2 {{zone, vswitch_cidr}}'
        )
    vpc, vswitches = _check_zones(checks, "service.", service, region)
    zones = _tables(service.get("zones"))
    if isinstance(service.get("zones"), list):  # else pass 1 or the line above reports it
        check_nlb_zones(checks, "service.zones", [zone.get("zone") for _, zone in zones], kind.a_word)
    if service.get("ip_version") == "DualStack" and "vpc_cidr" in service:
        check_ipv6_blocks(checks, vpc, [(f"service.zones[{i}].vswitch_cidr", n) for i, n in vswitches.items()])
    if load_balancer == "alb":
        check_alb_settings(checks, "service.", service)
    else:
        check_nlb_settings(checks, "service.", service)
    by_zone = {
        zone["zone"]: (index, vswitches.get(index), zone) for index, zone in zones if isinstance(zone.get("zone"), str)
    }
    for index, backend in _check_backends(checks, service):
        path = f"service.backends[{index}]"
        named = backend.get("zone")
        if not by_zone or not isinstance(named, str | None):
            continue  # no usable zones, or a zone that is not text: reported above and by the models
        if named is not None and named not in by_zone:
            listed = ", ".join(str(z) for z in by_zone)
            checks.fail(f"{path}.zone", f"{named!r} is not one of service.zones ({listed})")
            continue
        if "private_ip" not in backend:
            continue
        if named is not None:
            zone_index, vswitch, zone_table = by_zone[named]
            if vswitch is None and "vswitch_id" in zone_table:
                checks.fail(
                    f"{path}.private_ip",
                    "a demo server needs a vSwitch created from vswitch_cidr (its security group admits the "
                    "NLB's vSwitch CIDR blocks), not a vswitch_id",
                )
                continue
            where = f"service.zones[{zone_index}].vswitch_cidr"
            checks.host_address(f"{path}.private_ip", backend["private_ip"], vswitch, where)
            continue
        _check_in_one_vswitch(checks, f"{path}.private_ip", backend["private_ip"], vswitches)
    return vpc


def _check_backends(checks: Checks, service: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """What every built load balancer's backends must be (the same rules as the constructs'); returns them."""
    backends = _tables(service.get("backends"))
    for index, backend in backends:
        path = f"service.backends[{index}]"
        check_server_name(checks, f"{path}.name", backend.get("name"))
        if "private_ip" in backend and "instance_id" in backend:
            checks.fail(path, "give either private_ip (a demo server) or instance_id (an existing server), not both")
        elif "private_ip" not in backend and "instance_id" not in backend:
            checks.fail(path, "give private_ip (a demo server) or instance_id (an existing server)")
    check_backends(checks, "service.backends", backends, "instance_id", any_given=bool(service.get("backends")))
    checks.unique([(f"service.backends[{i}].private_ip", b.get("private_ip")) for i, b in backends], "address")
    return backends


def _check_in_one_vswitch(
    checks: Checks,
    path: str,
    value: Any,
    vswitches: Mapping[int, ipaddress.IPv4Network | None],
    zones_path: str = "service.zones",
    needs_new: str = "a demo server needs the service's vSwitches created from vswitch_cidr (its security group "
    "admits the NLB's vSwitch CIDR blocks), not a vswitch_id",
) -> None:
    """A demo server's address lies in exactly one vSwitch of ``zones_path`` (they don't overlap), not reserved."""
    try:
        address = ipaddress.IPv4Address(value) if isinstance(value, str) else None
    except ValueError:
        checks.fail(path, f"{value!r} is not an IPv4 address")
        return
    if address is None:
        return
    known = {index: network for index, network in vswitches.items() if network is not None}
    holders = [index for index, network in known.items() if address in network]
    if len(holders) == 1:
        checks.host_address(path, value, known[holders[0]], f"{zones_path}[{holders[0]}].vswitch_cidr")
    elif not holders and len(known) == len(vswitches) and known:
        listed = ", ".join(str(network) for network in known.values())
        checks.fail(path, f"{address} is not inside any vSwitch of {zones_path} ({listed}); place it in one")
    elif not holders:
        checks.fail(path, needs_new)


def _check_zones(
    checks: Checks, prefix: str, side: Mapping[str, Any], region: str | None, region_path: str = "region"
) -> tuple[ipaddress.IPv4Network | None, dict[int, ipaddress.IPv4Network | None]]:
    """A VPC and a list of zones, each with a new or an existing vSwitch; returns the usable CIDRs by zone index."""
    checks.new_or_existing(f"{prefix}vpc_cidr", side.get("vpc_cidr"), f"{prefix}vpc_id", side.get("vpc_id"))
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", side.get("vpc_cidr"))
    vswitches: dict[int, ipaddress.IPv4Network | None] = {}
    for index, zone in _tables(side.get("zones")):
        path = f"{prefix}zones[{index}]"
        checks.zone(f"{path}.zone", zone.get("zone"), region, region_path)
        checks.new_or_existing(
            f"{path}.vswitch_cidr", zone.get("vswitch_cidr"), f"{path}.vswitch_id", zone.get("vswitch_id")
        )
        if "vswitch_cidr" in zone and "vpc_id" in side:
            checks.fail(f"{path}.vswitch_cidr", f"an existing {prefix}vpc_id needs an existing vswitch_id")
        if "vswitch_id" in zone and "vpc_cidr" in side:
            checks.fail(f"{path}.vswitch_id", f"a new {prefix}vpc_cidr needs a new vswitch_cidr")
        vswitches[index] = checks.vswitch_cidr(
            f"{path}.vswitch_cidr", zone.get("vswitch_cidr"), vpc, f"{prefix}vpc_cidr"
        )
    check_vswitches_apart(checks, [(f"{prefix}zones[{i}].vswitch_cidr", n) for i, n in vswitches.items()])
    return vpc, vswitches


def _check_consumer(
    checks: Checks,
    path: str,
    consumer: Mapping[str, Any],
    region: str | None,
    service_zones: tuple[Sequence[Any], bool],
    service_vpc: ipaddress.IPv4Network | None,
    *,
    not_accepted: str | None,
    service_type: str | None,
    service_ipv6: bool,
) -> None:
    """``service_zones``: the zones endpoints may use, and whether they are ``service.zones`` (else a CLB's zone).
    ``service_type``: the endpoint service's resource type (``slb``, ``nlb``, ``alb``), None when unknown
    (a service published elsewhere).

    A consumer in another region has its endpoint's zones in its own region (CreateVpcEndpoint's ``Zone.ZoneId``
    is a zone of its ``RegionId``, the endpoint's; ``ServiceRegionId`` names the service's, PrivateLink API
    2020-04-15; DescribeZones: "in cross-region scenarios, the zones supported on the endpoint side and the
    endpoint service side are independent"), so they are checked against that region, not the service's zones.
    """
    zones_known, several = service_zones
    checks.shape("stack_name_part", f"{path}.name", consumer.get("name"))
    region_setting = checks.region(f"{path}.region", consumer.get("region"))
    consumer_region = region_setting if "region" in consumer else region
    cross_region = consumer_region is not None and region is not None and consumer_region != region
    region_word = f"{path}.region" if "region" in consumer else "region"
    if cross_region and service_type is not None:
        checks.cross_region(f"{path}.region", consumer_region, region, service_type)
    consumer_vswitches: dict[int, ipaddress.IPv4Network | None] = {}
    if "zones" in consumer:
        _refuse(checks, f"{path}.", consumer, ("zone", "vswitch_cidr", "vswitch_id"), "give zones or this, not both")
        check_single_endpoint_ip(checks, f"{path}.endpoint_ip", "endpoint_ip" in consumer, "zones")
        vpc, consumer_vswitches = _check_zones(checks, f"{path}.", consumer, consumer_region, region_word)
        vswitch = None
        zones = _tables(consumer.get("zones"))
        if isinstance(consumer.get("zones"), list) and not consumer["zones"]:
            checks.fail(f"{path}.zones", "needs at least one entry")
        checks.unique([(f"{path}.zones[{i}].zone", z.get("zone")) for i, z in zones], "zone")
        for index, zone in zones:
            where = f"{path}.zones[{index}]"
            if not cross_region:
                check_endpoint_zone(checks, f"{where}.zone", zone.get("zone"), zones_known, several=several)
            check_endpoint_ip(
                checks,
                f"{where}.endpoint_ip",
                zone.get("endpoint_ip"),
                consumer_vswitches.get(index),
                f"{where}.vswitch_cidr",
            )
        vswitch_path = ""
        endpoint_ips = [(f"{path}.zones[{i}].endpoint_ip", z.get("endpoint_ip")) for i, z in zones]
    else:
        if "zone" not in consumer:
            checks.fail(f"{path}.zone", "is required but missing")
        vpc, vswitch = _check_placement(checks, f"{path}.", consumer, consumer_region, region_word)
        if not cross_region:
            check_endpoint_zone(checks, f"{path}.zone", consumer.get("zone"), zones_known, several=several)
        vswitch_path = f"{path}.vswitch_cidr"
        check_endpoint_ip(checks, f"{path}.endpoint_ip", consumer.get("endpoint_ip"), vswitch, vswitch_path)
        endpoint_ips = [(f"{path}.endpoint_ip", consumer.get("endpoint_ip"))]
    checks.unique([(f"{path}.client_ip", consumer.get("client_ip")), *endpoint_ips], "address")
    checks.no_overlap(f"{path}.vpc_cidr", vpc, "service.vpc_cidr", service_vpc)
    check_endpoint_settings(
        checks, f"{path}.", consumer, cross_region=cross_region, not_accepted=not_accepted, service_ipv6=service_ipv6
    )
    if consumer.get("ip_version") == "DualStack":
        vswitches = consumer_vswitches or {0: vswitch}
        zones_path = f"{path}.zones" if "zones" in consumer else None
        check_ipv6_blocks(
            checks,
            vpc,
            [(f"{zones_path}[{i}].vswitch_cidr" if zones_path else vswitch_path, n) for i, n in vswitches.items()],
        )
    checks.dns_name(f"{path}.dns_name", consumer.get("dns_name"))

    # who may reach the endpoint
    checks.resource_id(f"{path}.security_group_id", consumer.get("security_group_id"), "security_group")
    check_endpoint_access(
        checks,
        f"{path}.",
        security_group_given="security_group_id" in consumer,
        client_cidrs=consumer.get("client_cidrs"),
        defaulted=not _has_existing_vswitch(consumer),
    )

    # the demo client, in the zone whose vSwitch holds its address (not "the first zone": reordering moves nothing)
    if "client_ip" in consumer:
        check_server_name(checks, f"{path}.client_name", consumer.get("client_name"))
        if "zones" in consumer:
            _check_in_one_vswitch(
                checks,
                f"{path}.client_ip",
                consumer["client_ip"],
                consumer_vswitches,
                f"{path}.zones",
                "a demo client needs a vSwitch created from vswitch_cidr, not a vswitch_id",
            )
        elif "vswitch_id" in consumer:
            checks.fail(
                f"{path}.client_ip", "a demo client needs a vSwitch created from vswitch_cidr, not a vswitch_id"
            )
        else:
            checks.host_address(f"{path}.client_ip", consumer["client_ip"], vswitch, vswitch_path)

    # cross-account
    checks.shape("account_id", f"{path}.account_id", consumer.get("account_id"))
    checks.shape("role_arn", f"{path}.role_arn", consumer.get("role_arn"))
    role_account = account_of_role(consumer.get("role_arn"))
    if role_account and isinstance(consumer.get("account_id"), str) and consumer["account_id"] != role_account:
        checks.fail(
            f"{path}.role_arn",
            f"is a role of account {role_account}, not of {path}.account_id {consumer['account_id']}",
        )


def _has_existing_vswitch(side: Mapping[str, Any]) -> bool:
    return "vswitch_id" in side or any("vswitch_id" in zone for _, zone in _tables(side.get("zones")))


def _check_placement(
    checks: Checks, prefix: str, side: Mapping[str, Any], region: str | None, region_path: str = "region"
) -> tuple[ipaddress.IPv4Network | None, ipaddress.IPv4Network | None]:
    """Zone, and either new CIDRs or existing ids; returns the CIDRs when usable."""
    checks.zone(f"{prefix}zone", side.get("zone"), region, region_path)
    for kind in ("vpc", "vswitch"):
        checks.new_or_existing(
            f"{prefix}{kind}_cidr", side.get(f"{kind}_cidr"), f"{prefix}{kind}_id", side.get(f"{kind}_id")
        )
    checks.resource_id(f"{prefix}vpc_id", side.get("vpc_id"), "vpc")
    checks.resource_id(f"{prefix}vswitch_id", side.get("vswitch_id"), "vswitch")
    if ("vpc_id" in side) != ("vswitch_id" in side):
        checks.fail(f"{prefix}vswitch_id", "an existing network needs both vpc_id and vswitch_id")
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", side.get("vpc_cidr"))
    vswitch = checks.vswitch_cidr(f"{prefix}vswitch_cidr", side.get("vswitch_cidr"), vpc, f"{prefix}vpc_cidr")
    return vpc, vswitch


def _check_state(checks: Checks, state: Mapping[str, Any], raw_name: Any) -> None:
    if state.get("backend") == "oss":
        for key in ("bucket", "region"):
            if key not in state:
                checks.fail(f"state.{key}", 'is required when backend = "oss"')
        checks.region("state.region", state.get("region"))
        checks.shape("oss_bucket", "state.bucket", state.get("bucket"))
        prefix, name = state.get("prefix", DEFAULT_OSS_PREFIX), raw_name
        if isinstance(prefix, str) and isinstance(name, str):
            checks.oss_state_prefix("state.prefix", prefix, stack_prefix(prefix, name, PROVIDER_STACK_NAME))
    elif state:
        extra = sorted(key for key in state if key != "backend")
        if extra:
            checks.fail(f"state.{extra[0]}", 'only applies when backend = "oss"')
