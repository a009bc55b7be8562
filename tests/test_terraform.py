"""Negative cases for real Terraform with the stand-in provider (``make test-terraform``).

Each case breaks a copy of the default scenario's synthesized stacks on
purpose and asserts that Terraform fails with its own message, or with the
stand-in's message that names the attribute and what is allowed, so a pass of
``make test-terraform`` means something. The positive side (every scenario's
full lifecycle) is tools/terraform/lifecycle.py.

Marked ``terraform``: left out of the plain ``pytest`` run (it needs
Terraform on PATH and the stand-in's mirror, and takes about a minute).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "terraform"))

import lifecycle  # noqa: E402
from test_zone_order import EXAMPLE as NLB_EXAMPLE  # noqa: E402
from test_zone_order import reversed_zones_toml  # noqa: E402

pytestmark = pytest.mark.terraform

PROVIDER = "privatelink-provider"
CONSUMER = "privatelink-consumer-vpc1"
REMOTE = "provider-state"  # the consumer's read of the provider stack's named outputs


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if lifecycle.terraform_version()[1]:
        pytest.skip(lifecycle.terraform_version()[1])
    if not (lifecycle.DEFAULT_VENV / "terraform.rc").is_file():
        pytest.skip("the stand-in's mirror is not installed; run `make test-terraform`")
    root = tmp_path_factory.mktemp("synth")
    step = lifecycle.synthesize(None, root, sys.executable)
    assert step.returncode == 0, step.output
    return root / "out"


def workspace(root: Path, synthesized: Path) -> lifecycle.Workspace:
    shutil.copytree(synthesized, root / "out")
    return lifecycle.Workspace(root.name, root, lifecycle.terraform_env(lifecycle.DEFAULT_VENV, root / "standin"))


def edit(ws: lifecycle.Workspace, stack: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = ws.stack_dir(stack) / "cdk.tf.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, indent=2))


def apply(ws: lifecycle.Workspace, stack: str) -> None:
    for args in (("init", "-input=false"), ("apply", "-auto-approve", "-input=false")):
        step = ws.terraform(stack, *args)
        assert step.returncode == 0, step.output


def plan_output(ws: lifecycle.Workspace, stack: str) -> str:
    """init, validate and plan; the output of the first that fails (the case must fail)."""
    for args in (("init", "-input=false"), ("validate",), ("plan", "-input=false")):
        step = ws.terraform(stack, *args)
        if step.returncode:
            return " ".join(step.output.split())  # Terraform wraps long lines
    pytest.fail(f"{stack}: init, validate and plan all passed, but the configuration is broken")


@pytest.fixture
def ws(tmp_path: Path, synthesized: Path) -> Iterator[lifecycle.Workspace]:
    yield workspace(tmp_path, synthesized)


def vpc(document: dict[str, Any]) -> dict[str, Any]:
    return next(iter(document["resource"]["alicloud_vpc"].values()))  # type: ignore[no-any-return]


def test_the_unbroken_copy_plans(ws: lifecycle.Workspace) -> None:
    step = ws.terraform(PROVIDER, "init", "-input=false")
    assert step.returncode == 0, step.output
    step = ws.terraform(PROVIDER, "plan", "-input=false")
    assert step.returncode == 0, step.output
    document = json.loads((ws.stack_dir(PROVIDER) / "cdk.tf.json").read_text())
    resources = sum(len(bodies) for bodies in document["resource"].values())
    assert resources >= 11
    assert f"Plan: {resources} to add, 0 to change, 0 to destroy." in step.output


def test_a_reference_to_an_undeclared_resource_fails(ws: lifecycle.Workspace) -> None:
    edit(ws, PROVIDER, lambda d: d["output"]["service_id"].update(value="${alicloud_vpc.missing.id}"))
    output = plan_output(ws, PROVIDER)
    assert "Reference to undeclared resource" in output
    assert 'A managed resource "alicloud_vpc" "missing" has not been declared in the root module.' in output


def test_an_enum_violation_names_the_attribute_and_the_allowed_values(ws: lifecycle.Workspace) -> None:
    def public_clb(document: dict[str, Any]) -> None:
        next(iter(document["resource"]["alicloud_slb_load_balancer"].values()))["address_type"] = "public"

    edit(ws, PROVIDER, public_clb)
    assert 'expected address_type to be one of ["internet" "intranet"], got public' in plan_output(ws, PROVIDER)


def test_a_conflicting_pair_of_attributes_fails(ws: lifecycle.Workspace) -> None:
    edit(ws, PROVIDER, lambda d: vpc(d).update(name="also-a-name"))
    assert '"vpc_name": conflicts with name' in plan_output(ws, PROVIDER)


def test_an_out_of_range_number_names_the_range(ws: lifecycle.Workspace) -> None:
    def slow_health_check(document: dict[str, Any]) -> None:
        next(iter(document["resource"]["alicloud_slb_listener"].values()))["healthy_threshold"] = 11

    edit(ws, PROVIDER, slow_health_check)
    assert "expected healthy_threshold to be in the range (1 - 10), got 11" in plan_output(ws, PROVIDER)


def test_an_unknown_argument_fails(ws: lifecycle.Workspace) -> None:
    edit(ws, PROVIDER, lambda d: vpc(d).update(colour="blue"))
    output = plan_output(ws, PROVIDER)
    assert "Extraneous JSON object property" in output
    assert 'No argument or block type is named "colour".' in output


def test_a_remote_state_output_the_provider_stack_lacks_fails(ws: lifecycle.Workspace) -> None:
    apply(ws, PROVIDER)

    def read_missing_output(document: dict[str, Any]) -> None:
        document["output"]["endpoint_id"]["value"] = f"${{data.terraform_remote_state.{REMOTE}.outputs.no_such_output}}"

    edit(ws, CONSUMER, read_missing_output)
    output = plan_output(ws, CONSUMER)
    assert "Unsupported attribute" in output
    assert 'This object does not have an attribute named "no_such_output".' in output


def test_a_force_new_change_plans_a_replacement(ws: lifecycle.Workspace) -> None:
    apply(ws, PROVIDER)
    # alicloud_vswitch.cidr_block is ForceNew in the provider (alicloud_vpc.cidr_block is updatable).
    edit(
        ws,
        PROVIDER,
        lambda d: next(iter(d["resource"]["alicloud_vswitch"].values())).update(cidr_block="192.168.25.0/24"),
    )
    step = ws.terraform(PROVIDER, "plan", "-input=false")
    assert step.returncode == 0, step.output
    assert "# alicloud_vswitch.network_vswitch_0FB60462 must be replaced" in step.output
    assert "# forces replacement" in step.output


def test_a_harmless_change_updates_in_place(ws: lifecycle.Workspace) -> None:
    apply(ws, PROVIDER)
    edit(ws, PROVIDER, lambda d: vpc(d)["tags"].update(owner="team-a"))
    step = ws.terraform(PROVIDER, "plan", "-input=false")
    assert step.returncode == 0, step.output
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in step.output


def sample_value(name: str, attr: dict[str, Any]) -> Any:
    """A value the provider's own rules accept, for an attribute of any type."""
    ty = attr["type"]
    if attr.get("enum"):
        return attr["enum"][0]
    rule = attr.get("validate_func", "")
    if ty == "number":
        low = re.search(r"IntBetween\((-?\d+),", rule)
        return int(low.group(1)) if low else 1
    if ty == "bool":
        return False
    if ty == "string":
        return "ecs.sample-value" if "ecs" in rule else f"sample-{name.replace('_', '-')}"
    if ty[0] in ("list", "set"):
        return [sample_value(name, {"type": ty[1]})]
    if ty[0] == "map":
        return {"key": sample_value(name, {"type": ty[1]})}
    return {key: sample_value(key, {"type": t}) for key, t in ty[1].items()}


