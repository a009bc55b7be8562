"""Check synthesized Terraform JSON against the alicloud provider's schema.

There is no terraform binary here to run ``terraform validate``, so this
does the offline part of it: every ``alicloud_*`` resource, data source and
provider block must use only attributes and blocks the provider knows, give
every required one, give literal values of the right type (and inside the
allowed values, where the schema lists them) and use no removed attribute.

It reads ``terraform providers schema -json`` output. Extra keys that only
some schema dumps carry (``enum``, ``enum_ignore_case``, ``removed``) are
used when present.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import ValidationError
from .input_files import MIB, read_text

#: Terraform meta-arguments and cdktf's metadata, valid on every resource and data source.
META_ARGUMENTS = frozenset(
    {"//", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner", "connection"}
)
PROVIDER_META_ARGUMENTS = frozenset({"alias", "//"})
#: A full `terraform providers schema -json` of alicloud is tens of MiB; a stack a few.
MAX_SCHEMA_BYTES = 256 * MIB
MAX_STACK_BYTES = 64 * MIB


@dataclass(frozen=True)
class ProviderSchema:
    """The provider block, resource and data source schemas of one provider."""

    name: str
    provider: Mapping[str, Any]
    resources: Mapping[str, Any]
    data_sources: Mapping[str, Any]


@dataclass(frozen=True)
class SchemaReport:
    """What a check found: how many blocks it checked, and every problem."""

    checked: int
    problems: tuple[str, ...]


def load_schema(path: str | Path, provider: str = "alicloud") -> ProviderSchema:
    """The named provider's schema from a ``terraform providers schema -json`` file.

    Raises ``ValueError`` naming the file when it is not such a document.
    """
    document = _read_json(path, MAX_SCHEMA_BYTES)
    schemas = document.get("provider_schemas") if isinstance(document, Mapping) else None
    if not isinstance(schemas, Mapping):
        raise ValueError(f"{path}: no provider_schemas; expected `terraform providers schema -json` output")
    for address, schema in schemas.items():
        if address.rsplit("/", 1)[-1] != provider:
            continue
        where = f"$.provider_schemas.{address}"
        malformed = _schema_shape_problem(where, schema)
        if malformed:
            raise ValueError(f"{path}: {malformed}; expected `terraform providers schema -json` output")
        return ProviderSchema(
            name=provider,
            provider=schema.get("provider", {}).get("block", {}),
            resources={k: v["block"] for k, v in schema.get("resource_schemas", {}).items()},
            data_sources={k: v["block"] for k, v in schema.get("data_source_schemas", {}).items()},
        )
    raise ValueError(f"{path}: has no schema for provider {provider!r}")


def _read_json(path: str | Path, limit: int) -> Any:
    """Parsed JSON of a regular file; ``ValueError`` naming the file otherwise."""
    try:
        text = read_text(path, limit)
    except ValidationError as error:
        raise ValueError(str(error.problems[0])) from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{path}: is not JSON: {error}") from None


def _valid_type(kind: Any) -> bool:
    """A Terraform type in JSON form: ``"string"``, ``["list", "string"]``, ``["object", {...}]`` ..."""
    if isinstance(kind, str):
        return kind in ("string", "number", "bool", "dynamic")
    if not (isinstance(kind, list) and len(kind) == 2):
        return False
    if kind[0] in ("list", "set", "map"):
        return _valid_type(kind[1])
    if kind[0] == "object":
        return isinstance(kind[1], Mapping) and all(_valid_type(k) for k in kind[1].values())
    if kind[0] == "tuple":
        return isinstance(kind[1], list) and all(_valid_type(k) for k in kind[1])
    return False


class _Malformed(Exception):
    """Where a JSON document departs from the shape a reader expects (its JSON path first)."""


def _object(where: str, value: Any, what: str = "an object") -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Malformed(f"{where}: expected {what}")
    return value


def _entries(where: str, value: Any, what: str = "an object") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The entries of the object ``value``, each an object (``what``) itself."""
    for name, entry in _object(where, value).items():
        yield name, _object(f"{where}.{name}", entry, what)


