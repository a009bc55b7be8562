"""The CDK runtime in use is the one asked for (``make test-cdktn`` asks for cdktn)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType

import pytest

from alicloud_privatelink import RUNTIME_NAME
from alicloud_privatelink._runtime import RUNTIME_ENV, SUPPORTED_RUNTIMES, App, _import_runtime

OTHER_RUNTIME = "cdktn" if RUNTIME_NAME == "cdktf" else "cdktf"


def test_runtime_is_the_one_asked_for() -> None:
    assert RUNTIME_NAME in SUPPORTED_RUNTIMES
    if os.environ.get(RUNTIME_ENV):
        assert os.environ[RUNTIME_ENV] == RUNTIME_NAME
    assert App.__module__.partition(".")[0] == RUNTIME_NAME


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("terraform", "PRIVATELINK_CDK_RUNTIME='terraform' is not a supported runtime; use one of cdktf, cdktn"),
        (OTHER_RUNTIME, f"PRIVATELINK_CDK_RUNTIME={OTHER_RUNTIME} but {OTHER_RUNTIME} is not installed"),
    ],
)
def test_an_unusable_runtime_is_refused(value: str, message: str) -> None:
    if value in SUPPORTED_RUNTIMES and importlib.util.find_spec(value) is not None:
        pytest.skip(f"{value} is installed here")
    run = subprocess.run(
        [sys.executable, "-c", "import alicloud_privatelink"],
        capture_output=True,
        text=True,
        env={**os.environ, RUNTIME_ENV: value},
        check=False,
    )
    assert (run.returncode, run.stderr.strip()) == (1, message)


def _fake_importer(installed: set[str]) -> Callable[[str], ModuleType]:
    def import_module(name: str) -> ModuleType:
        if name not in installed:
            raise ImportError(name)
        return ModuleType(name)

    return import_module


@pytest.mark.parametrize(
    ("installed", "setting", "chosen"),
    [
        ({"cdktf", "cdktn"}, "", "cdktn"),  # the [cdktn] extra installs both: the user asked for cdktn
        ({"cdktf"}, "", "cdktf"),
        ({"cdktn"}, "", "cdktn"),
        ({"cdktf", "cdktn"}, "cdktf", "cdktf"),  # the setting still overrides
    ],
)
def test_cdktn_is_chosen_when_installed_unless_the_setting_says_otherwise(
    installed: set[str], setting: str, chosen: str
) -> None:
    runtime = _import_runtime({RUNTIME_ENV: setting}, _fake_importer(installed))
    assert runtime.__name__ == chosen


def test_neither_runtime_installed_is_a_clear_error() -> None:
    with pytest.raises(SystemExit, match="neither cdktf nor cdktn is installed"):
        _import_runtime({}, _fake_importer(set()))
