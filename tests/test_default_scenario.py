"""The default scenario builds what the console guide's Steps 1-6 build, with safe defaults."""

from __future__ import annotations

import ipaddress
import re

from conftest import Stack, only, resources

from alicloud_privatelink import CLB_SOURCE_CIDR

REMOTE = "${data.terraform_remote_state.provider-state.outputs."


def test_two_stacks(default_stacks: dict[str, Stack]) -> None:
    assert sorted(default_stacks) == ["privatelink-consumer-vpc1", "privatelink-provider"]


def test_required_providers_pin_a_version_range_that_admits_1_289_0(default_stacks: dict[str, Stack]) -> None:
    for stack in default_stacks.values():
        required = stack["terraform"]["required_providers"]["alicloud"]
        assert required["source"] == "aliyun/alicloud"
        match = re.fullmatch(r"~> 1\.(\d+)", required["version"])
        assert match and int(match.group(1)) <= 289


def test_provider_region_and_no_credentials(default_stacks: dict[str, Stack]) -> None:
    for stack in default_stacks.values():
        for provider in stack["provider"]["alicloud"]:
            assert provider["region"] == "eu-central-1"
            assert not set(provider) & {"access_key", "secret_key", "security_token"}


def test_networks(provider_stack: Stack, consumer_stack: Stack) -> None:
    assert only(provider_stack, "alicloud_vpc")["cidr_block"] == "192.168.0.0/16"
    vswitch = only(provider_stack, "alicloud_vswitch")
    assert (vswitch["cidr_block"], vswitch["zone_id"]) == ("192.168.24.0/24", "eu-central-1b")
    assert only(consumer_stack, "alicloud_vpc")["cidr_block"] == "10.10.0.0/16"
    vswitch = only(consumer_stack, "alicloud_vswitch")
    assert (vswitch["cidr_block"], vswitch["zone_id"]) == ("10.10.0.0/24", "eu-central-1b")


def test_clb_is_internal_pay_as_you_go_by_lcu_in_the_vswitch_zone(provider_stack: Stack) -> None:
    clb = only(provider_stack, "alicloud_slb_load_balancer")
    assert clb["address_type"] == "intranet"
    assert clb["payment_type"] == "PayAsYouGo"
    # Pay-by-specification CLBs can no longer be bought: billed by LCU, with no spec at all.
    assert clb["instance_charge_type"] == "PayByCLCU"
    assert "load_balancer_spec" not in clb and "specification" not in clb
    assert clb["master_zone_id"] == only(provider_stack, "alicloud_vswitch")["zone_id"] == "eu-central-1b"
    assert clb["slave_zone_id"] == "eu-central-1a"
    assert clb["vswitch_id"].startswith("${alicloud_vswitch.")


def test_tcp_listener_80_to_80_with_health_check(provider_stack: Stack) -> None:
    listener = only(provider_stack, "alicloud_slb_listener")
    assert (listener["protocol"], listener["frontend_port"], listener["backend_port"]) == ("tcp", 80, 80)
    assert listener["health_check"] == "on"
    assert listener["health_check_type"] == "tcp"


def test_backends_ecs2_and_ecs3_with_weight_100(provider_stack: Stack) -> None:
    instances = {body["instance_name"]: body for body in resources(provider_stack, "alicloud_instance")}
    assert {name: body["private_ip"] for name, body in instances.items()} == {
        "ecs2": "192.168.24.200",
        "ecs3": "192.168.24.201",
    }
    entries = only(provider_stack, "alicloud_slb_backend_server")["backend_servers"]
    assert [entry["weight"] for entry in entries] == [100, 100]
    assert all(entry["server_id"].startswith("${alicloud_instance.") for entry in entries)


