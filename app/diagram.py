"""Turn synthesized stacks into an architecture diagram: Graphviz DOT and Mermaid from one model.

    python -m app.diagram --dir DIR [--dot FILE] [--svg FILE] [--mermaid FILE] [--readme FILE]

The input is what ``main.py`` wrote: ``DIR/stacks/<stack>/cdk.tf.json``. The
diagram is drawn from that Terraform JSON alone, so it changes when the
scenario does:

* every ``alicloud_*`` resource is a node, grouped into one cluster per stack;
  attachment resources (CLB backend servers, the endpoint service's resource,
  PrivateZone VPC bindings) are drawn as labelled edges instead;
* every ``${...}`` reference from one resource to another is an edge; a
  cross-stack reference (``${data.terraform_remote_state.<input>.outputs.<name>}``)
  is followed to the value of output ``<name>`` in the stack it reads from;
* a literal id where a reference would be (``vpc_id = "vpc-..."``) becomes an
  "existing" node, so scenarios that reuse networks or servers still render;
* the traffic path (client ECS -> endpoint -> endpoint service -> CLB or NLB
  listener -> backend ECS) is derived from those edges and drawn highlighted;
* zones are boxes inside each stack: a vSwitch, an endpoint zone and a server
  are drawn in the zone they are placed in (a vSwitch's ``zone_id``, a
  server's vSwitch), so a multi-zone NLB and its endpoints show their spread.

Output is sorted, so the same stacks always give the same text.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "README_END",
    "README_START",
    "Cluster",
    "Diagram",
    "Edge",
    "Node",
    "build_diagram",
    "diagram_from_dir",
    "load_stacks",
    "main",
    "mermaid_ids",
    "render_svg",
    "replace_readme_block",
    "to_dot",
    "to_mermaid",
]

Json = Mapping[str, Any]

README_START = "<!-- diagram:start -->"
README_END = "<!-- diagram:end -->"

#: Node kind of each resource type drawn as a node; other ``alicloud_*`` types are kind ``other``.
KINDS: dict[str, str] = {
    "alicloud_vpc": "vpc",
    "alicloud_vswitch": "vswitch",
    "alicloud_instance": "ecs",
    "alicloud_slb_load_balancer": "clb",
    "alicloud_slb_listener": "listener",
    "alicloud_nlb_load_balancer": "nlb",
    "alicloud_nlb_listener": "nlb_listener",
    "alicloud_nlb_server_group": "server_group",
    "alicloud_alb_load_balancer": "alb",
    "alicloud_alb_listener": "alb_listener",
    "alicloud_alb_server_group": "server_group",
    "alicloud_privatelink_vpc_endpoint_service": "endpoint_service",
    "alicloud_privatelink_vpc_endpoint_service_user": "service_user",
    "alicloud_privatelink_vpc_endpoint": "endpoint",
    "alicloud_privatelink_vpc_endpoint_zone": "endpoint_zone",
    "alicloud_privatelink_vpc_endpoint_connection": "connection",
    "alicloud_security_group": "security_group",
    "alicloud_security_group_rule": "security_rule",
    "alicloud_pvtz_zone": "dns_zone",
    "alicloud_pvtz_zone_record": "dns_record",
}

#: The first line of a node's label, by kind.
TITLES: dict[str, str] = {
    "vpc": "VPC",
    "vswitch": "vSwitch",
    "ecs": "ECS",
    "clb": "CLB",
    "listener": "CLB listener",
    "nlb": "NLB",
    "nlb_listener": "NLB listener",
    "alb": "ALB",
    "alb_listener": "ALB listener",
    "server_group": "Server group",
    "endpoint_service": "Endpoint service",
    "service_user": "Service user",
    "endpoint": "Endpoint",
    "endpoint_zone": "Endpoint zone",
    "connection": "Endpoint connection",
    "security_group": "Security group",
    "security_rule": "SG rule",
    "dns_zone": "PrivateZone",
    "dns_record": "DNS record",
}

#: Attachment resources: drawn as edges from the resource in ``owner`` to each one in ``targets``.
ATTACHMENTS: dict[str, tuple[str, str]] = {
    "alicloud_slb_backend_server": ("load_balancer_id", "backend_servers.server_id"),
    "alicloud_nlb_server_group_server_attachment": ("server_group_id", "server_id"),
    "alicloud_nlb_load_balancer_security_group_attachment": ("load_balancer_id", "security_group_id"),
    "alicloud_privatelink_vpc_endpoint_service_resource": ("service_id", "resource_id"),
    "alicloud_pvtz_zone_attachment": ("zone_id", "vpc_ids"),
}

#: Attributes whose literal value is the id of an existing resource, and that resource's kind.
ID_ATTRIBUTES: dict[str, str] = {
    "vpc_id": "vpc",
    "vpc_ids": "vpc",
    "vswitch_id": "vswitch",
    "security_group_id": "security_group",
    "security_group_ids": "security_group",
    "security_groups": "security_group",
    "server_id": "ecs",
    "resource_id": "other",
    "load_balancer_id": "clb",
    "server_group_id": "server_group",
    "service_id": "endpoint_service",
    "service_name": "endpoint_service",
    "endpoint_id": "endpoint",
}

#: Id prefixes of Alibaba Cloud resources, for literal ids whose attribute does not tell the kind.
ID_PREFIXES: tuple[tuple[str, str], ...] = (
    ("vpc-", "vpc"),
    ("vsw-", "vswitch"),
    ("i-", "ecs"),
    ("sg-", "security_group"),
    ("lb-", "clb"),
    ("nlb-", "nlb"),
    ("alb-", "alb"),
    ("epsrv-", "endpoint_service"),
    ("ep-", "endpoint"),
)

#: Body keys that hold no references worth drawing.
SKIPPED_KEYS = frozenset({"//", "depends_on", "tags", "provider", "lifecycle", "user_data"})

INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
RESOURCE_REFERENCE = re.compile(r"(?<![\w.-])(alicloud_[a-z0-9_]+)\.([A-Za-z0-9_-]+)")
REMOTE_REFERENCE = re.compile(r"\bdata\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
REMOTE_INPUT_PREFIX = "cross-stack-reference-input-"
MAX_LABEL_LINE = 44
MAX_REFERENCE_DEPTH = 4


@dataclass(frozen=True, order=True)
class Node:
    """One resource (or an existing one given by id): ``id`` is ``<stack>/<type>.<name>``."""

    id: str
    kind: str
    lines: tuple[str, ...]
    cluster: str
    existing: bool = False
    #: The zone the resource is placed in, when one can be told; drawn as a box inside the stack's.
    zone: str | None = None

    @property
    def label(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, order=True)
class Edge:
    """A reference from ``source`` to ``target``, or a hop of the traffic path when ``traffic``."""

    source: str
    target: str
    label: str = ""
    traffic: bool = False


@dataclass(frozen=True, order=True)
class Cluster:
    """One stack."""

    name: str
    title: str


@dataclass(frozen=True)
class Diagram:
    clusters: tuple[Cluster, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def of_kind(self, kind: str) -> list[Node]:
        return [node for node in self.nodes if node.kind == kind]

    def zones_of(self, cluster: str) -> list[str]:
        """The zones drawn inside a stack's box, sorted."""
        return sorted({node.zone for node in self.nodes if node.cluster == cluster and node.zone})

    @property
    def traffic(self) -> list[Edge]:
        return [edge for edge in self.edges if edge.traffic]


