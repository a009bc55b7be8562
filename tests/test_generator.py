"""tools/gen_bindings.py: the package's bindings are its deterministic output (generated, not committed),
and it works on any provider schema."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, SCHEMA_PATH

from alicloud_privatelink._runtime import App, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting

#: The keys of `terraform providers schema -json` output; everything else in the project's copy is an extra.
STANDARD_KEYS = {
    "format_version",
    "provider_schemas",
    "provider",
    "resource_schemas",
    "data_source_schemas",
    "version",
    "block",
    "attributes",
    "block_types",
    "type",
    "description",
    "description_kind",
    "required",
    "optional",
    "computed",
    "sensitive",
    "deprecated",
    "nesting_mode",
    "min_items",
    "max_items",
}
#: Maps whose keys are names (types, attributes, blocks), not schema keys.
NAME_MAPS = {"provider_schemas", "resource_schemas", "data_source_schemas", "attributes", "block_types"}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_bindings", ROOT / "tools" / "gen_bindings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen_bindings = _load_generator()


def _strip(node: Any, names: bool = False) -> Any:
    """A schema as real `terraform providers schema -json` output has it: without the extra keys."""
    if not isinstance(node, dict):
        return node
    if names:
        return {name: _strip(value) for name, value in node.items()}
    return {key: _strip(value, key in NAME_MAPS) for key, value in node.items() if key in STANDARD_KEYS}


def _generate(schema: dict[str, Any], out: Path, types: str = "") -> None:
    path = out.parent / "schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert gen_bindings.main(["--schema", str(path), "--out", str(out), *(["--types", types] if types else [])]) == 0


def _mypy_strict(package: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(ROOT / "constructs")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, str(package)],
        capture_output=True,
        text=True,
        cwd=package.parent,
        env=env,
        check=False,
    )


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for a generated package; the package is forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in set(sys.modules) - before:
        if name.startswith("generated"):
            del sys.modules[name]


def test_the_package_bindings_are_the_generators_current_output(capsys: pytest.CaptureFixture[str]) -> None:
    """What the tests import is what the schema copy generates now (`make` regenerates after a change)."""
    assert gen_bindings.main(["--check"]) == 0, capsys.readouterr().err


def test_generating_the_package_twice_gives_the_same_bytes() -> None:
    first, second = gen_bindings.generate(), gen_bindings.generate()
    assert first == second
    assert {"__init__.py", "vpc.py", "privatelink.py", "provider.py"} <= set(first)
    assert all(str(ROOT) not in text for text in first.values())


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_git_ignores_exactly_the_generated_modules() -> None:
    package = gen_bindings.PACKAGE_DIR.relative_to(ROOT)
    generated = [(package / name).as_posix() for name in sorted(gen_bindings.generate())]
    ignored = _git("check-ignore", "--no-index", *generated).stdout.split()
    assert ignored == generated
    tracked = _git("ls-files", package.as_posix()).stdout.split()
    assert (package / "_base.py").as_posix() in tracked
    assert _git("check-ignore", "--no-index", *tracked).stdout == ""
    for path in tracked:
        assert not (ROOT / path).read_text(encoding="utf-8").startswith(gen_bindings.GENERATED_HEADER), path


def test_builds_format_with_the_locked_ruff() -> None:
    """setup.py generates the bindings in the build environment; the same ruff writes the same bytes."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (build_ruff,) = [r for r in pyproject["build-system"]["requires"] if r.startswith("ruff")]
    assert build_ruff in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()


def test_check_reports_a_hand_edit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    _generate(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), out, types="alicloud_vpc")
    schema_args = ["--schema", str(tmp_path / "schema.json"), "--out", str(out), "--types", "alicloud_vpc"]
    assert gen_bindings.main([*schema_args, "--check"]) == 0
    (out / "vpc.py").write_text((out / "vpc.py").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert gen_bindings.main([*schema_args, "--check"]) == 1
    assert "vpc.py: not what tools/gen_bindings.py generates" in capsys.readouterr().err


def test_reserved_names_cover_every_cdktf_member() -> None:
    members = {
        name
        for base in (TerraformResource, TerraformDataSource, TerraformProvider)
        for name in dir(base)
        if not name.startswith("_")
    }
    assert members <= gen_bindings.RESERVED


def test_the_schema_without_extras_generates_bindings_that_type_check_and_synthesize(
    importable: Path,
) -> None:
    stripped = _strip(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    text = json.dumps(stripped)
    assert '"enum"' not in text and '"removed"' not in text and '"force_new"' not in text
    out = importable / "generated_plain"
    _generate(stripped, out)
    result = _mypy_strict(out)
    assert result.returncode == 0, result.stdout + result.stderr
    package = importlib.import_module("generated_plain")
    stack = TerraformStack(App(), "s")
    listener = package.SlbListener(stack, "l", load_balancer_id="lb-1", protocol="tcp", frontend_port=80)
    package.PvtzZoneRecord(stack, "r", zone_id="z", type="CNAME", value=listener.load_balancer_id)
    body = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]["alicloud_pvtz_zone_record"]["r"]
    assert body == {"zone_id": "z", "type": "CNAME", "value": "${alicloud_slb_listener.l.load_balancer_id}"}


def test_names_python_or_cdktf_use_are_renamed(importable: Path) -> None:
    schema = {
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/aliyun/alicloud": {
                "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "optional": True}}}},
                "resource_schemas": {
                    "alicloud_demo_thing": {
                        "version": 0,
                        "block": {
                            "attributes": {
                                "id": {"type": "string", "optional": True, "computed": True},
                                "name": {"type": "string", "required": True, "description": "The thing's name."},
                                "from": {"type": "string", "optional": True},
                                # Terraform keeps meta-argument names out of provider schemas, but a
                                # computed attribute may still be called like a cdktf member.
                                "count": {"type": "number", "computed": True},
                                "provider": {"type": "string", "computed": True},
                                "mode": {"type": "string", "optional": True, "enum": ["a", "b"]},
                            }
                        },
                    }
                },
            }
        },
    }
    out = importable / "generated_demo"
    _generate(schema, out)
    assert {path.name for path in out.glob("*.py")} == {"__init__.py", "demo.py", "provider.py"}
    source = (out / "demo.py").read_text(encoding="utf-8")
    assert source.startswith("# Generated by tools/gen_bindings.py")
    assert "The thing's name." in source
    result = _mypy_strict(out)
    assert result.returncode == 0, result.stdout + result.stderr
    demo = importlib.import_module("generated_demo")
    stack = TerraformStack(App(), "s")
    thing = demo.DemoThing(stack, "t", name="n", from_="x", mode="a")
    assert "${" in thing.provider_attribute
    assert isinstance(inspect.getattr_static(demo.DemoThing, "provider_attribute"), property)
    assert isinstance(inspect.getattr_static(demo.DemoThing, "count_attribute"), property)
    body = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]["alicloud_demo_thing"]["t"]
    assert body == {"name": "n", "from": "x", "mode": "a"}
    with pytest.raises(ValueError, match="mode='c' is not allowed"):
        demo.DemoThing(stack, "u", name="n", mode="c")
    with pytest.raises(TypeError, match="did you mean 'mode'"):
        demo.DemoThing(stack, "v", name="n", mdoe="a")


def test_generating_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    _generate(schema, tmp_path / "one", types="alicloud_nlb_load_balancer alicloud_nlb_zones provider")
    _generate(schema, tmp_path / "two", types="provider alicloud_nlb_zones alicloud_nlb_load_balancer")
    for path in sorted((tmp_path / "one").glob("*.py")):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
        assert str(tmp_path) not in path.read_text(encoding="utf-8")
