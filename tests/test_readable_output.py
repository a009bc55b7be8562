"""Property test: no control, bidirectional or zero-width character from scenario text reaches cdk.tf.json or cdk.tf.

Hypothesis writes scenario files whose description, tag keys and tag values mix
ordinary text (any script, emoji) with the characters Trojan Source
(CVE-2021-42574) and Unicode's default-ignorable set use to make text read
differently from its bytes. A file is either refused, with a line for each such
setting that starts with its dotted path and nothing written, or synthesized,
and then neither the JSON nor the HCL output holds any such character.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, Run
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from alicloud_privatelink.checks import one_line, unsafe_character

MAIN = str(ROOT / "main.py")
#: ``make test`` runs a small fixed sample: each example that synthesizes does so twice (about 2 s).
#: FUZZ_SYNTH_EXAMPLES=200 searches more widely, with fresh randomness.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_SYNTH_EXAMPLES", "0"))
#: Characters that make text read differently from what it is: C0/C1 controls, the bidi
#: embeddings, overrides, isolates and marks, zero-width and other default-ignorable code points.
UNSAFE = [
    *"\x00\x07\x08\x1b\x7f\x85\x9b",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e\u3164\ufe0f\u2028\u2029",
    "\U000e0041",
]
#: Letters, marks, digits, punctuation, symbols and spaces of any script (what readable text is made of).
SAFE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"), exclude_characters='"\\')
clean = st.text(alphabet=SAFE, min_size=2, max_size=24)
mixed = st.text(alphabet=st.one_of(SAFE, st.sampled_from(UNSAFE)), min_size=2, max_size=24)
#: Half the examples are clean text throughout, so that they synthesize and the written files are read.
inputs = st.one_of(
    st.tuples(clean, st.dictionaries(clean, clean, min_size=1, max_size=2)),
    st.tuples(mixed, st.dictionaries(mixed, mixed, min_size=1, max_size=2)),
)
DEFAULT_TOML = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: controls escaped (TOML forbids them raw), everything else raw."""
    body = "".join(f"\\u{ord(c):04X}" if unicodedata.category(c) == "Cc" else c for c in text)
    return f'"{body}"'


def scenario_text(description: str, tags: dict[str, str]) -> str:
    text = DEFAULT_TOML.replace(
        'description = "PrivateLink endpoint service in front of an internal CLB"',
        f"description = {toml_string(description)}",
        1,
    )
    lines = "".join(f"{toml_string(key)} = {toml_string(value)}\n" for key, value in tags.items())
    return f"{text}\n[tags]\n{lines}"


def unreadable(folder: Path, pattern: str) -> list[tuple[str, str]]:
    """(file, character) for every unsafe character in the files of ``folder`` matching ``pattern``.

    Line ends are the files' own layout, the one control character they may hold.
    """
    return [
        (path.name, f"U+{ord(char):04X}")
        for path in sorted(folder.glob(pattern))
        for char in path.read_bytes().decode("utf-8")
        if unsafe_character(char) and char != "\n"
    ]


@settings(
    max_examples=FUZZ_EXAMPLES or 12,
    deadline=None,
    derandomize=FUZZ_EXAMPLES == 0,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=inputs)
@example(text=("Zahlungsdienst für Kunden, 支付服务 👍", {"équipe": "paiements", "team": "a b"}))
@example(text=("Payments \u202eecivres", {"team\u200b": "pay\x1bments"}))
def test_unsafe_text_never_reaches_the_written_files(
    run_main: Callable[..., Run], text: tuple[str, dict[str, str]]
) -> None:
    description, tags = text
    with tempfile.TemporaryDirectory() as scratch:
        config, out, hcl = Path(scratch) / "s.toml", Path(scratch) / "json", Path(scratch) / "hcl"
        config.write_text(scenario_text(description, tags), encoding="utf-8")
        assert tomllib.loads(config.read_text(encoding="utf-8"))["tags"] == tags
        run = run_main("--quiet", "--config", str(config), "--out", str(out))
        placed = {"service.description": description} | {f"tags.{key}": value for key, value in tags.items()}
        event("refused" if run.status else "synthesized")  # shown by --hypothesis-show-statistics
        if run.status != 0:
            assert run.status == 2, run.stderr
            assert not out.exists()
            assert all(line.isprintable() for line in run.lines), run.lines
            for path, value in placed.items():
                if any(unsafe_character(c) for c in path + value):
                    assert any(line.startswith(f"{one_line(path)}: ") for line in run.lines), (path, run.lines)
            return
        assert not any(unsafe_character(c) for c in "".join(placed) + "".join(placed.values()))
        assert unreadable(out, "stacks/*/cdk.tf.json") == []
        environment = {k: v for k, v in os.environ.items() if k != "SYNTH_HCL_OUTPUT"}
        written = subprocess.run(
            [sys.executable, MAIN, "--hcl", "--quiet", "--config", str(config), "--out", str(hcl)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert written.returncode == 0, written.stderr
        assert unreadable(hcl, "stacks/*/cdk.tf") == []
        assert description in (out / "stacks" / "privatelink-provider" / "cdk.tf.json").read_text(encoding="utf-8")


def test_the_fuzz_alphabet_is_unsafe_throughout() -> None:
    """Every character the fuzz test plants is one the rule refuses; ordinary text is not."""
    assert all(unsafe_character(char) for char in UNSAFE)
    assert not any(unsafe_character(char) for char in "payments Zahlungsdienst für 支付服务 👍 é")
    raw = copy.deepcopy(tomllib.loads(scenario_text("x\u202ey", {"k\u200b": "v"})))
    assert raw["service"]["description"] == "x\u202ey" and raw["tags"] == {"k\u200b": "v"}
