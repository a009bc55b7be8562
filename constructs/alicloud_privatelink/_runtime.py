"""The one place that imports the CDK for Terraform runtime.

CDKTF (``cdktf``) was archived on 2025-12-10; CDK Terrain (``cdktn``) is the
maintained fork with the same API. Everything else in this project imports the
runtime from here, so switching is a matter of which package is installed, or
of setting ``PRIVATELINK_CDK_RUNTIME`` to ``cdktf`` or ``cdktn``.

It also chooses the Node.js binary that jsii starts. The project's virtual
environment carries a supported Node (installed by ``make``) under
``<venv>/node``; when it is there and ``JSII_NODE`` is not already set, it is
used, so nobody runs the synthesizer on an end-of-life Node.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

RUNTIME_ENV = "PRIVATELINK_CDK_RUNTIME"
SUPPORTED_RUNTIMES = ("cdktf", "cdktn")


def bundled_node() -> Path | None:
    """The supported Node.js that ``make`` installs into the virtual environment, if any."""
    candidate = Path(sys.prefix) / "node" / "node_modules" / "node" / "bin" / "node"
    return candidate if candidate.is_file() else None


def _use_bundled_node() -> None:
    if "JSII_NODE" in os.environ:
        return
    node = bundled_node()
    if node is not None:
        os.environ["JSII_NODE"] = str(node)


def _import_runtime() -> ModuleType:
    wanted = os.environ.get(RUNTIME_ENV, "").strip()
    if wanted and wanted not in SUPPORTED_RUNTIMES:
        raise SystemExit(
            f"{RUNTIME_ENV}={wanted!r} is not a supported runtime; use one of {', '.join(SUPPORTED_RUNTIMES)}"
        )
    for name in (wanted,) if wanted else SUPPORTED_RUNTIMES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    if wanted:
        raise SystemExit(f"{RUNTIME_ENV}={wanted} but {wanted} is not installed")
    raise SystemExit("neither cdktf nor cdktn is installed: run `make synth` or `pip install cdktf==0.21.0`")


_use_bundled_node()
cdk = _import_runtime()

#: Name of the runtime in use: "cdktf" or "cdktn".
RUNTIME_NAME: str = cdk.__name__

App = cdk.App
Fn = cdk.Fn
LocalBackend = cdk.LocalBackend
OssBackend = cdk.OssBackend
DataTerraformRemoteStateOss = cdk.DataTerraformRemoteStateOss
TerraformDataSource = cdk.TerraformDataSource
TerraformOutput = cdk.TerraformOutput
TerraformProvider = cdk.TerraformProvider
TerraformProviderGeneratorMetadata = cdk.TerraformProviderGeneratorMetadata
TerraformResource = cdk.TerraformResource
TerraformResourceLifecycle = cdk.TerraformResourceLifecycle
TerraformStack = cdk.TerraformStack
Testing = cdk.Testing
Token = cdk.Token
ITerraformDependable = cdk.ITerraformDependable

__all__ = [
    "RUNTIME_NAME",
    "App",
    "DataTerraformRemoteStateOss",
    "Fn",
    "ITerraformDependable",
    "LocalBackend",
    "OssBackend",
    "TerraformDataSource",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformProviderGeneratorMetadata",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Testing",
    "Token",
    "bundled_node",
]
