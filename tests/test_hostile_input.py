"""Text that passes the type checks but would misbehave later is refused, one line per setting (issue 9).

Covers: scenario text never becomes Terraform code or a cdktf token; patterns
match the whole string; CIDRs are canonical; client blocks are checked as a
set; and settings that pass the checks but fail at deploy time.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from alicloud_privatelink import (
    ExistingPrivateLinkService,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
)
from alicloud_privatelink._runtime import App, TerraformStack, Token
from alicloud_privatelink.checks import Problem, ValidationError, template_problem
from stacks.scenario import DEFAULT_SCENARIO, parse_scenario, quota_warnings

#: A valid scenario that uses every free-text setting.
RICH: dict[str, Any] = {
    **copy.deepcopy(dict(DEFAULT_SCENARIO)),
    "tags": {"team": "payments"},
    "state": {"backend": "oss", "bucket": "tf-state-bucket", "prefix": "privatelink", "region": "eu-central-1"},
}
RICH["service"]["role_arn"] = "acs:ram::1234567890123456:role/owner"
RICH["service"]["allowed_accounts"] = ["2234567890123456"]
RICH["service"]["backends"].append({"name": "legacy", "instance_id": "i-gw8abc"})
RICH["consumers"].append(
    {
        "name": "vpc2",
        "vpc_id": "vpc-gw8abc",
        "vswitch_id": "vsw-gw8abc",
        "zone": "eu-central-1b",
        "security_group_id": "sg-gw8abc",
        "account_id": "3234567890123456",
        "role_arn": "acs:ram::3234567890123456:role/consumer",
        "dns_name": "service.internal.example",
        "endpoint_name": "ep-vpc2",
    }
)

PAYLOADS = [
    '${file("/etc/passwd")}',
    "%{ if true }x%{ endif }",
    "${TfToken[TOKEN.1]}",
    "#{TfToken[TOKEN.1]}",
    "ok ${var.x} ok",
]


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(dotted path, key path) of every string in ``value``."""

    def walk(item: Any, dotted: str, keys: tuple[str | int, ...]) -> Iterator[tuple[str, tuple[str | int, ...]]]:
        if isinstance(item, str):
            yield dotted, keys
        elif isinstance(item, dict):
            for key, child in item.items():
                yield from walk(child, f"{dotted}.{key}" if dotted else key, (*keys, key))
        elif isinstance(item, list):
            for index, child in enumerate(item):
                yield from walk(child, f"{dotted}[{index}]", (*keys, index))

    return walk(value, path, ())


def replaced(raw: dict[str, Any], keys: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(raw)
    holder: Any = result
    for key in keys[:-1]:
        holder = holder[key]
    holder[keys[-1]] = value
    return result


def problems(raw: dict[str, Any]) -> list[str]:
    try:
        parse_scenario(raw)
    except ValidationError as error:
        return [str(problem) for problem in error.problems]
    return []


def test_the_rich_scenario_is_valid() -> None:
    assert problems(RICH) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_setting_lets_terraform_or_cdktf_evaluate_text(payload: str) -> None:
    """Issue 9 item 1: every string setting, ids, tags and state included, refuses templates and tokens."""
    paths = list(leaves(RICH))
    assert len(paths) > 35
    for dotted, keys in paths:
        lines = problems(replaced(RICH, keys, payload))
        assert any(line.startswith(f"{dotted}: ") for line in lines), (dotted, lines)


def test_tag_keys_are_text_too() -> None:
    lines = problems({**RICH, "tags": {'${file("/etc/passwd")}': "x"}})
    assert any(line.startswith("tags.${file") and "Terraform would evaluate" in line for line in lines), lines


def test_every_cdktf_token_is_refused() -> None:
    """The rule is at least as strict as cdktf's own Token.is_unresolved."""
    app = App()
    stack = TerraformStack(app, "s")
    real = IngressSecurityGroup(
        stack, "g", IngressSecurityGroupProps(vpc_id="vpc-1", name="g1", description="a group", port=80)
    ).security_group_id
    for text in [real, f"x{real}y", "${TfToken[TOKEN.999]}", "#{TfToken[TOKEN.2]}", "${Token[TOKEN.3]}"]:
        if Token.is_unresolved(text):
            assert template_problem(text) is not None, text
    assert Token.is_unresolved(real)


def test_library_props_follow_the_same_rule() -> None:
    app = App()
    stack = TerraformStack(app, "s")
    service = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80)
    with pytest.raises(ValidationError) as caught:
        PrivateLinkEndpoint(
            stack,
            "ep",
            PrivateLinkEndpointProps(
                service=service,
                vpc_id="vpc-1",
                vswitch_id='${file("/etc/passwd")}',
                zone="eu-central-1b",
                endpoint_name="ep1",
                client_cidrs=["10.0.0.0/24"],
                description='${file("/etc/passwd")}',
                tags={"team": "%{ if true }x%{ endif }"},
            ),
        )
    paths = {problem.path for problem in caught.value.problems}
    assert {"description", "tags.team", "vswitch_id"} <= paths