def sample_block(block: dict[str, Any]) -> dict[str, Any]:
    """Every required attribute and block, plus the first of each exactly/at-least-one-of group."""
    config: dict[str, Any] = {}
    for name, attr in sorted(block.get("attributes", {}).items()):
        group = attr.get("exactly_one_of") or attr.get("at_least_one_of")
        if attr.get("required") or (group and group[0] == name):
            config[name] = sample_value(name, attr)
    for name, nested in sorted(block.get("block_types", {}).items()):
        if nested.get("min_items", 0) >= 1 or nested.get("go_min_items", 0) >= 1:
            element = sample_block(nested["block"])
            config[name] = element if nested["nesting_mode"] == "single" else [element]
    return config


def test_every_type_in_the_schema_plans_applies_and_destroys(tmp_path: Path, synthesized: Path) -> None:
    """The stand-in is driven by the schema alone: one of each resource and data source, end to end."""
    schema = json.loads((ROOT / "tools" / "schema" / "alicloud-provider-schema.json").read_text())
    provider = schema["provider_schemas"]["registry.terraform.io/aliyun/alicloud"]
    document = {
        "terraform": {"required_providers": {"alicloud": {"source": "aliyun/alicloud", "version": "1.289.0"}}},
        "provider": {"alicloud": [{"region": "eu-central-1"}]},
        "resource": {t: {"sample": sample_block(s["block"])} for t, s in provider["resource_schemas"].items()},
        "data": {t: {"sample": sample_block(s["block"])} for t, s in provider["data_source_schemas"].items()},
        "output": {
            "ids": {"value": [f"${{{t}.sample.id}}" for t in provider["resource_schemas"]]},
            "data_ids": {"value": [f"${{data.{t}.sample.id}}" for t in provider["data_source_schemas"]]},
        },
    }
    stack = tmp_path / "out" / "stacks" / "every-type"
    stack.mkdir(parents=True)
    (stack / "main.tf.json").write_text(json.dumps(document, indent=2))
    ws = lifecycle.Workspace("every-type", tmp_path, lifecycle.terraform_env(lifecycle.DEFAULT_VENV, tmp_path / "s"))
    for args in (
        ("init", "-input=false"),
        ("validate",),
        ("apply", "-auto-approve", "-input=false"),
        ("plan", "-input=false", "-detailed-exitcode"),
        ("destroy", "-auto-approve", "-input=false"),
    ):
        step = ws.terraform("every-type", *args)
        assert step.returncode == 0, f"terraform {' '.join(args)}:\n{step.output}"
    counts = len(provider["resource_schemas"])
    assert f"Resources: {counts} destroyed." in step.output


