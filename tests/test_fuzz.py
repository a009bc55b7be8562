"""Property test: any mutation of any example scenario parses, or fails with one-line, dotted-path problems.

Hypothesis mutates every example (types, strings with control characters,
interpolations and token look-alikes, sizes, nesting) in memory and as TOML
text. Nothing but the project's ValidationError may come out, and each of its
lines must name a setting. Example counts are bounded so this stays within a
few seconds of ``make test``.
"""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import Any

from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alicloud_privatelink.checks import ValidationError, one_line
from stacks.scenario import Scenario, load_scenario, parse_scenario

#: Where a problem's path may start: a setting of the file (also a missing one), or the file itself.
SETTINGS = [*Scenario.model_fields, "(file)"]
#: ``make test`` runs a fixed, derandomized sample, so CI is repeatable; ``make fuzz`` sets
#: FUZZ_EXAMPLES to search far more widely, with fresh randomness on every run.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
DERANDOMIZE = FUZZ_EXAMPLES == 0
RAW_EXAMPLES = [tomllib.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES]
NASTY_TEXT = [
    "",
    " ",
    "vpc1\n",
    "eu-central-1b\r",
    "a\tb",
    "\x00",
    "\u2028",
    '${file("/etc/passwd")}',
    "%{ if true }x%{ endif }",
    "${TfToken[TOKEN.999]}",
    "#{TfToken[TOKEN.1]}",
    "LTAI5tABCDEFGHIJKLMNOP",
    "10.10.0.0/255.255.0.0",
    "10.10.0.0/016",
    "0.0.0.0/0",
    "x" * 5000,
]

scalars = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside ``value`` (tables and arrays), the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(paths(item, (*prefix, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    raw = copy.deepcopy(draw(st.sampled_from(RAW_EXAMPLES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = draw(st.sampled_from(paths(raw)[1:]))
        holder: Any = raw
        for key in where[:-1]:
            holder = holder[key]
        action = draw(st.sampled_from(["replace", "delete", "add", "grow"]))
        if action == "replace":
            holder[where[-1]] = draw(values)
        elif action == "delete":
            del holder[where[-1]]
        elif action == "add" and isinstance(holder, dict):
            holder[draw(st.sampled_from([*NASTY_TEXT[:8], "tags", "nmae", "client_cidrs"]))] = draw(values)
        elif action == "grow" and isinstance(holder[where[-1]], list) and holder[where[-1]]:
            holder[where[-1]] = holder[where[-1]] * draw(st.integers(min_value=2, max_value=30))
    return raw


def assert_one_line_problems(error: ValidationError, roots: list[str]) -> None:
    assert error.problems
    for problem in error.problems:
        line = str(problem)
        assert "\n" not in line and "\r" not in line and line.isprintable(), line
        path, separator, message = line.partition(": ")
        assert separator and message, line
        assert any(path.startswith(root) for root in roots), line


@settings(
    max_examples=FUZZ_EXAMPLES or 500,
    derandomize=DERANDOMIZE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_a_mutated_scenario_parses_or_fails_with_dotted_paths(raw: dict[str, Any]) -> None:
    try:
        parse_scenario(raw)
    except ValidationError as error:
        assert_one_line_problems(error, [one_line(str(key)) for key in raw] + SETTINGS)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(EXAMPLES)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        cut = draw(st.integers(min_value=0, max_value=20))
        insert = draw(
            st.one_of(
                st.sampled_from(["[" * 600, "{a=" * 100, '"', "'''", "\x00", "\n[[consumers]]\n", "= =", "\\u0000"]),
                st.text(max_size=20),
            )
        )
        text = text[:at] + insert + text[at + cut :]
    return text


@settings(
    max_examples=FUZZ_EXAMPLES // 3 or 150,
    derandomize=DERANDOMIZE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated_text())
def test_a_mutated_scenario_file_parses_or_fails_with_one_line_each(tmp_path: Path, text: str) -> None:
    config = tmp_path / "fuzz.toml"
    config.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_scenario(config)
    except ValidationError as error:
        try:
            roots = [one_line(str(key)) for key in tomllib.loads(text)] + [str(config), *SETTINGS]
        except (tomllib.TOMLDecodeError, RecursionError):
            roots = [str(config)]
        assert_one_line_problems(error, roots)
