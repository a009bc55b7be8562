"""Every synthesized stack conforms to the alicloud provider schema; the checker catches each kind of mistake."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, SCHEMA_PATH, SCHEMA_REPORT, Run, Stack, synth_stacks

from alicloud_privatelink.schema_check import ProviderSchema, check_stack, load_schema

CONFIGS = [None, *[str(path) for path in EXAMPLES]]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: Path(c).stem if c else "builtin-default")
def test_every_stack_has_zero_schema_problems(config: str | None, schema: ProviderSchema) -> None:
    for name, stack in synth_stacks(config).items():
        report = check_stack(stack, schema)
        SCHEMA_REPORT["stacks"] += 1
        SCHEMA_REPORT["checked"] += report.checked
        SCHEMA_REPORT["problems"] += len(report.problems)
        assert report.problems == (), name
        assert report.checked > 0


def test_default_scenario_checks_every_alicloud_block(default_stacks: dict[str, Stack], schema: ProviderSchema) -> None:
    expected = sum(
        len(instances)
        for stack in default_stacks.values()
        for section in ("resource", "data")
        for type_name, instances in stack.get(section, {}).items()
        if type_name.startswith("alicloud_")
    ) + sum(len(stack["provider"]["alicloud"]) for stack in default_stacks.values())
    assert sum(check_stack(stack, schema).checked for stack in default_stacks.values()) == expected


def _broken(stack: Stack, change: Callable[[dict[str, Any]], None]) -> Stack:
    broken = copy.deepcopy(stack)
    change(broken)
    return broken


def _clb(stack: dict[str, Any]) -> dict[str, Any]:
    return next(iter(stack["resource"]["alicloud_slb_load_balancer"].values()))  # type: ignore[no-any-return]


def _listener(stack: dict[str, Any]) -> dict[str, Any]:
    return next(iter(stack["resource"]["alicloud_slb_listener"].values()))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: _clb(s).update(adress_type="intranet"), "adress_type: unknown attribute or block"),
        (lambda s: _listener(s).pop("frontend_port"), "required attribute frontend_port is missing"),
        (lambda s: _listener(s).update(frontend_port="eighty"), "frontend_port: expected number, got str"),
        (
            lambda s: _clb(s).update(address_type="public"),
            "address_type: 'public' is not one of 'internet', 'intranet'",
        ),
        (lambda s: _clb(s).update(internet=False), "internet: removed from the provider"),
        (lambda s: _clb(s).update(status="active", tags=["not", "a", "map"]), "tags: expected a map, got list"),
        (lambda s: _clb(s).update(timeouts=[{"create": "5m"}]), "timeouts: a single block, not a list"),
        (
            lambda s: s["resource"]["alicloud_vswitch"].update(x={"vpc_id": "v", "status": "Available"}),
            "status: is computed",
        ),
        (lambda s: s["resource"].update(alicloud_nonexistent={"x": {}}), "unknown resource type"),
    ],
    ids=["unknown", "missing", "type", "enum", "removed", "map", "single-block", "computed", "unknown-type"],
)
def test_checker_reports_each_kind_of_problem(
    provider_stack: Stack, schema: ProviderSchema, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    report = check_stack(_broken(provider_stack, change), schema)
    assert any(expected in problem for problem in report.problems), report.problems


def test_checker_accepts_plain_terraform_schema_output(tmp_path: Path, default_stacks: dict[str, Stack]) -> None:
    """Real `terraform providers schema -json` has no enum/removed keys: the checker still works."""
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    extras = {
        "enum",
        "enum_ignore_case",
        "validate_func",
        "default",
        "default_func",
        "force_new",
        "removed",
        "conflicts_with",
        "exactly_one_of",
        "at_least_one_of",
        "required_with",
        "go_field_flags",
        "go_min_items",
    }

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in extras and k != "//"}
        return [strip(v) for v in node] if isinstance(node, list) else node

    plain = tmp_path / "schema.json"
    plain.write_text(json.dumps(strip(document)), encoding="utf-8")
    schema = load_schema(plain)
    for stack in default_stacks.values():
        assert check_stack(stack, schema).problems == ()
    broken = _broken(default_stacks["privatelink-provider"], lambda s: _listener(s).pop("protocol"))
    assert check_stack(broken, schema).problems


def test_validate_command_prints_the_count(run_main: Callable[..., Run]) -> None:
    run = run_main("validate", "--schema", str(SCHEMA_PATH))
    assert run.status == 0, run.stderr
    assert "checked 27 alicloud resources, data sources and providers in 2 stacks" in run.stdout
    assert run.stdout.rstrip().endswith(": 0 problems")


def test_validate_command_checks_an_output_folder(run_main: Callable[..., Run], tmp_path: Path) -> None:
    assert run_main("--out", str(tmp_path / "out")).status == 0
    stack_file = tmp_path / "out" / "stacks" / "privatelink-provider" / "cdk.tf.json"
    stack = json.loads(stack_file.read_text())
    _listener(stack)["protocol"] = "sctp"
    stack_file.write_text(json.dumps(stack))
    run = run_main("validate", "--schema", str(SCHEMA_PATH), "--dir", str(tmp_path / "out"))
    assert run.status == 1
    assert "protocol: 'sctp' is not one of" in run.stderr
    assert run.stdout.rstrip().endswith(": 1 problems")


def test_kept_schema_is_the_unedited_v1_289_0_record() -> None:
    """tools/schema/README.md promises a byte-identical copy; an edit would silently change every check."""
    import hashlib

    digest = hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()
    assert digest == "43ec596712bbc30cb6aaa2e9774a63dc2773108b5f7d74ada17453b52446db55"
    assert digest in (SCHEMA_PATH.parent / "README.md").read_text()
