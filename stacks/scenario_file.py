"""Reading a scenario file: bytes to parsed TOML, with errors a TOML newcomer can act on.

Only reading lives here: the size cap, the nesting cap (``tomllib`` recurses once
per level) and TOML syntax errors with a hint for ``[x]`` written for ``[[x]]``.
What the settings mean is :mod:`stacks.scenario_shape` and :mod:`stacks.scenario_rules`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from alicloud_privatelink.checks import Problem, ValidationError
from alicloud_privatelink.input_files import MIB, read_text

from .scenario_shape import is_list, nested_models
from .settings import Scenario

#: A scenario is a few KiB; anything near this is not a scenario file.
MAX_SCENARIO_BYTES = 1 * MIB
#: Arrays and inline tables nested deeper than this are refused before parsing.
MAX_NESTING = 32


def editor_text(text: str) -> str:
    """``text`` as TOML reads it, without what common editors add: a UTF-8 byte-order mark, CRLF line ends.

    TOML allows CRLF line ends, but ``tomllib`` keeps a CR inside a multi-line string, so the
    same file saved on Windows would say something else; a newline means the same either way.
    """
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def read_scenario_file(path: str | Path) -> dict[str, Any]:
    """The parsed TOML of ``path``; raises :class:`ValidationError` with one problem naming the file."""
    raw = read_text(path, MAX_SCENARIO_BYTES, utf16_hint=True)
    text = editor_text(raw)
    too_deep = nesting_problem(text)
    if too_deep:
        raise ValidationError([Problem(str(path), too_deep)])
    limit = sys.get_int_max_str_digits()
    try:
        # A 5,000-digit number is still a number: its setting's rule reports its range. Python would
        # otherwise refuse to read more than 4,300 digits, with an error that names no setting.
        sys.set_int_max_str_digits(0)
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError([Problem(str(path), f"is not valid TOML: {error}{_array_table_hint(text)}")]) from None
    except RecursionError:  # nesting_problem should have caught it; never a traceback
        raise ValidationError([Problem(str(path), "is not valid TOML: nested too deeply")]) from None
    finally:
        sys.set_int_max_str_digits(limit)


def _table_lists(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The dotted names of every list of tables in the file: ``consumers``, ``service.backends``, ..."""
    found = []
    for name, field in model.model_fields.items():
        for nested in nested_models(field.annotation):
            if is_list(field.annotation):
                found.append(f"{prefix}{name}")
            found.extend(_table_lists(nested, f"{prefix}{name}."))
    return found


_SINGLE_HEADER = re.compile(r"^[ \t]*\[[ \t]*([A-Za-z0-9_.-]+)[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)


def _array_table_hint(text: str) -> str:
    """A TOML error caused by ``[service.backends]`` written for ``[[service.backends]]`` gets a hint."""
    lists = set(_table_lists(Scenario))
    for found in _SINGLE_HEADER.finditer(text):
        if found.group(1) in lists:
            line = text.count("\n", 0, found.start()) + 1
            name = found.group(1)
            return (
                f"; [{name}] on line {line} declares a single table, but {name} is a list of tables: "
                f"write [[{name}]] (double brackets) above each entry"
            )
    return ""


def nesting_problem(text: str, limit: int = MAX_NESTING) -> str | None:
    """Arrays and inline tables nested deeper than ``limit``, with the position, or None.

    ``tomllib`` recurses once per level, so 500 ``[`` exhaust Python's stack;
    a scenario needs four levels at most. Strings and comments are skipped.
    """
    depth, line, column, index = 0, 1, 0, 0
    quote: str | None = None
    while index < len(text):
        char = text[index]
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        if quote is not None:
            if char == "\\" and quote in ('"', '"""'):
                index += 2
                column += 1
                continue
            if text.startswith(quote, index):
                index += len(quote)
                quote = None
                continue
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(quote)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return f"is not valid TOML: nested more than {limit} levels deep (at line {line}, column {column})"
        elif char in "]}":
            depth = max(depth - 1, 0)
        index += 1
    return None