def test_plan_offline_gives_a_verdict_and_a_summary_for_every_stack(
    synthesized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = ROOT / "examples" / "many-consumers.toml"
    assert lifecycle.main(["--python", sys.executable, "plan-offline", "--config", str(config)]) == 0
    output = capsys.readouterr().out
    stacks = ["privatelink-provider", *(f"privatelink-consumer-team-{t}" for t in "abcde")]
    for stack in stacks:
        assert re.search(rf"^{stack}: OK \(init, validate, plan\): \d+ to add", output, re.M), output
        assert re.search(rf"^  {stack} +\d+ to add, 0 to change, 0 to destroy$", output, re.M), output
    assert "privatelink-provider: applied with the stand-in" in output
    assert output.rstrip().endswith("verdict: every stack validates and plans")


def test_the_hcl_output_applies_like_the_json(tmp_path: Path) -> None:
    """``SYNTH_HCL_OUTPUT=true``: real Terraform accepts every cdk.tf, applies the provider stack, plans the consumer.

    This is what python-hcl2 and ``terraform fmt`` cannot see: HCL where Terraform reads
    expressions differently from JSON (``replace_triggered_by`` refuses a quoted reference).
    """
    if lifecycle.terraform_version()[1]:
        pytest.skip(lifecycle.terraform_version()[1])
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env={**os.environ, "SYNTH_HCL_OUTPUT": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    ws = lifecycle.Workspace(
        tmp_path.name, tmp_path, lifecycle.terraform_env(lifecycle.DEFAULT_VENV, tmp_path / "standin")
    )
    assert not list(ws.out.glob("stacks/*/cdk.tf.json"))
    for stack in (PROVIDER, CONSUMER):
        step = ws.terraform(stack, "init", "-input=false")
        assert step.returncode == 0, step.output
        step = ws.terraform(stack, "validate")
        assert step.returncode == 0 and "Warning" not in step.output, step.output
    step = ws.terraform(PROVIDER, "apply", "-auto-approve", "-input=false")
    assert step.returncode == 0, step.output
    step = ws.terraform(CONSUMER, "plan", "-input=false")
    assert step.returncode == 0, step.output
    assert "service_id" in step.output and "(sensitive value)" not in step.output


def _apply_then_plan(tmp_path: Path, example: Path, changed: str) -> tuple[dict[str, str], list[str]]:
    """Apply ``example`` with the stand-in, then plan each stack of the scenario text ``changed`` against that
    state: each stack's plan output (on one line) and the stacks whose synthesized file differed."""
    if lifecycle.terraform_version()[1]:
        pytest.skip(lifecycle.terraform_version()[1])
    if not (lifecycle.DEFAULT_VENV / "terraform.rc").is_file():
        pytest.skip("the stand-in's mirror is not installed; run `make test-terraform`")
    copy = tmp_path / "changed.toml"
    copy.write_text(changed, encoding="utf-8")
    for config, root in ((example, tmp_path), (copy, tmp_path / "changed")):
        step = lifecycle.synthesize(config, root, sys.executable)
        assert step.returncode == 0, step.output
    ws = lifecycle.Workspace(tmp_path.name, tmp_path, lifecycle.terraform_env(lifecycle.DEFAULT_VENV, tmp_path / "si"))
    stacks = [stack for level in ws.stacks() for stack in level]
    for stack in stacks:
        assert lifecycle.prepare(ws, stack, record=ws.log.append) is None
        step = ws.terraform(stack, "apply", "-auto-approve", "-input=false")
        assert step.returncode == 0, step.output
    plans, differed = {}, []
    for stack in stacks:
        synthesized = tmp_path / "changed" / "out" / "stacks" / stack / "cdk.tf.json"
        if synthesized.read_bytes() != ws.stack_dir(stack).joinpath("cdk.tf.json").read_bytes():
            differed.append(stack)
        shutil.copyfile(synthesized, ws.stack_dir(stack) / "cdk.tf.json")
        step = ws.terraform(stack, "plan", "-input=false", "-detailed-exitcode")
        assert step.returncode in (0, 2), f"{stack}:\n{step.output}"
        plans[stack] = " ".join(step.output.split())
    return plans, differed


def test_reordering_every_zones_list_of_the_nlb_example_plans_no_changes(tmp_path: Path) -> None:
    """Apply examples/nlb-multi-zone.toml, then plan a copy with every ``zones`` list reversed: nothing to do."""
    changed = reversed_zones_toml(NLB_EXAMPLE.read_text(encoding="utf-8"))
    plans, differed = _apply_then_plan(tmp_path, NLB_EXAMPLE, changed)
    assert len(plans) == 3, plans
    for stack, output in plans.items():
        assert "No changes." in output, f"{stack}: {output}"
    assert {PROVIDER, "privatelink-consumer-orders-team"} <= set(differed)  # the plans saw reordered files


def test_removing_a_listener_destroys_only_its_listener_and_rules(tmp_path: Path) -> None:
    """Apply examples/many-listeners.toml, then plan it without its udp listener: only that listener, the
    backends' udp rule and the consumer's udp rule go; nothing is added, changed or replaced."""
    example = ROOT / "examples" / "many-listeners.toml"
    text = example.read_text(encoding="utf-8")
    udp = '[[service.listeners]]\nprotocol = "udp"\nfrontend_port = 53\nbackend_port = 5353\n'
    assert text.count(udp) == 1
    plans, _ = _apply_then_plan(tmp_path, example, text.replace(udp, ""))
    assert "Plan: 0 to add, 0 to change, 2 to destroy." in plans[PROVIDER], plans[PROVIDER]
    assert "alicloud_slb_listener.service_listener-53" in plans[PROVIDER]
    consumer = plans["privatelink-consumer-vpc1"]
    assert "Plan: 0 to add, 0 to change, 1 to destroy." in consumer, consumer
    assert "ingress-udp-53-10-10-0-0-24" in consumer


EXISTING_NLB = ROOT / "examples" / "existing-nlb.toml"
INTRANET_NLB = "nlb-83ckzc8d4xlp8o0001"  # tools/terraform/catalogue.py: intranet, eu-central-1a and -1b


def _plan_existing_nlb(tmp_path: Path, nlb_id: str) -> tuple[int, str]:
    """Plan the provider stack of examples/existing-nlb.toml with ``load_balancer_id = nlb_id``."""
    text = EXISTING_NLB.read_text(encoding="utf-8")
    assert text.count(INTRANET_NLB) == 1
    return _plan_provider(tmp_path, text.replace(INTRANET_NLB, nlb_id))


def _plan_existing(tmp_path: Path, load_balancer: str, load_balancer_id: str, zone: str) -> tuple[int, str]:
    """Plan the provider stack of a scenario publishing ``load_balancer_id`` in ``zone``, with one consumer there."""
    text = f"""region = "eu-central-1"
name = "existing-{load_balancer}"

[service]
load_balancer = "{load_balancer}"
load_balancer_id = "{load_balancer_id}"
listener_protocol = "{"http" if load_balancer == "alb" else "tcp"}"
zones = [{{ zone = "{zone}" }}]

[[consumers]]
name = "team"
vpc_cidr = "10.30.0.0/16"
vswitch_cidr = "10.30.1.0/24"
zone = "{zone}"
"""
    return _plan_provider(tmp_path, text)


def _plan_provider(tmp_path: Path, text: str) -> tuple[int, str]:
    """Synthesize the scenario ``text`` and plan its provider stack: the exit code and the output on one line."""
    if lifecycle.terraform_version()[1]:
        pytest.skip(lifecycle.terraform_version()[1])
    if not (lifecycle.DEFAULT_VENV / "terraform.rc").is_file():
        pytest.skip("the stand-in's mirror is not installed; run `make test-terraform`")
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "scenario.toml"
    config.write_text(text, encoding="utf-8")
    step = lifecycle.synthesize(config, tmp_path, sys.executable)
    assert step.returncode == 0, step.output
    ws = lifecycle.Workspace(tmp_path.name, tmp_path, lifecycle.terraform_env(lifecycle.DEFAULT_VENV, tmp_path / "si"))
    init = ws.terraform(PROVIDER, "init", "-input=false")
    assert init.returncode == 0, init.output
    step = ws.terraform(PROVIDER, "plan", "-input=false")
    return step.returncode, " ".join(step.output.split())


def test_the_existing_nlb_precondition_passes_for_an_intranet_nlb_in_every_zone(tmp_path: Path) -> None:
    returncode, output = _plan_existing_nlb(tmp_path, INTRANET_NLB)
    assert returncode == 0, output
    assert "Plan: 3 to add, 0 to change, 0 to destroy." in output


def test_the_existing_nlb_precondition_fails_with_its_sentence_for_an_internet_facing_nlb(tmp_path: Path) -> None:
    returncode, output = _plan_existing_nlb(tmp_path, "nlb-internet0facing0001")
    assert returncode != 0
    assert "Resource precondition failed" in output
    assert (
        "The NLB nlb-internet0facing0001 is internet-facing, not intranet: PrivateLink publishes only an internal "
        "load balancer, so give the id of an intranet NLB." in output
    )
    assert "does not span zone" not in output  # it has both zones


def test_the_existing_nlb_precondition_fails_with_its_sentence_for_a_missing_zone(tmp_path: Path) -> None:
    returncode, output = _plan_existing_nlb(tmp_path, "nlb-onezone0intranet01")
    assert returncode != 0
    assert "Resource precondition failed" in output
    assert (
        "The NLB nlb-onezone0intranet01 does not span zone eu-central-1b, which the service's zones list: remove "
        "eu-central-1b from the zones, or give an NLB that has eu-central-1b among its zones." in output
    )
    assert "internet-facing" not in output and "does not span zone eu-central-1a" not in output


def test_the_existing_nlb_precondition_fails_for_an_unknown_nlb(tmp_path: Path) -> None:
    returncode, output = _plan_existing_nlb(tmp_path, "nlb-doesnotexist000001")
    assert returncode != 0
    assert "The NLB nlb-doesnotexist000001 was not found in the provider's region" in output
    assert output.count("Resource precondition failed") == 1, "not also a line per zone it cannot span"


def test_an_existing_alb_with_dynamic_addresses_fails_with_its_sentence(tmp_path: Path) -> None:
    returncode, output = _plan_existing(tmp_path, "alb", "alb-dynamic0address01", "eu-central-1a")
    assert returncode != 0
    assert (
        "The ALB alb-dynamic0address01 does not have fixed addresses (its address_allocated_mode is not Fixed): "
        "PrivateLink publishes only an ALB with fixed addresses, which is set when it is created, so give the id "
        "of such an ALB." in output
    )
    assert output.count("Resource precondition failed") == 1, "only the one condition that is false"


def test_an_existing_intranet_clb_and_alb_pass_their_preconditions(tmp_path: Path) -> None:
    for load_balancer, load_balancer_id, zone in (
        ("clb", "lb-gw8intranet0clb00001", "eu-central-1b"),
        ("alb", "alb-o9ulmq5hgn68jk0001", "eu-central-1a"),
    ):
        returncode, output = _plan_existing(tmp_path / load_balancer, load_balancer, load_balancer_id, zone)
        assert returncode == 0, output
        # the endpoint service and the one attachment (an ALB's in its one zone here)
        assert "Plan: 2 to add, 0 to change, 0 to destroy." in output, output


@pytest.mark.parametrize(
    ("clb_id", "zone", "sentence"),
    [
        (
            "lb-gw8internet0clb0001",
            "eu-central-1b",
            "The CLB lb-gw8internet0clb0001 is internet-facing, not intranet: PrivateLink publishes only an internal "
            "load balancer, so give the id of an intranet CLB.",
        ),
        (  # eu-central-1a is the catalogue CLB's backup zone, which does not count
            "lb-gw8intranet0clb00001",
            "eu-central-1a",
            "The CLB lb-gw8intranet0clb00001 does not span zone eu-central-1a, which the service's zones list: remove "
            "eu-central-1a from the zones, or give a CLB that has eu-central-1a as its primary zone.",
        ),
    ],
    ids=["internet-facing", "outside-its-primary-zone"],
)
def test_an_existing_clb_fails_with_its_sentence(tmp_path: Path, clb_id: str, zone: str, sentence: str) -> None:
    returncode, output = _plan_existing(tmp_path, "clb", clb_id, zone)
    assert returncode != 0
    assert "Resource precondition failed" in output
    assert sentence in output
    assert output.count("Resource precondition failed") == 1, "only the one condition that is false"


def test_demo_servers_with_dotted_and_repeated_names_plan(tmp_path: Path) -> None:
    """A server's boot-script record is named as cdktf names it: ``web.1`` loses its dot and ``script`` (the end
    of ``boot-script``) its own component, so the instance's ``replace_triggered_by`` must say the same."""
    default = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")
    text = default.replace('name = "ecs2"', 'name = "web.1"').replace('name = "ecs3"', 'name = "script"')
    assert text.count('"web.1"') == 1 and text.count('"script"') == 1
    returncode, output = _plan_provider(tmp_path, text)
    assert returncode == 0, output
    assert "terraform_data.backend-servers_boot-script_web1_" in output
    assert "terraform_data.backend-servers_boot-script_C9BDF35F" in output