def _problem(check: Callable[[], None]) -> str | None:
    try:
        check()
    except _Malformed as error:
        return str(error)
    return None


def _check_block_shape(where: str, block: Any) -> None:
    """Raise where a schema block departs from the shape the checks read."""
    block = _object(where, block)
    for name, attribute in _entries(f"{where}.attributes", block.get("attributes", {})):
        if "type" in attribute and not _valid_type(attribute["type"]):
            raise _Malformed(f"{where}.attributes.{name}.type: not a Terraform type")
        if not isinstance(attribute.get("enum", []), list):
            raise _Malformed(f"{where}.attributes.{name}.enum: expected a list")
    for name, nested in _entries(f"{where}.block_types", block.get("block_types", {})):
        for key in ("min_items", "max_items"):
            if not isinstance(nested.get(key, 0), int):
                raise _Malformed(f"{where}.block_types.{name}.{key}: expected a number")
        _check_block_shape(f"{where}.block_types.{name}.block", nested.get("block", {}))


def _check_schema_shape(where: str, schema: Any) -> None:
    schema = _object(where, schema)
    provider = _object(f"{where}.provider", schema.get("provider", {}))
    _check_block_shape(f"{where}.provider.block", provider.get("block", {}))
    for section in ("resource_schemas", "data_source_schemas"):
        for name, entry in _entries(f"{where}.{section}", schema.get(section, {}), "an object with a block"):
            if "block" not in entry:
                raise _Malformed(f"{where}.{section}.{name}: expected an object with a block")
            _check_block_shape(f"{where}.{section}.{name}.block", entry["block"])


def _schema_shape_problem(where: str, schema: Any) -> str | None:
    return _problem(lambda: _check_schema_shape(where, schema))


def _check_stack_shape(stack: Any, provider: str) -> None:
    stack = _object("$", stack)
    for section in ("resource", "data"):
        for type_name, instances in _entries(f"$.{section}", stack.get(section, {})):
            list(_entries(f"$.{section}.{type_name}", instances))  # every instance's body is an object
    blocks = _object("$.provider", stack.get("provider", {})).get(provider, [])
    if not isinstance(blocks, list):
        raise _Malformed(f"$.provider.{provider}: expected a list")
    for index, body in enumerate(blocks):
        _object(f"$.provider.{provider}[{index}]", body)


def stack_shape_problem(stack: Any, provider: str) -> str | None:
    """Where a ``cdk.tf.json`` departs from the shape :func:`check_stack` reads (a JSON path), or None."""
    return _problem(lambda: _check_stack_shape(stack, provider))


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def _type_problem(value: Any, kind: Any) -> str | None:
    """Why ``value`` does not fit the Terraform type ``kind``, or None if it does."""
    if _is_expression(value):
        return None
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "dynamic":
        ok = True
    elif isinstance(kind, list) and kind[0] in ("list", "set", "map"):
        is_map = kind[0] == "map"
        if not isinstance(value, Mapping if is_map else list):
            return f"expected a {kind[0]}, got {type(value).__name__}"
        for item in value.values() if isinstance(value, Mapping) else value:
            problem = _type_problem(item, kind[1])
            if problem:
                return f"{'value' if is_map else 'element'}: {problem}"
        return None
    elif isinstance(kind, list) and kind[0] == "object":
        if not isinstance(value, Mapping):
            return f"expected an object, got {type(value).__name__}"
        unknown = sorted(set(value) - set(kind[1]))
        return f"unknown object key(s) {', '.join(unknown)}" if unknown else None
    else:
        return None
    return None if ok else f"expected {kind}, got {type(value).__name__} {value!r}"


def _enum_problem(value: Any, attribute: Mapping[str, Any]) -> str | None:
    allowed = attribute.get("enum")
    if not allowed or _is_expression(value) or isinstance(value, (list, dict)):
        return None
    if attribute.get("enum_ignore_case") and isinstance(value, str):
        if value.lower() in {str(a).lower() for a in allowed}:
            return None
    elif value in allowed:
        return None
    return f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}"


