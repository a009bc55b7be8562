"""Where each stack keeps its Terraform state, and how a consumer stack reads the provider stack's.

A scenario's ``name`` is its deployment's identity: it is part of every state
location, so two scenarios never share a state file (locally or in OSS), and
the same scenario synthesized into the same folder always finds its own.

* Local: ``../../../terraform.<name>.<stack>.tfstate``, relative to the
  stack's folder (``<out>/stacks/<stack>``), i.e. beside ``<out>``. It
  survives re-synthesis and does not depend on where the synth ran, so the
  output is the same on every machine. Non-default workspaces live in
  ``../../../terraform.<name>.<stack>.tfstate.d/<workspace>/`` (``workspace_dir``),
  also outside ``<out>``.
* OSS: each stack has its own prefix ``<prefix>/<name>/<stack>`` and the
  fixed key ``terraform.tfstate``; the OSS backend puts a non-default
  workspace at ``<prefix>/<name>/<stack>/<workspace>/terraform.tfstate``.
  Terraform's OSS backend (internal/backend/remote-state/oss/backend_state.go,
  hashicorp/terraform) stores a workspace at ``<prefix>/<workspace>/<key>``
  and lists workspaces as the first path segment of *every* object under
  ``<prefix>/``. With one prefix shared by all stacks, each stack would list
  its siblings' objects as workspaces, and since ``state.prefix`` may contain
  ``/``, prefix ``p`` + name ``a`` in workspace ``b`` and prefix ``p/a`` +
  name ``b`` would be the same object. A prefix of its own per stack keeps
  its workspaces to itself.

Reads of the provider's state name the reading stack's own workspace
(``terraform.workspace``) for both backends, so a consumer in workspace
``staging`` reads the provider's ``staging`` state either way.
"""

from __future__ import annotations

from constructs import Construct

from alicloud_privatelink._runtime import (
    DataTerraformRemoteStateLocal,
    DataTerraformRemoteStateOss,
    OssBackend,
    TerraformStack,
)
from alicloud_privatelink.state import (
    SAME_WORKSPACE,
    beside_output,
    local_state_beside_output,
    read_local_state_beside_output,
)

from .names import local_state_file, stack_prefix
from .settings import State


def local_state_path(scenario_name: str, stack_name: str) -> str:
    """The local state file of one stack of one scenario, relative to the stack's folder."""
    return beside_output(local_state_file(scenario_name, stack_name))


#: The OSS key of every stack's state, under the stack's own prefix.
OSS_KEY = "terraform.tfstate"


def oss_prefix(state: State, scenario_name: str, stack_name: str) -> str:
    """:func:`stack_prefix` of a scenario's ``[state]``."""
    return stack_prefix(state.prefix, scenario_name, stack_name)


def configure_state(stack: TerraformStack, scenario_name: str, stack_name: str, state: State) -> None:
    """The stack's backend: local beside the output folder, or one OSS object, both named by the scenario."""
    if state.backend == "oss":
        OssBackend(
            stack,
            bucket=state.bucket or "",
            prefix=oss_prefix(state, scenario_name, stack_name),
            key=OSS_KEY,
            region=state.region,
            tablestore_endpoint=state.tablestore_endpoint,
            tablestore_table=state.tablestore_table,
            encrypt=True,
        )
    else:
        local_state_beside_output(stack, local_state_file(scenario_name, stack_name))


def read_state(
    scope: Construct, id: str, scenario_name: str, stack_name: str, state: State
) -> DataTerraformRemoteStateLocal | DataTerraformRemoteStateOss:
    """``data "terraform_remote_state"`` for another stack of the same scenario, in the same workspace."""
    if state.backend == "oss":
        return DataTerraformRemoteStateOss(
            scope,
            id,
            bucket=state.bucket or "",
            prefix=oss_prefix(state, scenario_name, stack_name),
            key=OSS_KEY,
            region=state.region,
            encrypt=True,
            workspace=SAME_WORKSPACE,
        )
    return read_local_state_beside_output(scope, id, local_state_file(scenario_name, stack_name))
