"""Library polish: a typed listener protocol, and local state beside the output at a relative path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from conftest import ROOT

from alicloud_privatelink import (
    AnyListenerProtocol,
    ExistingPrivateLinkService,
    IPrivateLinkService,
    ListenerProtocol,
    PrivateLinkNlbServiceProps,
    PrivateLinkServiceProps,
    local_state_beside_output,
    read_local_state_beside_output,
)
from alicloud_privatelink._runtime import App, TerraformOutput, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.state import beside_output


def test_listener_protocol_is_a_literal_everywhere() -> None:
    assert typing.get_args(ListenerProtocol) == ("http", "tcp", "udp")
    assert typing.get_type_hints(PrivateLinkServiceProps)["listener_protocol"] == ListenerProtocol
    assert typing.get_type_hints(ExistingPrivateLinkService)["listener_protocol"] == ListenerProtocol
    # One props base for every form: the NLB's protocol has the shared type and is checked to be tcp.
    assert typing.get_type_hints(PrivateLinkNlbServiceProps)["listener_protocol"] == ListenerProtocol
    # A service's (primary) listener may be any listener's protocol, https included (given as `listeners`).
    getter = IPrivateLinkService.listener_protocol.fget  # type: ignore[attr-defined]
    assert typing.get_type_hints(getter)["return"] == AnyListenerProtocol
    assert typing.get_args(AnyListenerProtocol) == ("http", "https", "tcp", "udp")


def test_mypy_refuses_https(tmp_path: Path) -> None:
    program = tmp_path / "user_code.py"
    program.write_text(
        "from alicloud_privatelink import ExistingPrivateLinkService\n"
        'ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1a", port=443, listener_protocol="https")\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(program),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(ROOT / "constructs")},
    )
    assert result.returncode == 1
    assert (
        'Argument "listener_protocol" to "ExistingPrivateLinkService" has incompatible type "Literal[\'https\']"'
        in (result.stdout)
    )


def test_local_state_beside_output_is_relative(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "svc")
    local_state_beside_output(stack)
    other = TerraformStack(app, "reader")
    local_state_beside_output(other, "terraform.team.reader.tfstate")
    state = read_local_state_beside_output(other, "svc-state", "terraform.svc.tfstate")
    TerraformOutput(other, "x", value=state.get_string("x"))
    backend = json.loads(CdkTesting.synth(stack))["terraform"]["backend"]["local"]
    assert backend == {
        "path": "../../../terraform.svc.tfstate",
        "workspace_dir": "../../../terraform.svc.tfstate.d",
    }
    reader = json.loads(CdkTesting.synth(other))
    assert reader["terraform"]["backend"]["local"]["path"] == "../../../terraform.team.reader.tfstate"
    assert reader["data"]["terraform_remote_state"]["svc-state"] == {
        "backend": "local",
        "config": {"path": "../../../terraform.svc.tfstate", "workspace_dir": "../../../terraform.svc.tfstate.d"},
        "workspace": "${terraform.workspace}",
    }


@pytest.mark.parametrize("name", ["", "..", "a/b", "../x.tfstate", "c:\\x"])
def test_state_file_name_is_a_plain_name(name: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        beside_output(name)
