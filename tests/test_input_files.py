"""Special files and odd input (issue 9 items 4 and 6): refused at once, one line each, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SCHEMA_PATH, Run

MAIN = str(ROOT / "main.py")


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, MAIN, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command", [["--config"], ["validate", "--schema", str(SCHEMA_PATH), "--config"]])
def test_a_fifo_config_is_refused_within_a_second(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = (
        run_cli(*command, str(fifo), "--out", str(tmp_path / "out"))
        if command == ["--config"]
        else run_cli(*command, str(fifo))
    )
    assert time.monotonic() - started < 20  # interpreter start-up included; the refusal itself is immediate
    assert result.returncode == 2
    assert result.stderr == f"{fifo}: is a FIFO, socket or device, not a regular file\n"


def test_a_fifo_is_refused_without_blocking_in_process(run_main: Callable[..., Run], tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    run = run_main("--config", str(fifo), "--out", str(tmp_path / "out"))
    assert time.monotonic() - started < 1
    assert run.status == 2


def test_a_fifo_schema_is_refused(run_main: Callable[..., Run], tmp_path: Path) -> None:
    fifo = tmp_path / "schema.json"
    os.mkfifo(fifo)
    run = run_main("validate", "--schema", str(fifo))
    assert run.status == 2
    assert run.lines == [f"error: {fifo}: is a FIFO, socket or device, not a regular file"]


def test_a_device_config_is_refused(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("--config", "/dev/zero", "--out", str(tmp_path / "out"))
    assert (run.status, run.lines) == (2, ["/dev/zero: is a FIFO, socket or device, not a regular file"])


def test_a_folder_config_is_refused(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("--config", str(tmp_path), "--out", str(tmp_path / "out"))
    assert (run.status, run.lines) == (2, [f"{tmp_path}: is a folder, not a regular file"])


def test_a_huge_config_is_refused(run_main: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "big.toml"
    config.write_text("# x\n" * 300_000)
    run = run_main("--config", str(config), "--out", str(tmp_path / "out"))
    assert (run.status, run.lines) == (2, [f"{config}: is larger than 1 MiB; this is not a file this tool reads"])


def test_deep_nesting_is_one_line_with_its_position(tmp_path: Path) -> None:
    config = tmp_path / "deep.toml"
    config.write_text("x = " + "[" * 500 + "\n")
    result = run_cli("--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr == f"{config}: is not valid TOML: nested more than 32 levels deep (at line 1, column 37)\n"


def test_brackets_inside_strings_and_comments_are_not_nesting(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    text = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")
    text = text.replace(
        'name = "privatelink-demo"',
        'name = "privatelink-demo"\n# ' + "[" * 100 + "\ntags = { note = '" + "[" * 60 + "' }",
    )
    run = run_main("--config", write_config(text), "--out", str(tmp_path / "out"))
    assert run.status == 0, run.stderr


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"resource": []}', "$.resource: expected an object"),
        ('{"resource": {"alicloud_vpc": {"v": 1}}}', "$.resource.alicloud_vpc.v: expected an object"),
        ('{"provider": {"alicloud": {}}}', "$.provider.alicloud: expected a list"),
        ("[1]", "$: expected an object"),
        ("{", "is not JSON"),
    ],
)
def test_validate_dir_reports_a_malformed_stack_in_one_line(
    run_main: Callable[..., Run], tmp_path: Path, content: str, where: str
) -> None:
    stack = tmp_path / "out" / "stacks" / "s" / "cdk.tf.json"
    stack.parent.mkdir(parents=True)
    stack.write_text(content)
    run = run_main("validate", "--schema", str(SCHEMA_PATH), "--dir", str(tmp_path / "out"))
    assert run.status == 1
    assert len(run.lines) == 1 and run.lines[0].startswith(f"{stack}: ") and where in run.lines[0], run.stderr


def test_validate_dir_must_be_a_folder(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("validate", "--schema", str(SCHEMA_PATH), "--dir", str(tmp_path / "absent"))
    assert (run.status, run.lines[0].split(":")[0]) == (2, "--dir")


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"provider_schemas": {"x/alicloud": {"resource_schemas": {"r": {"block": []}}}}}, ".resource_schemas.r.block"),
        (
            {
                "provider_schemas": {
                    "x/alicloud": {"resource_schemas": {"r": {"block": {"attributes": {"a": {"type": []}}}}}}
                }
            },
            ".attributes.a.type: not a Terraform type",
        ),
        ({"provider_schemas": {"x/alicloud": {"provider": []}}}, ".provider: expected an object"),
    ],
)
def test_validate_reports_a_malformed_schema_in_one_line(
    run_main: Callable[..., Run], tmp_path: Path, schema: object, where: str
) -> None:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    run = run_main("validate", "--schema", str(path))
    assert run.status == 2
    assert len(run.lines) == 1 and run.lines[0].startswith(f"error: {path}: $.provider_schemas.x/alicloud"), run.stderr
    assert where in run.lines[0]
