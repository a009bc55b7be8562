"""A VPC with one vSwitch, or one per zone: the network each side of a PrivateLink connection lives in."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

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
    #: Dual-stack: the VPC gets an IPv6 block (``enable_ipv6``) and each vSwitch a /64 of it, numbered by
    #: :func:`ipv6_mask`. Default: False, IPv4 only.
    ipv6: bool = False
    #: Tags for every resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def ipv6_mask(cidr: str) -> int | None:
    """A vSwitch's ``ipv6_cidr_block_mask`` (0-255: which /64 of the VPC's /56 it gets; alicloud_vswitch,
    provider v1.289.0): the low 8 bits of its IPv4 subnet's number, so it follows the vSwitch, not its position
    (reordering or adding zones moves no block). None when ``cidr`` is not a network."""
    network = _parsed(cidr)
    if network is None:
        return None
    return (int(network.network_address) >> (32 - network.prefixlen)) & 0xFF


def check_ipv6_masks(checks: Checks, vswitches: Sequence[tuple[str, object]]) -> None:
    """Dual-stack vSwitches (path, IPv4 CIDR) must get different IPv6 blocks (see :func:`ipv6_mask`)."""
    masks = [(path, ipv6_mask(cidr) if isinstance(cidr, str) else None) for path, cidr in vswitches]
    seen: dict[int, str] = {}
    for path, mask in masks:
        if mask is None:
            continue
        if mask in seen:
            checks.fail(
                path,
                f"would get the same IPv6 /64 (number {mask}, from the low 8 bits of its IPv4 subnet) as "
                f"{seen[mask]}; give dual-stack vSwitches IPv4 blocks that differ there",
            )
        else:
            seen[mask] = path


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


def check_network(checks: Checks, prefix: str, vpc_cidr: object, vswitch_cidr: object) -> None:
    """The VPC and vSwitch CIDR rules, reported under ``<prefix>vpc_cidr`` and ``<prefix>vswitch_cidr``."""
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", vpc_cidr)
    checks.vswitch_cidr(f"{prefix}vswitch_cidr", vswitch_cidr, vpc, f"{prefix}vpc_cidr")


def _ipv6_block(ipv6: bool, cidr: str) -> dict[str, Any]:
    return {"enable_ipv6": True, "ipv6_cidr_block_mask": ipv6_mask(cidr)} if ipv6 else {}


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
        checks.literal("name", props.name)
        checks.literal("zone", props.zone)
        checks.tags("tags", props.tags)
        if props.ipv6:
            cidrs = [("vswitch_cidr", props.vswitch_cidr)]
            check_ipv6_masks(
                checks, cidrs + [(f"more_vswitches[{i}].cidr", v.cidr) for i, v in enumerate(props.more_vswitches)]
            )
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None
        dual: dict[str, Any] = {"enable_ipv6": True} if props.ipv6 else {}
        vpc = Vpc(self, "vpc", vpc_name=f"{props.name}-vpc", cidr_block=props.vpc_cidr, tags=tags, **dual)
        vswitch = Vswitch(
            self,
            f"vswitch-{props.zone}" if props.ids_by_zone else "vswitch",
            vpc_id=vpc.id,
            cidr_block=props.vswitch_cidr,
            zone_id=props.zone,
            # With ids by zone, names by zone too: a reorder renames nothing (names are updatable, but quieter).
            vswitch_name=f"{props.name}-vsw-{props.zone}" if props.ids_by_zone else f"{props.name}-vsw",
            tags=tags,
            **_ipv6_block(props.ipv6, props.vswitch_cidr),
        )
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
                vswitch_name=f"{props.name}-vsw-{more.zone}",
                tags=tags,
                **_ipv6_block(props.ipv6, more.cidr),
            ).id
        #: The vSwitch's CIDR block, as given.
        self.vswitch_cidr: str = props.vswitch_cidr
        #: The vSwitch's zone, as given.
        self.zone: str = props.zone