# --- reading -----------------------------------------------------------------------------------


def load_stacks(directory: Path) -> dict[str, Json]:
    """Every ``stacks/<name>/cdk.tf.json`` under ``directory``, parsed, by stack name."""
    stacks: dict[str, Json] = {}
    for path in sorted(Path(directory).glob("stacks/*/cdk.tf.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            stacks[path.parent.name] = data
    return stacks


def diagram_from_dir(directory: Path) -> Diagram:
    stacks = load_stacks(directory)
    if not stacks:
        raise ValueError(f"no stacks/*/cdk.tf.json under {directory}; run the synth first")
    return build_diagram(stacks)


def _mapping(value: object) -> Json:
    return value if isinstance(value, Mapping) else {}


def _literal(body: Json, key: str) -> str | None:
    """``body[key]`` as text when it is a literal (not an interpolation), else None."""
    value = body.get(key)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float | str):
        text = str(value)
        return None if "${" in text or not text else text
    return None


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_LINE else text[: MAX_LABEL_LINE - 1] + "…"


def _walk(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string in ``value`` with the nearest enclosing key (list items inherit their list's key)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, Mapping):
        for child_key in sorted(value):
            if child_key not in SKIPPED_KEYS:
                yield from _walk(value[child_key], str(child_key))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, key)


def _values_at(body: Json, path: str) -> list[object]:
    """The values at a dotted ``path``; list items are searched element by element."""
    current: list[object] = [body]
    for part in path.split("."):
        found: list[object] = []
        for value in current:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, Mapping) and part in item:
                    found.append(item[part])
        current = found
    flat: list[object] = []
    for value in current:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


# --- the model ---------------------------------------------------------------------------------


def _port_range(text: str | None) -> str | None:
    if text is None:
        return None
    low, _, high = text.partition("/")
    if low == "-1":
        return "all"
    return low if high in ("", low) else f"{low}-{high}"


def _lines(kind: str, body: Json, resource_type: str, zone_names: Mapping[str, str]) -> tuple[str, ...]:
    """A human-friendly label: the kind, then the literal name, CIDR, zone or ports."""
    title = TITLES.get(kind, resource_type.removeprefix("alicloud_"))
    details: list[str | None] = []
    if kind == "vpc":
        details = [_literal(body, "vpc_name"), _literal(body, "cidr_block")]
    elif kind == "vswitch":
        cidr, zone = _literal(body, "cidr_block"), _literal(body, "zone_id")
        details = [_literal(body, "vswitch_name"), " @ ".join(part for part in (cidr, zone) if part) or None]
    elif kind == "ecs":
        name = _literal(body, "instance_name") or _literal(body, "host_name")
        title = f"ECS {name}" if name else title
        details = [_literal(body, "private_ip")]
    elif kind == "clb":
        spec = " ".join(part for part in (_literal(body, "address_type"), _literal(body, "load_balancer_spec")) if part)
        details = [_literal(body, "load_balancer_name"), spec or None]
    elif kind == "listener":
        protocol = (_literal(body, "protocol") or "?").upper()
        front, back = _literal(body, "frontend_port") or "?", _literal(body, "backend_port") or "?"
        details = [f"{protocol} :{front} → :{back}"]
    elif kind in ("nlb", "alb"):
        zones = sorted(str(z) for z in _values_at(body, "zone_mappings.zone_id"))
        details = [_literal(body, "load_balancer_name"), _literal(body, "address_type"), " + ".join(zones) or None]
    elif kind in ("nlb_listener", "alb_listener"):
        details = [f"{_literal(body, 'listener_protocol') or '?'} :{_literal(body, 'listener_port') or '?'}"]
    elif kind == "server_group":
        details = [_literal(body, "server_group_name"), _literal(body, "protocol")]
    elif kind == "endpoint_service":
        resource = _literal(body, "service_resource_type")
        accept = body.get("auto_accept_connection")
        details = [
            f"resource: {resource}" if resource else None,
            None if not isinstance(accept, bool) else ("auto-accept" if accept else "manual accept"),
        ]
    elif kind == "service_user":
        user = _literal(body, "user_id")
        details = [f"account {user}" if user else None]
    elif kind == "endpoint":
        details = [_literal(body, "vpc_endpoint_name")]
    elif kind == "endpoint_zone":
        details = [_literal(body, "zone_id")]
    elif kind == "security_group":
        details = [_literal(body, "security_group_name")]
    elif kind == "security_rule":
        direction = _literal(body, "type") or "rule"
        protocol = _literal(body, "ip_protocol") or "?"
        ports = _port_range(_literal(body, "port_range"))
        source = _literal(body, "cidr_ip") or _literal(body, "source_security_group_id")
        details = [
            f"{direction} {protocol}/{ports}" if ports else f"{direction} {protocol}",
            f"from {source}" if source else None,
        ]
    elif kind == "dns_zone":
        details = [_literal(body, "zone_name")]
    elif kind == "dns_record":
        rr, record_type = _literal(body, "rr"), _literal(body, "type")
        zone = zone_names.get(str(body.get("zone_id", "")))
        name = f"{rr}.{zone}" if rr and zone else rr
        details = [" ".join(part for part in (record_type, name) if part) or None]
    return (title, *(_short(line) for line in details if line))


class _Builder:
    def __init__(self, stacks: Mapping[str, Json]) -> None:
        self.stacks = {name: stacks[name] for name in sorted(stacks)}
        self.nodes: dict[str, Node] = {}
        self.bodies: dict[str, Json] = {}
        self.references: dict[tuple[str, str], list[str]] = {}
        self.attachments: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.edges: dict[tuple[str, str], str] = {}
        self.traffic: dict[tuple[str, str], str] = {}

    # resources

    def resources(self) -> Iterator[tuple[str, str, str, Json]]:
        for stack, data in self.stacks.items():
            for resource_type, instances in sorted(_mapping(data.get("resource")).items()):
                for name, body in sorted(_mapping(instances).items()):
                    if isinstance(body, Mapping):
                        yield stack, resource_type, name, body

    def build(self) -> Diagram:
        zone_names = self._zone_names()
        for stack, resource_type, name, body in self.resources():
            if resource_type in ATTACHMENTS or not resource_type.startswith("alicloud_"):
                continue
            node_id = f"{stack}/{resource_type}.{name}"
            kind = KINDS.get(resource_type, "other")
            lines = _lines(kind, body, resource_type, zone_names.get(stack, {}))
            self.nodes[node_id] = Node(node_id, kind, lines, stack)
            self.bodies[node_id] = body
        for stack, resource_type, name, body in self.resources():
            if resource_type in ATTACHMENTS:
                self._attachment(stack, resource_type, body)
            elif f"{stack}/{resource_type}.{name}" in self.nodes:
                self._references(stack, f"{stack}/{resource_type}.{name}", body)
        self._traffic_path()
        self._place_in_zones()
        return self._diagram()

    def _place_in_zones(self) -> None:
        """Each vSwitch and endpoint zone in its ``zone_id``, each server in its vSwitch's zone."""
        for node_id, node in list(self.nodes.items()):
            if node.kind in ("vswitch", "endpoint_zone"):
                zone = _literal(self.bodies[node_id], "zone_id")
                if zone:
                    self.nodes[node_id] = replace(node, zone=zone)
        for node_id, node in list(self.nodes.items()):
            if node.kind == "ecs":
                zones = {self.nodes[v].zone for v in self.refs(node_id, "vswitch_id")} - {None}
                if len(zones) == 1:
                    self.nodes[node_id] = replace(node, zone=zones.pop())

    def _zone_names(self) -> dict[str, dict[str, str]]:
        """By stack, ``${alicloud_pvtz_zone.<name>.id}`` to the zone's name, for DNS record labels."""
        names: dict[str, dict[str, str]] = {}
        for stack, resource_type, name, body in self.resources():
            zone_name = _literal(body, "zone_name")
            if resource_type == "alicloud_pvtz_zone" and zone_name:
                names.setdefault(stack, {})[f"${{{resource_type}.{name}.id}}"] = zone_name
        return names

    # references

    def resolve(self, stack: str, text: str, depth: int = 0) -> list[str]:
        """The nodes that ``text`` refers to, following cross-stack references to their stack."""
        found: list[str] = []
        for expression in INTERPOLATION.findall(text):
            for resource_type, name in RESOURCE_REFERENCE.findall(expression):
                node_id = f"{stack}/{resource_type}.{name}"
                if node_id in self.nodes:
                    found.append(node_id)
            for remote, output in REMOTE_REFERENCE.findall(expression):
                if depth < MAX_REFERENCE_DEPTH:
                    found.extend(self._remote(stack, remote, output, depth))
        return sorted(set(found))

    def _remote(self, stack: str, remote: str, output: str, depth: int) -> list[str]:
        """Where ``data.terraform_remote_state.<remote>.outputs.<output>`` in ``stack`` points."""
        candidates = [remote.removeprefix(REMOTE_INPUT_PREFIX)] if remote.startswith(REMOTE_INPUT_PREFIX) else []
        candidates += [name for name in self.stacks if name != stack]
        for source in candidates:
            value = _mapping(_mapping(_mapping(self.stacks.get(source)).get("output")).get(output)).get("value")
            if isinstance(value, str):
                return self.resolve(source, value, depth + 1)
        return []

    def targets(self, stack: str, key: str, value: str) -> list[str]:
        """Referenced nodes, or the existing resource a literal id names."""
        if "${" in value:
            return self.resolve(stack, value)
        if key in ID_ATTRIBUTES and value:
            return [self._existing(stack, key, value)]
        return []

    def _existing(self, stack: str, key: str, value: str) -> str:
        node_id = f"{stack}/existing/{value}"
        if node_id not in self.nodes:
            kind = next((kind for prefix, kind in ID_PREFIXES if value.startswith(prefix)), ID_ATTRIBUTES[key])
            title = TITLES.get(kind, key.removesuffix("_id").removesuffix("_ids"))
            self.nodes[node_id] = Node(node_id, kind, (f"existing {title}", _short(value)), stack, existing=True)
            self.bodies[node_id] = {}
        return node_id

    def _references(self, stack: str, node_id: str, body: Json) -> None:
        for key, value in _walk(body):
            for target in self.targets(stack, key, value):
                self.references.setdefault((node_id, key), []).append(target)
                if target != node_id:
                    self.edges.setdefault((node_id, target), "")

    def _attachment(self, stack: str, resource_type: str, body: Json) -> None:
        owner_key, target_path = ATTACHMENTS[resource_type]
        target_key = target_path.rsplit(".", 1)[-1]
        owners = [
            owner
            for value in _values_at(body, owner_key)
            if isinstance(value, str)
            for owner in self.targets(stack, owner_key, value)
        ]
        entries: list[tuple[str, str]] = []
        if resource_type == "alicloud_slb_backend_server":
            for entry in _values_at(body, "backend_servers"):
                server = _mapping(entry).get("server_id")
                weight = _mapping(entry).get("weight")
                label = "backend" if weight is None else f"backend w{weight}"
                if isinstance(server, str):
                    entries += [(target, label) for target in self.targets(stack, target_key, server)]
        elif resource_type == "alicloud_nlb_server_group_server_attachment":
            weight = body.get("weight")
            label = "backend" if weight is None else f"backend w{weight}"
            server = body.get("server_id")
            if isinstance(server, str):
                entries += [(target, label) for target in self.targets(stack, target_key, server)]
        else:
            label = "serves" if target_key == "resource_id" else "bound to"
            for value in _values_at(body, target_path):
                if isinstance(value, str):
                    entries += [(target, label) for target in self.targets(stack, target_key, value)]
        for owner in owners:
            for target, label in entries:
                self.attachments.setdefault((owner, target_key), []).append((target, label))
                if owner != target:
                    self.edges[(owner, target)] = label

    # the traffic path

    def refs(self, node_id: str, key: str) -> list[str]:
        return self.references.get((node_id, key), [])

    def _of_kind(self, kind: str) -> list[str]:
        return sorted(node_id for node_id, node in self.nodes.items() if node.kind == kind)

    def _traffic_path(self) -> None:
        """client ECS -> endpoint -> endpoint service -> CLB listener -> backend ECS, from the references."""
        backends = {target for (_, key), pairs in self.attachments.items() if key == "server_id" for target, _ in pairs}
        backends |= {server for group in self._of_kind("server_group") for server in self.refs(group, "server_id")}
        for endpoint in self._of_kind("endpoint"):
            endpoint_vpcs = set(self.refs(endpoint, "vpc_id"))
            zone_vswitches = {
                vswitch
                for zone in self._of_kind("endpoint_zone")
                if endpoint in self.refs(zone, "endpoint_id")
                for vswitch in self.refs(zone, "vswitch_id")
            }
            for client in self._of_kind("ecs"):
                if client in backends or self.nodes[client].cluster != self.nodes[endpoint].cluster:
                    continue
                vswitches = set(self.refs(client, "vswitch_id"))
                vpcs = {vpc for vswitch in vswitches for vpc in self.refs(vswitch, "vpc_id")}
                if vswitches & zone_vswitches or vpcs & endpoint_vpcs:
                    self.traffic[(client, endpoint)] = "request"
            for service in self.refs(endpoint, "service_id") + self.refs(endpoint, "service_name"):
                if self.nodes[service].kind != "endpoint_service":
                    continue
                service_region = _literal(self.bodies[endpoint], "service_region_id")
                self.traffic[(endpoint, service)] = (
                    f"PrivateLink to {service_region}" if service_region else "PrivateLink"
                )
                for balancer, _ in self.attachments.get((service, "resource_id"), []):
                    node = self.nodes[balancer]
                    if node.existing:  # published by id: its listeners and backends are not in these stacks
                        self.traffic[(service, balancer)] = TITLES.get(node.kind, "load balancer")
                    elif node.kind in ("nlb", "alb"):
                        self._through_nlb(service, balancer)
                    else:
                        self._through_clb(service, balancer)

    def _through_nlb(self, service: str, nlb: str) -> None:
        """endpoint service -> NLB (or ALB) listener -> (its server group's) backend servers; an NLB's group
        has attachments, an ALB's lists its servers inline."""
        kind = self.nodes[nlb].kind
        for listener in self._of_kind(f"{kind}_listener"):
            if nlb not in self.refs(listener, "load_balancer_id"):
                continue
            self.traffic[(service, listener)] = kind.upper()
            protocol = (_literal(self.bodies[listener], "listener_protocol") or "").lower()
            for group in self.refs(listener, "server_group_id"):
                servers = [server for server, _ in self.attachments.get((group, "server_id"), [])]
                for server in servers or self.refs(group, "server_id"):
                    self.traffic[(listener, server)] = protocol or "forward"

    def _through_clb(self, service: str, clb: str) -> None:
        listeners = [
            listener for listener in self._of_kind("listener") if clb in self.refs(listener, "load_balancer_id")
        ]
        servers = self.attachments.get((clb, "server_id"), [])
        if not listeners:
            self.traffic[(service, clb)] = "CLB"
            for server, _ in servers:
                self.traffic[(clb, server)] = "forward"
        for listener in listeners:
            body = self.bodies[listener]
            self.traffic[(service, listener)] = "CLB"
            protocol, port = _literal(body, "protocol"), _literal(body, "backend_port")
            label = f"{protocol}/{port}" if protocol and port else "forward"
            for server, _ in servers:
                self.traffic[(listener, server)] = label

    def _diagram(self) -> Diagram:
        edges = [Edge(source, target, label, True) for (source, target), label in self.traffic.items()]
        edges += [
            Edge(source, target, label)
            for (source, target), label in self.edges.items()
            if (source, target) not in self.traffic
        ]
        regions = {stack: self._region(stack) for stack in self.stacks}
        # The region is named only when the stacks are in more than one, so a one-region drawing stays as it was.
        several = len({region for region in regions.values() if region}) > 1
        clusters = [Cluster(stack, self._title(stack, regions[stack] if several else None)) for stack in self.stacks]
        return Diagram(
            clusters=tuple(sorted(clusters, key=lambda c: (_role_rank(c.title), c.name))),
            nodes=tuple(sorted(self.nodes.values())),
            edges=tuple(sorted(edges)),
        )

    def _region(self, stack: str) -> str | None:
        """The region of the stack's default (alias-less) ``alicloud`` provider, when it is a literal."""
        providers = _mapping(self.stacks[stack].get("provider")).get("alicloud")
        for provider in providers if isinstance(providers, list) else []:
            if isinstance(provider, Mapping) and "alias" not in provider:
                region = provider.get("region")
                return region if isinstance(region, str) and "${" not in region else None
        return None

    def _title(self, stack: str, region: str | None = None) -> str:
        kinds = {node.kind for node in self.nodes.values() if node.cluster == stack and not node.existing}
        cidrs = sorted(
            cidr
            for node_id, node in self.nodes.items()
            if node.cluster == stack and node.kind == "vpc" and (cidr := _literal(self.bodies[node_id], "cidr_block"))
        )
        if "endpoint_service" in kinds:
            role = "service provider"
        elif "endpoint" in kinds:
            role = "consumer"
        else:
            role = "stack"
        where = f", {region}" if region else ""
        where += f", VPC {', '.join(cidrs)}" if cidrs else ""
        return f"{stack} ({role}{where})"


def _role_rank(title: str) -> int:
    return 0 if "(consumer" in title else 1 if "(service provider" in title else 2


def build_diagram(stacks: Mapping[str, Json]) -> Diagram:
    """The diagram of parsed stacks (stack name to ``cdk.tf.json`` content)."""
    return _Builder(stacks).build()


# --- Graphviz ----------------------------------------------------------------------------------

#: Graphviz shape and fill colour by node kind.
DOT_STYLES: dict[str, tuple[str, str]] = {
    "vpc": ("tab", "#dbe9f6"),
    "vswitch": ("folder", "#e8f1fa"),
    "ecs": ("box3d", "#fde9c9"),
    "clb": ("hexagon", "#d9f0d3"),
    "listener": ("cds", "#e5f5e0"),
    "nlb": ("hexagon", "#c7e9c0"),
    "alb": ("hexagon", "#c7e9c0"),
    "nlb_listener": ("cds", "#e5f5e0"),
    "alb_listener": ("cds", "#e5f5e0"),
    "server_group": ("box", "#edf8e9"),
    "endpoint_service": ("doubleoctagon", "#e7d4e8"),
    "service_user": ("box", "#f2f2f2"),
    "endpoint": ("octagon", "#e7d4e8"),
    "endpoint_zone": ("ellipse", "#f3eaf4"),
    "connection": ("diamond", "#f3eaf4"),
    "security_group": ("box", "#fbe3e3"),
    "security_rule": ("note", "#fff5f5"),
    "dns_zone": ("cylinder", "#fff7bc"),
    "dns_record": ("note", "#fffbdd"),
}
TRAFFIC_COLOR = "#d62728"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(diagram: Diagram) -> str:
    """The diagram as a Graphviz ``digraph``."""
    out = [
        "digraph architecture {",
        '  graph [rankdir=LR, newrank=true, fontname="Helvetica", fontsize=12, labelloc=t,',
        '         label="Alibaba Cloud PrivateLink: generated from the synthesized Terraform JSON (make diagram)"];',
        '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#8c8c8c", fontcolor="#595959"];',
    ]
    clustered = {cluster.name for cluster in diagram.clusters}
    for cluster in diagram.clusters:
        out.append(f"  subgraph {_dot_quote('cluster_' + cluster.name)} {{")
        out.append(f'    label={_dot_quote(cluster.title)}; style="rounded,dashed"; color="#595959";')
        for zone in diagram.zones_of(cluster.name):
            out.append(f"    subgraph {_dot_quote(f'cluster_{cluster.name}/zone/{zone}')} {{")
            out.append(f'      label={_dot_quote("zone " + zone)}; style="rounded,dotted"; color="#8c8c8c";')
            out += [f"      {_dot_node(n)}" for n in diagram.nodes if n.cluster == cluster.name and n.zone == zone]
            out.append("    }")
        out += [f"    {_dot_node(n)}" for n in diagram.nodes if n.cluster == cluster.name and not n.zone]
        out.append("  }")
    out += [f"  {_dot_node(node)}" for node in diagram.nodes if node.cluster not in clustered]
    for edge in diagram.edges:
        attributes = [f"label={_dot_quote(edge.label)}"] if edge.label else []
        if edge.traffic:
            attributes += [f'color="{TRAFFIC_COLOR}"', f'fontcolor="{TRAFFIC_COLOR}"', "penwidth=2.5"]
        else:
            attributes += ["constraint=false"] if _backwards(diagram, edge) else []
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


def _backwards(diagram: Diagram, edge: Edge) -> bool:
    """Cross-stack references point against the traffic; they should not drive the layout."""
    return diagram.node(edge.source).cluster != diagram.node(edge.target).cluster


def _dot_node(node: Node) -> str:
    shape, fill = DOT_STYLES.get(node.kind, ("box", "#f2f2f2"))
    style = "rounded,filled,dashed" if node.existing else "rounded,filled"
    return (
        f'{_dot_quote(node.id)} [label={_dot_quote(node.label)}, shape={shape}, style="{style}", fillcolor="{fill}"];'
    )


def render_svg(dot: str, binary: str = "dot") -> str:
    """SVG from DOT text, through Graphviz on stdin (so no file name or path ends up in the SVG)."""
    executable = shutil.which(binary)
    if executable is None:
        raise FileNotFoundError(f"{binary}: Graphviz is not installed (apt-get install -y graphviz)")
    result = subprocess.run([executable, "-Tsvg"], input=dot, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{binary} -Tsvg failed: {result.stderr.strip()}")
    return result.stdout


# --- Mermaid -----------------------------------------------------------------------------------

#: Mermaid shape brackets by node kind.
MERMAID_SHAPES: dict[str, tuple[str, str]] = {
    "ecs": ("[[", "]]"),
    "clb": ("{{", "}}"),
    "listener": ("[/", "/]"),
    "nlb": ("{{", "}}"),
    "alb": ("{{", "}}"),
    "nlb_listener": ("[/", "/]"),
    "alb_listener": ("[/", "/]"),
    "endpoint_service": ("([", "])"),
    "endpoint": ("([", "])"),
    "endpoint_zone": ("(", ")"),
    "connection": (">", "]"),
    "security_rule": (">", "]"),
    "dns_zone": ("[(", ")]"),
    "dns_record": (">", "]"),
}


def mermaid_ids(diagram: Diagram) -> dict[str, str]:
    """A Mermaid-safe, unique and stable id for every node and cluster."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    names = [node.id for node in diagram.nodes] + [f"cluster/{cluster.name}" for cluster in diagram.clusters]
    names += [f"cluster/{c.name}/zone/{zone}" for c in diagram.clusters for zone in diagram.zones_of(c.name)]
    for name in sorted(names):
        base = re.sub(r"[^A-Za-z0-9_]", "_", name.replace("alicloud_", ""))
        candidate, counter = base, 2
        while candidate in used:
            candidate, counter = f"{base}_{counter}", counter + 1
        used.add(candidate)
        ids[name] = candidate
    return ids


def _mermaid_text(text: str) -> str:
    escaped = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return '"' + escaped.replace("\n", "<br/>") + '"'


def to_mermaid(diagram: Diagram) -> str:
    """The diagram as a Mermaid ``flowchart``."""
    ids = mermaid_ids(diagram)
    out = ["flowchart LR"]
    clustered = {cluster.name for cluster in diagram.clusters}

    def node_line(node: Node) -> str:
        opening, closing = MERMAID_SHAPES.get(node.kind, ("[", "]"))
        return f"{ids[node.id]}{opening}{_mermaid_text(node.label)}{closing}"

    for cluster in diagram.clusters:
        out.append(f"  subgraph {ids['cluster/' + cluster.name]}[{_mermaid_text(cluster.title)}]")
        for zone in diagram.zones_of(cluster.name):
            out.append(f"    subgraph {ids[f'cluster/{cluster.name}/zone/{zone}']}[{_mermaid_text('zone ' + zone)}]")
            # Nodes stay at one indent inside a zone's box: Mermaid ignores it, and it keeps lines greppable.
            out += [f"    {node_line(n)}" for n in diagram.nodes if n.cluster == cluster.name and n.zone == zone]
            out.append("    end")
        out += [f"    {node_line(n)}" for n in diagram.nodes if n.cluster == cluster.name and not n.zone]
        out.append("  end")
    out += [f"  {node_line(node)}" for node in diagram.nodes if node.cluster not in clustered]
    traffic: list[str] = []
    for index, edge in enumerate(diagram.edges):
        arrow = "==>" if edge.traffic else "-->"
        label = f"|{_mermaid_text(edge.label)}|" if edge.label else ""
        out.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
        if edge.traffic:
            traffic.append(str(index))
    kinds = sorted({node.kind for node in diagram.nodes})
    for kind in kinds:
        fill = DOT_STYLES.get(kind, ("box", "#f2f2f2"))[1]
        out.append(f"  classDef {kind} fill:{fill},stroke:#595959,color:#000")
        out.append(f"  class {','.join(ids[n.id] for n in diagram.nodes if n.kind == kind)} {kind}")
    existing = [ids[node.id] for node in diagram.nodes if node.existing]
    if existing:
        out.append("  classDef existing stroke-dasharray:5 5")
        out.append(f"  class {','.join(existing)} existing")
    if traffic:
        out.append(f"  linkStyle {','.join(traffic)} stroke:{TRAFFIC_COLOR},stroke-width:3px,color:{TRAFFIC_COLOR}")
    return "\n".join(out) + "\n"


# --- README ------------------------------------------------------------------------------------


def replace_readme_block(readme: str, mermaid: str) -> str | None:
    """``readme`` with a ```` ```mermaid ```` block between the diagram markers; None without markers."""
    start = readme.find(README_START)
    end = readme.find(README_END, start + len(README_START)) if start >= 0 else -1
    if start < 0 or end < 0:
        return None
    block = f"{README_START}\n```mermaid\n{mermaid.rstrip()}\n```\n{README_END}"
    return readme[:start] + block + readme[end + len(README_END) :]


# --- command line ------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.diagram", description="Draw the architecture from synthesized stacks."
    )
    parser.add_argument("--dir", required=True, help="synth output folder (holds stacks/*/cdk.tf.json)")
    parser.add_argument("--dot", type=Path, help="write the Graphviz DOT here")
    parser.add_argument("--svg", type=Path, help="render an SVG here (needs Graphviz's dot)")
    parser.add_argument("--mermaid", type=Path, help="write the Mermaid flowchart here")
    parser.add_argument("--readme", type=Path, help="replace the block between the diagram markers in this file")
    args = parser.parse_args(argv)
    try:
        diagram = diagram_from_dir(Path(args.dir))
        dot = to_dot(diagram)
        if args.dot:
            _write(args.dot, dot)
        if args.mermaid:
            _write(args.mermaid, to_mermaid(diagram))
        if args.readme:
            updated = replace_readme_block(args.readme.read_text(encoding="utf-8"), to_mermaid(diagram))
            if updated is None:
                print(f"note: {args.readme} has no {README_START} ... {README_END} markers; left unchanged")
            else:
                _write(args.readme, updated)
        # Last, so that a machine without Graphviz still gets the DOT and Mermaid refreshed;
        # installing system packages is the user's call, never this tool's.
        if args.svg:
            try:
                _write(args.svg, render_svg(dot))
            except FileNotFoundError as missing:
                print(f"note: {missing}; {args.svg} left unchanged", file=sys.stderr)
                args.svg = None
    except (OSError, ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not (args.dot or args.svg or args.mermaid or args.readme):
        sys.stdout.write(dot)
    written = [str(path) for path in (args.dot, args.svg, args.mermaid, args.readme) if path]
    if written:
        counts = f"{len(diagram.nodes)} nodes, {len(diagram.edges)} edges ({len(diagram.traffic)} on the traffic path)"
        print(f"diagram: {counts} -> {', '.join(written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
