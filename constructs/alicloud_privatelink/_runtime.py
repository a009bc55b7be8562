"""The one place that imports the CDK for Terraform runtime.

CDKTF (``cdktf``) was archived on 2025-12-10; CDK Terrain (``cdktn``) is the
maintained fork with the same API. Everything else in this project imports the
runtime from here, so switching is a matter of which package is installed, or
of setting ``PRIVATELINK_CDK_RUNTIME`` to ``cdktf`` or ``cdktn``.

Which Node.js jsii starts is not chosen here: ``tools/install-node.sh``
installs a supported one into the virtual environment and sets ``JSII_NODE``
at interpreter start-up, before any jsii library (cdktf or constructs) loads.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

RUNTIME_ENV = "PRIVATELINK_CDK_RUNTIME"
SUPPORTED_RUNTIMES = ("cdktf", "cdktn")


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


cdk = _import_runtime()

#: Name of the runtime in use: "cdktf" or "cdktn".
RUNTIME_NAME: str = cdk.__name__

App = cdk.App
LocalBackend = cdk.LocalBackend
OssBackend = cdk.OssBackend
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
IResolvable = cdk.IResolvable

__all__ = [
    "RUNTIME_NAME",
    "App",
    "IResolvable",
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
]
