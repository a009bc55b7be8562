"""Beyond the console guide: cross-account, many consumers, existing networks, private DNS, OSS state."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, Run, Stack, only, resources, synth_stacks

from stacks.scenario import load_scenario

EXAMPLE_DIR = ROOT / "examples"


def example(name: str) -> dict[str, Stack]:
    return synth_stacks(str(EXAMPLE_DIR / f"{name}.toml"))


def test_the_documented_examples_exist() -> None:
    names = {path.stem for path in EXAMPLES}
    assert names >= {
        "default",
        "cross-account",
        "cross-region",
        "many-consumers",
        "existing-vpc",
        "private-dns",
        "oss-state",
    }
    assert len(load_scenario(EXAMPLE_DIR / "many-consumers.toml").consumers) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_synthesizes_and_validates(path: Path, run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("--config", str(path), "--out", str(out)).status == 0
    schema = ROOT / "tools" / "schema" / "alicloud-provider-schema.json"
    run = run_main("validate", "--schema", str(schema), "--dir", str(out))
    assert run.status == 0, run.stderr
    assert run.stdout.rstrip().endswith(": 0 problems")


# -- cross-account ------------------------------------------------------------


def test_cross_account_consumer_assumes_its_role() -> None:
    consumer = example("cross-account")["privatelink-consumer-partner-b"]
    default, owner = consumer["provider"]["alicloud"]
    assert default["assume_role"]["role_arn"] == "acs:ram::5000000000000002:role/privatelink-consumer"
    assert "alias" not in default
    assert owner["alias"] == "service_owner"
    assert "assume_role" not in owner, "the owner's own credentials act for the service when service.role_arn is unset"


def test_cross_account_consumer_is_accepted_by_the_service_owner() -> None:
    consumer = example("cross-account")["privatelink-consumer-partner-b"]
    connection = only(consumer, "alicloud_privatelink_vpc_endpoint_connection")
    assert connection["provider"] == "alicloud.service_owner"
    assert connection["service_id"].startswith("${data.terraform_remote_state.")
    endpoint = only(consumer, "alicloud_privatelink_vpc_endpoint")
    assert "provider" not in endpoint, "the endpoint is the consumer's, made with its assumed role"


def test_the_service_whitelists_each_account_once() -> None:
    stacks = example("cross-account")
    users = resources(stacks["privatelink-provider"], "alicloud_privatelink_vpc_endpoint_service_user")
    assert sorted(user["user_id"] for user in users) == ["5000000000000002", "5000000000000003"]
    assert all(user["service_id"].startswith("${alicloud_privatelink_vpc_endpoint_service.") for user in users)
    assert resources(stacks["privatelink-consumer-partner-b"], "alicloud_privatelink_vpc_endpoint_service_user") == []


def test_two_consumers_of_one_account_share_one_whitelist_entry(
    write_config: Callable[[str], str], run_main: Callable[..., Run], tmp_path: Path
) -> None:
    text = (EXAMPLE_DIR / "cross-account.toml").read_text()
    second = text[text.index("[[consumers]]") :].replace("partner-b", "partner-b2").replace("10.20.", "10.21.")
    out = tmp_path / "out"
    assert run_main("--config", write_config(text + "\n" + second), "--out", str(out)).status == 0
    provider = json.loads((out / "stacks" / "privatelink-provider" / "cdk.tf.json").read_text())
    users = provider["resource"]["alicloud_privatelink_vpc_endpoint_service_user"].values()
    assert sorted(user["user_id"] for user in users) == ["5000000000000002", "5000000000000003"]


def test_service_role_is_used_for_the_provider_stack_and_for_accepting(
    write_config: Callable[[str], str], run_main: Callable[..., Run], tmp_path: Path
) -> None:
    text = (
        (EXAMPLE_DIR / "cross-account.toml")
        .read_text()
        .replace("[service]\n", '[service]\nrole_arn = "acs:ram::5000000000000001:role/privatelink-owner"\n')
    )
    out = tmp_path / "out"
    assert run_main("--config", write_config(text), "--out", str(out)).status == 0
    stacks = {p.parent.name: json.loads(p.read_text()) for p in out.glob("stacks/*/cdk.tf.json")}
    owner_role = "acs:ram::5000000000000001:role/privatelink-owner"
    assert stacks["privatelink-provider"]["provider"]["alicloud"][0]["assume_role"]["role_arn"] == owner_role
    owner = stacks["privatelink-consumer-partner-b"]["provider"]["alicloud"][1]
    assert (owner["alias"], owner["assume_role"]["role_arn"]) == ("service_owner", owner_role)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'account_id = "5000000000000002"',
            'account_id = "50000"',
            "consumers[0].account_id: '50000' is not an Alibaba Cloud account id (16 digits)",
        ),
        (
            'role_arn = "acs:ram::5000000000000002:role/privatelink-consumer"',
            'role_arn = "arn:aws:iam::1:role/x"',
            "consumers[0].role_arn: 'arn:aws:iam::1:role/x' is not a RAM role ARN",
        ),
        (
            'allowed_accounts = ["5000000000000003"]',
            'allowed_accounts = ["x"]',
            "service.allowed_accounts[0]: 'x' is not an Alibaba Cloud account id",
        ),
    ],
    ids=["account-id", "role-arn", "allowed-accounts"],
)
def test_account_settings_are_checked(
    old: str, new: str, expected: str, write_config: Callable[[str], str], run_main: Callable[..., Run]
) -> None:
    text = (EXAMPLE_DIR / "cross-account.toml").read_text()
    assert old in text
    run = run_main("--config", write_config(text.replace(old, new)))
    assert run.status == 2
    assert any(line.startswith(expected) for line in run.lines), run.stderr


# -- many consumers -------------------------------------------------------------


def test_each_consumer_is_its_own_independent_stack() -> None:
    stacks = example("many-consumers")
    consumers = sorted(name for name in stacks if name.startswith("privatelink-consumer-"))
    assert consumers == [f"privatelink-consumer-team-{letter}" for letter in "abcde"]
    for name in consumers:
        remote = stacks[name]["data"]["terraform_remote_state"]
        assert list(remote) == ["provider-state"], "depends on the provider only"
        assert remote["provider-state"]["config"]["path"] == "../../../terraform.payments.privatelink-provider.tfstate"
        assert stacks[name]["terraform"]["backend"]["local"]["path"] == f"../../../terraform.payments.{name}.tfstate"
    assert len(resources(stacks["privatelink-consumer-team-c"], "alicloud_instance")) == 1
    assert resources(stacks["privatelink-consumer-team-a"], "alicloud_instance") == []


# -- existing resources -----------------------------------------------------------


def test_existing_networks_create_no_vpc_or_vswitch() -> None:
    stacks = example("existing-vpc")
    for stack in stacks.values():
        assert resources(stack, "alicloud_vpc") == []
        assert resources(stack, "alicloud_vswitch") == []
    office = stacks["privatelink-consumer-office"]
    endpoint = only(office, "alicloud_privatelink_vpc_endpoint")
    assert endpoint["vpc_id"] == "vpc-gw8existingconsumer1"
    assert endpoint["security_group_ids"] == ["sg-gw8existingconsumer1"]
    assert resources(office, "alicloud_security_group") == []
    branch_rule = only(stacks["privatelink-consumer-branch"], "alicloud_security_group_rule")
    assert branch_rule["cidr_ip"] == "172.16.8.0/24"


def test_existing_backends_are_used_by_instance_id() -> None:
    provider = example("existing-vpc")["privatelink-provider"]
    assert resources(provider, "alicloud_instance") == []
    entries = only(provider, "alicloud_slb_backend_server")["backend_servers"]
    assert [(e["server_id"], e["weight"]) for e in entries] == [
        ("i-gw8existingcrm000001", 100),
        ("i-gw8existingcrm000002", 50),
    ]
    assert only(provider, "alicloud_slb_load_balancer")["vswitch_id"] == "vsw-gw8existingservice01"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'vpc_id = "vpc-gw8existingconsumer1"',
            'vpc_id = "vpc-gw8existingconsumer1"\nvpc_cidr = "10.0.0.0/16"',
            "consumers[0].vpc_id: give either consumers[0].vpc_cidr or consumers[0].vpc_id, not both",
        ),
        (
            'vswitch_id = "vsw-gw8existingconsumer2"',
            'vswitch_cidr = "10.0.0.0/24"',
            "consumers[1].vswitch_id: an existing network needs both vpc_id and vswitch_id",
        ),
        ('client_cidrs = ["172.16.8.0/24"]', "", "consumers[1].client_cidrs: give the clients' CIDR blocks"),
        (
            'client_cidrs = ["172.16.8.0/24"]',
            'client_cidrs = ["0.0.0.0/0"]',
            "consumers[1].client_cidrs[0]: 0.0.0.0/0 would admit a large part of the internet",
        ),
        (
            'instance_id = "i-gw8existingcrm000001"',
            'instance_id = "i-gw8existingcrm000001"\nprivate_ip = "10.0.0.5"',
            "service.backends[0]: give either private_ip",
        ),
    ],
    ids=["vpc-both-ways", "half-existing", "no-clients", "open-to-all", "backend-both-ways"],
)
def test_mixing_new_and_existing_is_an_error(
    old: str, new: str, expected: str, write_config: Callable[[str], str], run_main: Callable[..., Run]
) -> None:
    text = (EXAMPLE_DIR / "existing-vpc.toml").read_text()
    assert old in text
    run = run_main("--config", write_config(text.replace(old, new)))
    assert run.status == 2
    assert any(line.startswith(expected) for line in run.lines), run.stderr


# -- private DNS ------------------------------------------------------------------


def test_private_dns_name_points_at_the_endpoint_domain() -> None:
    consumer = example("private-dns")["privatelink-consumer-web"]
    zone = only(consumer, "alicloud_pvtz_zone")
    assert zone["zone_name"] == "internal.example"
    record = only(consumer, "alicloud_pvtz_zone_record")
    assert (record["rr"], record["type"]) == ("service", "CNAME")
    endpoint_name = next(iter(consumer["resource"]["alicloud_privatelink_vpc_endpoint"]))
    assert record["value"] == f"${{alicloud_privatelink_vpc_endpoint.{endpoint_name}.endpoint_domain}}"
    attachment = only(consumer, "alicloud_pvtz_zone_attachment")
    assert attachment["vpc_ids"] == ["${alicloud_vpc.network_vpc_4E8F0223.id}"]
    assert consumer["output"]["test_command"]["value"] == "curl -s http://service.internal.example:80/"


def test_private_dns_activates_privatezone_in_the_consumer_account_only_where_used() -> None:
    consumer = example("private-dns")["privatelink-consumer-web"]
    (activation,) = consumer["data"]["alicloud_pvtz_service"].values()
    assert activation["enable"] == "On"
    for stacks in (example("private-dns"), example("default")):
        for name, stack in stacks.items():
            if not resources(stack, "alicloud_pvtz_zone"):
                assert "alicloud_pvtz_service" not in stack.get("data", {}), name


# -- remote state -----------------------------------------------------------------


def test_oss_backend_with_a_distinct_prefix_per_stack() -> None:
    stacks = example("oss-state")
    prefixes = []
    for name, stack in stacks.items():
        oss = stack["terraform"]["backend"]["oss"]
        assert oss["bucket"] == "example-terraform-state"
        assert oss["prefix"] == f"privatelink/privatelink-oss/{name}"
        assert oss["tablestore_table"] == "terraform_lock"
        assert oss["encrypt"] is True
        assert oss["key"] == "terraform.tfstate"
        prefixes.append(oss["prefix"])
    assert len(set(prefixes)) == len(stacks) == 2
    remote = stacks["privatelink-consumer-vpc1"]["data"]["terraform_remote_state"]
    config = remote["provider-state"]
    assert config["backend"] == "oss"
    assert config["workspace"] == "${terraform.workspace}"
    provider_backend = stacks["privatelink-provider"]["terraform"]["backend"]["oss"]
    for key in ("bucket", "prefix", "key", "region", "encrypt"):
        assert config["config"][key] == provider_backend[key], key


def test_oss_backend_needs_a_bucket(write_config: Callable[[str], str], run_main: Callable[..., Run]) -> None:
    text = (EXAMPLE_DIR / "oss-state.toml").read_text().replace('bucket = "example-terraform-state"\n', "")
    run = run_main("--config", write_config(text))
    assert run.status == 2
    assert 'state.bucket: is required when backend = "oss"' in run.lines