def check_block(address: str, body: Mapping[str, Any], block: Mapping[str, Any], meta: frozenset[str]) -> list[str]:
    """Problems of one block body (a resource, a data source, a provider or a nested block)."""
    problems: list[str] = []
    attributes: Mapping[str, Any] = block.get("attributes", {})
    nested: Mapping[str, Any] = block.get("block_types", {})
    for key, value in body.items():
        if key in meta:
            continue
        where = f"{address}.{key}"
        if key in attributes:
            attribute = attributes[key]
            if attribute.get("removed"):
                problems.append(f"{where}: removed from the provider")
                continue
            if attribute.get("computed") and not (attribute.get("optional") or attribute.get("required")):
                problems.append(f"{where}: is computed by the provider and cannot be set")
                continue
            for problem in (_type_problem(value, attribute.get("type")), _enum_problem(value, attribute)):
                if problem:
                    problems.append(f"{where}: {problem}")
        elif key in nested:
            problems.extend(_check_nested(where, value, nested[key]))
        else:
            problems.append(f"{where}: unknown attribute or block")
    for key, attribute in attributes.items():
        if attribute.get("required") and key not in body:
            problems.append(f"{address}: required attribute {key} is missing")
    for key, nested_block in nested.items():
        if nested_block.get("min_items", 0) > 0 and key not in body:
            problems.append(f"{address}: required block {key} is missing")
    return problems


def _check_nested(address: str, value: Any, nested: Mapping[str, Any]) -> list[str]:
    mode = nested.get("nesting_mode")
    items = value if isinstance(value, list) else [value]
    if mode == "single" and isinstance(value, list):
        return [f"{address}: a single block, not a list"]
    if not all(isinstance(item, Mapping) for item in items):
        return [f"{address}: expected block object(s)"]
    problems: list[str] = []
    maximum = nested.get("max_items")
    if maximum and len(items) > maximum:
        problems.append(f"{address}: at most {maximum} block(s), got {len(items)}")
    if len(items) < nested.get("min_items", 0):
        problems.append(f"{address}: at least {nested['min_items']} block(s), got {len(items)}")
    for index, item in enumerate(items):
        where = f"{address}[{index}]" if isinstance(value, list) else address
        problems.extend(check_block(where, item, nested.get("block", {}), frozenset()))
    return problems


def check_stack(stack: Mapping[str, Any], schema: ProviderSchema) -> SchemaReport:
    """Check every block of ``schema``'s provider in one synthesized stack (``cdk.tf.json``)."""
    prefix = f"{schema.name}_"
    checked = 0
    problems: list[str] = []
    sections = (("resource", schema.resources), ("data", schema.data_sources))
    for section, known in sections:
        for type_name, instances in sorted(stack.get(section, {}).items()):
            if not type_name.startswith(prefix):
                continue
            for name, body in sorted(instances.items()):
                checked += 1
                address = f"{'data.' if section == 'data' else ''}{type_name}.{name}"
                if type_name not in known:
                    problems.append(f"{address}: unknown {'data source' if section == 'data' else 'resource'} type")
                    continue
                problems.extend(check_block(address, body, known[type_name], META_ARGUMENTS))
    for index, body in enumerate(stack.get("provider", {}).get(schema.name, [])):
        checked += 1
        problems.extend(check_block(f"provider.{schema.name}[{index}]", body, schema.provider, PROVIDER_META_ARGUMENTS))
    return SchemaReport(checked, tuple(problems))


def check_stack_files(paths: Iterable[Path], schema: ProviderSchema) -> SchemaReport:
    """Check several ``cdk.tf.json`` files; problems are prefixed with the stack's folder name."""
    checked = 0
    problems: list[str] = []
    for path in sorted(paths):
        try:
            document = _read_json(path, MAX_STACK_BYTES)
        except ValueError as error:
            problems.append(str(error))
            continue
        malformed = stack_shape_problem(document, schema.name)
        if malformed:
            problems.append(f"{path}: {malformed}; expected a synthesized cdk.tf.json")
            continue
        report = check_stack(document, schema)
        checked += report.checked
        problems.extend(f"{path.parent.name}: {problem}" for problem in report.problems)
    return SchemaReport(checked, tuple(problems))
