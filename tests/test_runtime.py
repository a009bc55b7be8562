"""The CDK runtime in use is the one asked for (``make test-cdktn`` asks for cdktn)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from alicloud_privatelink import RUNTIME_NAME
from alicloud_privatelink._runtime import RUNTIME_ENV, SUPPORTED_RUNTIMES, App

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
