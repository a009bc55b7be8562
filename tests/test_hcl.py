"""HCL output (``SYNTH_HCL_OUTPUT=true``): every cdk.tf says what the JSON says, in canonical layout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import hcl2
import pytest
from conftest import EXAMPLES, ROOT
from syrupy.assertion import SnapshotAssertion

from alicloud_privatelink.hcl_format import format_hcl
from app import cli
from stacks.scenario import default_scenario, load_scenario

CONFIGS = [None, *[str(path) for path in EXAMPLES]]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str | None, bool], Path]:
    """For each scenario, the JSON of a plain synth and the HCL of ``python main.py --hcl``.

    cdktf reads SYNTH_HCL_OUTPUT (which ``--hcl`` sets) when jsii's Node process starts, so the
    HCL runs are processes of their own (started together, to save time).
    """
    root = tmp_path_factory.mktemp("hcl")
    found: dict[tuple[str | None, bool], Path] = {}
    runs = []
    for config in CONFIGS:
        stem = Path(config).stem if config else "default"
        found[config, False] = root / f"{stem}-json"
        cli.synth(default_scenario() if config is None else load_scenario(config), found[config, False])
        found[config, True] = root / f"{stem}-hcl"
        command = [
            sys.executable,
            "main.py",
            "--hcl",
            "--quiet",
            "--out",
            str(found[config, True]),
            *(["--config", config] if config else []),
        ]
        runs.append(
            subprocess.Popen(command, cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "SYNTH_HCL_OUTPUT"})
        )
    assert [run.wait() for run in runs] == [0] * len(runs)
    return found


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _plain(value: Any) -> Any:
    """A value python-hcl2 parsed, as the JSON would give it: quotes off, heredocs as text."""
    if isinstance(value, dict):
        return {_unquote(key): _plain(item) for key, item in value.items() if key != "__is_block__"}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if not (isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"'):
        return value  # a number, a bool, or an expression such as "${alicloud_vpc.x.id}"
    inner = value[1:-1]
    if inner.startswith("<<"):
        opener, _, rest = inner.partition("\n")
        return rest[: -len(opener.lstrip("<-").strip())]
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return inner  # quotes inside an interpolation, e.g. "${x["a"]}"


def _json_shaped(document: dict[str, Any]) -> dict[str, Any]:
    """python-hcl2's lists of labelled blocks, arranged like cdktf's JSON."""
    shaped: dict[str, Any] = {}
    for kind in ("resource", "data"):
        for item in document.get(kind, []):
            for type_name, named in item.items():
                for name, body in named.items():
                    shaped.setdefault(kind, {}).setdefault(_unquote(type_name), {})[_unquote(name)] = _plain(body)
    for item in document.get("provider", []):
        for name, body in item.items():
            shaped.setdefault("provider", {}).setdefault(_unquote(name), []).append(_plain(body))
    for item in document.get("output", []):
        for name, body in item.items():
            shaped.setdefault("output", {})[_unquote(name)] = _plain(body)
    for item in document.get("moved", []):
        # A bare reference in HCL, a string in JSON.
        moved = {key: str(value).removeprefix("${").removesuffix("}") for key, value in _plain(item).items()}
        shaped.setdefault("moved", []).append(moved)
    for item in document.get("terraform", []):
        terraform = shaped.setdefault("terraform", {})
        for key, value in _plain(item).items():
            merged = terraform.setdefault(key, {})
            for entry in value:
                merged.update(entry)
    return shaped


def _without_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [_without_metadata(item) for item in value]
    return value


def _assert_same(expected: Any, actual: Any, path: str) -> None:
    """``actual`` (from HCL) says what ``expected`` (from JSON) says; a block written once may be a list of one."""
    if isinstance(expected, dict) and isinstance(actual, list) and len(actual) == 1:
        actual = actual[0]
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert sorted(actual) == sorted(expected), path
        for key in expected:
            _assert_same(expected[key], actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            if path.endswith((".depends_on", ".ignore_changes", ".replace_triggered_by")):
                got = got.removeprefix("${").removesuffix("}")  # a bare reference in HCL, a string in JSON
            _assert_same(want, got, f"{path}[{index}]")
    elif path.endswith(".provider"):
        assert actual == "${" + expected + "}", path  # a bare reference in HCL, a string in JSON
    elif isinstance(expected, str) and expected.startswith("${{ "):
        # An object or for expression: python-hcl2 drops the spaces terraform fmt puts inside its braces.
        assert actual == expected.replace("${{ ", "${{").replace(" }}", "}}"), path
    else:
        assert actual == expected, path


def _stacks(out: Path, name: str) -> dict[str, Path]:
    return {path.parent.name: path for path in sorted(out.glob(f"stacks/*/{name}"))}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: Path(c).stem if c else "builtin-default")
def test_hcl_says_what_the_json_says(config: str | None, outputs: dict[tuple[str | None, bool], Path]) -> None:
    json_files = _stacks(outputs[config, False], "cdk.tf.json")
    hcl_files = _stacks(outputs[config, True], "cdk.tf")
    assert sorted(hcl_files) == sorted(json_files) and hcl_files
    for stack, path in hcl_files.items():
        expected = _without_metadata(json.loads(json_files[stack].read_text(encoding="utf-8")))
        actual = _json_shaped(hcl2.loads(path.read_text(encoding="utf-8")))
        assert sorted(actual) == sorted(expected), stack
        assert sum(len(named) for named in expected["resource"].values()) > 0
        _assert_same(expected, actual, stack)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: Path(c).stem if c else "builtin-default")
def test_hcl_is_what_terraform_fmt_writes(config: str | None, outputs: dict[tuple[str | None, bool], Path]) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    files = [str(path) for path in _stacks(outputs[config, True], "cdk.tf").values()]
    result = subprocess.run(
        [terraform, "fmt", "-check", "-diff", *files],
        capture_output=True,
        text=True,
        env={**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_scenario_hcl(outputs: dict[tuple[str | None, bool], Path], snapshot: SnapshotAssertion) -> None:
    files = _stacks(outputs[None, True], "cdk.tf")
    assert {stack: path.read_text(encoding="utf-8") for stack, path in files.items()} == snapshot


def test_hcl_output_is_deterministic(tmp_path: Path, outputs: dict[tuple[str | None, bool], Path]) -> None:
    """``SYNTH_HCL_OUTPUT=true`` (as ``cdktf synth --hcl`` sets it) writes the bytes ``--hcl`` writes."""
    subprocess.run(
        [sys.executable, "main.py", "--quiet", "--out", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "SYNTH_HCL_OUTPUT": "true"},
        check=True,
    )
    expected = _stacks(outputs[None, True], "cdk.tf")
    actual = _stacks(tmp_path, "cdk.tf")
    assert sorted(actual) == sorted(expected)
    for stack, path in actual.items():
        assert path.read_bytes() == expected[stack].read_bytes(), stack


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [
        ('a {\nb = "${x.y}"\nlonger = "${x.y} and text"\n}', 'a {\n  b      = x.y\n  longer = "${x.y} and text"\n}'),
        ('a {\nm = {\nk = "${x.y}"\n}\n}', 'a {\n  m = {\n    k = "${x.y}"\n  }\n}'),
        (
            'r {\ndepends_on = [\n"a.b",\n]\nprovider = "p.x"\n}',
            "r {\n  depends_on = [\n    a.b,\n  ]\n  provider = p.x\n}",
        ),
        ("r {\nu = <<EOT\n  keep\nEOT\nlong = 1\n}", "r {\n  u    = <<EOT\n  keep\nEOT\n  long = 1\n}"),
        ('r {\ns = "${a}${b}"\nt = "{not a bracket"\n}', 'r {\n  s = "${a}${b}"\n  t = "{not a bracket"\n}'),
    ],
)
def test_layout_rules(raw: str, formatted: str) -> None:
    assert format_hcl(raw) == formatted