def test_acceptance_interpolated_description_exits_2(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    text = (Path(__file__).parent.parent / "examples" / "default.toml").read_text(encoding="utf-8")
    text = text.replace(
        'description = "PrivateLink endpoint service in front of an internal CLB"',
        'description = "${file(\\"/etc/hostname\\")}"',
    )
    assert "/etc/hostname" in text
    run = run_main("--config", write_config(text), "--out", str(tmp_path / "out"))
    assert run.status == 2
    assert [line.split(":")[0] for line in run.lines] == ["service.description"], run.stderr
    assert not (tmp_path / "out").exists()


# -- item 2: exact matching, one line per problem -----------------------------

CONTROL = ["\n", "\r", "\t", "\x00", "\x1b", "\u2028"]


@pytest.mark.parametrize("suffix", CONTROL)
@pytest.mark.parametrize(
    ("keys", "dotted"),
    [
        (("consumers", 0, "name"), "consumers[0].name"),
        (("consumers", 0, "zone"), "consumers[0].zone"),
        (("service", "zone"), "service.zone"),
        (("region",), "region"),
        (("name",), "name"),
        (("service", "clb_name"), "service.clb_name"),
        (("consumers", 0, "endpoint_name"), "consumers[0].endpoint_name"),
        (("service", "backends", 0, "name"), "service.backends[0].name"),
        (("service", "allowed_accounts", 0), "service.allowed_accounts[0]"),
        (("consumers", 1, "dns_name"), "consumers[1].dns_name"),
        (("consumers", 1, "vpc_id"), "consumers[1].vpc_id"),
        (("state", "bucket"), "state.bucket"),
        (("service", "vpc_cidr"), "service.vpc_cidr"),
    ],
)
def test_a_trailing_control_character_is_refused_on_one_line(
    keys: tuple[str | int, ...], dotted: str, suffix: str
) -> None:
    holder: Any = RICH
    for key in keys:
        holder = holder[key]
    lines = problems(replaced(RICH, keys, holder + suffix))
    assert any(line.startswith(f"{dotted}: ") for line in lines), lines
    assert all(len(line.splitlines()) == 1 and line.isprintable() for line in lines), lines


def test_a_region_with_a_newline_is_named_and_the_zones_are_not_blamed() -> None:
    lines = problems(replaced(RICH, ("region",), "eu-central-1\n"))
    assert [line.split(":")[0] for line in lines] == ["region"], lines
    assert "'eu-central-1\\n'" in lines[0]


def test_problem_lines_escape_control_characters() -> None:
    assert str(Problem("tags.a\nb", "x\ry")) == "tags.a\\nb: x\\ry"


def test_acceptance_consumer_name_with_newline(run_main: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    text = (Path(__file__).parent.parent / "examples" / "default.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('name = "vpc1"', 'name = "vpc1\\n"'), encoding="utf-8")
    run = run_main("--config", str(config), "--out", str(tmp_path / "out"))
    assert run.status == 2
    assert run.lines and run.lines[0].startswith("consumers[0].name: 'vpc1\\n'"), run.stderr


# -- item 7: canonical CIDRs ----------------------------------------------------


@pytest.mark.parametrize("written", ["10.10.0.0/255.255.0.0", "10.10.0.0/016", "10.10.0.0/0.0.255.255"])
def test_non_canonical_cidrs_are_refused_with_the_canonical_form(written: str) -> None:
    lines = problems(replaced(RICH, ("consumers", 0, "vpc_cidr"), written))
    assert f"consumers[0].vpc_cidr: {written!r} is not in canonical prefix notation; write 10.10.0.0/16" in lines


def test_a_duplicate_in_another_notation_is_found() -> None:
    raw = replaced(RICH, ("consumers", 0, "client_cidrs"), ["10.10.0.0/24", "10.10.0.0/255.255.255.0"])
    lines = problems(raw)
    assert any(
        line.startswith("consumers[0].client_cidrs[1]: client block 10.10.0.0/24 is already used") for line in lines
    )


# -- item 8: client blocks as a set ----------------------------------------------


def test_many_blocks_covering_everything_are_refused() -> None:
    blocks = [f"{i}.0.0.0/8" for i in range(256)]
    lines = problems(replaced(RICH, ("consumers", 0, "client_cidrs"), blocks))
    assert any(line.startswith("consumers[0].client_cidrs: together these blocks cover 0.0.0.0/0") for line in lines)
    assert any("rules per security group" in line for line in lines)


def test_more_than_a_slash_8_of_public_space_is_refused() -> None:
    lines = problems(replaced(RICH, ("consumers", 0, "client_cidrs"), ["11.0.0.0/8", "12.0.0.0/9"]))
    assert any(line.startswith("consumers[0].client_cidrs: together these blocks admit") for line in lines), lines


def test_a_corporate_set_passes_and_overlaps_do_not() -> None:
    assert problems(replaced(RICH, ("consumers", 0, "client_cidrs"), ["10.0.0.0/8", "172.16.0.0/12"])) == []
    lines = problems(replaced(RICH, ("consumers", 0, "client_cidrs"), ["10.0.0.0/8", "10.10.0.0/24"]))
    assert any(line.startswith("consumers[0].client_cidrs[1]: 10.10.0.0/24 overlaps") for line in lines), lines


def test_more_rules_than_a_security_group_holds_are_refused() -> None:
    blocks = [str(net) for net in list(ipaddress.IPv4Network("10.0.0.0/16").subnets(new_prefix=24))[:201]]
    lines = problems(replaced(RICH, ("consumers", 0, "client_cidrs"), blocks))
    assert lines == [
        "consumers[0].client_cidrs: 201 blocks need 201 rules, over Alibaba Cloud's limit of 200 rules per "
        "security group; merge them into larger blocks"
    ]


# -- item 9: deploy-time failures ------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "value", "expected"),
    [
        (("consumers", 1, "vpc_id"), "", "consumers[1].vpc_id: '' is not a vpc id"),
        (("consumers", 1, "vswitch_id"), "vpc-gw8abc", "consumers[1].vswitch_id: 'vpc-gw8abc' is not a vswitch id"),
        (("consumers", 1, "security_group_id"), " ", "consumers[1].security_group_id: ' ' is not a security group id"),
        (("service", "backends", 2, "instance_id"), "", "service.backends[2].instance_id: '' is not an instance id"),
        (("consumers", 0, "zone"), "eu-central-1-b", "consumers[0].zone: 'eu-central-1-b' is not a zone of region"),
        (("service", "backends", 0, "name"), "ecs_2", "service.backends[0].name: 'ecs_2' is not a valid ECS host name"),
        (("service", "backends", 0, "name"), "ecs2-", "service.backends[0].name: 'ecs2-' is not a valid ECS host name"),
        (("service", "backends", 0, "name"), "ecs2.", "service.backends[0].name: 'ecs2.' is not a valid ECS host name"),
        (("state", "bucket"), "", "state.bucket: '' is not an OSS bucket name"),
        (("state", "bucket"), "Tf_State", "state.bucket: 'Tf_State' is not an OSS bucket name"),
        (("consumers", 0, "vpc_cidr"), "0.0.0.0/8", "consumers[0].vpc_cidr: 0.0.0.0/8 overlaps 0.0.0.0/8"),
        (("consumers", 0, "vpc_cidr"), "240.0.0.0/8", "consumers[0].vpc_cidr: 240.0.0.0/8 overlaps 240.0.0.0/4"),
        (
            ("service", "description"),
            "key LTAI5tABCDEFGHIJKLMNOP here",
            "service.description: looks like an AccessKey id; credentials belong in the environment",
        ),
        (("tags", "team"), "LTAI5tABCDEFGHIJKLMNOP", "tags.team: looks like an AccessKey id"),
    ],
)
def test_deploy_time_failures_are_refused_up_front(keys: tuple[str | int, ...], value: str, expected: str) -> None:
    lines = problems(replaced(RICH, keys, value))
    assert any(line.startswith(expected) for line in lines), lines


def test_a_zone_of_a_region_without_a_digit_has_a_dash() -> None:
    raw = json.loads(json.dumps(RICH).replace("eu-central-1", "cn-hangzhou"))
    raw["service"]["zone"] = raw["consumers"][0]["zone"] = raw["consumers"][1]["zone"] = "cn-hangzhou-b"
    raw["service"]["backup_zone"] = "cn-hangzhou-a"
    assert problems(raw) == []
    lines = problems(replaced(raw, ("service", "backup_zone"), "cn-hangzhoua"))
    assert any(line.startswith("service.backup_zone: 'cn-hangzhoua' is not a zone") for line in lines), lines


def test_all_weights_zero_is_refused() -> None:
    raw = copy.deepcopy(RICH)
    for backend in raw["service"]["backends"]:
        backend["weight"] = 0
    assert any(line.startswith("service.backends: every weight is 0") for line in problems(raw))
    raw["service"]["backends"][1]["weight"] = 1
    assert problems(raw) == []


def test_tags_are_limited_to_twenty_with_the_built_in_ones() -> None:
    many = {f"k{i}": "v" for i in range(19)}
    lines = problems({**RICH, "tags": many})
    assert lines == ["tags: 21 tags with the built-in scenario, consumer; Alibaba Cloud allows at most 20 per resource"]
    assert problems({**RICH, "tags": dict(list(many.items())[:18])}) == []


def test_a_built_in_tag_cannot_be_overridden() -> None:
    lines = problems({**RICH, "tags": {"scenario": "other"}})
    assert lines == ["tags.scenario: 'scenario' is a built-in tag this tool sets; choose another key"]


@pytest.mark.parametrize("option", ["--out", "--config"])
def test_an_empty_option_is_an_error_not_the_default(
    option: str, run_main: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_main(option, "")
    assert run.status == 2
    assert run.lines[0].startswith(f"{option}: "), run.stderr
    assert not (tmp_path / "cdktf.out").exists()


# -- item 10: quotas and scale ---------------------------------------------------


def _with_consumers(count: int, **extra: Any) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
    from bench import scenario_with_consumers

    raw = scenario_with_consumers(DEFAULT_SCENARIO, count)
    raw.pop("accepted_quotas")
    return {**raw, **extra}


def test_the_benchmark_scenario_synthesizes_without_warnings(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
    from bench import write_scenario

    config = tmp_path / "consumers-100.toml"
    write_scenario(100, str(config))
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).parent.parent / "main.py"),
            "--quiet",
            "--config",
            str(config),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert time.monotonic() - started < 60


def test_more_vpcs_than_the_default_quota_warn_until_accepted() -> None:
    scenario = parse_scenario(_with_consumers(10))
    assert [str(w) for w in quota_warnings(scenario)] == [
        "consumers: 11 VPCs in the service owner's account, over Alibaba Cloud's default quota of 10 VPCs per "
        "region in one account (vpc_quota_instances_num); ask for more in Quota Center, then add "
        "'vpc_quota_instances_num' to accepted_quotas"
    ]
    assert quota_warnings(parse_scenario(_with_consumers(9))) == []
    assert quota_warnings(parse_scenario(_with_consumers(10, accepted_quotas=["vpc_quota_instances_num"]))) == []


def test_the_warning_is_a_stderr_line_and_the_synth_goes_on(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
    from bench import to_toml

    run = run_main("--quiet", "--config", write_config(to_toml(_with_consumers(10))), "--out", str(tmp_path / "out"))
    assert run.status == 0
    assert [line.split(":")[0] for line in run.lines] == ["warning"]
    assert (tmp_path / "out" / "stacks" / "privatelink-consumer-c10").is_dir()


def test_endpoints_sharing_a_vpc_are_counted() -> None:
    raw = copy.deepcopy(RICH)
    shared = raw["consumers"][1]
    raw["consumers"] = [
        {**shared, "name": f"team-{i}", "endpoint_name": f"ep-{i}", "account_id": shared["account_id"]}
        for i in range(1001)
    ]
    lines = [str(w) for w in quota_warnings(parse_scenario(raw))]
    assert lines and lines[0].startswith("consumers: 1001 endpoints in vpc-gw8abc, over Alibaba Cloud's default")


def test_an_unknown_accepted_quota_is_refused() -> None:
    lines = problems({**RICH, "accepted_quotas": ["vpc_quota_instance_num"]})
    assert lines == [
        "accepted_quotas[0]: 'vpc_quota_instance_num' is not allowed (did you mean 'vpc_quota_instances_num'?); "
        "use one of vpc_quota_instances_num, pvl_quota_total_ep_per_vpc"
    ]


def test_many_consumers_are_checked_quickly() -> None:
    raw = _with_consumers(250)
    started = time.monotonic()
    parse_scenario(raw)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "text",
    [
        "vpc-abc",
        "${TfToken[TOKEN.1]}",
        "prefix-${TfToken[TOKEN.12]}-suffix",
        "${TfToken[]}",
        "${TfToken[TOKEN 1]}",
        "#{TfToken[TOKEN.1]}",
        "TfToken[TOKEN.1]",
        "${Token[TOKEN.1]}",
        "$${TfToken[TOKEN.1]}",
    ],
)
def test_the_local_token_test_agrees_with_cdktf(text: str) -> None:
    """checks.is_token answers for strings without asking jsii; it must answer exactly as cdktf does."""
    from alicloud_privatelink._runtime import Token
    from alicloud_privatelink.checks import is_token

    assert is_token(text) == bool(Token.is_unresolved(text))


def test_a_real_attribute_token_is_a_token() -> None:
    from alicloud_privatelink._runtime import App, TerraformStack
    from alicloud_privatelink.bindings import Vpc
    from alicloud_privatelink.checks import is_token

    vpc = Vpc(TerraformStack(App(), "s"), "vpc", cidr_block="10.0.0.0/16")
    assert is_token(vpc.id) and is_token(f"{vpc.id}/suffix")
