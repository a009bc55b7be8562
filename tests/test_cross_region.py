"""Consumers in other regions, connection bandwidth, fixed endpoint addresses and dual-stack endpoints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run, Stack, edited, only, resources, synth_stacks

from alicloud_privatelink.checks import Checks
from alicloud_privatelink.endpoint_service import check_supported_regions
from app.diagram import build_diagram
from stacks.scenario import load_scenario

EXAMPLE = str(ROOT / "examples" / "cross-region.toml")
EXAMPLE_TOML = Path(EXAMPLE).read_text(encoding="utf-8")
DEFAULT_TOML = (ROOT / "examples" / "default.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stacks() -> dict[str, Stack]:
    return synth_stacks(EXAMPLE)


def problems(run_main: Callable[..., Run], write_config: Callable[[str], str], text: str) -> list[str]:
    run = run_main("check", "--config", write_config(text))
    assert run.status == 2, run.stderr
    return run.lines


# -- the example ----------------------------------------------------------------------------------


def test_a_consumer_in_another_region_gets_a_provider_there(stacks: dict[str, Stack]) -> None:
    default, owner = stacks["privatelink-consumer-london"]["provider"]["alicloud"]
    assert default["region"] == "eu-west-1" and "alias" not in default
    assert owner == {"alias": "service_owner", "region": "eu-central-1"}
    frankfurt = stacks["privatelink-consumer-frankfurt"]["provider"]["alicloud"]
    assert [p["region"] for p in frankfurt] == ["eu-central-1"], "a same-region consumer needs no second provider"


def test_its_endpoint_names_the_service_region_and_is_accepted_there(stacks: dict[str, Stack]) -> None:
    london = stacks["privatelink-consumer-london"]
    endpoint = only(london, "alicloud_privatelink_vpc_endpoint")
    assert endpoint["service_region_id"] == "eu-central-1"
    assert endpoint["cross_region_bandwidth"] == 1000
    assert "provider" not in endpoint, "the endpoint is created in the consumer's region"
    connection = only(london, "alicloud_privatelink_vpc_endpoint_connection")
    assert connection["provider"] == "alicloud.service_owner", (
        "EnableVpcEndpointConnection runs in the service's region"
    )
    assert connection["bandwidth"] == 1024
    zones = sorted(zone["zone_id"] for zone in resources(london, "alicloud_privatelink_vpc_endpoint_zone"))
    assert zones == ["eu-west-1a", "eu-west-1b"], "the endpoint's zones are the consumer region's"
    same = only(stacks["privatelink-consumer-frankfurt"], "alicloud_privatelink_vpc_endpoint")
    assert "service_region_id" not in same and "cross_region_bandwidth" not in same


def test_the_service_supports_every_consumer_region(stacks: dict[str, Stack]) -> None:
    service = only(stacks["privatelink-provider"], "alicloud_privatelink_vpc_endpoint_service")
    assert service["supported_region_list"] == ["eu-central-1", "eu-west-1"]


def test_the_service_lists_its_own_region_without_a_consumer_there() -> None:
    scenario = load_scenario(EXAMPLE)
    london = [consumer for consumer in scenario.consumers if consumer.name == "london"]
    tokyo = london[0].model_copy(update={"name": "tokyo", "region": "ap-northeast-1"})
    only_away = scenario.model_copy(update={"consumers": [*london, tokyo]})
    assert only_away.supported_regions == ["ap-northeast-1", "eu-central-1", "eu-west-1"]
    assert scenario.model_copy(update={"consumers": []}).supported_regions == []


def test_a_one_region_scenario_lists_no_supported_regions() -> None:
    for name in ("default", "nlb-multi-zone", "cross-account"):
        service = only(
            synth_stacks(str(ROOT / "examples" / f"{name}.toml"))["privatelink-provider"],
            "alicloud_privatelink_vpc_endpoint_service",
        )
        assert "supported_region_list" not in service, name


def test_fixed_endpoint_addresses_go_to_their_zones(stacks: dict[str, Stack]) -> None:
    london = {
        z["zone_id"]: z
        for z in resources(stacks["privatelink-consumer-london"], "alicloud_privatelink_vpc_endpoint_zone")
    }
    assert london["eu-west-1a"]["eni_ip"] == "10.40.1.100"
    assert "eni_ip" not in london["eu-west-1b"], "without endpoint_ip the cloud picks the address"
    frankfurt = only(stacks["privatelink-consumer-frankfurt"], "alicloud_privatelink_vpc_endpoint_zone")
    assert frankfurt["eni_ip"] == "10.30.1.100"


def test_the_diagram_names_each_stacks_region(stacks: dict[str, Stack]) -> None:
    diagram = build_diagram(stacks)
    titles = {cluster.name: cluster.title for cluster in diagram.clusters}
    assert ", eu-west-1, VPC 10.40.0.0/16" in titles["privatelink-consumer-london"]
    assert ", eu-central-1," in titles["privatelink-provider"]
    labels = {edge.label for edge in diagram.traffic}
    assert "PrivateLink to eu-central-1" in labels and "PrivateLink" in labels
    default_titles = [c.title for c in build_diagram(synth_stacks()).clusters]
    assert not any("eu-central-1" in title for title in default_titles), "one region: drawn as before"


def test_vpc_quota_is_counted_per_region() -> None:
    from stacks.scenario_rules import quota_warnings

    scenario = load_scenario(EXAMPLE)
    assert quota_warnings(scenario) == []


# -- the rules ------------------------------------------------------------------------------------

LONDON_ZONE = 'zones = [\n  { zone = "eu-west-1a", vswitch_cidr = "10.40.1.0/24", endpoint_ip = "10.40.1.100" },'

RULES: dict[str, tuple[str, str]] = {
    "zone-of-the-consumer-region": (
        edited(EXAMPLE_TOML, ('{ zone = "eu-west-1a"', '{ zone = "eu-central-1a"')),
        "consumers[1].zones[0].zone: 'eu-central-1a' is not a zone of consumers[1].region eu-west-1",
    ),
    "same-region-zone-still-the-clb-zone": (
        edited(EXAMPLE_TOML, ('zone = "eu-central-1b"\nendpoint_ip', 'zone = "eu-central-1a"\nendpoint_ip')),
        "consumers[0].zone: eu-central-1a differs from service.zone eu-central-1b",
    ),
    "region-shape": (
        edited(EXAMPLE_TOML, ('region = "eu-west-1"', 'region = "London"')),
        "consumers[1].region: 'London' is not a region id",
    ),
    "cross-region-bandwidth-needs-another-region": (
        edited(EXAMPLE_TOML, ('region = "eu-west-1"\n', "")),
        "consumers[1].cross_region_bandwidth: only applies to an endpoint in another region than its service",
    ),
    "cross-region-bandwidth-positive": (
        edited(EXAMPLE_TOML, ("cross_region_bandwidth = 1000", "cross_region_bandwidth = 0")),
        "consumers[1].cross_region_bandwidth: 0 Mbit/s is not a bandwidth; give at least 1",
    ),
    "bandwidth-range": (
        edited(EXAMPLE_TOML, ("bandwidth = 1024 ", "bandwidth = 99 ")),
        "consumers[1].bandwidth: 99 is out of range; use 100 to 10240",
    ),
    "bandwidth-needs-explicit-acceptance": (
        edited(EXAMPLE_TOML, ('description = "Orders', 'auto_accept = true\ndescription = "Orders')),
        "consumers[1].bandwidth: is the bandwidth of the endpoint's connection, set when it is accepted",
    ),
    "endpoint-ip-outside-vswitch": (
        edited(EXAMPLE_TOML, ('endpoint_ip = "10.40.1.100"', 'endpoint_ip = "10.40.2.100"')),
        "consumers[1].zones[0].endpoint_ip: 10.40.2.100 is not inside consumers[1].zones[0].vswitch_cidr 10.40.1.0/24",
    ),
    "endpoint-ip-reserved": (
        edited(EXAMPLE_TOML, ('endpoint_ip = "10.30.1.100"', 'endpoint_ip = "10.30.1.253"')),
        "consumers[0].endpoint_ip: 10.30.1.253 is reserved by Alibaba Cloud in consumers[0].vswitch_cidr 10.30.1.0/24",
    ),
    "endpoint-ip-first-reserved": (
        edited(EXAMPLE_TOML, ('endpoint_ip = "10.30.1.100"', 'endpoint_ip = "10.30.1.0"')),
        "consumers[0].endpoint_ip: 10.30.1.0 is reserved by Alibaba Cloud",
    ),
    "endpoint-ip-not-the-client": (
        edited(EXAMPLE_TOML, ('endpoint_ip = "10.30.1.100"', 'endpoint_ip = "10.30.1.20"')),
        "consumers[0].endpoint_ip: address 10.30.1.20 is already used by consumers[0].client_ip",
    ),
    "endpoint-ip-per-zone-with-zones": (
        edited(
            EXAMPLE_TOML,
            ("cross_region_bandwidth = 1000", 'endpoint_ip = "10.40.1.101"\ncross_region_bandwidth = 1000'),
        ),
        "consumers[1].endpoint_ip: give each of zones its endpoint_ip instead",
    ),
    "endpoint-ip-not-on-service-zones": (
        edited(
            (ROOT / "examples" / "nlb-multi-zone.toml").read_text(encoding="utf-8"),
            (
                '[[service.zones]]\nzone = "eu-central-1a"',
                '[[service.zones]]\nzone = "eu-central-1a"\nendpoint_ip = "192.168.10.5"',
            ),
        ),
        "service.zones[0].endpoint_ip: unknown setting",
    ),
    "ip-version-value": (
        edited(DEFAULT_TOML, ('client_ip = "10.10.0.182"', 'client_ip = "10.10.0.182"\nip_version = "IPv6"')),
        "consumers[0].ip_version: 'IPv6' is not allowed",
    ),
    "dual-stack-needs-an-ipv6-service": (
        edited(DEFAULT_TOML, ('client_ip = "10.10.0.182"', 'client_ip = "10.10.0.182"\nip_version = "DualStack"')),
        "consumers[0].ip_version: DualStack needs an endpoint service that serves IPv6",
    ),
    "dual-stack-vswitches-get-their-own-ipv6-block": (
        edited(
            EXAMPLE_TOML,
            ('vpc_cidr = "10.40.0.0/16"', 'vpc_cidr = "10.0.0.0/8"'),
            ("cross_region_bandwidth = 1000", 'ip_version = "DualStack"\ncross_region_bandwidth = 1000'),
        ),
        "consumers[1].zones[1].vswitch_cidr: 10.40.2.0/24 would get IPv6 block 40 of the VPC, like consumers[1].zones[0].vswitch_cidr",
    ),
}


@pytest.mark.parametrize("case", sorted(RULES))
def test_each_consumer_rule_is_reported_with_its_setting(
    case: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text, expected = RULES[case]
    lines = problems(run_main, write_config, text)
    assert any(line.startswith(expected) for line in lines), lines


def test_a_service_type_without_cross_region_access_is_refused() -> None:
    checks = Checks()
    checks.cross_region("consumers[0].region", "eu-west-1", "eu-central-1", "gwlb")
    checks.cross_region("consumers[1].region", "eu-central-1", "eu-central-1", "gwlb")
    checks.cross_region("consumers[2].region", "eu-west-1", "eu-central-1", "nlb")
    check_supported_regions(checks, "supported_regions", ["eu-central-1", "eu-west-1"], "gwlb")
    check_supported_regions(checks, "supported_regions", ["eu-west-1", "eu-west-1"], "slb")
    assert [str(p) for p in checks.problems] == [
        "consumers[0].region: eu-west-1 is not the service's region eu-central-1, but a 'gwlb' endpoint service "
        "cannot be reached from another region (PrivateLink offers cross-region access for slb, nlb, alb services); "
        "keep it in the service's region",
        "supported_regions: endpoints in other regions need supported regions, but a 'gwlb' endpoint service "
        "cannot be reached from another region (PrivateLink offers cross-region access for slb, nlb, alb services); "
        "keep it in the service's region",
        "supported_regions[1]: region eu-west-1 is already used by supported_regions[0]",
    ]
