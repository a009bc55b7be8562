"""The pinned cdktf CLI on a fresh clone: `cdktf synth` (JSON and --hcl) leaves the git tree clean.

cdktf writes a random ``projectId`` into a cdktf.json that lacks one; the committed file
has a fixed one (and ``sendCrashReports: false``), so the CLI never edits it. Run by
``make test-deploy``, which installs the CLI into .venv/cdktf-cli (marker ``cdktf_cli``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.cdktf_cli

VENV = ROOT / ".venv"
NODE = VENV / "node" / "node_modules" / "node" / "bin" / "node"
CDKTF = VENV / "cdktf-cli" / "node_modules" / "cdktf-cli" / "bundle" / "bin" / "cdktf"


def _clone(parent: Path) -> Path:
    if not (NODE.is_file() and CDKTF.is_file()):
        if os.environ.get("CI") == "true":
            pytest.fail("the pinned cdktf CLI is not installed: run `make test-deploy`")
        pytest.skip("the pinned cdktf CLI is not installed (make test-deploy installs it)")
    folder = parent / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    # cdktf.json's app is `.venv/bin/python -O main.py`: a launcher of this checkout's venv, in an ignored folder.
    launcher = folder / ".venv" / "bin" / "python"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(f'#!/bin/sh\nexec "{VENV / "bin" / "python"}" "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    # The L1 bindings are not committed: generate them as `make venv` does (git ignores them).
    subprocess.run([str(VENV / "bin" / "python"), "tools/gen_bindings.py"], cwd=folder, check=True)
    assert (folder / "constructs" / "alicloud_privatelink" / "bindings" / "__init__.py").is_file()
    assert _status(folder) == ""
    return folder


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _clone(tmp_path_factory.mktemp("clone"))


def _status(folder: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout


def _cdktf(folder: Path, *args: str, checkpoint: bool = False) -> subprocess.CompletedProcess[str]:
    """The pinned CLI in ``folder``; ``checkpoint``: without CHECKPOINT_DISABLE, its version check failing fast.

    Only with its checkpoint on does the CLI give a cdktf.json without ``projectId`` a new one.
    """
    home = folder.parent / "home"
    home.mkdir(exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CDKTF_OUTDIR", "PRIVATELINK_CONFIG", "SYNTH_HCL_OUTPUT", "CDKTF_CONTEXT_JSON")
    }
    environment.update(
        PATH=f"{NODE.parent}:{environment.get('PATH', '')}",
        HOME=str(home),  # the CLI's own config, outside the clone and the user's home
        PYTHONPATH=str(folder / "constructs"),  # the clone's library, not this checkout's
        DISABLE_VERSION_CHECK="1",
        CI="true",
        FORCE_COLOR="0",
        NO_COLOR="1",
    )
    if checkpoint:
        environment.pop("CHECKPOINT_DISABLE", None)
        closed = "http://127.0.0.1:9"  # nothing may reach the network: a closed local port as the proxy
        environment.update(HTTPS_PROXY=closed, HTTP_PROXY=closed, https_proxy=closed, http_proxy=closed)
        environment.pop("NO_PROXY", None)
        environment.pop("no_proxy", None)
    else:
        environment["CHECKPOINT_DISABLE"] = "1"
    return subprocess.run(
        [str(NODE), str(CDKTF), *args], cwd=folder, env=environment, capture_output=True, text=True, timeout=600
    )


def test_cdktf_json_has_a_fixed_project_id() -> None:
    config = json.loads((ROOT / "cdktf.json").read_text(encoding="utf-8"))
    assert len(config["projectId"]) == 36 and config["sendCrashReports"] is False


@pytest.mark.parametrize("checkpoint", [False, True], ids=["CHECKPOINT_DISABLE=1", "checkpoint-on-offline"])
def test_cdktf_synth_leaves_the_clone_clean(clone: Path, checkpoint: bool) -> None:
    shutil.rmtree(clone / "cdktf.out", ignore_errors=True)
    result = _cdktf(clone, "synth", checkpoint=checkpoint)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (clone / "cdktf.out" / "stacks" / "privatelink-provider" / "cdk.tf.json").is_file()
    if not checkpoint:
        assert "getaddrinfo" not in result.stdout + result.stderr
    assert _status(clone) == ""


def test_without_a_fixed_project_id_the_cli_dirties_the_tree(tmp_path: Path) -> None:
    """The check above can fail: the CLI writes a projectId into a cdktf.json that lacks one."""
    folder = _clone(tmp_path)
    config = json.loads((folder / "cdktf.json").read_text(encoding="utf-8"))
    del config["projectId"]
    (folder / "cdktf.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "commit", "--quiet", "-am", "no projectId"], cwd=folder, check=True)
    assert _cdktf(folder, "synth", checkpoint=True).returncode == 0
    assert _status(folder) == " M cdktf.json\n"
    assert "projectId" in json.loads((folder / "cdktf.json").read_text(encoding="utf-8"))


def test_cdktf_synth_hcl_writes_full_hcl_and_leaves_the_clone_clean(clone: Path) -> None:
    result = _cdktf(clone, "synth", "--hcl")
    assert result.returncode == 0, result.stdout + result.stderr
    provider = clone / "cdktf.out" / "stacks" / "privatelink-provider" / "cdk.tf"
    text = provider.read_text(encoding="utf-8")
    assert 'cidr_block = "192.168.0.0/16"' in text and 'region = "eu-central-1"' in text
    assert not (provider.parent / "cdk.tf.json").exists()
    assert _status(clone) == ""
    terraform = shutil.which("terraform")
    if terraform is not None:
        fmt = subprocess.run([terraform, "fmt", "-check", str(provider)], capture_output=True, text=True)
        assert fmt.returncode == 0, fmt.stdout + fmt.stderr
