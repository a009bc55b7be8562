"""Shared fixtures: synthesized scenarios, the provider schema, and running main.py."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.schema_check import ProviderSchema, load_schema
from app import cli
from stacks.app import build_app
from stacks.scenario import Scenario, default_scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
SCHEMA_PATH = ROOT / "tools" / "schema" / "alicloud-provider-schema.json"

Stack = dict[str, Any]

#: Filled by the schema-conformance test, reported at the end of the run.
SCHEMA_REPORT = {"stacks": 0, "checked": 0, "problems": 0}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCHEMA_REPORT["stacks"]:
        terminalreporter.write_line(
            f"schema conformance: {SCHEMA_REPORT['checked']} alicloud blocks in {SCHEMA_REPORT['stacks']} stacks "
            f"checked against {SCHEMA_PATH.name}: {SCHEMA_REPORT['problems']} problems"
        )


@cache
def synth_stacks(config: str | None = None) -> dict[str, Stack]:
    """Every stack of a scenario (the default one, or an example file), as parsed JSON, by stack name."""
    scenario = default_scenario() if config is None else load_scenario(config)
    return synth_scenario(scenario)


def synth_scenario(scenario: Scenario) -> dict[str, Stack]:
    """``Testing.synth`` of each stack, after the app's own synth has wired the cross-stack references."""
    with tempfile.TemporaryDirectory() as outdir:
        app = build_app(scenario, outdir)
        app.synth()
    return {stack.node.id: json.loads(CdkTesting.synth(stack, run_validations=False)) for stack in app.node.children}


def resources(stack: Stack, type_name: str) -> list[dict[str, Any]]:
    """The bodies of every ``resource "<type_name>"`` in a stack."""
    return list(stack.get("resource", {}).get(type_name, {}).values())


def only(stack: Stack, type_name: str) -> dict[str, Any]:
    found = resources(stack, type_name)
    assert len(found) == 1, f"expected one {type_name}, found {len(found)}"
    return found[0]


def edited(text: str, *replacements: tuple[str, str], append: str = "") -> str:
    """``text`` (a scenario file) with the first occurrence of each ``old`` replaced (each must exist), then
    ``append`` added."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + append


@pytest.fixture(scope="session")
def default_stacks() -> dict[str, Stack]:
    return synth_stacks()


@pytest.fixture(scope="session")
def provider_stack(default_stacks: dict[str, Stack]) -> Stack:
    return default_stacks["privatelink-provider"]


@pytest.fixture(scope="session")
def consumer_stack(default_stacks: dict[str, Stack]) -> Stack:
    return default_stacks["privatelink-consumer-vpc1"]


@pytest.fixture(scope="session")
def schema() -> ProviderSchema:
    return load_schema(SCHEMA_PATH)


class Run:
    """What one in-process run of main.py returned and printed."""

    def __init__(self, status: int, stdout: str, stderr: str):
        self.status, self.stdout, self.stderr = status, stdout, stderr

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


@pytest.fixture
def run_main() -> Callable[..., Run]:
    def run(*args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(list(args))
        return Run(status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], str]:
    """Write a scenario file and return its path."""

    def write(text: str, name: str = "scenario.toml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


PYTHON = sys.executable


def clb_problems(**props: Any) -> list[Any]:
    """The problems a ``PrivateLinkService`` with a minimal valid set of props plus ``props`` is refused with."""
    from alicloud_privatelink import PrivateLinkService, PrivateLinkServiceProps, ServiceBackend, ValidationError
    from alicloud_privatelink._runtime import App, TerraformStack

    base: dict[str, Any] = {
        "vswitch_id": "vsw-1",
        "zone": "eu-central-1a",
        "backends": [ServiceBackend(server_id="i-1")],
    }
    with pytest.raises(ValidationError) as error:
        PrivateLinkService(TerraformStack(App(), "test"), "clb", PrivateLinkServiceProps(**{**base, **props}))
    return list(error.value.problems)
