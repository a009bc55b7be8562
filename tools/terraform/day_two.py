"""Day two, proven: every row of the README's change table, applied before -> after on the offline cloud.

    python tools/terraform/day_two.py [--only NAME ...]      (make test-day-two)

Each chain starts from an example scenario and applies it, every stack in
``manifest.json`` order, to one offline cloud (tools/terraform/cloud.py) that
all its stacks share. Then each row of the chain edits the scenario as the
row says, synthesizes it, applies every stack again, plans again expecting
"No changes", and, where the row promises no outage, checks that every
endpoint connection in the cloud is still ``Connected``. A row's *before* is
the previous row's *after*, so one apply serves several rows; the chains are
independent and run in parallel. A row that needs steps runs them as the
README says. Prints one verdict line per row, named as the table names it.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import re
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import tomli_w
from cloud import Cloud
from lifecycle import DEFAULT_VENV, ROOT, Workspace, _indent, require_terraform, terraform_env

Scenario = dict[str, Any]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
#: Where every Terraform command's output is appended, one file per chain (``--log DIR``); None: nowhere.
LOG_DIR: Path | None = None


def errors(output: str) -> str:
    """The ``Error:`` blocks of Terraform's output (what failed and why), or all of it when there are none."""
    blocks = re.findall(r"^Error: .*?(?=^Error: |\Z)", output, flags=re.M | re.S)
    return "".join(blocks).strip() or output


class RowFailed(Exception):
    """A row did not do what the README says; the message says what happened instead."""


