"""Local Terraform state beside the synth output folder, at a path relative to each stack's folder.

Without a backend, cdktf gives each stack a local backend with an *absolute*
path on the machine that synthesized it, so the output differs from machine to
machine and breaks when the folder moves. cdktf (and Terraform, which runs in
``<out>/stacks/<stack>``) resolves a relative path from the stack's folder, so
``../../../<file>`` is ``<file>`` in the folder that holds ``<out>``: state
survives re-synthesis and the output is the same everywhere.

    stack = TerraformStack(app, "privatelink-provider")
    local_state_beside_output(stack)   # terraform.privatelink-provider.tfstate beside <out>
"""

from __future__ import annotations

from constructs import Construct

from ._runtime import DataTerraformRemoteStateLocal, LocalBackend, TerraformStack

#: The folder that holds the output folder, seen from a stack's folder (``<out>/stacks/<stack>``).
BESIDE_OUTPUT = "../../.."
#: The workspace a remote-state read asks for by default: the reading stack's own.
SAME_WORKSPACE = "${terraform.workspace}"


def beside_output(file_name: str) -> str:
    """``file_name`` in the folder that holds ``<out>``, as a path relative to a stack's folder."""
    if not file_name or "/" in file_name or "\\" in file_name or file_name in (".", ".."):
        raise ValueError(f"state file name {file_name!r}: give a plain file name such as terraform.app.tfstate")
    return f"{BESIDE_OUTPUT}/{file_name}"


def default_file_name(stack_name: str) -> str:
    """cdktf's own default name for a stack's local state: ``terraform.<stack>.tfstate``."""
    return f"terraform.{stack_name}.tfstate"


def local_state_beside_output(stack: TerraformStack, file_name: str | None = None) -> LocalBackend:
    """Give ``stack`` a local backend at ``file_name`` (default ``terraform.<stack id>.tfstate``) beside ``<out>``.

    Non-default workspaces live in ``<file_name>.d/<workspace>/`` beside it, also outside ``<out>``.
    """
    path = beside_output(file_name or default_file_name(stack.node.id))
    return LocalBackend(stack, path=path, workspace_dir=f"{path}.d")


def read_local_state_beside_output(
    scope: Construct, id: str, file_name: str, workspace: str = SAME_WORKSPACE
) -> DataTerraformRemoteStateLocal:
    """``data "terraform_remote_state"`` of another stack whose state :func:`local_state_beside_output` placed.

    ``workspace``: default the reading stack's own, so a stack in workspace ``staging`` reads ``staging``.
    """
    path = beside_output(file_name)
    return DataTerraformRemoteStateLocal(scope, id, path=path, workspace_dir=f"{path}.d", workspace=workspace)
