"""Scenario files: the shipped default, the ways to select a file, and output that is never half-written."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run
from test_determinism import _same_tree

from stacks.scenario import DEFAULT_SCENARIO, default_scenario, load_scenario

DEFAULT_FILE = ROOT / "examples" / "default.toml"


def test_shipped_default_file_equals_the_builtin_default() -> None:
    assert tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8")) == DEFAULT_SCENARIO
    assert load_scenario(DEFAULT_FILE) == default_scenario()


def test_config_file_and_environment_variable_give_the_same_bytes_as_no_config(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key not in ("CDKTF_OUTDIR", "PRIVATELINK_CONFIG")}
    main = str(ROOT / "main.py")
    subprocess.run([sys.executable, main, "--out", str(tmp_path / "plain")], env=environment, check=True)
    subprocess.run(
        [sys.executable, main, "--config", str(DEFAULT_FILE), "--out", str(tmp_path / "file")],
        env=environment,
        check=True,
    )
    subprocess.run(
        [sys.executable, main, "--out", str(tmp_path / "env")],
        env={**environment, "PRIVATELINK_CONFIG": str(DEFAULT_FILE)},
        check=True,
    )
    assert _same_tree(tmp_path / "plain", tmp_path / "file")
    assert _same_tree(tmp_path / "plain", tmp_path / "env")


def _snapshot_tree(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_failed_run_leaves_the_previous_output_byte_for_byte(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    out = tmp_path / "x"
    assert run_main("--out", str(out)).status == 0
    before = _snapshot_tree(out)
    bad = DEFAULT_FILE.read_text().replace('private_ip = "192.168.24.200"', 'private_ip = "10.0.0.2"')
    run = run_main("--config", write_config(bad), "--out", str(out))
    assert run.status == 2
    assert run.lines[0].startswith("service.backends[0].private_ip:")
    assert _snapshot_tree(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["scenario.toml", "x"], "no staging folder left behind"


def test_failure_during_synthesis_also_leaves_the_output(
    run_main: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "x"
    assert run_main("--out", str(out)).status == 0
    before = _snapshot_tree(out)

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("app.cli.build_app", explode)
    run = run_main("--out", str(out))
    assert run.status == 2
    assert run.lines == [f"--out: cannot write {out}: disk full"]
    assert _snapshot_tree(out) == before


def test_output_folder_gets_ordinary_permissions(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "x"
    assert run_main("--out", str(out)).status == 0
    (tmp_path / "plain").mkdir()
    assert out.stat().st_mode == (tmp_path / "plain").stat().st_mode


def test_terraform_working_files_survive_a_resynth(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "x"
    assert run_main("--out", str(out)).status == 0
    stack = out / "stacks" / "privatelink-provider"
    (stack / ".terraform").mkdir()
    (stack / ".terraform" / "plugin").write_text("cached provider")
    (stack / ".terraform.lock.hcl").write_text("# lock")
    assert run_main("--out", str(out)).status == 0
    assert (stack / ".terraform" / "plugin").read_text() == "cached provider"
    assert (stack / ".terraform.lock.hcl").read_text() == "# lock"


@pytest.mark.parametrize("kind", ["folder-of-other-files", "file"])
def test_refuses_to_replace_what_is_not_a_synth_output(kind: str, run_main: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "precious"
    if kind == "file":
        target.write_text("notes")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("notes")
    before = _snapshot_tree(tmp_path)
    run = run_main("--out", str(target))
    assert run.status == 2
    assert run.lines[0].startswith(f"--out: {target}")
    assert _snapshot_tree(tmp_path) == before


def test_an_empty_folder_may_be_the_output(run_main: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run_main("--out", str(tmp_path / "empty")).status == 0
    assert (tmp_path / "empty" / "manifest.json").is_file()
