"""Pass 1 of reading a scenario: pydantic's shape errors, in the words of a TOML file.

Unknown keys (with a "did you mean" or the section they belong in), retired
settings, missing keys and wrong types, each as one :class:`Problem` with its
dotted path.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from alicloud_privatelink.checks import QUOTE_CHARACTERS, Problem, shown


def _dotted(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def _model_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings class that holds the last key of ``location``."""
    current: type[BaseModel] = model
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        nested = nested_models(field.annotation) if field is not None else []
        if not nested:
            return None
        current = nested[0]
    return current


#: Settings that no longer exist, and what to do instead; reported instead of "unknown setting".
RETIRED_SETTINGS: Mapping[tuple[str, ...], str] = {
    ("service", "clb_spec"): (
        "pay-by-specification CLBs can no longer be bought (Alibaba Cloud stopped selling them on "
        "2025-06-01); the CLB is always pay-as-you-go and pay-by-LCU (PayByCLCU), so remove this setting"
    ),
}


def shape_problem(model: type[BaseModel], detail: Any) -> Problem:
    """One pydantic error ``detail`` (from ``ValidationError.errors()``) on ``model`` as a problem."""
    location = tuple(detail["loc"])
    path = _dotted(location)
    kind = detail["type"]
    retired = RETIRED_SETTINGS.get(tuple(str(part) for part in location))
    if kind == "extra_forbidden" and retired is not None:
        return Problem(path, retired)
    if kind == "extra_forbidden" and len(location) == 1:
        sections = _sections_with(model, str(location[0]))
        if sections:
            return Problem(path, f"unknown top-level setting; it belongs under {' or '.join(sections)}")
    if kind == "extra_forbidden":
        holder = _model_at(model, location)
        known = list(holder.model_fields) if holder is not None else []
        match = difflib.get_close_matches(str(location[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean {match[0]!r}?" if match else ""
        return Problem(path, f"unknown setting{hint}")
    if kind == "missing":
        return Problem(path, "is required but missing")
    if kind == "too_short":
        return Problem(path, "needs at least one entry")
    if kind == "list_type" and _holds_tables(model, location):
        section = ".".join(str(part) for part in location if not isinstance(part, int))
        if isinstance(detail["input"], Mapping):
            return Problem(
                path, f"is a list of tables: write [[{section}]] (double brackets) above each entry, not [{section}]"
            )
        return Problem(
            path, f"must be a list of tables, each entry under [[{section}]], got {_plain_value(detail['input'])}"
        )
    expected = TYPE_WORDING.get(kind)
    if expected is not None:
        return Problem(path, f"must be {expected}, got {_plain_value(detail['input'])}")
    return Problem(path, f"{detail['msg'].removeprefix('Value error, ')} (got {shown(detail['input'])})")


#: pydantic's type errors (strict mode), in the words of a TOML file.
TYPE_WORDING: Mapping[str, str] = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "string_type": "text in quotes",
    "list_type": 'a list, e.g. ["a", "b"]',
    "dict_type": "a table",
    "model_type": "a table",
}


def _plain_value(value: Any) -> str:
    """A value as TOML shows it: ``the text "8080"``, ``8080``, ``true``, ``a list``, ``a table``."""
    if isinstance(value, str):
        cut = value[:QUOTE_CHARACTERS]
        more = f"... ({len(value)} characters)" if len(value) > len(cut) else ""
        return f"the text {json.dumps(cut, ensure_ascii=False)}{more}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"the number {value}" if abs(value) < 10**QUOTE_CHARACTERS else shown(value)
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, list):
        return f"a list of {len(value)} entr{'y' if len(value) == 1 else 'ies'}"
    if isinstance(value, Mapping):
        return "a table"
    return f"a {type(value).__name__}"


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The settings classes an annotation holds: ``Service``, ``list[Consumer]``, ``State | None``."""
    args = getattr(annotation, "__args__", ())
    candidates = [annotation, *args, *(inner for arg in args for inner in getattr(arg, "__args__", ()))]
    return [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]


def _sections_with(model: type[BaseModel], key: str) -> list[str]:
    """The sections (``[service]``, ``[[consumers]]``) whose settings include ``key``."""
    found = []
    for name, field in model.model_fields.items():
        for nested in nested_models(field.annotation):
            if key in nested.model_fields:
                found.append(f"[[{name}]]" if is_list(field.annotation) else f"[{name}]")
    return found


def _holds_tables(model: type[BaseModel], location: tuple[int | str, ...]) -> bool:
    """Whether the setting at ``location`` is a list of tables (``[[service.backends]]``)."""
    holder = _model_at(model, location)
    field = holder.model_fields.get(str(location[-1])) if holder is not None else None
    return field is not None and is_list(field.annotation) and bool(nested_models(field.annotation))


def is_list(annotation: Any) -> bool:
    """``list[X]``, also inside ``list[X] | None``."""
    return any(getattr(a, "__origin__", None) is list for a in (annotation, *getattr(annotation, "__args__", ())))
