"""The wheel, as a library user gets it: built (through the sdist) from this repo's files as a
fresh clone has them, with no generated bindings, installed into a fresh virtualenv, and used by
examples/library_usage.py from a folder outside the repo.

Slow (it builds, makes a venv and installs from the package index), so the
``wheel`` marker keeps it out of the default run; ``make test-wheel`` runs it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "library_usage.py"
#: The supported Node that `make` installs; the fresh venv has none of its own.
SUPPORTED_NODE = ROOT / ".venv" / "node" / "node_modules" / "node" / "bin" / "node"
TIMEOUT = 600


@dataclass(frozen=True)
class Installed:
    sdist: Path
    wheel: Path
    python: Path
    site_packages: Path
    workdir: Path
    env: dict[str, str]


def run(args: Sequence[str | Path], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=TIMEOUT, **kwargs)


def checked(args: Sequence[str | Path], **kwargs: Any) -> str:
    result = run(args, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.is_relative_to(ROOT)
    assert SUPPORTED_NODE.is_file(), "no supported Node in .venv: run `make venv` first"

    # What git tracks, plus untracked files it does not ignore (so an uncommitted change counts), without
    # the generated bindings: the sdist is built from that, and the wheel from the sdist.
    source = tmp / "source"
    listed = checked(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    for name in listed.split("\0"):
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    assert not (source / "constructs" / "alicloud_privatelink" / "bindings" / "__init__.py").exists()
    checked([sys.executable, "-m", "build", "--outdir", tmp / "dist", source])
    (sdist,) = (tmp / "dist").glob("alicloud_privatelink-*.tar.gz")
    (wheel,) = (tmp / "dist").glob("alicloud_privatelink-*.whl")

    venv = tmp / "venv"
    checked([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    # The wheel's dependencies (cdktf, constructs, jsii, ...) at the versions CI pins.
    checked(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel],
        env={**os.environ, "PIP_CONSTRAINT": str(ROOT / "requirements.lock")},
    )
    site_packages = Path(checked([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())

    # Outside the repo, with nothing of the repo's on the path.
    workdir = tmp / "work"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PRIVATELINK_CDK_RUNTIME"}}
    env["JSII_NODE"] = str(SUPPORTED_NODE)
    return Installed(sdist, wheel, python, site_packages, workdir, env)


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_bindings", ROOT / "tools" / "gen_bindings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_wheel_holds_the_library_and_nothing_else(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert {"alicloud_privatelink/__init__.py", "alicloud_privatelink/py.typed"} <= set(names)
    assert "alicloud_privatelink/bindings/_base.py" in names
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {"alicloud_privatelink", installed.wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_wheel_carries_the_bindings_generated_from_the_schema_copy(installed: Installed) -> None:
    generated = _generator().generate()
    with zipfile.ZipFile(installed.wheel) as wheel:
        for name, text in generated.items():
            assert wheel.read(f"alicloud_privatelink/bindings/{name}").decode("utf-8") == text, name


def test_the_sdist_carries_the_generator_and_the_schema_not_the_generated_modules(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"setup.py", "tools/gen_bindings.py", "tools/schema/alicloud-provider-schema.json"} <= names
    assert "constructs/alicloud_privatelink/bindings/_base.py" in names
    generated = {f"constructs/alicloud_privatelink/bindings/{name}" for name in _generator().generate()}
    assert not generated & names
    tracked = checked(["git", "ls-files", "constructs/alicloud_privatelink"], cwd=ROOT).split()
    assert {name for name in tracked if name.endswith((".py", ".typed"))} <= names


def test_the_fresh_venv_imports_the_installed_wheel(installed: Installed) -> None:
    probe = "import alicloud_privatelink as a; print(a.__file__); print(a.RUNTIME_NAME)"
    module_file, runtime = checked([installed.python, "-c", probe], cwd=installed.workdir, env=installed.env).split()
    assert Path(module_file).is_relative_to(installed.site_packages)
    assert runtime == "cdktf"
    checked([installed.python, "-m", "pip", "check"], env=installed.env)


def test_the_library_example_synthesizes_both_stacks(installed: Installed) -> None:
    script = installed.workdir / EXAMPLE.name
    shutil.copy(EXAMPLE, script)
    result = run([installed.python, script.name, "out"], cwd=installed.workdir, env=installed.env)

    assert result.returncode == 0, result.stderr
    assert "end-of-life" not in result.stderr.lower()
    assert (result.stdout, result.stderr) == ("", "")

    def stack(name: str) -> dict[str, Any]:
        path = installed.workdir / "out" / "stacks" / name / "cdk.tf.json"
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded

    provider, consumer = stack("privatelink-provider"), stack("privatelink-consumer")
    assert set(provider["resource"]) == {
        "alicloud_vpc",
        "alicloud_vswitch",
        "alicloud_security_group",
        "alicloud_security_group_rule",
        "alicloud_instance",
        "alicloud_slb_load_balancer",
        "alicloud_slb_listener",
        "alicloud_slb_backend_server",
        "alicloud_privatelink_vpc_endpoint_service",
        "alicloud_privatelink_vpc_endpoint_service_resource",
        "terraform_data",  # each demo backend's boot-script record, which replaces it when the script changes
    }
    assert len(provider["resource"]["alicloud_instance"]) == 2
    assert len(provider["resource"]["terraform_data"]) == 2
    assert set(consumer["resource"]) == {
        "alicloud_vpc",
        "alicloud_vswitch",
        "alicloud_security_group",
        "alicloud_security_group_rule",
        "alicloud_privatelink_vpc_endpoint",
        "alicloud_privatelink_vpc_endpoint_zone",
        "alicloud_privatelink_vpc_endpoint_connection",
    }
    # The cross-stack reference: the consumer reads the service id from the provider's state.
    (remote_state,) = consumer["data"]["terraform_remote_state"].values()
    # local_state_beside_output: relative paths, workspaces beside the state file.
    assert remote_state["config"] == {
        "path": "../../../terraform.privatelink-provider.tfstate",
        "workspace_dir": "../../../terraform.privatelink-provider.tfstate.d",
    }
    (endpoint,) = consumer["resource"]["alicloud_privatelink_vpc_endpoint"].values()
    assert endpoint["service_id"].startswith("${data.terraform_remote_state.")


def test_the_library_example_writes_hcl_that_terraform_reads(installed: Installed) -> None:
    """cdktf 0.21 renders a lifecycle's conditions as lists; ``format_hcl_output`` makes them blocks."""
    script = installed.workdir / EXAMPLE.name
    shutil.copy(EXAMPLE, script)
    env = {**installed.env, "SYNTH_HCL_OUTPUT": "true"}
    result = run([installed.python, script.name, "out-hcl"], cwd=installed.workdir, env=env)
    assert result.returncode == 0, result.stderr
    files = sorted((installed.workdir / "out-hcl" / "stacks").glob("*/cdk.tf"))
    assert [path.parent.name for path in files] == ["privatelink-consumer", "privatelink-provider"]
    consumer = files[0].read_text(encoding="utf-8")
    assert "postcondition {" in consumer and "postcondition = [" not in consumer
    terraform = shutil.which("terraform")
    if terraform is not None:
        checked([terraform, "fmt", "-check", "-diff", *files], env={**os.environ, "CHECKPOINT_DISABLE": "1"})
