"""A dual-stack NLB service: IPv6 blocks in the VPC and vSwitches, a dual-stack NLB and endpoint service."""

from __future__ import annotations

import copy
from ipaddress import IPv4Network
from typing import Any

import pytest
from conftest import ROOT, Stack, clb_problems, resources, synth_stacks

from alicloud_privatelink import (
    NlbZone,
    ValidationError,
)
from alicloud_privatelink.network import ipv6_block_number
from stacks.scenario import DEFAULT_SCENARIO, parse_scenario
from stacks.scenario_file import read_scenario_file

EXAMPLE = str(ROOT / "examples" / "dual-stack.toml")


@pytest.fixture(scope="module")
def provider() -> Stack:
    return synth_stacks(EXAMPLE)["privatelink-provider"]


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    return [str(problem) for problem in error.value.problems]


def test_the_vpc_and_each_vswitch_get_ipv6_blocks(provider: Stack) -> None:
    (vpc,) = resources(provider, "alicloud_vpc")
    assert vpc["enable_ipv6"] is True
    blocks = {
        v["cidr_block"]: (v["enable_ipv6"], v["ipv6_cidr_block_mask"]) for v in resources(provider, "alicloud_vswitch")
    }
    assert blocks == {"192.168.10.0/24": (True, 10), "192.168.20.0/24": (True, 20)}


def test_the_nlb_and_the_endpoint_service_are_dual_stack_and_private(provider: Stack) -> None:
    (nlb,) = resources(provider, "alicloud_nlb_load_balancer")
    assert (nlb["address_type"], nlb["address_ip_version"], nlb["ipv6_address_type"]) == (
        "Intranet",
        "DualStack",
        "Intranet",
    )
    (service,) = resources(provider, "alicloud_privatelink_vpc_endpoint_service")
    assert (service["address_ip_version"], service["service_support_ipv6"]) == ("DualStack", True)


def test_ipv4_services_carry_no_ip_version() -> None:
    default = synth_stacks()["privatelink-provider"]
    (service,) = resources(default, "alicloud_privatelink_vpc_endpoint_service")
    assert "address_ip_version" not in service and "service_support_ipv6" not in service
    assert "enable_ipv6" not in resources(default, "alicloud_vpc")[0]


def test_a_clb_refuses_dual_stack_naming_the_setting() -> None:
    raw = {**DEFAULT_SCENARIO, "service": {**DEFAULT_SCENARIO["service"], "ip_version": "DualStack"}}
    assert problems(raw) == [
        "service.ip_version: DualStack is built on an NLB only (a dual-stack NLB serves IPv6 consumers through "
        'PrivateLink); use load_balancer = "nlb", or IPv4'
    ]
    assert [p.path for p in clb_problems(ip_version="DualStack")] == ["ip_version"]
    assert NlbZone  # the NLB form takes it (see the example)


def test_unknown_ip_versions_and_clashing_ipv6_blocks_are_refused() -> None:
    raw = copy.deepcopy(read_scenario_file(EXAMPLE))
    raw["service"]["ip_version"] = "IPv6"
    assert problems(raw)[0].endswith("use one of IPv4, DualStack")
    raw = copy.deepcopy(read_scenario_file(EXAMPLE))
    # Two /25s of one 1/256th of the VPC (192.168.10.0/24 of 192.168.0.0/16) would share IPv6 /64 number 10.
    raw["service"]["zones"][1]["vswitch_cidr"] = "192.168.10.128/25"
    raw["service"]["zones"][0]["vswitch_cidr"] = "192.168.10.0/25"
    raw["service"]["backends"] = [
        {"name": "aa", "private_ip": "192.168.10.10"},
        {"name": "bb", "private_ip": "192.168.10.140"},
    ]
    assert ipv6_block_number(IPv4Network("192.168.0.0/16"), IPv4Network("192.168.10.128/25")) == 10
    assert problems(raw) == [
        "service.zones[1].vswitch_cidr: 192.168.10.128/25 would get IPv6 block 10 of the VPC, like "
        "service.zones[0].vswitch_cidr: each IPv6 vSwitch needs its own 1/256th of the VPC 192.168.0.0/16 "
        "(a /24 or larger block)"
    ]


def test_the_dual_stack_consumer_gets_a_dual_stack_endpoint_and_network() -> None:
    consumer = synth_stacks(EXAMPLE)["privatelink-consumer-ipv6-team"]
    (endpoint,) = resources(consumer, "alicloud_privatelink_vpc_endpoint")
    assert endpoint["address_ip_version"] == "DualStack"
    (vpc,) = resources(consumer, "alicloud_vpc")
    assert vpc["enable_ipv6"] is True
    masks = {v["cidr_block"]: v["ipv6_cidr_block_mask"] for v in resources(consumer, "alicloud_vswitch")}
    assert masks == {"10.60.1.0/24": 1, "10.60.2.0/24": 2}


def test_a_dual_stack_consumer_needs_a_dual_stack_service() -> None:
    raw = copy.deepcopy(read_scenario_file(EXAMPLE))
    del raw["service"]["ip_version"]
    assert problems(raw) == [
        "consumers[0].ip_version: DualStack needs an endpoint service that serves IPv6 (service_support_ipv6), "
        "and this one does not"
    ]
