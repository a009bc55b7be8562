"""A VPC with one vSwitch, or one per zone: the network each side of a PrivateLink connection lives in."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs import Construct

from ._runtime import TerraformResourceLifecycle
from .addresses import move_within
from .bindings import Vpc, Vswitch
from .checks import Checks


@dataclass(frozen=True, kw_only=True)
class NetworkVswitch:
    """A further vSwitch of :class:`Network`, in another zone."""

    #: Zone of the vSwitch.
    zone: str
    #: Its CIDR block; inside the VPC and overlapping no other vSwitch.
    cidr: str


@dataclass(frozen=True, kw_only=True)
class NetworkProps:
    """Props of :class:`Network`."""

    #: Prefix of the VPC and vSwitch names (``<name>-vpc``, ``<name>-vsw``).
    name: str
    #: The VPC's IPv4 CIDR block, e.g. ``192.168.0.0/16``.
    vpc_cidr: str
    #: The vSwitch's CIDR block; must lie inside ``vpc_cidr``.
    vswitch_cidr: str
    #: Zone of the vSwitch, e.g. ``eu-central-1b``.
    zone: str
    #: vSwitches in further zones, e.g. for an NLB or a multi-zone endpoint. Default: none.
    more_vswitches: Sequence[NetworkVswitch] = ()
    #: Give the first vSwitch the id ``vswitch-<zone>`` too, for a side given as a list of zones: then no
    #: vSwitch id depends on its position, and reordering the zones replaces nothing (a vSwitch's zone and
    #: CIDR block are ForceNew, and Alibaba refuses to delete one that holds resources). Default: False,
    #: the first is ``vswitch`` (the single-zone id).
    ids_by_zone: bool = False
    #: Dual-stack: the VPC gets an IPv6 /56 (``enable_ipv6``) and each vSwitch the /64 numbered
    #: :func:`ipv6_block_number` (``ipv6_cidr_block_mask``), for dual-stack endpoints. Default: False, IPv4 only.
    ipv6: bool = False
    #: Destroy a vSwitch removed from the network only after every resource still using it is updated
    #: (Terraform ``create_before_destroy``). Needed when a load balancer lists the vSwitches, like an NLB's
    #: ``zone_mappings``: by default Terraform destroys a removed vSwitch before it updates the resources that
    #: referred to it, and the cloud refuses to delete a vSwitch that still holds the NLB's zone interface
    #: (DeleteVSwitch: ``DependencyViolation``). The cost: a replaced vSwitch (a changed CIDR block or zone)
    #: is created before the old one is deleted, so its new CIDR block must not overlap the old one.
    #: Default: False.
    destroy_after_users: bool = False
    #: Tags for every resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def _parsed(cidr: str) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(cidr, strict=False)
    except ValueError:
        return None


def check_vswitches_apart(checks: Checks, vswitches: Sequence[tuple[str, ipaddress.IPv4Network | None]]) -> None:
    """No two vSwitches of one VPC overlap; each overlap is reported at the later one."""
    for index, (path, network) in enumerate(vswitches):
        for other_path, other in vswitches[:index]:
            if network is not None and other is not None and network.overlaps(other):
                checks.fail(path, f"{network} overlaps {other_path} {other}; the vSwitches of a VPC must not overlap")
                break


def ipv6_block_number(vpc: ipaddress.IPv4Network, vswitch: ipaddress.IPv4Network) -> int:
    """The vSwitch's IPv6 /64 within the VPC's /56, 0-255: the 1/256th of the VPC's IPv4 range it starts in.

    A VPC with ``enable_ipv6`` gets a /56 and each vSwitch one of its 256 /64 blocks, chosen by
    ``ipv6_cidr_block_mask``, the last 8 bits (VPC API CreateVSwitch ``Ipv6CidrBlock``, 0-255; the provider's
    alicloud_vswitch enables IPv6 by that setting, resource_alicloud_vswitch.go). Derived from the IPv4 block,
    not from the vSwitch's position, so adding, removing or reordering zones renumbers nothing.
    """
    return (int(vswitch.network_address) - int(vpc.network_address)) * 256 // vpc.num_addresses


def check_ipv6_blocks(
    checks: Checks, vpc: ipaddress.IPv4Network | None, vswitches: Sequence[tuple[str, ipaddress.IPv4Network | None]]
) -> None:
    """No two dual-stack vSwitches of one VPC get the same IPv6 /64 (:func:`ipv6_block_number`)."""
    if vpc is None:
        return
    taken: dict[int, str] = {}
    for path, network in vswitches:
        if network is None or not network.subnet_of(vpc):
            continue
        number = ipv6_block_number(vpc, network)
        if number in taken:
            checks.fail(
                path,
                f"{network} would get IPv6 block {number} of the VPC, like {taken[number]}: each IPv6 vSwitch needs "
                f"its own 1/256th of the VPC {vpc} (a /{vpc.prefixlen + 8} or larger block)",
            )
        else:
            taken[number] = path


def check_network(checks: Checks, prefix: str, vpc_cidr: object, vswitch_cidr: object) -> None:
    """The VPC and vSwitch CIDR rules, reported under ``<prefix>vpc_cidr`` and ``<prefix>vswitch_cidr``."""
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", vpc_cidr)
    checks.vswitch_cidr(f"{prefix}vswitch_cidr", vswitch_cidr, vpc, f"{prefix}vpc_cidr")


class Network(Construct):
    """VPC + vSwitch. Construct ids ``vpc``, ``vswitch`` and ``vswitch-<zone>`` for each further vSwitch.

    With ``ids_by_zone``, every vSwitch, the first one included, is ``vswitch-<zone>``.
    """

    def __init__(self, scope: Construct, id: str, props: NetworkProps) -> None:
        checks = Checks()
        check_network(checks, "", props.vpc_cidr, props.vswitch_cidr)
        vpc_network, first = _parsed(props.vpc_cidr), _parsed(props.vswitch_cidr)  # reported by check_network
        others = [
            checks.vswitch_cidr(f"more_vswitches[{i}].cidr", v.cidr, vpc_network, "vpc_cidr")
            for i, v in enumerate(props.more_vswitches)
        ]
        check_vswitches_apart(
            checks,
            [("vswitch_cidr", first), *((f"more_vswitches[{i}].cidr", n) for i, n in enumerate(others))],
        )
        zones = [
            ("zone", props.zone),
            *((f"more_vswitches[{i}].zone", v.zone) for i, v in enumerate(props.more_vswitches)),
        ]
        checks.unique(zones, "zone")
        if props.ipv6:
            check_ipv6_blocks(
                checks,
                vpc_network,
                [("vswitch_cidr", first), *((f"more_vswitches[{i}].cidr", n) for i, n in enumerate(others))],
            )
        checks.literal("name", props.name)
        for path, zone in zones:
            if checks.literal(path, zone):
                checks.shape("zone_id", path, zone)
        checks.tags("tags", props.tags)
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None
        lifecycle = TerraformResourceLifecycle(create_before_destroy=True) if props.destroy_after_users else None
        vpc = Vpc(
            self,
            "vpc",
            vpc_name=f"{props.name}-vpc",
            cidr_block=props.vpc_cidr,
            enable_ipv6=True if props.ipv6 else None,
            tags=tags,
        )

        def ipv6_block(cidr: str) -> int | None:
            parsed = _parsed(cidr)
            return ipv6_block_number(vpc_network, parsed) if props.ipv6 and vpc_network and parsed else None

        vswitch = Vswitch(
            self,
            f"vswitch-{props.zone}" if props.ids_by_zone else "vswitch",
            vpc_id=vpc.id,
            cidr_block=props.vswitch_cidr,
            zone_id=props.zone,
            enable_ipv6=True if props.ipv6 else None,
            ipv6_cidr_block_mask=ipv6_block(props.vswitch_cidr),
            # With ids by zone, names by zone too: a reorder renames nothing (names are updatable, but quieter).
            vswitch_name=f"{props.name}-vsw-{props.zone}" if props.ids_by_zone else f"{props.name}-vsw",
            tags=tags,
            lifecycle=lifecycle,
        )
        # Switching between the single-zone id and ids by zone keeps the first vSwitch: a `moved` block from the
        # other form's address (a no-op when the state has none). A vSwitch cannot be replaced in place
        # while it holds anything, and its replacement would overlap it (same CIDR block).
        first_id = f"vswitch-{props.zone}" if props.ids_by_zone else "vswitch"
        other = "vswitch" if props.ids_by_zone else f"vswitch-{props.zone}"
        move_within(scope, id, "alicloud_vswitch", other, first_id)
        #: The VPC's id (token).
        self.vpc_id: str = vpc.id
        #: The vSwitch's id (token).
        self.vswitch_id: str = vswitch.id
        #: Every vSwitch's id (token), by zone, the first one included.
        self.vswitch_ids: dict[str, str] = {props.zone: vswitch.id}
        for more in props.more_vswitches:
            self.vswitch_ids[more.zone] = Vswitch(
                self,
                f"vswitch-{more.zone}",
                vpc_id=vpc.id,
                cidr_block=more.cidr,
                zone_id=more.zone,
                enable_ipv6=True if props.ipv6 else None,
                ipv6_cidr_block_mask=ipv6_block(more.cidr),
                vswitch_name=f"{props.name}-vsw-{more.zone}",
                tags=tags,
                lifecycle=lifecycle,
            ).id
        #: The vSwitch's CIDR block, as given.
        self.vswitch_cidr: str = props.vswitch_cidr
        #: The vSwitch's zone, as given.
        self.zone: str = props.zone
