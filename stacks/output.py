"""Replace the output folder only when synthesis succeeded.

``terraform init`` leaves ``.terraform/`` and ``.terraform.lock.hcl`` in each
stack's folder; they are moved into the new output, so a re-synth does not
force a fresh ``init``.

Only a folder that holds a previous synth (it has ``manifest.json``), an
empty folder or a new path is ever replaced: ``--out .`` or a typo must not
delete someone's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alicloud_privatelink.checks import Problem, ValidationError

#: What Terraform keeps in a stack folder between runs.
TERRAFORM_WORKING_FILES = (".terraform", ".terraform.lock.hcl")
#: The file every synth output has; its presence marks a folder as replaceable.
MANIFEST = "manifest.json"


def check_replaceable(outdir: Path, setting: str = "--out") -> None:
    """Raise :class:`ValidationError` unless ``outdir`` is new, empty, or a previous synth output."""
    if not outdir.exists():
        return
    if not outdir.is_dir():
        raise ValidationError([Problem(setting, f"{outdir} exists and is not a folder")])
    if any(outdir.iterdir()) and not (outdir / MANIFEST).is_file():
        raise ValidationError(
            [
                Problem(
                    setting,
                    f"{outdir} holds files that are not a synth output (no {MANIFEST}); "
                    "give a new or empty folder, so nothing of yours is replaced",
                )
            ]
        )


@contextlib.contextmanager
def replace_atomically(outdir: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``outdir``; on success it becomes ``outdir``.

    On any error the staging folder is removed and ``outdir`` is left as it was.
    """
    outdir = outdir.absolute()
    check_replaceable(outdir)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.new-", dir=outdir.parent))
    staging.chmod(_default_directory_mode())  # mkdtemp makes it private; the output is not
    try:
        yield staging
        _carry_over_working_files(outdir, staging)
        if outdir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.old-", dir=outdir.parent))
            outdir.rename(retired / outdir.name)
            staging.rename(outdir)
            shutil.rmtree(retired)
        else:
            staging.rename(outdir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _default_directory_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _carry_over_working_files(old: Path, new: Path) -> None:
    if not old.is_dir():
        return
    for stack in (old / "stacks").glob("*"):
        target = new / "stacks" / stack.name
        if not target.is_dir():
            continue
        for name in TERRAFORM_WORKING_FILES:
            source = stack / name
            if source.exists() and not (target / name).exists():
                source.rename(target / name)  # same filesystem: a move, not a copy of provider binaries
