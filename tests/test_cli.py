"""The command line a newcomer meets: --help, --version, check (and its drift check), the synth summary."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run

from app.output import MARKER

MAIN = str(ROOT / "main.py")


def _main(*args: str, cwd: Path = ROOT, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """main.py with ``args``; ``path``: another ``PATH``."""
    environment = {key: value for key, value in os.environ.items() if key not in ("CDKTF_OUTDIR", "PRIVATELINK_CONFIG")}
    if path is not None:
        environment["PATH"] = path
    return subprocess.run([sys.executable, MAIN, *args], cwd=cwd, env=environment, capture_output=True, text=True)


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256, to prove a folder was not written."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_synthesis_needs_no_terraform(tmp_path: Path) -> None:
    """Synthesized output is reviewed and committed where Terraform may not be installed: cdktf's own
    validations would run `terraform version` for each `terraform_data` (the demo servers' boot scripts)
    and fail without it."""
    if "JSII_NODE" not in os.environ:
        pytest.skip("JSII_NODE is not set, so jsii needs Node on PATH")
    bare = tmp_path / "bin"
    bare.mkdir()
    # No terraform and no shell tools on PATH; jsii finds Node through JSII_NODE.
    done = _main("--quiet", "--out", str(tmp_path / "out"), path=str(bare))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "stacks" / "privatelink-provider" / "cdk.tf.json").is_file()


def test_help_lists_every_command_with_its_purpose() -> None:
    result = _main("--help")
    assert result.returncode == 0
    commands = result.stdout.split("commands:\n", 1)[1]
    for command in ("synth", "check", "validate", "plan"):
        assert re.search(rf"^  {command} +\S", commands, re.MULTILINE), command
    assert "(the default)" in commands and "make plan-offline" in commands


def test_version_names_the_package_and_the_runtime() -> None:
    result = _main("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"alicloud-privatelink \d+\.\d+\.\d+ \(runtime: (cdktf|cdktn) \d+\.\d+\.\d+\)\n", result.stdout)


def test_check_validates_and_writes_nothing(tmp_path: Path) -> None:
    result = _main("check", "--config", str(ROOT / "examples" / "default.toml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "is valid" in result.stdout
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_check_reports_every_problem(run_main: Callable[..., Run], write_config: Callable[[str], str]) -> None:
    text = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")
    text = text.replace("frontend_port = 80", "frontend_port = 0").replace(
        'region = "eu-central-1"', 'region = "mars-1"'
    )
    run = run_main("check", "--config", write_config(text))
    assert run.status == 2 and run.stdout == ""
    assert any(line.startswith("region: ") for line in run.lines)
    assert any(line.startswith("service.frontend_port: ") for line in run.lines)


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("check") / "infra"
    assert _main("--quiet", "--out", str(out)).returncode == 0
    return out


def test_drift_check_passes_right_after_a_synth(committed: Path, run_main: Callable[..., Run]) -> None:
    before = _tree(committed)
    run = run_main("check", "--out", str(committed))
    assert run.status == 0, run.stdout + run.stderr
    assert run.stdout == f"{committed} is up to date with scenario 'privatelink-demo'\n"
    assert _tree(committed) == before


def test_drift_check_names_a_changed_file_and_leaves_the_folder_alone(
    committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    changed = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(changed)], check=True)
    stack = changed / "stacks" / "privatelink-provider" / "cdk.tf.json"
    data = stack.read_bytes()
    stack.write_bytes(data.replace(b'"eu-central-1"', b'"eu-central-2"', 1))  # one changed byte
    before = _tree(changed)
    run = run_main("check", "--out", str(changed))
    assert run.status == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "changed: stacks/privatelink-provider/cdk.tf.json"
    assert '  -        "region": "eu-central-2"' in lines and '  +        "region": "eu-central-1"' in lines
    assert lines[-1].startswith(f"{changed} is out of date (0 added, 0 removed, 1 changed)")
    assert _tree(changed) == before


def test_drift_check_names_the_scenario_file_in_the_command_that_brings_the_folder_up_to_date(
    committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    changed = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(changed)], check=True)
    config = tmp_path / "my.toml"
    config.write_text((ROOT / "examples" / "default.toml").read_text(encoding="utf-8").replace("80", "8080"))
    run = run_main("check", "--config", str(config), "--out", str(changed))
    assert run.status == 1
    assert run.stdout.splitlines()[-1].endswith(
        f"synthesize it again (python main.py --config {config} --out {changed}) and commit it"
    )


def test_drift_check_says_how_to_restore_a_lost_marker(
    committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    changed = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(changed)], check=True)
    (changed / MARKER).unlink()
    run = run_main("check", "--out", str(changed))
    assert run.status == 1
    assert run.stdout.splitlines()[-1] == (
        f"{changed} is out of date (1 added, 0 removed, 0 changed) and lacks {MARKER}, without which a synth will "
        f"not replace it: remove the folder (rm -r {changed}), synthesize it again (python main.py --out {changed}) "
        f"and commit all of it (git add {changed}; `git add {changed}/*` leaves the dotfile out)"
    )


@pytest.mark.parametrize("edit", [b"\n", b"\r\n"], ids=["final-newline", "crlf"])
def test_drift_check_explains_a_change_of_line_endings_alone(
    edit: bytes, committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    changed = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(changed)], check=True)
    manifest = changed / "manifest.json"
    data = manifest.read_bytes()
    manifest.write_bytes(data + b"\n" if edit == b"\n" else data.replace(b"\n", b"\r\n"))
    run = run_main("check", "--out", str(changed))
    assert run.status == 1
    assert run.stdout.splitlines()[:2] == [
        "changed: manifest.json",
        "  (only line endings or the final newline differ: an editor, a hook such as end-of-file-fixer or git's "
        "core.autocrlf changed them; keep the folder out of those, for git with `-text` in .gitattributes)",
    ]


def test_drift_check_lists_added_and_removed_files(
    committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    changed = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(changed)], check=True)
    (changed / "stacks" / "privatelink-consumer-vpc1" / "cdk.tf.json").unlink()
    stray = changed / "stacks" / "old-stack" / "cdk.tf.json"
    stray.parent.mkdir()
    stray.write_text("{}\n", encoding="utf-8")
    marker = changed / ".alicloud-privatelink-output.json"
    marker.write_text(
        marker.read_text(encoding="utf-8").replace(
            '"manifest.json",', '"manifest.json",\n  "stacks/old-stack/cdk.tf.json",'
        )
    )
    run = run_main("check", "--out", str(changed))
    assert run.status == 1
    assert "added: stacks/privatelink-consumer-vpc1/cdk.tf.json" in run.stdout
    assert "removed: stacks/old-stack/cdk.tf.json" in run.stdout


def test_drift_check_ignores_terraform_and_user_files(
    committed: Path, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    folder = tmp_path / "infra"
    subprocess.run(["cp", "-a", str(committed), str(folder)], check=True)
    stack = folder / "stacks" / "privatelink-provider"
    (stack / ".terraform" / "providers").mkdir(parents=True)
    (stack / ".terraform" / "providers" / "plugin").write_bytes(b"\0binary")
    (stack / ".terraform.lock.hcl").write_text("# lock\n", encoding="utf-8")
    (folder / "NOTES.md").write_text("mine\n", encoding="utf-8")
    assert run_main("check", "--out", str(folder)).status == 0


def test_drift_check_needs_the_folder(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("check", "--out", str(tmp_path / "missing"))
    assert run.status == 2
    assert run.lines == [f"--out: {tmp_path / 'missing'} is not a folder; give the folder the synth wrote (e.g. infra)"]


def test_hcl_drift_check(tmp_path: Path) -> None:
    out = tmp_path / "infra"
    assert _main("--hcl", "--quiet", "--out", str(out)).returncode == 0
    assert sorted(path.name for path in out.glob("stacks/*/cdk.tf*")) == ["cdk.tf", "cdk.tf"]
    assert _main("check", "--hcl", "--out", str(out)).returncode == 0
    json_check = _main("check", "--out", str(out))
    assert json_check.returncode == 1 and "check it with --hcl" in json_check.stdout


def test_after_an_hcl_synth_the_summary_keeps_the_cdktf_cli_writing_hcl(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _main("--hcl", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"  SYNTH_HCL_OUTPUT=true cdktf deploy --output {out} '*'" in result.stderr.splitlines()


def test_hcl_needs_the_runtime_started_for_it(run_main: Callable[..., Run], tmp_path: Path) -> None:
    """In a process whose jsii runtime started without SYNTH_HCL_OUTPUT, --hcl fails instead of writing JSON."""
    if os.environ.get("SYNTH_HCL_OUTPUT"):
        pytest.skip("SYNTH_HCL_OUTPUT is set for the whole test run")
    run = run_main("--hcl", "--out", str(tmp_path / "out"))
    assert run.status == 2
    assert run.lines[0].startswith("--hcl: the cdktf runtime started without SYNTH_HCL_OUTPUT=true")
    assert not (tmp_path / "out").exists()


def test_quiet_silences_the_summary(run_main: Callable[..., Run], tmp_path: Path) -> None:
    assert run_main("--quiet", "--out", str(tmp_path / "a")).stderr == ""
    loud = run_main("--out", str(tmp_path / "b"))
    assert loud.stdout == "" and f"cdktf deploy --output {tmp_path / 'b'} '*'" in loud.stderr


def test_explicit_synth_command_is_the_default(run_main: Callable[..., Run], tmp_path: Path) -> None:
    assert run_main("synth", "--quiet", "--out", str(tmp_path / "out")).status == 0
    assert (tmp_path / "out" / "stacks" / "privatelink-provider" / "cdk.tf.json").is_file()


def test_oss_state_is_named_in_the_summary(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("--config", str(ROOT / "examples" / "oss-state.toml"), "--out", str(tmp_path / "out"))
    assert run.status == 0
    assert re.search(
        r"privatelink-provider +\d+ resources +state: oss://\S+/privatelink-provider/terraform\.tfstate", run.stderr
    )
    config = ROOT / "examples" / "oss-state.toml"
    assert f"  PRIVATELINK_CONFIG={config} cdktf deploy --output {tmp_path / 'out'} '*'" in run.stderr.splitlines()


def test_make_synth_runs_the_app_as_cdktf_does() -> None:
    """`make synth` and the cdktf CLI give main.py the same Python options (``-O``), so both are as fast
    and `make bench`, which reads them from cdktf.json, measures what either runs."""
    app = json.loads((ROOT / "cdktf.json").read_text(encoding="utf-8"))["app"].split()
    recipe = re.search(r"^synth: venv\n\t\$\(PY\) (.*)main\.py$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe is not None, "the Makefile's synth target runs `$(PY) [options] main.py`"
    assert app[0] == ".venv/bin/python" and app[-1] == "main.py"
    assert recipe.group(1).split() == app[1:-1] == ["-O"]
