"""The output folder: owned by this app, replaced in one atomic step, never guessed at.

Ownership. A folder is replaced only when it is new, empty, or carries
:data:`MARKER`, a file only this app writes. The marker lists the files the
app wrote (and names the app and the scenario), with no time or random id,
so the output stays byte-identical. Anything else the folder holds -
Terraform's ``.terraform/`` and ``.terraform.lock.hcl``, a user's
``NOTES.md`` or ``terraform.tfvars`` - is moved into the new output.

Atomicity. Synthesis writes to a staging folder beside ``--out``. On Linux
``renameat2(RENAME_EXCHANGE)`` swaps the two in one step, so a kill at any
moment leaves ``--out`` holding the complete old or the complete new output.
Elsewhere it falls back to two renames and says so. Staging folders left by
killed runs are cleaned up by the next run; the user files they may hold are
recovered first. Runs into the same parent folder are serialised by a lock on
that folder (no lock file is left behind).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alicloud_privatelink.checks import Problem, ValidationError

APP_NAME = "alicloud-privatelink"
#: The file that marks a folder as this app's output. Only this app writes it.
MARKER = ".alicloud-privatelink-output.json"
#: How long a run waits for another run writing beside the same ``--out``.
LOCK_WAIT_SECONDS = 120.0
#: errno names that jsii (Node) puts in its messages when writing fails.
_WRITE_ERRORS = re.compile(r"\b(ENOSPC|EDQUOT|EROFS|EACCES|EPERM|EIO|ENAMETOOLONG|EMFILE|ENOTDIR|EEXIST)\b")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def refuse(message: str) -> ValidationError:
    return ValidationError([Problem("--out", message)])


def write_error(error: BaseException, outdir: Path) -> ValidationError | None:
    """An ``--out:`` line for a failed write reported by jsii (e.g. a full disk), or None for other errors."""
    found = _WRITE_ERRORS.search(str(error))
    if not found:
        return None
    reason = os.strerror(getattr(errno, found.group(1)))
    return refuse(f"cannot write {outdir}: {reason} ({found.group(1)}); the previous output is unchanged")


# -- where the output goes ---------------------------------------------------


def resolve_outdir(outdir: Path) -> Path:
    """The real path ``outdir`` names, refusing a symbolic link and a folder inside an output."""
    absolute = Path(os.path.abspath(outdir))  # "out/stacks/.." names "out", not a folder inside it
    if absolute.is_symlink():
        raise refuse(f"{outdir} is a symbolic link; give a real folder (the output is meant to be committed)")
    if absolute == absolute.parent:
        raise refuse(f"{outdir} is the file-system root; give a folder of its own")
    target = absolute.parent.resolve() / absolute.name
    for ancestor in target.parents:
        if (ancestor / MARKER).is_file():
            raise refuse(f"{outdir} is inside the synth output {ancestor}; give a folder outside it")
    return target


def _marker(folder: Path) -> dict[str, Any] | None:
    """This app's marker in ``folder``, or None if the app does not own it."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("app") != APP_NAME or not isinstance(marker.get("files"), list):
        return None
    return marker


def owned_files(folder: Path) -> set[str] | None:
    """The files the app wrote into ``folder`` (relative paths), or None if the app does not own it."""
    marker = _marker(folder)
    if marker is None:
        return None
    return {str(name) for name in marker["files"]} | {MARKER}


def check_same_deployment(outdir: Path, scenario: str) -> None:
    """Refuse to write scenario ``scenario`` over another scenario's output that Terraform has initialised.

    Terraform caches each stack's backend in ``stacks/<stack>/.terraform/``, which the swap keeps.
    Another scenario's stacks there would meet the cached backend of the old one, and the
    ``terraform init -migrate-state`` that Terraform then suggests copies the old deployment's
    state into the new one's, whose next plan destroys and rewrites the old deployment's resources.
    """
    marker = _marker(outdir)
    if marker is None or marker.get("scenario") in (scenario, "", None):
        return
    initialised = sorted(path.parent.name for path in outdir.glob("stacks/*/.terraform"))
    if initialised:
        raise refuse(
            f"{outdir} holds scenario {marker['scenario']!r}, which Terraform has initialised "
            f"(stacks/{initialised[0]}/.terraform); synthesizing scenario {scenario!r} there would point "
            "that deployment's Terraform at another state. Give this scenario its own --out"
        )


def check_replaceable(outdir: Path) -> None:
    """Raise :class:`ValidationError` unless ``outdir`` is new, empty, or carries this app's marker."""
    if not outdir.exists() and not outdir.is_symlink():
        return
    if outdir.is_symlink() or not outdir.is_dir():
        raise refuse(f"{outdir} exists and is not a folder")
    try:
        empty = not any(outdir.iterdir())
    except OSError as error:
        raise refuse(f"{outdir} cannot be read: {error.strerror}") from None
    if not empty and owned_files(outdir) is None:
        raise refuse(
            f"{outdir} holds files this app did not write (it has no {MARKER}); "
            "give a new or empty folder, so nothing of yours is replaced"
        )


