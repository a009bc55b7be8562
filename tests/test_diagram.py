"""`make diagram`: the architecture drawn from the synthesized Terraform JSON, as DOT and Mermaid."""

from __future__ import annotations

import contextlib
import html
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, Run, synth_stacks

from app import cli
from app.diagram import (
    README_END,
    README_START,
    Diagram,
    Node,
    build_diagram,
    diagram_from_dir,
    mermaid_ids,
    render_svg,
    replace_readme_block,
    to_dot,
    to_mermaid,
)
from app.diagram import main as diagram_main

PROVIDER = "privatelink-provider"
CONSUMER = "privatelink-consumer-vpc1"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default scenario and two examples, synthesized by main.py into output folders."""
    folders: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PRIVATELINK_CONFIG", raising=False)
        patch.delenv("CDKTF_OUTDIR", raising=False)
        for name in ("default", "private-dns", "existing-vpc"):
            out = tmp_path_factory.mktemp(name) / "out"
            config = [] if name == "default" else ["--config", str(ROOT / "examples" / f"{name}.toml")]
            assert cli.main([*config, "--out", str(out)]) == 0
            folders[name] = out
    return folders


@pytest.fixture(scope="module")
def default(synthesized: dict[str, Path]) -> Diagram:
    return diagram_from_dir(synthesized["default"])


def find(diagram: Diagram, kind: str, text: str = "", cluster: str | None = None) -> Node:
    found = [
        node for node in diagram.of_kind(kind) if text in node.label and (cluster is None or node.cluster == cluster)
    ]
    assert len(found) == 1, f"expected one {kind} node with {text!r}, found {[n.label for n in found]}"
    return found[0]


def dot_edge(dot: str, source: Node, target: Node) -> str | None:
    """The attributes of the DOT edge ``source -> target`` ("" without any), or None when absent."""
    match = re.search(rf'^  "{re.escape(source.id)}" -> "{re.escape(target.id)}"(?: \[(.*)\])?;$', dot, re.MULTILINE)
    return None if match is None else match.group(1) or ""


def mermaid_arrow(mermaid: str, ids: dict[str, str], source: Node, target: Node) -> str | None:
    """The arrow (``-->`` or ``==>``) from ``source`` to ``target`` in the flowchart, or None."""
    match = re.search(rf"^  {ids[source.id]} (-->|==>)(?:\|[^|]*\|)? {ids[target.id]}$", mermaid, re.MULTILINE)
    return None if match is None else match.group(1)


def assert_edge(diagram: Diagram, source: Node, target: Node, traffic: bool) -> None:
    """The edge is in the model and in both renderings, highlighted exactly when it is traffic."""
    assert any(e.source == source.id and e.target == target.id and e.traffic == traffic for e in diagram.edges)
    attributes = dot_edge(to_dot(diagram), source, target)
    assert attributes is not None, f"no DOT edge {source.label!r} -> {target.label!r}"
    assert ('color="#d62728"' in attributes) == traffic
    arrow = mermaid_arrow(to_mermaid(diagram), mermaid_ids(diagram), source, target)
    assert arrow == ("==>" if traffic else "-->"), f"Mermaid edge {source.label!r} -> {target.label!r}: {arrow}"


# --- the default scenario ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "texts"),
    [
        ("vpc", ["10.10.0.0/16", "192.168.0.0/16"]),
        ("vswitch", ["10.10.0.0/24 @ eu-central-1b", "192.168.24.0/24 @ eu-central-1b"]),
        ("ecs", ["ECS ecs1", "ECS ecs2", "ECS ecs3"]),
        ("clb", ["clb-privatelink"]),
        ("listener", ["TCP :80 → :80"]),
        ("endpoint_service", ["Endpoint service"]),
        ("endpoint", ["ep-vpc1"]),
        ("endpoint_zone", ["eu-central-1b"]),
        ("security_rule", ["tcp/80\nfrom 10.10.0.0/24", "tcp/80\nfrom 100.64.0.0/10"]),
        ("connection", ["Endpoint connection"]),
    ],
)
def test_every_resource_kind_is_drawn_in_both_renderings(default: Diagram, kind: str, texts: list[str]) -> None:
    nodes = default.of_kind(kind)
    assert len(nodes) == len(texts)
    dot, mermaid, ids = to_dot(default), to_mermaid(default), mermaid_ids(default)
    for text in texts:
        node = find(default, kind, text)
        assert f'"{node.id}" [label="{node.label.replace(chr(10), chr(92) + "n")}"' in dot
        assert re.search(rf"^    {ids[node.id]}\W+\"{re.escape(node.label.replace(chr(10), '<br/>'))}\"", mermaid, re.M)


def test_each_stack_is_a_cluster(default: Diagram) -> None:
    titles = {cluster.name: cluster.title for cluster in default.clusters}
    assert titles == {
        CONSUMER: f"{CONSUMER} (consumer, VPC 10.10.0.0/16)",
        PROVIDER: f"{PROVIDER} (service provider, VPC 192.168.0.0/16)",
    }
    assert find(default, "endpoint").cluster == CONSUMER
    assert find(default, "clb").cluster == PROVIDER
    dot, mermaid = to_dot(default), to_mermaid(default)
    for cluster in default.clusters:
        assert f'subgraph "cluster_{cluster.name}"' in dot
        assert f'subgraph {mermaid_ids(default)["cluster/" + cluster.name]}["{cluster.title}"]' in mermaid


def test_the_traffic_path_is_highlighted(default: Diagram) -> None:
    client, endpoint = find(default, "ecs", "ecs1"), find(default, "endpoint")
    service, listener = find(default, "endpoint_service"), find(default, "listener")
    backends = [find(default, "ecs", "ecs2"), find(default, "ecs", "ecs3")]
    hops = [(client, endpoint), (endpoint, service), (service, listener)] + [(listener, b) for b in backends]
    for source, target in hops:
        assert_edge(default, source, target, traffic=True)
    assert {(e.source, e.target) for e in default.traffic} == {(s.id, t.id) for s, t in hops}
    assert "linkStyle" in to_mermaid(default)


def test_references_become_edges(default: Diagram) -> None:
    clb, service = find(default, "clb"), find(default, "endpoint_service")
    endpoint, zone, connection = find(default, "endpoint"), find(default, "endpoint_zone"), find(default, "connection")
    for stack in (CONSUMER, PROVIDER):
        assert_edge(default, find(default, "vswitch", cluster=stack), find(default, "vpc", cluster=stack), False)
    provider_vswitch, consumer_vswitch = (find(default, "vswitch", cluster=s) for s in (PROVIDER, CONSUMER))
    assert_edge(default, find(default, "ecs", "ecs1"), consumer_vswitch, False)
    assert_edge(default, find(default, "ecs", "ecs2"), provider_vswitch, False)
    assert_edge(default, clb, provider_vswitch, False)
    assert_edge(default, find(default, "listener"), clb, False)
    assert_edge(default, service, clb, False)  # the endpoint service's resource
    for backend in ("ecs2", "ecs3"):  # the CLB's backend server entries
        assert_edge(default, clb, find(default, "ecs", backend), False)
    assert_edge(default, zone, consumer_vswitch, False)
    assert_edge(default, zone, endpoint, False)
    assert_edge(default, connection, endpoint, False)
    assert_edge(default, connection, service, False)  # across stacks, through the remote state output
    rule = find(default, "security_rule", "10.10.0.0/24")
    assert_edge(default, rule, find(default, "security_group", "ep-vpc1-sg"), False)


def test_cross_stack_references_resolve_to_the_provider_stack(default: Diagram) -> None:
    service = find(default, "endpoint_service")
    incoming = sorted(default.node(e.source).kind for e in default.edges if e.target == service.id)
    assert incoming == ["connection", "endpoint"]
    assert all(default.node(e.source).cluster == CONSUMER for e in default.edges if e.target == service.id)


def test_output_is_deterministic(synthesized: dict[str, Path], default: Diagram) -> None:
    again = diagram_from_dir(synthesized["default"])
    assert (to_dot(again), to_mermaid(again)) == (to_dot(default), to_mermaid(default))
    stacks = synth_stacks()
    reversed_order = build_diagram(dict(reversed(list(stacks.items()))))
    assert to_dot(reversed_order) == to_dot(default)
    assert to_mermaid(reversed_order) == to_mermaid(default)
    assert list(default.nodes) == sorted(default.nodes) and list(default.edges) == sorted(default.edges)


# --- other scenarios ---------------------------------------------------------------------------


def test_private_dns_draws_the_record_and_its_zone(synthesized: dict[str, Path]) -> None:
    diagram = diagram_from_dir(synthesized["private-dns"])
    record = find(diagram, "dns_record", "CNAME service.internal.example")
    zone = find(diagram, "dns_zone", "internal.example")
    assert_edge(diagram, record, find(diagram, "endpoint"), False)
    assert_edge(diagram, record, zone, False)
    assert_edge(diagram, zone, find(diagram, "vpc", cluster="privatelink-consumer-web"), False)
    assert "CNAME service.internal.example" in to_mermaid(diagram)


def test_existing_networks_and_servers_render(synthesized: dict[str, Path]) -> None:
    diagram = diagram_from_dir(synthesized["existing-vpc"])
    assert to_dot(diagram).startswith("digraph") and to_mermaid(diagram).startswith("flowchart")
    assert not [node for node in diagram.of_kind("vpc") if not node.existing]
    office = "privatelink-consumer-office"
    vpc = find(diagram, "vpc", "vpc-gw8existingconsumer1")
    assert vpc.existing and vpc.lines == ("existing VPC", "vpc-gw8existingconsumer1") and vpc.cluster == office
    assert_edge(diagram, find(diagram, "endpoint", "ep-office"), vpc, False)
    assert find(diagram, "security_group", "sg-gw8existingconsumer1").existing
    listener = find(diagram, "listener")
    for instance in ("i-gw8existingcrm000001", "i-gw8existingcrm000002"):
        assert_edge(diagram, listener, find(diagram, "ecs", instance), True)
    assert len([e for e in diagram.traffic if e.label == "PrivateLink"]) == 2
    assert "classDef existing" in to_mermaid(diagram)
    assert 'style="rounded,filled,dashed"' in to_dot(diagram)


BUILT_BALANCERS = {"alicloud_slb_load_balancer", "alicloud_nlb_load_balancer", "alicloud_alb_load_balancer"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_a_traffic_path_per_endpoint(path: Path) -> None:
    stacks = synth_stacks(str(path))
    diagram = build_diagram(stacks)
    endpoints = diagram.of_kind("endpoint")
    assert endpoints
    privatelink = [e for e in diagram.traffic if e.label.startswith("PrivateLink")]
    assert {e.source for e in privatelink} == {node.id for node in endpoints}
    if "privatelink-provider" not in stacks:  # consume-only: the path ends at the service published elsewhere
        assert all(diagram.node(e.target).existing for e in privatelink)
    elif not BUILT_BALANCERS & set(stacks["privatelink-provider"]["resource"]):
        # an existing load balancer published here: the path ends at it, drawn as existing
        ends = [e for e in diagram.traffic if e.source in {p.target for p in privatelink}]
        assert ends and all(diagram.node(e.target).existing for e in ends)
        assert {diagram.node(e.target).kind for e in ends} <= {"clb", "nlb", "alb"}
    else:  # built here: a backend server answers
        assert any(diagram.node(e.target).kind == "ecs" for e in diagram.traffic)


def test_odd_input_does_not_crash() -> None:
    stacks = {
        "empty": {},
        "odd": {
            "resource": {
                "alicloud_vpc": {"quoted": {"vpc_name": 'say "hi" <b>#1</b>', "cidr_block": "${var.cidr}"}},
                "alicloud_vswitch": {"unknown": {"vpc_id": "${alicloud_vpc.missing.id}", "zone_id": "z"}},
                "alicloud_privatelink_vpc_endpoint": {
                    "ep": {"service_id": "${data.terraform_remote_state.x.outputs.y}"}
                },
                "alicloud_slb_backend_server": {"b": {"backend_servers": "not-a-list", "load_balancer_id": 3}},
                "alicloud_something_new": {"n": {"vpc_id": "${alicloud_vpc.quoted.id}"}},
                "null_resource": {"skip": {}},
                "alicloud_instance": {"bad": "not-an-object"},
            }
        },
    }
    diagram = build_diagram(stacks)
    vpc = find(diagram, "vpc")
    assert vpc.lines == ("VPC", 'say "hi" <b>#1</b>')
    assert 'label="VPC\\nsay \\"hi\\" <b>#1</b>"' in to_dot(diagram)
    assert '"VPC<br/>say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;"' in to_mermaid(diagram)
    assert find(diagram, "other", "something_new")
    assert not diagram.traffic


# --- README and command line -------------------------------------------------------------------


def test_readme_block_is_replaced_between_the_markers() -> None:
    readme = f"# Title\n\nBefore.\n\n{README_START}\nold\n{README_END}\n\nAfter.\n"
    updated = replace_readme_block(readme, "flowchart LR\n  a --> b\n")
    assert (
        updated
        == f"# Title\n\nBefore.\n\n{README_START}\n```mermaid\nflowchart LR\n  a --> b\n```\n{README_END}\n\nAfter.\n"
    )
    assert replace_readme_block(updated, "flowchart LR\n  a --> b\n") == updated
    assert replace_readme_block("# No markers\n", "flowchart LR\n") is None
    assert replace_readme_block(f"{README_END}\n{README_START}\n", "flowchart LR\n") is None


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = diagram_main(list(args))
    return status, out.getvalue(), err.getvalue()


def test_cli_writes_dot_mermaid_and_readme(synthesized: dict[str, Path], default: Diagram, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Demo\n\n{README_START}\n{README_END}\n", encoding="utf-8")
    dot, mermaid = tmp_path / "docs" / "architecture.dot", tmp_path / "architecture.mmd"
    status, stdout, _ = run_cli(
        "--dir", str(synthesized["default"]), "--dot", str(dot), "--mermaid", str(mermaid), "--readme", str(readme)
    )
    assert status == 0 and "diagram:" in stdout
    assert dot.read_text(encoding="utf-8") == to_dot(default)
    assert mermaid.read_text(encoding="utf-8") == to_mermaid(default)
    assert f"{README_START}\n```mermaid\n{to_mermaid(default)}```\n{README_END}" in readme.read_text(encoding="utf-8")


def test_cli_leaves_a_readme_without_markers_alone(synthesized: dict[str, Path], tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Demo\n", encoding="utf-8")
    status, stdout, _ = run_cli("--dir", str(synthesized["default"]), "--readme", str(readme))
    assert status == 0 and "note:" in stdout and "markers" in stdout
    assert readme.read_text(encoding="utf-8") == "# Demo\n"


def test_cli_prints_dot_without_outputs_and_fails_without_stacks(synthesized: dict[str, Path], tmp_path: Path) -> None:
    status, stdout, _ = run_cli("--dir", str(synthesized["default"]))
    assert status == 0 and stdout.startswith("digraph architecture {")
    status, _, stderr = run_cli("--dir", str(tmp_path))
    assert status == 2 and "no stacks/*/cdk.tf.json" in stderr


def test_without_graphviz_the_svg_is_skipped_with_a_hint_and_mermaid_still_refreshed(
    synthesized: dict[str, Path], default: Diagram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` anywhere
    svg, mermaid = tmp_path / "architecture.svg", tmp_path / "architecture.mmd"
    svg.write_text("old", encoding="utf-8")
    status, stdout, stderr = run_cli("--dir", str(synthesized["default"]), "--svg", str(svg), "--mermaid", str(mermaid))
    assert status == 0
    assert "Graphviz is not installed (apt-get install -y graphviz)" in stderr
    assert svg.read_text(encoding="utf-8") == "old"
    assert mermaid.read_text(encoding="utf-8") == to_mermaid(default)
    assert str(svg) not in stdout and str(mermaid) in stdout


@needs_dot
def test_svg_is_rendered_and_deterministic(default: Diagram, synthesized: dict[str, Path], tmp_path: Path) -> None:
    svg = render_svg(to_dot(default))
    assert svg == render_svg(to_dot(default))
    assert "<svg" in svg and "ep-vpc1" in html.unescape(svg) and 'stroke="#d62728"' in svg
    assert str(tmp_path) not in svg and str(ROOT) not in svg and str(synthesized["default"]) not in svg
    target = tmp_path / "docs" / "architecture.svg"
    assert run_cli("--dir", str(synthesized["default"]), "--svg", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == svg


def test_committed_diagram_matches_the_default_scenario(run_main: Callable[..., Run], tmp_path: Path) -> None:
    """The README's Mermaid block and docs/architecture.dot are what `make diagram` draws today."""
    assert run_main("--out", str(tmp_path / "out")).status == 0
    diagram = diagram_from_dir(tmp_path / "out")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert replace_readme_block(readme, to_mermaid(diagram)) == readme, "run `make diagram` and commit the result"
    assert (ROOT / "docs" / "architecture.dot").read_text(encoding="utf-8") == to_dot(diagram)
