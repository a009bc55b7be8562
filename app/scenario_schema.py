"""The JSON Schema of the scenario file, from its pydantic models, for editors (``make scenario-schema``).

Taplo and Even Better TOML read a ``#:schema ./docs/scenario.schema.json`` comment at the top
of a TOML file and then complete keys, show each section's description, and flag unknown keys
and wrong types as you type. The schema covers the file's shape only; ``python main.py check``
applies Alibaba Cloud's rules (CIDRs, zones, names) as well.

    python -m app.scenario_schema [--out docs/scenario.schema.json] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from stacks.settings import Scenario

DEFAULT_OUT = Path("docs/scenario.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _TomlSchema(GenerateJsonSchema):
    """TOML has no null: an optional setting is one that may be left out, so ``X | None`` is just ``X``."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        generated = super().default_schema(schema)
        if generated.get("default", ...) is None:
            del generated["default"]  # "leave it out", not a value one could write
        return generated


def scenario_schema() -> dict[str, Any]:
    generated = Scenario.model_json_schema(schema_generator=_TomlSchema)
    return {"$schema": DIALECT, **generated, "title": "alicloud-privatelink scenario"}


def render() -> str:
    """The schema file's exact text (deterministic: the models' field order, two-space indent)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.scenario_schema", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"schema file (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is not up to date; write nothing")
    args = parser.parse_args(argv)
    text = render()
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    if args.check:
        if current != text:
            print(f"{args.out} is out of date: run `make scenario-schema`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
