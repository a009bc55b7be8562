"""A security group that admits a port (or a few) from a few CIDR blocks and nothing else.

Both sides need exactly this shape: the endpoint's group admits the
consumer's clients to the listener port, and the backends' group admits the
CLB (forwarding and health checks) to the backend port. Alibaba Cloud security
groups are stateful and allow all egress by default, so no egress rules are
written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from constructs import Construct

from .bindings import SecurityGroup, SecurityGroupRule
from .checks import MAX_RULES_PER_SECURITY_GROUP, Checks

#: Where a CLB's health checks and forwarded PrivateLink traffic come from, as
#: seen by its backend servers: Alibaba Cloud's reserved 100.64.0.0/10 range.
CLB_SOURCE_CIDR = "100.64.0.0/10"


@dataclass(frozen=True, kw_only=True)
class IngressSecurityGroupProps:
    """Props of :class:`IngressSecurityGroup`."""

    #: VPC the group belongs to.
    vpc_id: str
    #: Name of the group.
    name: str
    #: Why the group exists; shown in the console.
    description: str
    #: The port admitted (``more_ports`` adds others).
    port: int
    #: CIDR blocks admitted to ``port``. Default: none, so nothing is admitted.
    source_cidrs: Sequence[str] = ()
    #: Transport protocol of ``port``. Default: ``tcp``.
    protocol: Literal["tcp", "udp"] = "tcp"
    #: Tags for the group. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)
    #: Further (protocol, port) pairs admitted from the same sources, e.g. a service's other listeners; their
    #: rules are ``ingress-<protocol>-<port>-<cidr>``. Default: none, ``port`` only.
    more_ports: Sequence[tuple[Literal["tcp", "udp"], int]] = ()


def port_pairs(
    pairs: Sequence[tuple[Literal["tcp", "udp"], int]],
) -> tuple[tuple[Literal["tcp", "udp"], int], tuple[tuple[Literal["tcp", "udp"], int], ...]]:
    """The first (protocol, port) pair and the other distinct ones: ``protocol``/``port`` and ``more_ports``."""
    distinct = list(dict.fromkeys(pairs))
    return distinct[0], tuple(distinct[1:])


def rule_id(cidr: str) -> str:
    """Construct id of the rule for one source, from the source itself, so reordering replaces nothing."""
    return "ingress-" + cidr.replace(".", "-").replace("/", "-")


class IngressSecurityGroup(Construct):
    """Security group ``group``, and one ingress rule per source, e.g. ``ingress-10-0-0-0-24``."""

    def __init__(self, scope: Construct, id: str, props: IngressSecurityGroupProps) -> None:
        checks = Checks()
        checks.port("port", props.port)
        for index, (_, port) in enumerate(props.more_ports):
            checks.port(f"more_ports[{index}]", port)
        rules = len(props.source_cidrs) * (1 + len(props.more_ports))
        if props.more_ports and rules > MAX_RULES_PER_SECURITY_GROUP:
            checks.fail(
                "more_ports",
                f"{len(props.source_cidrs)} blocks on {1 + len(props.more_ports)} ports need {rules} rules, over "
                f"Alibaba Cloud's limit of {MAX_RULES_PER_SECURITY_GROUP} per security group",
            )
        checks.source_cidr_set("source_cidrs", props.source_cidrs)
        checks.description("description", props.description)
        checks.literal("name", props.name)
        checks.resource_id("vpc_id", props.vpc_id, "vpc")
        checks.tags("tags", props.tags)
        checks.raise_if_any()
        super().__init__(scope, id)
        group = SecurityGroup(
            self,
            "group",
            vpc_id=props.vpc_id,
            security_group_name=props.name,
            description=props.description,
            security_group_type="normal",
            inner_access_policy="Drop",
            tags=dict(props.tags) or None,
        )
        #: The ingress rules, one per port and source; depend on them to keep them while their traffic flows.
        self.rules: list[SecurityGroupRule] = []
        pairs = [(props.protocol, props.port, ""), *((p, n, f"{p}-{n}-") for p, n in props.more_ports)]
        for protocol, port, key in pairs:
            for cidr in props.source_cidrs:
                rule = SecurityGroupRule(
                    self,
                    rule_id(cidr).replace("ingress-", f"ingress-{key}", 1),
                    security_group_id=group.id,
                    type="ingress",
                    ip_protocol=protocol,
                    port_range=f"{port}/{port}",
                    cidr_ip=cidr,
                    policy="accept",
                    nic_type="intranet",
                    description=f"{protocol}/{port} from {cidr}",
                )
                self.rules.append(rule)
        #: The group's id (token).
        self.security_group_id: str = group.id