def test_endpoint_service_defaults(provider_stack: Stack) -> None:
    service = only(provider_stack, "alicloud_privatelink_vpc_endpoint_service")
    assert service["auto_accept_connection"] is False
    assert service["zone_affinity_enabled"] is True
    assert 2 <= len(service["service_description"]) <= 256
    attachment = only(provider_stack, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert attachment["resource_type"] == "slb"
    assert attachment["resource_id"].startswith("${alicloud_slb_load_balancer.")
    assert attachment["service_id"].startswith("${alicloud_privatelink_vpc_endpoint_service.")


def test_the_clb_is_detached_before_its_listener_and_backends_go(provider_stack: Stack) -> None:
    # A refused detach (connected endpoints) then stops the apply before the traffic path is destroyed.
    (name,) = provider_stack["resource"]["alicloud_slb_listener"]
    (backends,) = provider_stack["resource"]["alicloud_slb_backend_server"]
    attachment = only(provider_stack, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert attachment["depends_on"] == [
        f"alicloud_slb_listener.{name}",
        f"alicloud_slb_backend_server.{backends}",
    ]


def test_backends_keep_their_group_rules_until_they_are_gone(provider_stack: Stack) -> None:
    # A refused destroy (endpoints connected) must not have removed the rules the traffic passes.
    rules = sorted(
        f"alicloud_security_group_rule.{n}" for n in provider_stack["resource"]["alicloud_security_group_rule"]
    )
    for server in resources(provider_stack, "alicloud_instance"):
        assert server["depends_on"] == rules


def test_backends_admit_only_the_clb_source_range_on_the_backend_port(provider_stack: Stack) -> None:
    rule = only(provider_stack, "alicloud_security_group_rule")
    assert rule["cidr_ip"] == CLB_SOURCE_CIDR == "100.64.0.0/10"
    assert (rule["type"], rule["ip_protocol"], rule["port_range"], rule["policy"]) == (
        "ingress",
        "tcp",
        "80/80",
        "accept",
    )


def test_consumer_security_group_admits_only_its_clients_on_the_listener_port(consumer_stack: Stack) -> None:
    rules = [rule for rule in resources(consumer_stack, "alicloud_security_group_rule")]
    assert len(rules) == 1
    rule = rules[0]
    assert rule["cidr_ip"] == "10.10.0.0/24"
    assert (rule["type"], rule["ip_protocol"], rule["port_range"]) == ("ingress", "tcp", "80/80")
    assert ipaddress.ip_address("10.10.0.182") in ipaddress.ip_network(rule["cidr_ip"])


def test_no_rule_is_open_to_the_internet(default_stacks: dict[str, Stack]) -> None:
    for stack in default_stacks.values():
        for rule in resources(stack, "alicloud_security_group_rule"):
            assert rule["cidr_ip"] != "0.0.0.0/0"
            assert rule["port_range"] != "-1/-1"


def test_interface_endpoint_in_the_service_zone(consumer_stack: Stack) -> None:
    endpoint = only(consumer_stack, "alicloud_privatelink_vpc_endpoint")
    assert endpoint["endpoint_type"] == "Interface"
    assert endpoint["service_id"] == REMOTE + "service_id}"
    assert endpoint["vpc_endpoint_name"] == "ep-vpc1"
    assert len(endpoint["security_group_ids"]) == 1
    zone = only(consumer_stack, "alicloud_privatelink_vpc_endpoint_zone")
    assert zone["zone_id"] == "eu-central-1b"
    assert zone["vswitch_id"].startswith("${alicloud_vswitch.")


def test_connection_is_accepted_explicitly(consumer_stack: Stack) -> None:
    connection = only(consumer_stack, "alicloud_privatelink_vpc_endpoint_connection")
    assert connection["endpoint_id"].startswith("${alicloud_privatelink_vpc_endpoint.")
    assert connection["service_id"] == REMOTE + "service_id}"
    assert any(dep.startswith("alicloud_privatelink_vpc_endpoint_zone.") for dep in connection["depends_on"])
    assert "provider" not in connection


def test_a_disconnected_endpoint_fails_every_plan_saying_how_to_reconnect(consumer_stack: Stack) -> None:
    (name,) = consumer_stack["resource"]["alicloud_privatelink_vpc_endpoint_connection"]
    connection = only(consumer_stack, "alicloud_privatelink_vpc_endpoint_connection")
    (condition,) = connection["lifecycle"]["postcondition"]
    assert condition["condition"] == '${self.status != "Disconnected"}'
    assert f"terraform state rm alicloud_privatelink_vpc_endpoint_connection.{name}" in condition["error_message"]


def test_demo_servers_have_no_password_and_serve_their_name(default_stacks: dict[str, Stack]) -> None:
    instances = [body for stack in default_stacks.values() for body in resources(stack, "alicloud_instance")]
    assert sorted(body["instance_name"] for body in instances) == ["ecs1", "ecs2", "ecs3"]
    for body in instances:
        assert not set(body) & {"password", "kms_encrypted_password", "key_name"}
        assert body["image_id"].startswith("${data.alicloud_images.")
        assert body["instance_type"].startswith("${data.alicloud_instance_types.")
        assert body["internet_max_bandwidth_out"] == 0
    backends = [body for body in instances if body["instance_name"] != "ecs1"]
    for body in backends:
        assert f"Hello from {body['instance_name']}" in body["user_data"]
        assert "http.server 80" in body["user_data"]
    client = next(body for body in instances if body["instance_name"] == "ecs1")
    assert client["private_ip"] == "10.10.0.182"
    assert "user_data" not in client


def test_provider_outputs(provider_stack: Stack) -> None:
    outputs = provider_stack["output"]
    for name in ("service_id", "service_name", "service_domain", "clb_id", "clb_address"):
        assert name in outputs
    assert outputs["service_domain"]["value"].endswith(".service_domain}")
    assert outputs["clb_address"]["value"].endswith(".address}")


def test_consumer_outputs(consumer_stack: Stack) -> None:
    outputs = consumer_stack["output"]
    assert outputs["endpoint_id"]["value"].startswith("${alicloud_privatelink_vpc_endpoint.")
    assert outputs["endpoint_domain"]["value"].endswith(".endpoint_domain}")
    assert re.fullmatch(
        r"curl -s http://\$\{alicloud_privatelink_vpc_endpoint\.[^}]+\.endpoint_domain\}:80/",
        outputs["test_command"]["value"],
    )


def test_consumer_reads_the_provider_state_through_named_outputs(provider_stack: Stack, consumer_stack: Stack) -> None:
    (remote,) = consumer_stack["data"]["terraform_remote_state"].values()
    assert remote["backend"] == "local"
    assert remote["config"] == provider_stack["terraform"]["backend"]["local"]
    assert remote["workspace"] == "${terraform.workspace}"
    # The contract is the provider stack's named outputs, shown in plans (not cdktf's sensitive ones).
    assert not any(output.get("sensitive") for output in provider_stack["output"].values())
    assert all(not name.startswith("cross-stack-output") for name in provider_stack["output"])


def test_local_state_paths_are_relative_and_named_by_the_scenario(default_stacks: dict[str, Stack]) -> None:
    for name, stack in default_stacks.items():
        assert stack["terraform"]["backend"]["local"] == {
            "path": f"../../../terraform.privatelink-demo.{name}.tfstate",
            "workspace_dir": f"../../../terraform.privatelink-demo.{name}.tfstate.d",
        }


def test_everything_taggable_is_tagged(default_stacks: dict[str, Stack]) -> None:
    for stack in default_stacks.values():
        for type_name in ("alicloud_vpc", "alicloud_vswitch", "alicloud_security_group", "alicloud_instance"):
            for body in resources(stack, type_name):
                assert body["tags"]["scenario"] == "privatelink-demo"
