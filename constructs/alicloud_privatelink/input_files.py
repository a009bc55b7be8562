"""Reading a file the user names: only a regular file, only up to a size, as UTF-8 text.

Opening a FIFO blocks until someone writes to it, and ``/dev/zero`` never
ends; both are refused before a single byte is read. The file is opened
without blocking and checked through its descriptor, so a path swapped
between the check and the read changes nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .checks import Problem, ValidationError

MIB = 1024 * 1024


#: Byte-order marks of UTF-16, which some Windows editors call "Unicode".
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def read_text(path: str | Path, limit: int, utf16_hint: bool = False) -> str:
    """The text of regular file ``path``; :class:`ValidationError` (one ``<path>: ...`` line) otherwise.

    ``utf16_hint``: a UTF-16 file is refused with the advice to save it as UTF-8.
    """
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        hint = "; it is UTF-16: save it as UTF-8" if utf16_hint and data.startswith(_UTF16_MARKS) else ""
        raise ValidationError([Problem(str(path), f"is not UTF-8 text{hint}")]) from None


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of regular file ``path``, never blocking; :class:`ValidationError` otherwise."""
    where = str(path)

    def refuse(message: str) -> ValidationError:
        return ValidationError([Problem(where, message)])

    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, socket or device"
        raise refuse(f"is {kind}, not a regular file")
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise refuse(f"cannot be read: {error.strerror}") from None
    if len(data) > limit:
        raise refuse(f"is larger than {limit // MIB} MiB; this is not a file this tool reads")
    return data
