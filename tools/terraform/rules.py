"""The provider's own validation rules, read from the schema's extras.

The project's schema copy carries, beside the standard keys, what the
provider's Go source declares for each attribute (tools/schema/README.md):
``enum`` (``validation.StringInSlice``, with ``enum_ignore_case``),
``conflicts_with``, ``exactly_one_of``, ``at_least_one_of``, ``removed`` and
``validate_func`` (``IntBetween``, ``StringLenBetween``, ``StringMatch`` ...).
This module applies them to a configuration the way terraform-plugin-sdk does
(skipping unknown and null values) and words each problem like the SDK:
the attribute's name, then what is allowed.

A rule this module cannot interpret is skipped, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from cty import UNKNOWN

#: (attribute path, summary). The path is a list of names and list indexes.
Problem = tuple[list[str | int], str]
Check = Callable[[str, Any], str | None]


def _go_regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a Go call (brackets and strings respected)."""
    args, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in '"`':
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    args.append(text[start:].strip())
    return [a for a in args if a]


def _go_string(text: str) -> str:
    text = text.strip()
    if text.startswith("`"):
        return text.strip("`")
    return bytes(text.strip('"'), "utf-8").decode("unicode_escape")


def parse_validate_func(text: str) -> Check | None:
    """A check for one ``validate_func`` expression, or None when it is not understood."""
    text = text.strip()
    match = re.fullmatch(r"(?:validation\.)?(\w+)\((.*)\)", text, re.S)
    if text.endswith("StringIsValidRegExp"):
        return lambda name, v: (
            None if not isinstance(v, str) or _go_regex(v) else f"{name}: {v!r} is not a valid regular expression"
        )
    if not match:
        return None
    func, args = match.group(1), _split_args(match.group(2))
    if func == "IntBetween" and len(args) == 2:
        lo, hi = int(args[0]), int(args[1])
        return lambda name, v: None if lo <= v <= hi else f"expected {name} to be in the range ({lo} - {hi}), got {v}"
    if func == "IntInSlice" and args:
        allowed = [int(x) for x in re.findall(r"-?\d+", args[0])]
        return lambda name, v: None if v in allowed else f"expected {name} to be one of {allowed}, got {v}"
    if func == "StringLenBetween" and len(args) == 2:
        lo, hi = int(args[0]), int(args[1])
        return lambda name, v: (
            None if lo <= len(v) <= hi else f"expected length of {name} to be in the range ({lo} - {hi}), got {v}"
        )
    if func in ("StringMatch", "StringDoesNotMatch") and args:
        inner = re.fullmatch(r"regexp\.MustCompile\((.*)\)", args[0], re.S)
        pattern = _go_regex(_go_string(inner.group(1))) if inner else None
        if pattern is None:
            return None
        message = _go_string(args[1]) if len(args) > 1 else ""
        want = func == "StringMatch"

        def check(name: str, v: Any) -> str | None:
            if bool(pattern.search(v)) == want:
                return None
            verb = "match" if want else "not match"
            return message or f"invalid value for {name} (should {verb} regular expression {pattern.pattern!r})"

        return check
    if func == "Any":
        checks = [parse_validate_func(a) for a in args]
        if any(c is None for c in checks):
            return None

        def any_of(name: str, v: Any) -> str | None:
            errors = [c(name, v) for c in checks if c is not None]
            return None if any(e is None for e in errors) else "; or ".join(e for e in errors if e)

        return any_of
    return None


def _set(value: Any) -> bool:
    """Set in the configuration: unknown counts (it will be set), null and empty blocks do not."""
    return value is not None and value != [] and value != {}


def _value_check(name: str, attr: dict[str, Any], value: Any) -> Iterator[str]:
    if value is None or value is UNKNOWN:
        return
    if attr.get("removed"):
        yield f"{name}: this argument has been removed from the provider; delete it"
        return
    enum = attr.get("enum")
    if enum and isinstance(value, str | int | float) and not isinstance(value, bool):
        folded = attr.get("enum_ignore_case")
        ok = str(value).lower() in {str(e).lower() for e in enum} if folded else value in enum
        if not ok:
            shown = " ".join(f'"{e}"' if isinstance(e, str) else str(e) for e in enum)
            yield f"expected {name} to be one of [{shown}], got {value}"
    func = attr.get("validate_func")
    if func:
        check = parse_validate_func(func)
        if check is not None and (
            isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool))
        ):
            try:
                message = check(name, value)
            except TypeError:
                message = None
            if message:
                yield message


def validate_block(block: dict[str, Any], config: Any, path: list[str | int] | None = None) -> list[Problem]:
    """Every rule of ``block`` that ``config`` breaks, each with the attribute's path."""
    path = path or []
    if not isinstance(config, dict):
        return []
    problems: list[Problem] = []
    members: dict[str, dict[str, Any]] = {**block.get("attributes", {}), **block.get("block_types", {})}
    for name, attr in block.get("attributes", {}).items():
        value = config.get(name)
        for message in _value_check(name, attr, value):
            problems.append(([*path, name], message))
    for name, member in members.items():
        value = config.get(name)
        if not _set(value):
            for key in ("exactly_one_of", "at_least_one_of"):
                group = member.get(key)
                if group and group[0] == name and not any(_set(config.get(g)) for g in group if g in members):
                    problems.append(([*path, name], f'"{name}": one of `{",".join(group)}` must be specified'))
            continue
        for other in member.get("conflicts_with", []):
            if other in members and _set(config.get(other)):
                problems.append(([*path, name], f'"{name}": conflicts with {other}'))
        group = member.get("exactly_one_of")
        if group and group[0] == name:
            chosen = [g for g in group if g in members and _set(config.get(g))]
            if len(chosen) > 1:
                problems.append(
                    (
                        [*path, name],
                        f'"{name}": only one of `{",".join(group)}` can be specified, '
                        f"but `{','.join(chosen)}` were specified.",
                    )
                )
    for name, bt in block.get("block_types", {}).items():
        value = config.get(name)
        if value is None or value is UNKNOWN:
            continue
        if bt["nesting_mode"] in ("list", "set"):
            for i, element in enumerate(value):
                problems.extend(validate_block(bt["block"], element, [*path, name, i]))
        elif bt["nesting_mode"] == "map":
            for element in value.values():
                problems.extend(validate_block(bt["block"], element, [*path, name]))
        else:
            problems.extend(validate_block(bt["block"], value, [*path, name]))
    return problems
