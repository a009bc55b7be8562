"""Terraform's wire values (cty in msgpack) as plain Python, typed by the schema.

Terraform sends every value as msgpack shaped by the schema's implied type; an
unknown value ("known after apply") is a msgpack extension. Decoding gives
plain Python (dict, list, str, int/float, bool, None) plus the ``UNKNOWN``
marker; encoding needs the type, because an object must carry every attribute
and a number must not become a string.
"""

from __future__ import annotations

import json
from typing import Any

import msgpack  # type: ignore[import-untyped]


class _Unknown:
    """A value Terraform does not know yet (it becomes known at apply)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def _ext_hook(code: int, data: bytes) -> Any:
    # 0: unknown; 12: unknown with refinements (Terraform 1.6+). Both are unknown here.
    return UNKNOWN


def decode(raw: bytes) -> Any:
    if not raw:
        return None
    return msgpack.unpackb(raw, ext_hook=_ext_hook, raw=False, strict_map_key=False)


def decode_json(raw: bytes) -> Any:
    return json.loads(raw) if raw else None


def block_type(block: dict[str, Any]) -> Any:
    """The cty type (JSON form) a schema block implies."""
    attrs: dict[str, Any] = {name: a["type"] for name, a in block.get("attributes", {}).items()}
    for name, bt in block.get("block_types", {}).items():
        inner = block_type(bt["block"])
        mode = bt["nesting_mode"]
        attrs[name] = {"list": ["list", inner], "set": ["set", inner], "map": ["map", inner]}.get(mode, inner)
    return ["object", attrs]


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def conform(value: Any, ty: Any) -> Any:
    """``value`` shaped exactly as ``ty`` (missing object attributes become null)."""
    if value is None or value is UNKNOWN:
        return value
    if ty == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else str(_number(value))
    if ty == "number":
        return _number(value)
    if ty == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if ty == "dynamic":
        return value
    kind = ty[0]
    if kind in ("list", "set"):
        return [conform(v, ty[1]) for v in value]
    if kind == "map":
        return {k: conform(v, ty[1]) for k, v in value.items()}
    if kind == "object":
        return {k: conform(value.get(k), aty) for k, aty in ty[1].items()}
    if kind == "tuple":
        return [conform(v, t) for v, t in zip(value, ty[1], strict=False)]
    return value


def _implied(value: Any) -> Any:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return ["tuple", [_implied(v) for v in value]]
    if isinstance(value, dict):
        return ["object", {k: _implied(v) for k, v in value.items()}]
    return "dynamic"


def _pack(value: Any, ty: Any) -> Any:
    if value is UNKNOWN:
        return msgpack.ExtType(0, b"\x00")
    if value is None:
        return None
    if ty == "dynamic":
        implied = _implied(value)
        return [json.dumps(implied).encode(), _pack(value, implied)]
    if isinstance(ty, str):
        return conform(value, ty)
    kind = ty[0]
    if kind in ("list", "set"):
        return [_pack(v, ty[1]) for v in value]
    if kind == "map":
        return {k: _pack(v, ty[1]) for k, v in value.items()}
    if kind == "object":
        return {k: _pack(value.get(k), aty) for k, aty in ty[1].items()}
    if kind == "tuple":
        return [_pack(v, t) for v, t in zip(value, ty[1], strict=False)]
    return value


def encode(value: Any, ty: Any) -> bytes:
    return bytes(msgpack.packb(_pack(value, ty), use_bin_type=True))


def is_known(value: Any) -> bool:
    """True when ``value`` holds no unknown anywhere inside."""
    if value is UNKNOWN:
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True