@dataclass
class Deployment:
    """One scenario deployed into one offline cloud: its synthesized stacks and their states."""

    name: str
    root: Path
    cloud_dir: Path
    scenario: Scenario = field(default_factory=dict)
    initialised: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.ws = Workspace(self.name, self.root, terraform_env(DEFAULT_VENV, self.cloud_dir))
        self.cloud = Cloud(self.cloud_dir)

    def synthesize(self, scenario: Scenario) -> None:
        config = self.root / "scenario.toml"
        config.write_text(tomli_w.dumps(scenario))
        import subprocess

        result = subprocess.run(
            [PYTHON, str(ROOT / "main.py"), "--quiet", "--config", str(config), "--out", str(self.ws.out)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RowFailed(f"synth exited {result.returncode}:\n{_indent(result.stdout + result.stderr)}")
        self.scenario = copy.deepcopy(scenario)

    def stacks(self) -> list[list[str]]:
        return self.ws.stacks()

    def run(self, stack: str, *args: str, expect: int = 0) -> str:
        if stack not in self.initialised:
            step = self.ws.terraform(stack, "init", "-input=false")
            if step.returncode:
                raise RowFailed(f"{stack}: init failed:\n{_indent(step.output)}")
            self.initialised.add(stack)
        step = self.ws.terraform(stack, *args)
        if LOG_DIR is not None:
            LOG_DIR.mkdir(parents=True, exist_ok=True)
            with (LOG_DIR / f"{self.name}.log").open("a") as log:
                log.write(f"\n=== {stack}: terraform {' '.join(args)} -> {step.returncode}\n{step.output}")
        if step.returncode != expect:
            raise RowFailed(
                f"{stack}: `terraform {' '.join(args)}` exited {step.returncode}:\n{_indent(errors(step.output))}"
            )
        return step.output

    def apply(self) -> None:
        """Every stack, in deploy order (stacks of one level at the same time)."""
        for level in self.stacks():
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(lambda s: self.run(s, "apply", "-auto-approve", "-input=false"), level))

    def replan(self) -> None:
        """Every stack plans "No changes" (exit 0 of -detailed-exitcode)."""
        for level in self.stacks():
            for stack in level:
                try:
                    self.run(stack, "plan", "-input=false", "-detailed-exitcode")
                except RowFailed as error:
                    raise RowFailed(f"re-plan is not empty: {error}") from None

    def destroy(self, stack: str, expect: int = 0) -> str:
        return self.run(stack, "destroy", "-auto-approve", "-input=false", expect=expect)

    def connections(self) -> list[dict[str, Any]]:
        return self.cloud.connections(None, None)

    def require_connected(self) -> None:
        states = sorted(f"{c['endpoint_id']}={c['status']}" for c in self.connections())
        if not states or any(not s.endswith("=Connected") for s in states):
            raise RowFailed(f"a connection did not stay Connected: {', '.join(states) or 'no connections'}")


@dataclass
class Row:
    """One row of the README's change table: its name there, the edit, and how it is carried out."""

    name: str
    edit: Callable[[Scenario], None] | None = None
    #: The row promises that connections stay Connected throughout.
    no_outage: bool = True
    #: Steps instead of one deploy (the README says which); default: synthesize and apply every stack.
    steps: Callable[[Deployment, Scenario], str] | None = None


def deploy(dep: Deployment, row: Row) -> str:
    after = copy.deepcopy(dep.scenario)
    if row.edit is not None:
        row.edit(after)
    note = ""
    if row.steps is not None:
        note = row.steps(dep, after)
    else:
        dep.synthesize(after)
        dep.apply()
    dep.replan()
    if row.no_outage:
        dep.require_connected()
    return note


# --- edits -------------------------------------------------------------------


def service(s: Scenario) -> dict[str, Any]:
    result: dict[str, Any] = s["service"]
    return result


def consumer(s: Scenario, name: str) -> dict[str, Any]:
    return next(c for c in s["consumers"] if c["name"] == name)


def add_backend(s: Scenario) -> None:
    service(s)["backends"].append({"name": "ecs4", "private_ip": "192.168.24.202", "weight": 100})


def remove_backend(s: Scenario) -> None:
    service(s)["backends"] = [b for b in service(s)["backends"] if b["name"] != "ecs4"]


def reverse_zones(s: Scenario) -> None:
    service(s)["zones"].reverse()
    for c in s["consumers"]:
        if "zones" in c:
            c["zones"].reverse()


def add_service_zone(s: Scenario) -> None:
    service(s)["zones"].append({"zone": "eu-central-1c", "vswitch_cidr": "192.168.30.0/24"})


def remove_service_zone(s: Scenario) -> None:
    service(s)["zones"] = [z for z in service(s)["zones"] if z["zone"] != "eu-central-1c"]


def single_to_zones(s: Scenario) -> None:
    reports = consumer(s, "reports")
    zone, cidr = reports.pop("zone"), reports.pop("vswitch_cidr")
    # README: its current zone first (the moved blocks carry that zone's vSwitch and interface over).
    reports["zones"] = [{"zone": zone, "vswitch_cidr": cidr}, {"zone": "eu-central-1a", "vswitch_cidr": "10.40.1.0/24"}]


def zones_to_single(s: Scenario) -> None:
    reports = consumer(s, "reports")
    kept = next(z for z in reports.pop("zones") if z["zone"] == "eu-central-1b")
    reports["zone"], reports["vswitch_cidr"] = kept["zone"], kept["vswitch_cidr"]


def setter(path: str, value: Any) -> Callable[[Scenario], None]:
    def edit(s: Scenario) -> None:
        *parents, last = path.split(".")
        holder = s
        for part in parents:
            holder = holder.setdefault(part, {})
        holder[last] = value

    return edit


def several(*edits: Callable[[Scenario], None]) -> Callable[[Scenario], None]:
    def edit(s: Scenario) -> None:
        for one in edits:
            one(s)

    return edit


def add_consumer(s: Scenario) -> None:
    s["consumers"].append(
        {
            "name": "vpc2",
            "vpc_cidr": "10.20.0.0/16",
            "vswitch_cidr": "10.20.0.0/24",
            "zone": service(s)["zone"],
            "endpoint_name": "ep-vpc2",
            "client_ip": "10.20.0.10",
        }
    )


def add_region_consumer(s: Scenario) -> None:
    s["consumers"].append(
        {
            "name": "singapore",
            "region": "ap-southeast-1",
            "vpc_cidr": "10.70.0.0/16",
            "vswitch_cidr": "10.70.1.0/24",
            "zone": "ap-southeast-1a",
            "client_ip": "10.70.1.20",
        }
    )


def move_region_consumer(s: Scenario) -> None:
    consumer(s, "singapore").update(region="ap-northeast-1", zone="ap-northeast-1a")


def remove_region_consumer(s: Scenario) -> None:
    s["consumers"] = [c for c in s["consumers"] if c["name"] != "singapore"]


def listeners(s: Scenario) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = service(s)["listeners"]
    return result


def add_https_listener(s: Scenario) -> None:
    listeners(s).append(
        {"protocol": "https", "frontend_port": 8443, "backend_port": 80, "certificate_id": "87654321-eu-central-1"}
    )


def remove_https_listener(s: Scenario) -> None:
    service(s)["listeners"] = [entry for entry in listeners(s) if entry["frontend_port"] != 8443]


def redirect(port: int, listener: int = 80) -> Callable[[Scenario], None]:
    def edit(s: Scenario) -> None:
        next(entry for entry in listeners(s) if entry["frontend_port"] == listener)["redirect_to"] = port

    return edit


def add_http_listener(s: Scenario) -> None:
    listeners(s).append({"protocol": "http", "frontend_port": 8080, "backend_port": 80})


def ipv4(s: Scenario) -> None:
    """The dual-stack example as it was before it went dual-stack: both sides IPv4."""
    service(s)["ip_version"] = "IPv4"
    for c in s["consumers"]:
        c["ip_version"] = "IPv4"


def nlb_to_alb(s: Scenario) -> None:
    service(s).update(load_balancer="alb", alb_name=service(s).pop("nlb_name"), listener_protocol="http")


def alb_to_nlb(s: Scenario) -> None:
    service(s).update(load_balancer="nlb", nlb_name=service(s).pop("alb_name"))
    service(s).pop("listener_protocol")


def shorthand_to_listeners(s: Scenario) -> None:
    """The shorthand's one listener (tcp 80 -> 80, the defaults) first, then a second one."""
    service(s)["listeners"] = [
        {"protocol": "tcp", "frontend_port": 80, "backend_port": 80},
        {"protocol": "tcp", "frontend_port": 8443, "backend_port": 80},
    ]


# --- rows that take steps ----------------------------------------------------


def destroy_first(name: str) -> Callable[[Deployment, Scenario], str]:
    """README: destroy the consumer's stack first, then change the scenario and deploy."""

    def steps(dep: Deployment, after: Scenario) -> str:
        dep.destroy(f"privatelink-consumer-{name}")
        dep.synthesize(after)
        dep.apply()
        return "destroyed its stack first, then deployed the changed scenario"

    return steps


remove_consumer = destroy_first("vpc2")


def auto_accept_on(dep: Deployment, after: Scenario) -> str:
    """README: deploy the provider stack, `terraform state rm` each consumer's acceptance, then the consumers."""
    dep.synthesize(after)
    dep.run("privatelink-provider", "apply", "-auto-approve", "-input=false")
    for level in dep.stacks()[1:]:
        for stack in level:
            state = dep.run(stack, "state", "list")
            for address in state.split():
                if address.startswith("alicloud_privatelink_vpc_endpoint_connection."):
                    dep.run(stack, "state", "rm", address)
    dep.apply()
    return "provider stack, then `terraform state rm` of the acceptance, then the consumers"


def auto_accept_off(dep: Deployment, after: Scenario) -> str:
    """README: deploy the provider stack, import each consumer's connection, then deploy the consumers."""
    dep.synthesize(after)
    dep.run("privatelink-provider", "apply", "-auto-approve", "-input=false")
    # Without the import, the consumer's new acceptance is refused: the endpoint is already Connected.
    refused = dep.run("privatelink-consumer-vpc1", "apply", "-auto-approve", "-input=false", expect=1)
    expect_refusal(dep, refused, "EndpointConnectionOperationDenied")
    for c in dep.connections():
        address = connection_address(dep, "privatelink-consumer-vpc1")
        dep.run("privatelink-consumer-vpc1", "import", "-input=false", address, f"{c['service_id']}:{c['endpoint_id']}")
    dep.apply()
    return (
        "a plain deploy is refused (EndpointConnectionOperationDenied); provider stack, `terraform import`, consumers"
    )


def connection_address(dep: Deployment, stack: str) -> str:
    document = dep.ws.document(stack)
    (name,) = document["resource"]["alicloud_privatelink_vpc_endpoint_connection"]
    return f"alicloud_privatelink_vpc_endpoint_connection.{name}"


def disconnected(dep: Deployment, after: Scenario) -> str:
    """The service owner disconnects the endpoint: plan fails saying so; `state rm` and a deploy reconnect it."""
    (c,) = dep.connections()
    dep.cloud.set_connection_status(c["service_id"], c["endpoint_id"], "Disconnected")
    stack = "privatelink-consumer-vpc1"
    output = dep.run(stack, "plan", "-input=false", expect=1)
    if "The service owner disconnected this endpoint" not in output:
        raise RowFailed(f"the plan does not report the disconnected connection:\n{_indent(output)}")
    dep.run(stack, "state", "rm", connection_address(dep, stack))
    dep.apply()
    return "plan failed saying so; `terraform state rm` of the acceptance and a deploy reconnected it"


def expect_refusal(dep: Deployment, output: str, code: str) -> None:
    """The apply or destroy failed with ``code``, destroyed nothing, and every connection is still Connected."""
    if code not in output:
        raise RowFailed(f"it failed otherwise than with {code}:\n{_indent(errors(output))}")
    destroyed = [line for line in output.splitlines() if "Destruction complete" in line]
    if destroyed:
        raise RowFailed("the refused run still destroyed:\n" + _indent("\n".join(destroyed)))
    dep.require_connected()


def consumers_first(dep: Deployment, after: Scenario) -> None:
    """README: destroy every consumer stack, deploy the provider stack, then deploy the consumers again."""
    for level in reversed(dep.stacks()[1:]):
        for stack in level:
            dep.destroy(stack)
    dep.synthesize(after)
    dep.apply()


def replaced_while_connected(dep: Deployment, after: Scenario) -> str:
    """README: refused while endpoints are connected (nothing destroyed); consumers off, deploy, consumers on.

    The same for every change that replaces the load balancer or the endpoint service (``backup_zone``,
    ``load_balancer``, ``ip_version``, ``payer``): the service's attachment, or the service itself, goes
    first and the cloud refuses it.
    """
    dep.synthesize(after)
    expect_refusal(
        dep,
        dep.run("privatelink-provider", "apply", "-auto-approve", "-input=false", expect=1),
        "EndpointServiceConnectionDependence",
    )
    consumers_first(dep, after)
    return (
        "refused with EndpointServiceConnectionDependence, nothing destroyed; "
        "consumers destroyed, deployed, consumers again"
    )


def destroy_provider_while_live(dep: Deployment, after: Scenario) -> str:
    """README: the cloud refuses (EndpointServiceConnectionDependence) and nothing of the service is destroyed."""
    expect_refusal(dep, dep.destroy("privatelink-provider", expect=1), "EndpointServiceConnectionDependence")
    # A destroy removes the stack's outputs from its state before it fails, and consumers read them:
    # deploying the provider stack again writes them back (and changes nothing else).
    output = dep.run("privatelink-provider", "apply", "-auto-approve", "-input=false")
    if "0 added, 0 changed, 0 destroyed" not in output:
        raise RowFailed(f"re-deploying the provider stack changed it:\n{_indent(output[-2000:])}")
    # Then the README's order works: consumers first, then the provider stack.
    for level in reversed(dep.stacks()):
        for stack in level:
            dep.destroy(stack)
    dep.synthesize(dep.scenario)  # redeploy, so the re-plan (and later rows) find it running
    dep.apply()
    return (
        "refused with EndpointServiceConnectionDependence, nothing destroyed; deploying it again restores its "
        "outputs; consumers first, then it, works"
    )


def renamed(dep: Deployment, after: Scenario) -> str:
    """A new name is a new deployment: new state, new resources, beside the old one."""
    fresh = Deployment(dep.name + "-renamed", dep.root / "renamed", dep.cloud_dir)
    fresh.synthesize(after)
    fresh.apply()
    fresh.replan()
    return "a second deployment beside the first"


# --- the chains ----------------------------------------------------------------


class Chain(NamedTuple):
    """Rows applied one after the other to one deployment of an example."""

    example: str
    rows: list[Row]
    #: An edit to the example before its first apply (e.g. back to how it was before a row it shows).
    start: Callable[[Scenario], None] | None = None


CLB_CHAIN = Chain(
    "examples/default.toml",
    [
        Row("add a backend", add_backend),
        Row("remove a backend", remove_backend),
        Row("change a `weight`", lambda s: service(s)["backends"][1].update(weight=50)),
        Row(
            "`clb_name`, `description`, tags",
            several(
                setter("service.clb_name", "clb-orders"),
                setter("service.description", "Orders API behind an internal CLB"),
                setter("tags", {"team": "orders"}),
            ),
        ),
        Row(
            "`servers.image_id` set or changed", setter("servers.image_id", "ubuntu_22_04_x64_20G_alibase_20240130.vhd")
        ),
        Row("`servers.instance_type` set or changed", setter("servers.instance_type", "ecs.g7.large")),
        Row("change `frontend_port`", setter("service.frontend_port", 8080), no_outage=False),
        Row("change `backend_port`", setter("service.backend_port", 8080), no_outage=False),
        Row("change `listener_protocol`", setter("service.listener_protocol", "http"), no_outage=False),
        Row(
            "change `backup_zone`",
            setter("service.backup_zone", "eu-central-1c"),
            no_outage=False,
            steps=replaced_while_connected,
        ),
        Row("`auto_accept` false → true", setter("service.auto_accept", True), steps=auto_accept_on),
        Row("`auto_accept` true → false", setter("service.auto_accept", False), steps=auto_accept_off),
        Row("add a consumer", add_consumer),
        Row("remove a consumer", lambda s: s["consumers"].pop(), steps=remove_consumer),
        Row("the service owner disconnects an endpoint", steps=disconnected),
        Row("destroy the provider stack while a consumer is live", steps=destroy_provider_while_live),
        Row("scenario `name`", setter("name", "privatelink-demo-2"), steps=renamed),
    ],
)
NLB_CHAIN = Chain(
    "examples/nlb-multi-zone.toml",
    [
        Row("reorder `service.zones` or a consumer's `zones`", reverse_zones),
        Row("add a zone", add_service_zone),
        Row("remove a zone", remove_service_zone),
        Row("change a consumer from `zone` to `zones` (or back)", single_to_zones),
        Row("change a consumer from `zone` to `zones` (or back)", zones_to_single),
        Row("change `backend_port`", setter("service.backend_port", 8080), no_outage=False),
    ],
)
CROSS_REGION_CHAIN = Chain(
    "examples/cross-region.toml",
    [
        Row("change `cross_region_bandwidth`", lambda s: consumer(s, "london").update(cross_region_bandwidth=2000)),
        Row("change a consumer's `bandwidth`", lambda s: consumer(s, "london").update(bandwidth=2048)),
        # README: removing either changes nothing (Optional and Computed: the endpoint keeps what it has).
        Row("change `cross_region_bandwidth`", lambda s: consumer(s, "london").pop("cross_region_bandwidth")),
        Row("change a consumer's `bandwidth`", lambda s: consumer(s, "london").pop("bandwidth")),
        # Frankfurt has one zone: its endpoint is unreachable while the interface is replaced.
        Row(
            "set, change or remove `endpoint_ip`",
            lambda s: consumer(s, "frankfurt").update(endpoint_ip="10.30.1.101"),
            no_outage=False,
        ),
        Row("set, change or remove `endpoint_ip`", lambda s: consumer(s, "london")["zones"][0].pop("endpoint_ip")),
        # Set for the first time, on London's second zone: the other zone keeps the endpoint reachable.
        Row(
            "set, change or remove `endpoint_ip`",
            lambda s: consumer(s, "london")["zones"][1].update(endpoint_ip="10.40.2.100"),
        ),
        Row("add a consumer in another `region`", add_region_consumer),
        Row(
            "change a consumer's `region`",
            move_region_consumer,
            no_outage=False,
            steps=destroy_first("singapore"),
        ),
        Row("remove the last consumer of a region", remove_region_consumer, steps=destroy_first("singapore")),
    ],
)
ALB_CHAIN = Chain(
    "examples/alb-https.toml",
    [
        Row(
            "change an https `certificate_id`",
            lambda s: listeners(s)[0].update(certificate_id="87654321-eu-central-1"),
        ),
        Row("add a `[[service.listeners]]` entry", add_https_listener),
        Row("add or change `redirect_to`", redirect(8443), no_outage=False),
        Row("add or change `redirect_to`", redirect(443), no_outage=False),
        Row("remove a `[[service.listeners]]` entry (not the first)", remove_https_listener),
        Row("add a `[[service.listeners]]` entry", add_http_listener),
        Row("add or change `redirect_to`", redirect(443, listener=8080), no_outage=False),
        Row("set or change `connect_bandwidth`", setter("service.connect_bandwidth", 2048)),
        Row(
            "set or change `payer`",
            setter("service.payer", "Endpoint"),
            no_outage=False,
            steps=replaced_while_connected,
        ),
        Row("set or change `payer`", lambda s: service(s).pop("payer")),  # README: removing it changes nothing
    ],
)
UDP_LISTENER = {"protocol": "udp", "frontend_port": 53, "backend_port": 5353}
LISTENERS_CHAIN = Chain(
    "examples/many-listeners.toml",
    [
        Row(
            "change an https `certificate_id`",
            lambda s: listeners(s)[1].update(certificate_id="1231579085529123_18f2ab3c4d5_1714763408_709687138"),
        ),
        Row(
            "remove a `[[service.listeners]]` entry (not the first)",
            lambda s: listeners(s).remove(UDP_LISTENER),
        ),
        Row("add a `[[service.listeners]]` entry", lambda s: listeners(s).append(dict(UDP_LISTENER))),
    ],
)
DUAL_STACK_CHAIN = Chain(
    "examples/dual-stack.toml",
    [
        Row(
            "`load_balancer` `clb`/`nlb` → `alb` (or back)", nlb_to_alb, no_outage=False, steps=replaced_while_connected
        ),
        Row(
            "`load_balancer` `clb`/`nlb` → `alb` (or back)", alb_to_nlb, no_outage=False, steps=replaced_while_connected
        ),
        Row("shorthand → `[[service.listeners]]` whose first entry is the same listener", shorthand_to_listeners),
        # README: making another entry the first replaces both listeners (a short outage on their ports).
        Row(
            "shorthand → `[[service.listeners]]` whose first entry is the same listener",
            lambda s: listeners(s).reverse(),
            no_outage=False,
        ),
        Row(
            "`ip_version` `IPv4` → `DualStack`",
            setter("service.ip_version", "DualStack"),
            no_outage=False,
            steps=replaced_while_connected,
        ),
        Row(
            "a consumer's `ip_version` `IPv4` → `DualStack`",
            lambda s: consumer(s, "ipv6-team").update(ip_version="DualStack"),
        ),
        # README: back to IPv4 (every consumer too) changes nothing; the service stays dual-stack.
        Row("`ip_version` `IPv4` → `DualStack`", ipv4),
    ],
    ipv4,
)
CHAINS = {
    "clb": CLB_CHAIN,
    "nlb": NLB_CHAIN,
    "cross-region": CROSS_REGION_CHAIN,
    "alb": ALB_CHAIN,
    "listeners": LISTENERS_CHAIN,
    "dual-stack": DUAL_STACK_CHAIN,
}


README_TABLE = "| change | what the plan does |"


def readme_rows() -> list[str]:
    """The first column of the README's change table: the rows this driver must cover, no more, no less."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(README_TABLE) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("| "):
            break
        rows.append(line[2:].split(" | ", 1)[0])
    return rows


def run_chain(label: str, chain: Chain, scratch: Path, only: set[str]) -> list[tuple[str, str, bool]]:
    """Apply the chain's example (after its start edit, if any), then its rows."""
    example, rows = chain.example, chain.rows
    base = tomllib.loads((ROOT / example).read_text())
    if chain.start is not None:
        chain.start(base)
    root = scratch / label
    dep = Deployment(label, root, root / "cloud")
    results: list[tuple[str, str, bool]] = []
    started = time.monotonic()
    try:
        dep.synthesize(base)
        dep.apply()
        dep.replan()
        dep.require_connected()
    except RowFailed as error:
        return [(f"{label} before-apply ({example})", str(error), False)]
    for row in rows:
        if only and row.name not in only:
            continue
        started = time.monotonic()
        try:
            note = deploy(dep, row)
            results.append(
                (row.name, f"{label}: {note or 'applied in one go'} ({time.monotonic() - started:.0f}s)", True)
            )
        except RowFailed as error:
            results.append((row.name, f"{label}: {error}", False))
            break  # the next row's before is this row's after
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tools/terraform/day_two.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="run only this row (its table name)")
    parser.add_argument("--chain", action="append", choices=sorted(CHAINS), help="run only this chain")
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temporary folder)")
    parser.add_argument("--log", type=Path, help="append every Terraform command's output to DIR/<chain>.log")
    args = parser.parse_args(argv)
    global LOG_DIR
    LOG_DIR = args.log
    table = readme_rows()
    covered = {row.name for chain in CHAINS.values() for row in chain.rows}
    if set(table) != covered:
        for name in sorted(set(table) - covered):
            print(f"FAIL {name}: a row of the README's change table that test-day-two does not cover")
        for name in sorted(covered - set(table)):
            print(f"FAIL {name}: covered here, but not a row of the README's change table")
        return 1
    if require_terraform() is None:
        return 1
    started = time.monotonic()
    lock = threading.Lock()
    failures = 0
    verdicts: dict[str, list[tuple[str, bool]]] = {}
    folder = (
        contextlib.nullcontext(str(args.keep))
        if args.keep
        else tempfile.TemporaryDirectory(prefix="privatelink-day-two-")
    )
    with folder as scratch, ThreadPoolExecutor(max_workers=len(CHAINS)) as pool:
        chosen = {k: c for k, c in CHAINS.items() if not args.chain or k in args.chain}
        futures = [pool.submit(run_chain, k, c, Path(scratch), set(args.only)) for k, c in chosen.items()]
        for future in futures:
            for name, detail, ok in future.result():
                with lock:
                    verdicts.setdefault(name, []).append((detail, ok))
    for name, outcomes in verdicts.items():
        ok = all(o for _, o in outcomes)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: " + "; ".join(d.splitlines()[0] for d, _ in outcomes))
        for detail, passed in outcomes:
            if not passed:
                print(_indent("\n".join(detail.splitlines()[1:60])))
    expected = {row.name for chain in chosen.values() for row in chain.rows if not args.only or row.name in args.only}
    missing = sorted(expected - verdicts.keys())
    for name in missing:
        print(f"FAIL {name}: not reached (an earlier row of its chain failed)")
    print(
        f"test-day-two: {len(verdicts) - failures} of {len(expected)} rows passed in {time.monotonic() - started:.0f}s"
    )
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
