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

Records. Which folders are the app's is decided by what it recorded, never by
their names: the record (:data:`STAGING_RECORD`, the folder's own device and
inode) each run writes in the folders it makes beside ``--out``, written to a
temporary file and renamed over, so it is whole or absent. While a folder has
no record - from its ``mkdir`` until the record is in place, and from the
record's removal until its ``rmdir`` - an intent file beside it claims it
(:mod:`app.intents`). So a kill at any moment leaves every folder it made
recognisable, and the next run removes it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alicloud_privatelink.checks import Problem, ValidationError
from alicloud_privatelink.input_files import read_text
from app import intents
from app.intents import APP_NAME

#: The file that marks a folder as this app's output. Only this app writes it.
MARKER = ".alicloud-privatelink-output.json"
#: The file in each folder a run makes beside ``--out`` (staging, or holding the old output) that
#: records the folder's identity, so that only folders this app made are ever cleaned up.
STAGING_RECORD = ".alicloud-privatelink-staging.json"
#: The record while it is written; renamed to :data:`STAGING_RECORD` once whole.
_RECORD_DRAFT = STAGING_RECORD + ".tmp"
_RECORD_FILES = (STAGING_RECORD, _RECORD_DRAFT)
#: Largest marker or record this app reads (they list file names).
MARKER_LIMIT = 16 * 1024 * 1024
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
    for ancestor in absolute.parents:
        if ancestor.is_symlink() and not ancestor.exists():
            # Creating the folders would create them wherever the link points.
            raise refuse(
                f"{outdir} runs through the symbolic link {ancestor}, which points to {os.readlink(ancestor)}, "
                "which does not exist; create that folder or give another path"
            )
    if absolute == absolute.parent:
        raise refuse(f"{outdir} is the file-system root; give a folder of its own")
    target = absolute.parent.resolve() / absolute.name
    for ancestor in target.parents:
        if (ancestor / MARKER).is_file():
            raise refuse(f"{outdir} is inside the synth output {ancestor}; give a folder outside it")
    return target


def _marker(folder: Path) -> dict[str, Any] | None:
    """This app's marker in ``folder``, or None if the app does not own it."""
    try:  # read without blocking: a FIFO or a device of that name is not a marker
        marker = json.loads(read_text(folder / MARKER, MARKER_LIMIT))
    except (OSError, ValidationError, ValueError):
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
        entries = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in outdir.iterdir())
    except OSError as error:
        raise refuse(f"{outdir} cannot be read: {error.strerror}") from None
    if entries and owned_files(outdir) is None:
        shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
        raise refuse(
            f"{outdir} holds what this app did not write ({shown}; it has no {MARKER}); "
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
    files = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if not path.is_dir() and path.name != STAGING_RECORD
    )
    marker = {"app": APP_NAME, "scenario": scenario, "files": files}
    (folder / MARKER).write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# -- what a run records about the folders it makes -------------------------------


def _identity(path: Path) -> list[int]:
    """Device and inode: what ``path`` is, whatever its name (a copy or a new folder of that name is another)."""
    info = os.lstat(path)
    return [info.st_dev, info.st_ino]


def _write_record(folder: Path, retired: Path | None = None, retired_identity: list[int] | None = None) -> None:
    """Record in ``folder`` that this app made it: its own identity, and what the swap will leave where."""
    record: dict[str, Any] = {"app": APP_NAME, "identity": _identity(folder)}
    if retired is not None:
        record["retired"] = {"path": retired.relative_to(folder.parent).as_posix(), "identity": retired_identity}
    draft = folder / _RECORD_DRAFT
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(json.dumps(record))
    os.replace(draft, folder / STAGING_RECORD)  # whole or not there: a kill mid-write leaves the old record


def _make_folder(target: Path, kind: str) -> Path:
    """A new folder ``.<target>.<kind>-<random>`` beside ``target``, claimed by an intent until its record is in."""
    while True:
        folder = target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"
        intent = intents.create(target, folder.name)
        try:
            os.mkdir(folder)  # never an existing folder: that may be the user's
        except FileExistsError:
            intent.unlink()
            continue
        except BaseException:
            intent.unlink()
            raise
        try:
            _write_record(folder)
        except BaseException:
            _drop_claimed(folder)
            intent.unlink()
            raise
        intent.unlink()
        return folder


def _drop_claimed(folder: Path) -> bool:
    """Remove ``folder`` if it holds no more than record files; whether it is gone."""
    try:
        if any(entry.name not in _RECORD_FILES for entry in os.scandir(folder)):
            return False
        for name in _RECORD_FILES:
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except FileNotFoundError:
        pass
    except OSError as error:
        if error.errno != errno.ENOTEMPTY:
            raise
        return False  # written into meanwhile (jsii's Node, still stopping)
    return True