# -- the swap ------------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with ``renameat2(RENAME_EXCHANGE)``; False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28 and later
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # e.g. a file system without exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def _write_marker(folder: Path, scenario: str) -> None:
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir())
    marker = {"app": APP_NAME, "scenario": scenario, "files": files}
    (folder / MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _carry_over(old: Path, new: Path, app_files: set[str]) -> None:
    """Move everything in ``old`` that the app did not write into ``new``, where ``new`` has nothing there."""
    app_folders = {parent.as_posix() for name in app_files for parent in Path(name).parents} - {"."}

    def walk(relative: Path) -> None:
        for entry in sorted(os.scandir(old / relative), key=lambda e: e.name):
            name = (relative / entry.name).as_posix()
            if name in app_files:
                continue
            if name in app_folders and entry.is_dir(follow_symlinks=False):
                walk(relative / entry.name)
                continue
            target = new / name
            if target.exists() or target.is_symlink():
                continue  # the new output has its own file of that name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(old / name, target)  # same file system: a move, not a copy of provider binaries

    walk(Path())


def _staging_leftovers(outdir: Path) -> list[Path]:
    parent, name = outdir.parent, outdir.name
    return sorted([*parent.glob(f".{glob_escape(name)}.new-*"), *parent.glob(f".{glob_escape(name)}.old-*")])


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _clean_leftovers(outdir: Path) -> None:
    """Remove what killed runs left beside ``outdir``, recovering a user's files and a lost output first."""
    for leftover in _staging_leftovers(outdir):
        # A fallback swap killed between its two renames left the old output in .<name>.old-*/<name>.
        retired = leftover / outdir.name
        if not outdir.exists() and owned_files(retired) is not None:
            os.rename(retired, outdir)
        for candidate in (leftover, retired):
            app_files = owned_files(candidate)
            if app_files is not None and outdir.is_dir():
                _carry_over(candidate, outdir, app_files)
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``parent`` (the folder that holds ``--out``), waiting for another run."""
    descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise refuse(
                        f"another run has been writing in {parent} for {LOCK_WAIT_SECONDS:.0f} s; try again later"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the swap and the carry-over are done, so neither is left half-way."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _os_step(description: str) -> contextlib.AbstractContextManager[None]:
    @contextlib.contextmanager
    def step() -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise refuse(f"cannot {description}: {error.strerror or error}") from None

    return step()


@contextlib.contextmanager
def replace_atomically(outdir: Path, scenario: str = "") -> Iterator[Path]:
    """Yield an empty staging folder beside ``outdir``; on success it becomes ``outdir`` in one step.

    On any error (or Ctrl-C) the staging folder is removed and ``outdir`` is left as it was.
    ``scenario`` is recorded in the marker.
    """
    target = resolve_outdir(outdir)
    check_replaceable(target)
    check_same_deployment(target, scenario)
    with _os_step(f"create {target.parent}"):
        target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        check_replaceable(target)  # again, now that no other run can change it
        check_same_deployment(target, scenario)
        with _os_step(f"clean up after an earlier run beside {target}"):
            _clean_leftovers(target)
        staging: Path | None = None
        try:
            with _signals_deferred(), _os_step(f"write beside {target}"):
                staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
                staging.chmod(_default_directory_mode())  # mkdtemp makes it private; the output is not
            yield staging
            with _os_step(f"write {target}"):
                _write_marker(staging, scenario)
            with _signals_deferred(), _os_step(f"replace {target}"):
                _swap(staging, target)
        finally:
            if staging is not None:
                with _signals_deferred():  # a Ctrl-C arriving now must not stop the cleanup half-way
                    _remove(staging)


def _remove(staging: Path) -> None:
    """Remove the staging folder, also when jsii's Node is still writing into it (an interrupted synth)."""
    for _ in range(20):
        if not staging.exists():
            return
        shutil.rmtree(staging, ignore_errors=True)
        time.sleep(0.05)  # Node's writes into a removed folder fail, and it stops


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the old output's non-app files move into the new one."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        old = staging  # the exchange put the old output where staging was
    else:
        print(f"--out: cannot swap folders atomically here; replacing {target} in two steps", file=sys.stderr)
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent)) / target.name
        os.rename(target, old)
        os.rename(staging, target)
    app_files = owned_files(old)
    if app_files is not None:
        _carry_over(old, target, app_files)
    shutil.rmtree(old if old == staging else old.parent)


def _default_directory_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask
