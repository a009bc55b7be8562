"""Intent files: how a run claims a folder beside ``--out`` in the moments it has no record.

A folder beside ``--out`` is the app's when it holds the app's record (:mod:`app.output`). Between
its ``mkdir`` and the record's ``os.replace``, and between unlinking the record and its ``rmdir``,
it has none. For those moments a run first writes an intent file beside it: JSON naming the folder
and the intent file's own device and inode (so a copy of it is not the app's). The intent appears
complete or not at all: it is written to an unnamed ``O_TMPFILE`` in the parent folder, then linked
in under a new random name (``linkat`` through ``/proc/self/fd``). A valid intent claims its folder
only while that folder is empty or holds only record files; the next run removes such a folder,
then the intent.

Where ``O_TMPFILE`` (or ``/proc``) is missing, the intent is created in place (``O_EXCL``) and
written with one ``write``: a kill between the two leaves an empty or partial file of that name,
which stays, since nothing proves it the app's. It never leaves a folder.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import secrets
import stat
from pathlib import Path

from alicloud_privatelink.checks import ValidationError
from alicloud_privatelink.input_files import read_text

#: The name in everything this app records (its marker, records and intents).
APP_NAME = "alicloud-privatelink"
#: Largest intent this app reads (it names one folder).
LIMIT = 64 * 1024
_NO_TMPFILE = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.EXDEV, errno.EPERM)


def prefix(target: Path) -> str:
    """How the intent files of runs writing ``target`` begin (a name only finds candidates)."""
    return f".{target.name}.intent-"


def create(target: Path, folder: str) -> Path:
    """Write, beside ``target``, an intent that claims the folder ``folder`` there; returns its path."""
    parent = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            descriptor = os.open(".", os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o644, dir_fd=parent)
        except OSError as error:
            if error.errno not in _NO_TMPFILE:
                raise
            return _create_in_place(target, folder, parent)
        try:
            _write(descriptor, folder)
            while True:
                name = prefix(target) + secrets.token_hex(8)
                try:  # dst_dir_fd makes os.link call linkat(AT_SYMLINK_FOLLOW), which follows the /proc link
                    os.link(f"/proc/self/fd/{descriptor}", name, dst_dir_fd=parent)
                except FileExistsError:
                    continue
                except OSError as error:
                    if error.errno not in _NO_TMPFILE:
                        raise
                    return _create_in_place(target, folder, parent)
                return target.parent / name
        finally:
            os.close(descriptor)
    finally:
        os.close(parent)


def _create_in_place(target: Path, folder: str, parent: int) -> Path:
    while True:
        name = prefix(target) + secrets.token_hex(8)
        try:
            descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644, dir_fd=parent)
        except FileExistsError:
            continue
        try:
            _write(descriptor, folder)
        finally:
            os.close(descriptor)
        return target.parent / name


def _write(descriptor: int, folder: str) -> None:
    info = os.fstat(descriptor)
    data = json.dumps({"app": APP_NAME, "identity": [info.st_dev, info.st_ino], "folder": folder}).encode()
    while data:
        data = data[os.write(descriptor, data) :]


def claimed(intent: Path) -> str | None:
    """The folder name that ``intent`` claims, or None unless it is an intent this app wrote (not a copy)."""
    try:
        info = os.lstat(intent)
        if not stat.S_ISREG(info.st_mode):
            return None
        content = json.loads(read_text(intent, LIMIT))
    except (OSError, ValidationError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("app") != APP_NAME:
        return None
    if content.get("identity") != [info.st_dev, info.st_ino]:
        return None
    folder = content.get("folder")
    if not isinstance(folder, str) or folder in ("", ".", "..") or "/" in folder or "\0" in folder:
        return None
    return folder


def found(target: Path) -> list[tuple[Path, str]]:
    """The intents beside ``target`` that this app wrote, each with the folder name it claims."""
    candidates = sorted(target.parent.glob(glob.escape(prefix(target)) + "*"))
    return [(path, name) for path in candidates if (name := claimed(path)) is not None]