def _remove_owned(folder: Path, target: Path) -> None:
    """Remove a folder this app made beside ``target``; at every moment its record or an intent says it is the app's."""
    for entry in os.scandir(folder):
        if entry.name not in _RECORD_FILES:
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
    if not any((folder / name).exists() for name in _RECORD_FILES):
        folder.rmdir()  # identified from outside (the old output a record names): no intent needed
        return
    intent = intents.create(target, folder.name)
    if not _drop_claimed(folder):  # something was written into it meanwhile: it keeps its record
        _write_record(folder)
        intent.unlink()
        raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), str(folder))
    intent.unlink()


def _record(folder: Path) -> dict[str, Any] | None:
    """The record this app wrote in ``folder``, or None: none, another app's, or one copied from elsewhere."""
    try:
        record = json.loads(read_text(folder / STAGING_RECORD, MARKER_LIMIT))
        if record.get("app") == APP_NAME and record.get("identity") == _identity(folder):
            return dict(record)
    except (OSError, ValidationError, ValueError, AttributeError):
        pass
    return None


def _retired(folder: Path) -> Path | None:
    """The old output a swap into ``folder`` set aside, if it is still there and still the same folder."""
    record = _record(folder)
    retired = record.get("retired") if record else None
    if not isinstance(retired, dict) or not isinstance(retired.get("path"), str):
        return None
    path = folder.parent / retired["path"]
    try:
        return path if _identity(path) == retired.get("identity") else None
    except OSError:
        return None


def _carry_over(old: Path, new: Path, app_files: set[str], move: bool = True) -> list[str]:
    """Move everything in ``old`` that the app did not write into ``new``; returns what ``new`` already has.

    Folders are merged: a user's file in a stack folder that the new output writes again goes into
    that folder. A user's entry whose name the new output uses for something else is a conflict;
    with ``move=False`` nothing moves and the conflicts are only listed, so a run can refuse first.
    """
    app_folders = {parent.as_posix() for name in app_files for parent in Path(name).parents} - {"."}
    conflicts: list[str] = []

    def walk(relative: Path) -> None:
        for entry in sorted(os.scandir(old / relative), key=lambda e: e.name):
            name = (relative / entry.name).as_posix()
            if name in app_files or (not relative.parts and entry.name == STAGING_RECORD):
                continue
            target = new / name
            folder = entry.is_dir(follow_symlinks=False)
            exists = target.exists() or target.is_symlink()
            if folder and (name in app_folders or (exists and target.is_dir() and not target.is_symlink())):
                if not exists and move:
                    target.mkdir(parents=True)
                walk(relative / entry.name)
            elif exists:
                conflicts.append(name)
            elif move:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(old / name, target)  # same file system: a move, not a copy of provider binaries

    walk(Path())
    return conflicts


