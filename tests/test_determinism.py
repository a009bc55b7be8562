"""The output is byte-identical across runs, working directories and machines, and a run prints nothing."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

MAIN = str(ROOT / "main.py")


def _synth(cwd: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("CDKTF_OUTDIR", "PRIVATELINK_CONFIG")}
    return subprocess.run(
        [sys.executable, MAIN, "--out", str(out), *args], cwd=cwd, env=environment, capture_output=True, text=True
    )


def _same_tree(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.diff_files or comparison.funny_files:
        return False
    mismatched = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)[1]
    return not mismatched and all(_same_tree(left / name, right / name) for name in comparison.common_dirs)


def test_identical_bytes_from_two_working_directories(tmp_path: Path) -> None:
    first_cwd, second_cwd = tmp_path / "a" / "deeper", tmp_path / "b"
    first_cwd.mkdir(parents=True)
    second_cwd.mkdir()
    first, second = _synth(first_cwd, tmp_path / "out1"), _synth(second_cwd, tmp_path / "out2")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert _same_tree(tmp_path / "out1", tmp_path / "out2")


def test_a_normal_run_prints_nothing_not_even_a_node_banner(tmp_path: Path) -> None:
    result = _synth(ROOT, tmp_path / "out", "--quiet")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_without_quiet_stderr_holds_the_summary_and_nothing_else(tmp_path: Path) -> None:
    result = _synth(ROOT, tmp_path / "out")
    assert result.returncode == 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"wrote 2 stacks of scenario 'privatelink-demo' to {tmp_path / 'out'} (Terraform JSON):"
    assert lines[1].split() == [
        "privatelink-provider",
        "13",
        "resources",
        "state:",
        str(tmp_path / "terraform.privatelink-demo.privatelink-provider.tfstate"),
    ]
    assert lines[2].split()[:3] == ["privatelink-consumer-vpc1", "9", "resources"]
    out = tmp_path / "out"  # not cdktf.out, so the cdktf CLI must be told (the state paths are relative to it)
    assert lines[3:] == [
        "next (CHECKPOINT_DISABLE=1 keeps the cdktf CLI offline):",
        f"  cdktf diff --output {out} privatelink-provider",
        f"  cdktf deploy --output {out} '*'",
        f"  cdktf output --output {out} privatelink-consumer-vpc1",
    ]


def test_output_holds_no_absolute_path_or_machine_detail(tmp_path: Path) -> None:
    assert _synth(tmp_path, tmp_path / "out").returncode == 0
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for leak in (str(tmp_path), str(ROOT), str(Path.home()), os.uname().nodename):
                assert leak not in text, f"{path.name} contains {leak}"


def test_default_out_folder_is_cdktf_out_and_cdktf_outdir_overrides_it(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PRIVATELINK_CONFIG"}
    environment.pop("CDKTF_OUTDIR", None)
    subprocess.run([sys.executable, MAIN], cwd=tmp_path, env=environment, check=True)
    assert (tmp_path / "cdktf.out" / "stacks" / "privatelink-provider" / "cdk.tf.json").is_file()
    environment["CDKTF_OUTDIR"] = str(tmp_path / "from-env")
    subprocess.run([sys.executable, MAIN], cwd=tmp_path, env=environment, check=True)
    assert (tmp_path / "from-env" / "stacks" / "privatelink-consumer-vpc1" / "cdk.tf.json").is_file()


def test_importing_the_jsii_libraries_in_the_venv_shows_no_node_banner() -> None:
    environment = {key: value for key, value in os.environ.items() if key != "JSII_NODE"}
    result = subprocess.run(
        [sys.executable, "-c", "import constructs, os; print(os.environ['JSII_NODE'])"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    node = subprocess.run([result.stdout.strip(), "--version"], capture_output=True, text=True, check=True).stdout
    assert int(node.strip().lstrip("v").split(".")[0]) >= 22
