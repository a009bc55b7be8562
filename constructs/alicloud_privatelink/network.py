"""A VPC with one vSwitch: the network each side of a PrivateLink connection lives in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from constructs import Construct

from .bindings import Vpc, Vswitch
from .checks import Checks


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
    #: Tags for both resources. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def check_network(checks: Checks, prefix: str, vpc_cidr: object, vswitch_cidr: object) -> None:
    """The VPC and vSwitch CIDR rules, reported under ``<prefix>vpc_cidr`` and ``<prefix>vswitch_cidr``."""
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", vpc_cidr)
    checks.vswitch_cidr(f"{prefix}vswitch_cidr", vswitch_cidr, vpc, f"{prefix}vpc_cidr")


class Network(Construct):
    """VPC + vSwitch. Construct ids ``vpc`` and ``vswitch``."""

    def __init__(self, scope: Construct, id: str, props: NetworkProps) -> None:
        checks = Checks()
        check_network(checks, "", props.vpc_cidr, props.vswitch_cidr)
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None
        vpc = Vpc(self, "vpc", vpc_name=f"{props.name}-vpc", cidr_block=props.vpc_cidr, tags=tags)
        vswitch = Vswitch(
            self,
            "vswitch",
            vpc_id=vpc.id,
            cidr_block=props.vswitch_cidr,
            zone_id=props.zone,
            vswitch_name=f"{props.name}-vsw",
            tags=tags,
        )
        #: The VPC's id (token).
        self.vpc_id: str = vpc.id
        #: The vSwitch's id (token).
        self.vswitch_id: str = vswitch.id
        #: The vSwitch's CIDR block, as given.
        self.vswitch_cidr: str = props.vswitch_cidr
        #: The vSwitch's zone, as given.
        self.zone: str = props.zone
