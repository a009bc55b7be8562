"""docs/scenario.schema.json: in step with the scenario models, and every example file validates against it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT

from app.scenario_schema import DEFAULT_OUT, main, render
from stacks.scenario import DEFAULT_SCENARIO

SCHEMA_FILE = ROOT / DEFAULT_OUT


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_the_committed_schema_is_generated_from_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), "run `make scenario-schema`"
    assert main(["--check", "--out", str(SCHEMA_FILE)]) == 0


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates_and_names_the_schema(path: Path, validator: jsonschema.protocols.Validator) -> None:
    text = path.read_text(encoding="utf-8")
    assert [str(error) for error in validator.iter_errors(tomllib.loads(text))] == []
    directive = text.splitlines()[0]
    assert directive == "#:schema ../docs/scenario.schema.json"
    assert (path.parent / directive.removeprefix("#:schema ")).resolve() == SCHEMA_FILE


def test_the_built_in_default_validates(validator: jsonschema.protocols.Validator) -> None:
    validator.validate(json.loads(json.dumps(DEFAULT_SCENARIO)))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda s: s.update(frontend_port=80), []),  # a [service] key at the top
        (lambda s: s["service"].update(frontend_port="8080"), ["service", "frontend_port"]),
        (lambda s: s["service"].update(backends={"name": "ecs2"}), ["service", "backends"]),
        (lambda s: s.update(consumers=[]), ["consumers"]),
        (lambda s: s.pop("region"), []),
    ],
)
def test_the_schema_flags_what_an_editor_should(
    change: Any, where: list[str], validator: jsonschema.protocols.Validator
) -> None:
    scenario = json.loads(json.dumps(DEFAULT_SCENARIO))
    change(scenario)
    errors = list(validator.iter_errors(scenario))
    assert errors and [list(error.absolute_path) for error in errors] == [where]
