"""Every Alibaba Cloud rule and every file mistake is refused up front: exit 2, one line per problem."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run, edited

DEFAULT_TOML = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")


def variant(*replacements: tuple[str, str], append: str = "") -> str:
    """The default scenario file, :func:`edited`."""
    return edited(DEFAULT_TOML, *replacements, append=append)


BACKEND_IP = 'private_ip = "192.168.24.200"'
CASES: dict[str, tuple[str, str]] = {
    # CIDRs and addresses
    "malformed-cidr": (
        variant(('vpc_cidr = "192.168.0.0/16"', 'vpc_cidr = "192.168.0/16"')),
        "service.vpc_cidr: '192.168.0/16' is not an IPv4 CIDR block",
    ),
    "host-bits": (
        variant(('vpc_cidr = "192.168.0.0/16"', 'vpc_cidr = "192.168.2.0/16"')),
        "service.vpc_cidr: 192.168.2.0/16 has host bits set; did you mean 192.168.0.0/16?",
    ),
    "no-prefix": (
        variant(('vswitch_cidr = "10.10.0.0/24"', 'vswitch_cidr = "10.10.0.0"')),
        "consumers[0].vswitch_cidr: '10.10.0.0' has no prefix length",
    ),
    "vpc-reserved-range": (
        variant(
            ('vpc_cidr = "10.10.0.0/16"', 'vpc_cidr = "100.64.0.0/16"'),
            ('vswitch_cidr = "10.10.0.0/24"', 'vswitch_cidr = "100.64.0.0/24"'),
            ('client_ip = "10.10.0.182"', 'client_ip = "100.64.0.182"'),
        ),
        "consumers[0].vpc_cidr: 100.64.0.0/16 overlaps 100.64.0.0/10, which Alibaba Cloud reserves",
    ),
    "vpc-prefix": (
        variant(('vpc_cidr = "192.168.0.0/16"', 'vpc_cidr = "192.168.24.0/29"')),
        "service.vpc_cidr: a VPC prefix length must be /8 to /28, not /29",
    ),
    "vswitch-prefix": (
        variant(('vswitch_cidr = "10.10.0.0/24"', 'vswitch_cidr = "10.10.0.0/30"')),
        "consumers[0].vswitch_cidr: a vSwitch prefix length must be /16 to /29, not /30",
    ),
    "vswitch-outside-vpc": (
        variant(('vswitch_cidr = "192.168.24.0/24"', 'vswitch_cidr = "172.16.24.0/24"')),
        "service.vswitch_cidr: 172.16.24.0/24 is not inside service.vpc_cidr 192.168.0.0/16",
    ),
    "ip-outside-vswitch": (
        variant((BACKEND_IP, 'private_ip = "10.0.0.2"')),
        "service.backends[0].private_ip: 10.0.0.2 is not inside service.vswitch_cidr 192.168.24.0/24",
    ),
    "client-outside-vswitch": (
        variant(('client_ip = "10.10.0.182"', 'client_ip = "10.10.1.182"')),
        "consumers[0].client_ip: 10.10.1.182 is not inside consumers[0].vswitch_cidr 10.10.0.0/24",
    ),
    "reserved-first": (
        variant((BACKEND_IP, 'private_ip = "192.168.24.0"')),
        "service.backends[0].private_ip: 192.168.24.0 is reserved by Alibaba Cloud",
    ),
    "reserved-last-three": (
        variant((BACKEND_IP, 'private_ip = "192.168.24.253"')),
        "service.backends[0].private_ip: 192.168.24.253 is reserved by Alibaba Cloud in service.vswitch_cidr 192.168.24.0/24 (the first address and the last three are); use 192.168.24.1 to 192.168.24.252",
    ),
    "bad-ip": (
        variant((BACKEND_IP, 'private_ip = "192.168.24.300"')),
        "service.backends[0].private_ip: '192.168.24.300' is not an IPv4 address",
    ),
    "duplicate-backend-name": (
        variant(('name = "ecs3"', 'name = "ecs2"')),
        "service.backends[1].name: name ecs2 is already used by service.backends[0].name",
    ),
    "duplicate-backend-ip": (
        variant(('private_ip = "192.168.24.201"', 'private_ip = "192.168.24.200"')),
        "service.backends[1].private_ip: address 192.168.24.200 is already used by service.backends[0].private_ip",
    ),
    "duplicate-consumer": (
        variant(
            append='\n[[consumers]]\nname = "vpc1"\nvpc_cidr = "10.20.0.0/16"\nvswitch_cidr = "10.20.0.0/24"\nzone = "eu-central-1b"\n'
        ),
        "consumers[1].name: name vpc1 is already used by consumers[0].name",
    ),
    "overlapping-vpcs": (
        variant(
            ('vpc_cidr = "10.10.0.0/16"', 'vpc_cidr = "192.168.0.0/16"'),
            ('vswitch_cidr = "10.10.0.0/24"', 'vswitch_cidr = "192.168.1.0/24"'),
            ('client_ip = "10.10.0.182"', 'client_ip = "192.168.1.182"'),
        ),
        "consumers[0].vpc_cidr: 192.168.0.0/16 overlaps service.vpc_cidr 192.168.0.0/16; the two VPCs must not overlap",
    ),
    # zones
    "zone-not-in-region": (
        variant(('zone = "eu-central-1b"\nbackup_zone', 'zone = "cn-hangzhou-b"\nbackup_zone')),
        "service.zone: 'cn-hangzhou-b' is not a zone of region eu-central-1",
    ),
    "backup-zone-not-in-region": (
        variant(('backup_zone = "eu-central-1a"', 'backup_zone = "eu-west-1a"')),
        "service.backup_zone: 'eu-west-1a' is not a zone of region eu-central-1",
    ),
    "backup-equals-zone": (
        variant(('backup_zone = "eu-central-1a"', 'backup_zone = "eu-central-1b"')),
        "service.backup_zone: eu-central-1b is also service.zone; the backup zone must be a different zone",
    ),
    "endpoint-other-zone": (
        variant(('zone = "eu-central-1b"\nendpoint_name', 'zone = "eu-central-1a"\nendpoint_name')),
        "consumers[0].zone: eu-central-1a differs from service.zone eu-central-1b; an endpoint can only use its service's zone",
    ),
    # names and text
    "clb-name": (
        variant(('clb_name = "clb-privatelink"', 'clb_name = "clb privatelink!"')),
        "service.clb_name: 'clb privatelink!' must be 1 to 80 characters of letters, digits, '-', '/', '.' and '_'",
    ),
    "clb-name-too-long": (
        variant(('clb_name = "clb-privatelink"', f'clb_name = "{"c" * 81}"')),
        "service.clb_name: 'ccc",
    ),
    "endpoint-name-start": (
        variant(('endpoint_name = "ep-vpc1"', 'endpoint_name = "1ep"')),
        "consumers[0].endpoint_name: '1ep' must be 2 to 128 characters of letters, digits, '_' and '-', starting with a letter",
    ),
    "endpoint-name-chars": (
        variant(('endpoint_name = "ep-vpc1"', 'endpoint_name = "ep.vpc1"')),
        "consumers[0].endpoint_name: 'ep.vpc1' must be 2 to 128",
    ),
    "description-short": (
        variant(('description = "PrivateLink endpoint service in front of an internal CLB"', 'description = "x"')),
        "service.description: must be 2 to 256 characters, not 1",
    ),
    "description-long": (
        variant(
            ('description = "PrivateLink endpoint service in front of an internal CLB"', f'description = "{"d" * 257}"')
        ),
        "service.description: must be 2 to 256 characters, not 257",
    ),
    "description-url": (
        variant(
            (
                'description = "PrivateLink endpoint service in front of an internal CLB"',
                'description = "https://example.com"',
            )
        ),
        "service.description: must not start with http:// or https://",
    ),
    # ranges and allowed values
    "port-zero": (
        variant(("frontend_port = 80", "frontend_port = 0")),
        "service.frontend_port: 0 is out of range; use 1 to 65535",
    ),
    "port-high": (
        variant(("backend_port = 80", "backend_port = 65536")),
        "service.backend_port: 65536 is out of range; use 1 to 65535",
    ),
    "weight": (
        variant(("weight = 100", "weight = 101")),
        "service.backends[0].weight: 101 is out of range; use 0 to 100",
    ),
    "protocol": (
        variant(('listener_protocol = "tcp"', 'listener_protocol = "tpc"')),
        "service.listener_protocol: 'tpc' is not allowed (did you mean 'tcp'?); use one of http, tcp, udp",
    ),
    "clb-spec-retired": (
        variant(('clb_name = "clb-privatelink"', 'clb_name = "clb-privatelink"\nclb_spec = "slb.s1.small"')),
        "service.clb_spec: pay-by-specification CLBs can no longer be bought",
    ),
    "region": (
        variant(('region = "eu-central-1"', 'region = "Frankfurt"')),
        "region: 'Frankfurt' is not a region id such as eu-central-1 or cn-hangzhou",
    ),
    # the file itself
    "unknown-key-typo": (
        variant((BACKEND_IP, 'privat_ip = "192.168.24.200"')),
        "service.backends[0].privat_ip: unknown setting; did you mean 'private_ip'?",
    ),
    "unknown-top-level": (
        variant(('name = "privatelink-demo"', 'nmae = "privatelink-demo"')),
        "nmae: unknown setting; did you mean 'name'?",
    ),
    "wrong-type": (
        variant(("frontend_port = 80", 'frontend_port = "80"')),
        'service.frontend_port: must be a whole number, got the text "80"',
    ),
    "wrong-type-bool": (
        variant(("auto_accept = false", 'auto_accept = "no"')),
        'service.auto_accept: must be true or false, got the text "no"',
    ),
    "missing-key": (
        variant(('zone = "eu-central-1b"\nendpoint_name', "endpoint_name")),
        "consumers[0].zone: is required but missing",
    ),
    "missing-region": (variant(('region = "eu-central-1"', "")), "region: is required but missing"),
    "name-not-a-string": (
        variant(('name = "ecs2"', 'name = ["ecs2"]')),
        "service.backends[0].name: must be text in quotes, got a list of 1 entry",
    ),
    "reserved-server-name": (
        variant(('name = "ecs3"', 'name = "image"')),
        "service.backends[1].name: 'image' is reserved for the image look-up",
    ),
    "client-name": (
        variant(append='client_name = "x"\n'),
        "consumers[0].client_name: 'x' is not a valid ECS host name: 2 to 64 letters, digits, '-' and '.'",
    ),
    "server-name-is-a-host-name": (
        variant(('name = "ecs3"', 'name = "ecs_3"')),
        "service.backends[1].name: 'ecs_3' is not a valid ECS host name: 2 to 64 letters, digits, '-' and '.'",
    ),
    "reserved-server-name-boot-script": (
        variant(('name = "ecs3"', 'name = "boot-script"')),
        "service.backends[1].name: 'boot-script' is reserved for the servers' boot-script records",
    ),
    "image-id": (
        variant(append='\n[servers]\nimage_id = "ubuntu 22.04"\n'),
        "servers.image_id: 'ubuntu 22.04' is not an image id",
    ),
    "instance-type": (
        variant(append='\n[servers]\ninstance_type = "g7.large"\n'),
        "servers.instance_type: 'g7.large' is not an ECS instance type such as ecs.g7.large",
    ),
    "reserved-tag": (
        variant(('name = "privatelink-demo"', 'name = "privatelink-demo"\ntags = { "aliyun:owner" = "me" }')),
        "tags.aliyun:owner: a tag key must not start with aliyun",
    ),
    "reference-syntax-is-just-text": (
        variant(('backup_zone = "eu-central-1a"', 'backup_zone = "${nope}"')),
        "service.backup_zone: '${nope}' is not a zone of region eu-central-1",
    ),
    "client-cidrs-empty": (
        variant(append="client_cidrs = []\n"),
        "consumers[0].client_cidrs: give the clients' CIDR blocks",
    ),
    "client-cidrs-and-group": (
        variant(append='client_cidrs = ["10.10.0.0/24"]\nsecurity_group_id = "sg-1"\n'),
        "consumers[0].client_cidrs: an existing security_group_id has its own rules",
    ),
    "client-cidrs-twice": (
        variant(append='client_cidrs = ["10.10.0.0/24", "10.10.0.0/24"]\n'),
        "consumers[0].client_cidrs[1]: client block 10.10.0.0/24 is already used by consumers[0].client_cidrs[0]",
    ),
    "invalid-toml": (
        variant(("[service]", "[service")),
        "is not valid TOML: Expected ']' at the end of a table declaration (at line 10, column 9)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_is_reported_with_its_setting(
    case: str, run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    text, expected = CASES[case]
    run = run_main("--config", write_config(text), "--out", str(tmp_path / "out"))
    assert run.status == 2
    assert any(line.startswith(expected) or expected in line for line in run.lines), run.stderr
    assert all(": " in line for line in run.lines)
    assert not (tmp_path / "out").exists()


def test_clb_spec_is_one_line_that_says_what_to_do(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = variant(('clb_name = "clb-privatelink"', 'clb_name = "clb-privatelink"\nclb_spec = "slb.lcu.elastic"'))
    run = run_main("--config", write_config(text))
    assert run.status == 2
    (line,) = run.lines
    assert line.startswith("service.clb_spec: pay-by-specification CLBs can no longer be bought")
    assert "PayByCLCU" in line and "remove this setting" in line


def test_missing_file_is_a_clear_error(run_main: Callable[..., Run], tmp_path: Path) -> None:
    run = run_main("--config", str(tmp_path / "absent.toml"))
    assert run.status == 2
    assert run.lines == [f"{tmp_path / 'absent.toml'}: no such file"]


def test_all_problems_are_reported_in_one_run(run_main: Callable[..., Run], write_config: Callable[[str], str]) -> None:
    text = variant(
        ('region = "eu-central-1"', 'region = "eu-central-1"\nnmae = "x"'),
        ("frontend_port = 80", 'frontend_port = "80"'),
        (BACKEND_IP, 'private_ip = "10.0.0.2"'),
        ('backup_zone = "eu-central-1a"', 'backup_zone = "eu-central-1b"'),
        ('endpoint_name = "ep-vpc1"', 'endpoint_name = "1ep"'),
    )
    run = run_main("--config", write_config(text))
    assert run.status == 2
    assert sorted(line.split(":")[0] for line in run.lines) == [
        "consumers[0].endpoint_name",
        "nmae",
        "service.backends[0].private_ip",
        "service.backup_zone",
        "service.frontend_port",
    ]


def test_no_traceback_on_bad_input(write_config: Callable[[str], str], tmp_path: Path) -> None:
    config = write_config(variant((BACKEND_IP, 'private_ip = "10.0.0.2"')))
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--config", config, "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("service.backends[0].private_ip: 10.0.0.2 is not inside service.vswitch_cidr")
    assert result.stdout == ""


def test_a_section_of_the_wrong_shape_is_reported_once(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    run = run_main("--config", write_config(variant(append='client_cidrs = "10.10.0.0/24"\n')))
    assert run.status == 2
    assert run.lines == ['consumers[0].client_cidrs: must be a list, e.g. ["a", "b"], got the text "10.10.0.0/24"']
    service_as_array = DEFAULT_TOML.replace("[service]", "[[service]]").replace(
        "[[service.backends]]", "[[service.backends]]"
    )
    run = run_main("--config", write_config(service_as_array))
    assert run.status == 2
    assert not any("is required but missing" in line and "vpc_cidr" in line for line in run.lines), run.stderr
    assert all(line.startswith(("service", "consumers[0].zone")) for line in run.lines), run.stderr


def test_a_file_that_is_not_utf8_is_a_clear_error(run_main: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "latin1.toml"
    config.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    run = run_main("--config", str(config))
    assert (run.status, run.lines) == (2, [f"{config}: is not UTF-8 text"])


@pytest.mark.parametrize("content", ["[]", "{}", '{"provider_schemas": {"x/alicloud": []}}', "not json"])
def test_validate_refuses_a_file_that_is_not_a_schema(
    run_main: Callable[..., Run], tmp_path: Path, content: str
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(content)
    run = run_main("validate", "--schema", str(schema))
    assert run.status == 2
    assert run.lines[0].startswith(f"error: {schema}:"), run.stderr