def _leftovers(outdir: Path) -> list[Path]:
    """Folders beside ``outdir`` that a killed run of this app made: found by name, owned by their record."""
    parent, name = outdir.parent, glob_escape(outdir.name)
    candidates = sorted([*parent.glob(f".{name}.new-*"), *parent.glob(f".{name}.old-*")])
    return [path for path in candidates if path.is_dir() and not path.is_symlink() and _record(path) is not None]


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _clean_leftovers(outdir: Path) -> None:
    """Finish what killed runs left: put a lost output back, move the user's files home, remove their folders.

    Only folders whose record says this app made them are touched; a folder of the user's with a
    name like a staging folder's, or a copy of one, is left alone.
    """
    retired = _retired(outdir) if outdir.is_dir() else None
    if retired is not None:  # killed after the swap, before the old output's user files moved
        _finish_swap(outdir, retired, retired.parent if retired.parent != outdir.parent else retired)
    for leftover in _leftovers(outdir):
        inner = leftover / outdir.name  # a two-step swap killed between its renames left the old output here
        if not outdir.exists() and owned_files(inner) is not None:
            os.rename(inner, outdir)
        elif owned_files(inner) is not None and outdir.is_dir():
            _finish_swap(outdir, inner, leftover)
            continue
        _remove_owned(leftover, outdir)
    for intent, name in intents.found(outdir):  # killed while a folder it made had no record
        folder = outdir.parent / name
        if folder.is_dir() and not folder.is_symlink():
            _drop_claimed(folder)  # only if it holds no more than record files: else it is not provably ours
        intent.unlink()
    if outdir.is_dir() and _record(outdir) is not None:
        (outdir / STAGING_RECORD).unlink()


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``parent`` (the folder that holds ``--out``), waiting for another run."""
    with _os_step(f"lock {parent}"):
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


_DEFERRED = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the swap and the carry-over are done, so neither is left half-way."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop_requested() -> bool:
    """Whether Ctrl-C or SIGTERM arrived while deferred: then the output is not replaced at all."""
    return bool(signal.sigpending() & _DEFERRED)


def _os_step(description: str) -> contextlib.AbstractContextManager[None]:
    @contextlib.contextmanager
    def step() -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise refuse(f"cannot {description}: {error.strerror or error}") from None

    return step()


#: Output folders replaced by this process, for the line that reports an interruption.
replaced: set[Path] = set()


@contextlib.contextmanager
def replace_atomically(outdir: Path, scenario: str = "") -> Iterator[Path]:
    """Yield an empty staging folder beside ``outdir``; on success it becomes ``outdir`` in one step.

    On any error (or Ctrl-C) the staging folder is removed and ``outdir`` is left as it was.
    ``scenario`` is recorded in the marker.
    """
    with _os_step(f"use {outdir}"):
        target = resolve_outdir(outdir)
        check_replaceable(target)
        check_same_deployment(target, scenario)
    with _os_step(f"create {target.parent}"):
        target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        check_replaceable(target)  # again, now that no other run can change it
        check_same_deployment(target, scenario)
        with _signals_deferred(), _os_step(f"clean up after an earlier run beside {target}"):
            _clean_leftovers(target)
        staging: Path | None = None
        try:
            with _signals_deferred(), _os_step(f"write beside {target}"):
                staging = _make_folder(target, "new")
            yield staging
            with _os_step(f"write {target}"):
                _write_marker(staging, scenario)
                _refuse_conflicts(target, staging)
            with _signals_deferred():
                if _stop_requested():
                    return  # the pending signal is raised as this block ends; the staging folder goes
                with _os_step(f"replace {target}"):
                    swapping, staging = staging, None  # from here on, what is at its path is the old output
                    _swap(swapping, target)
                replaced.add(target)
        finally:
            if staging is not None:
                with _signals_deferred():  # a Ctrl-C arriving now must not stop the cleanup half-way
                    _remove(staging, target)


def _refuse_conflicts(target: Path, staging: Path) -> None:
    """Refuse before the swap when a file of the user's in ``target`` sits where the new output writes one."""
    app_files = owned_files(target) if target.is_dir() else None
    if app_files is None:
        return
    conflicts = _carry_over(target, staging, app_files, move=False)
    if conflicts:
        raise refuse(
            f"{target / conflicts[0]} was not written by this app, and the new output writes {conflicts[0]}; "
            "move it away, then run again (nothing was changed)"
        )


def _remove(staging: Path, target: Path) -> None:
    """Remove the staging folder, also when jsii's Node is still writing into it (an interrupted synth)."""
    for _ in range(20):
        if not staging.exists():
            return
        with contextlib.suppress(OSError):
            _remove_owned(staging, target)
        time.sleep(0.05)  # Node's writes into a removed folder fail, and it stops


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the old output's non-app files move into the new one.

    Before anything moves, ``staging``'s record says where the old output will be, so a run killed
    at any step is finished by the next one (:func:`_clean_leftovers`).
    """
    if not target.exists():
        os.rename(staging, target)
        (target / STAGING_RECORD).unlink()
        return
    _write_record(staging, staging, _identity(target))  # after the exchange, the old output is at staging
    if _exchange(staging, target):
        _finish_swap(target, staging, staging)
        return
    print(f"--out: cannot swap folders atomically here; replacing {target} in two steps", file=sys.stderr)
    holder = _make_folder(target, "old")
    _write_record(staging, holder / target.name, _identity(target))
    os.rename(target, holder / target.name)
    os.rename(staging, target)
    _finish_swap(target, holder / target.name, holder)


def _finish_swap(target: Path, old: Path, folder: Path) -> None:
    """Move the user's files from the old output ``old`` into ``target``, then remove ``folder`` (which holds ``old``).

    If a move fails, ``folder`` stays, and the next run moves the rest: nothing of the user's is lost.
    """
    app_files = owned_files(old)
    if app_files is not None:
        try:
            conflicts = _carry_over(old, target, app_files)
        except OSError as error:
            raise refuse(
                f"the new output is in {target}, but moving your files from the old one failed "
                f"({error.strerror or error}); they are in {old}, and the next run moves them"
            ) from None
        if conflicts:
            raise refuse(
                f"{old / conflicts[0]} is a file of yours that an interrupted run set aside, and {target} "
                f"now has {conflicts[0]} too; move one of them, then run again"
            )
    _remove_owned(folder, target)
    record = target / STAGING_RECORD
    if record.exists():
        record.unlink()
