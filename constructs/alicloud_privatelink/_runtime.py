"""The one place that imports the CDK for Terraform runtime.

CDKTF (``cdktf``) was archived on 2025-12-10; CDK Terrain (``cdktn``) is the
maintained fork with the same API. Everything else in this project imports the
runtime from here, so switching is a matter of which package is installed, or
of setting ``PRIVATELINK_CDK_RUNTIME`` to ``cdktf`` or ``cdktn``.

With no setting, cdktn wins when it is installed: cdktf is the package's default
dependency, so cdktn is only there because the user asked for it (``pip install
alicloud-privatelink[cdktn]``), and a program of theirs that imports cdktn must
not get constructs from the other runtime.

Which Node.js jsii starts is not chosen here: ``tools/install-node.sh``
installs a supported one into the virtual environment and sets ``JSII_NODE``
at interpreter start-up, before any jsii library (cdktf or constructs) loads.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from types import ModuleType

RUNTIME_ENV = "PRIVATELINK_CDK_RUNTIME"
SUPPORTED_RUNTIMES = ("cdktf", "cdktn")
#: Tried in this order when ``PRIVATELINK_CDK_RUNTIME`` is unset (see the module docstring).
PREFERENCE = ("cdktn", "cdktf")


def _import_runtime(
    environ: Mapping[str, str] = os.environ,
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> ModuleType:
    wanted = environ.get(RUNTIME_ENV, "").strip()
    if wanted and wanted not in SUPPORTED_RUNTIMES:
        raise SystemExit(
            f"{RUNTIME_ENV}={wanted!r} is not a supported runtime; use one of {', '.join(SUPPORTED_RUNTIMES)}"
        )
    for name in (wanted,) if wanted else PREFERENCE:
        try:
            return import_module(name)
        except ImportError:
            continue
    if wanted:
        raise SystemExit(f"{RUNTIME_ENV}={wanted} but {wanted} is not installed")
    raise SystemExit("neither cdktf nor cdktn is installed: run `make synth` or `pip install cdktf==0.21.0`")


cdk = _import_runtime()

#: Name of the runtime in use: "cdktf" or "cdktn".
RUNTIME_NAME: str = cdk.__name__

App = cdk.App
#: ``resource "terraform_data"`` (Terraform >= 1.4).
DataResource = cdk.DataResource
DataTerraformRemoteStateLocal = cdk.DataTerraformRemoteStateLocal
DataTerraformRemoteStateOss = cdk.DataTerraformRemoteStateOss
LocalBackend = cdk.LocalBackend
OssBackend = cdk.OssBackend
TerraformDataSource = cdk.TerraformDataSource
TerraformElement = cdk.TerraformElement
TerraformOutput = cdk.TerraformOutput
TerraformProvider = cdk.TerraformProvider
TerraformProviderGeneratorMetadata = cdk.TerraformProviderGeneratorMetadata
TerraformResource = cdk.TerraformResource
TerraformResourceLifecycle = cdk.TerraformResourceLifecycle
#: A ``precondition`` block of a resource's ``lifecycle``.
Precondition = cdk.Precondition
#: A ``postcondition`` block of a resource's ``lifecycle``.
Postcondition = cdk.Postcondition
TerraformStack = cdk.TerraformStack
Testing = cdk.Testing
Token = cdk.Token
ITerraformDependable = cdk.ITerraformDependable
IResolvable = cdk.IResolvable

__all__ = [
    "RUNTIME_NAME",
    "App",
    "DataResource",
    "DataTerraformRemoteStateLocal",
    "DataTerraformRemoteStateOss",
    "IResolvable",
    "ITerraformDependable",
    "LocalBackend",
    "OssBackend",
    "Postcondition",
    "Precondition",
    "TerraformDataSource",
    "TerraformElement",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformProviderGeneratorMetadata",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Testing",
    "Token",
]
