"""Where each stack keeps its Terraform state."""

from __future__ import annotations

from alicloud_privatelink._runtime import LocalBackend, OssBackend, TerraformStack

from .scenario import State


def configure_state(stack: TerraformStack, stack_name: str, state: State) -> None:
    """Local state beside the output folder, or one OSS object per stack.

    The local path is relative to the stack's folder (``<out>/stacks/<name>``):
    ``../../../terraform.<name>.tfstate`` is the folder that holds ``<out>``,
    the project root by default. It survives re-synthesis and does not depend
    on where the synth ran, so the output is the same on every machine.
    """
    if state.backend == "oss":
        OssBackend(
            stack,
            bucket=state.bucket or "",
            prefix=state.prefix,
            key=f"{stack_name}.tfstate",
            region=state.region,
            tablestore_endpoint=state.tablestore_endpoint,
            tablestore_table=state.tablestore_table,
            encrypt=True,
        )
    else:
        LocalBackend(stack, path=f"../../../terraform.{stack_name}.tfstate")
