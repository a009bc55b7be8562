"""Mistakes a newcomer makes in a scenario file get messages in the file's own words, with the fix."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import ROOT, Run, synth_stacks

DEFAULT_TOML = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")


def _variant(old: str, new: str) -> str:
    assert old in DEFAULT_TOML, old
    return DEFAULT_TOML.replace(old, new, 1)


def test_a_misplaced_key_names_its_section(run_main: Callable[..., Run], write_config: Callable[[str], str]) -> None:
    text = _variant('name = "privatelink-demo"', 'name = "privatelink-demo"\nfrontend_port = 8080')
    run = run_main("check", "--config", write_config(text))
    assert run.status == 2
    assert run.lines == ["frontend_port: unknown top-level setting; it belongs under [service]"]


def test_a_key_of_two_sections_names_both(run_main: Callable[..., Run], write_config: Callable[[str], str]) -> None:
    text = _variant('name = "privatelink-demo"', 'name = "privatelink-demo"\nvpc_cidr = "10.0.0.0/16"')
    assert run_main("check", "--config", write_config(text)).lines == [
        "vpc_cidr: unknown top-level setting; it belongs under [service] or [[consumers]]"
    ]


def test_a_typo_at_the_top_still_gets_did_you_mean(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = _variant('name = "privatelink-demo"', 'nmae = "privatelink-demo"')
    assert run_main("check", "--config", write_config(text)).lines == ["nmae: unknown setting; did you mean 'name'?"]


def test_single_brackets_for_a_list_of_tables_get_a_double_bracket_hint(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = DEFAULT_TOML.replace("[[service.backends]]", "[service.backends]")
    path = write_config(text)
    run = run_main("check", "--config", path)
    assert run.status == 2
    line = next(index for index, row in enumerate(text.splitlines(), 1) if row == "[service.backends]")
    assert len(run.lines) == 1
    assert run.lines[0].startswith(f"{path}: is not valid TOML: ")
    assert run.lines[0].endswith(
        f"; [service.backends] on line {line} declares a single table, but service.backends is a list of "
        "tables: write [[service.backends]] (double brackets) above each entry"
    )


def test_one_single_bracket_table_is_a_shape_problem_with_the_hint(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = DEFAULT_TOML.replace("[[consumers]]", "[consumers]")
    assert run_main("check", "--config", write_config(text)).lines == [
        "consumers: is a list of tables: write [[consumers]] (double brackets) above each entry, not [consumers]"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "frontend_port = 80",
            'frontend_port = "8080"',
            'service.frontend_port: must be a whole number, got the text "8080"',
        ),
        (
            "frontend_port = 80",
            "frontend_port = 80.5",
            "service.frontend_port: must be a whole number, got the number 80.5",
        ),
        ("auto_accept = false", 'auto_accept = "no"', 'service.auto_accept: must be true or false, got the text "no"'),
        ("auto_accept = false", "auto_accept = 0", "service.auto_accept: must be true or false, got the number 0"),
        ('clb_name = "clb-privatelink"', "clb_name = 5", "service.clb_name: must be text in quotes, got the number 5"),
        ('clb_name = "clb-privatelink"', "clb_name = true", "service.clb_name: must be text in quotes, got true"),
        (
            'name = "ecs2"',
            'name = ["ecs2", "x"]',
            "service.backends[0].name: must be text in quotes, got a list of 2 entries",
        ),
        (
            'client_ip = "10.10.0.182"',
            'client_ip = "10.10.0.182"\nclient_cidrs = "10.10.0.0/24"',
            'consumers[0].client_cidrs: must be a list, e.g. ["a", "b"], got the text "10.10.0.0/24"',
        ),
    ],
)
def test_type_errors_in_plain_words(
    old: str, new: str, expected: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    run = run_main("check", "--config", write_config(_variant(old, new)))
    assert (run.status, run.lines) == (2, [expected])


def test_test_command_says_where_to_run_it() -> None:
    with_client = synth_stacks()["privatelink-consumer-vpc1"]["output"]["test_command"]["description"]
    assert with_client == "Run on the demo client (Step 6) to reach a backend"
    stacks = synth_stacks(str(ROOT / "examples" / "existing-vpc.toml"))
    without = stacks["privatelink-consumer-branch"]
    assert "client-servers" not in str(without.get("resource", {}))
    assert without["output"]["test_command"]["description"] == (
        "Run on a server of yours in this VPC inside client_cidrs (this consumer has no demo client) to reach a backend"
    )
