"""The constructs validate their own props when used as a library, with the scenario file's messages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import only, resources

from alicloud_privatelink import (
    DemoServer,
    DemoServers,
    DemoServersProps,
    ExistingPrivateLinkService,
    Network,
    NetworkProps,
    NetworkVswitch,
    PrivateDnsName,
    PrivateDnsNameProps,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
    PrivateLinkService,
    PrivateLinkServiceProps,
    ServiceBackend,
    ValidationError,
)
from alicloud_privatelink._runtime import App, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting


@pytest.fixture
def stack() -> TerraformStack:
    return TerraformStack(App(), "library")


def _service_props(**changes: object) -> PrivateLinkServiceProps:
    settings: dict[str, object] = {
        "vswitch_id": "vsw-1",
        "zone": "eu-central-1b",
        "backends": [ServiceBackend(server_id="i-1")],
    }
    return PrivateLinkServiceProps(**{**settings, **changes})  # type: ignore[arg-type]


SERVICE = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80)


def _endpoint_props(**changes: object) -> PrivateLinkEndpointProps:
    settings: dict[str, object] = {
        "service": SERVICE,
        "vpc_id": "vpc-1",
        "vswitch_id": "vsw-1",
        "zone": "eu-central-1b",
        "endpoint_name": "ep-one",
        "client_cidrs": ["10.0.0.0/24"],
    }
    return PrivateLinkEndpointProps(**{**settings, **changes})  # type: ignore[arg-type]


def _network_problems(stack: TerraformStack, **props: Any) -> list[str]:
    """The problems a ``Network`` with ``props`` is refused with."""
    with pytest.raises(ValidationError) as caught:
        Network(stack, "net", NetworkProps(**props))
    return [str(problem) for problem in caught.value.problems]


def test_network_reports_every_cidr_problem_at_once(stack: TerraformStack) -> None:
    problems = _network_problems(
        stack, name="n", vpc_cidr="192.168.2.0/16", vswitch_cidr="10.0.0.0/30", zone="eu-central-1b"
    )
    assert problems == [
        "vpc_cidr: 192.168.2.0/16 has host bits set; did you mean 192.168.0.0/16?",
        "vswitch_cidr: a vSwitch prefix length must be /16 to /29, not /30",
        "vswitch_cidr: 10.0.0.0/30 is not inside vpc_cidr 192.168.0.0/16",
    ]


def test_service_rejects_bad_props(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        PrivateLinkService(
            stack,
            "svc",
            _service_props(
                frontend_port=0,
                backup_zone="eu-central-1b",
                backends=[ServiceBackend(server_id="i-1", weight=101)],
                allowed_accounts=["123"],
            ),
        )
    message = str(caught.value)
    assert "frontend_port: 0 is out of range; use 1 to 65535" in message
    assert "backup_zone: eu-central-1b is also zone; the backup zone must be a different zone" in message
    assert "backends[0].weight: 101 is out of range; use 0 to 100" in message
    assert "allowed_accounts[0]: '123' is not an Alibaba Cloud account id (16 digits)" in message


def test_service_needs_a_backend(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="backends: give at least one backend server"):
        PrivateLinkService(stack, "svc", _service_props(backends=[]))


def test_https_listener_is_refused_because_no_certificate_is_managed(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="listener_protocol: 'https' is not allowed"):
        PrivateLinkService(stack, "svc", _service_props(listener_protocol="https"))


def test_endpoint_must_share_the_service_zone(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match=r"zone: eu-central-1a differs from service\.zone eu-central-1b"):
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(zone="eu-central-1a"))


def test_endpoint_clients_are_checked_before_anything_is_built(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(client_cidrs=["0.0.0.0/0", "10.0.0.1/24"]))
    assert [problem.path for problem in caught.value.problems] == ["client_cidrs[0]", "client_cidrs[1]"]
    assert stack.node.try_find_child("ep") is None


def test_endpoint_takes_clients_or_an_existing_group_not_both(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="client_cidrs: an existing security_group_id has its own rules"):
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(security_group_id="sg-1"))


def test_endpoint_needs_clients_or_a_security_group(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="client_cidrs: give the clients' CIDR blocks"):
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(client_cidrs=[]))


def test_endpoint_name_rules(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="endpoint_name: '1ep' must be 2 to 128 characters"):
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(endpoint_name="1ep"))


def test_demo_server_address_must_be_usable(stack: TerraformStack) -> None:
    with pytest.raises(
        ValidationError, match=r"servers\[0\].private_ip: 10.0.0.255 is reserved by Alibaba Cloud in vswitch_cidr"
    ):
        DemoServers(
            stack,
            "demo",
            DemoServersProps(
                servers=[DemoServer(name="ecs1", private_ip="10.0.0.255")],
                vswitch_id="vsw-1",
                vswitch_cidr="10.0.0.0/24",
                zone="eu-central-1b",
                security_group_id="sg-1",
            ),
        )


def test_dns_name_needs_a_host_and_a_zone(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="dns_name: 'example' must be a lower-case DNS name"):
        PrivateDnsName(stack, "dns", PrivateDnsNameProps(dns_name="example", target="x", vpc_id="vpc-1"))


def test_auto_accepting_service_gets_no_connection_resource(stack: TerraformStack) -> None:
    auto = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80, auto_accept_connections=True)
    PrivateLinkEndpoint(stack, "ep", _endpoint_props(service=auto))
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    assert "alicloud_privatelink_vpc_endpoint_connection" not in synthesized["resource"]


def test_existing_security_group_is_used_as_is(stack: TerraformStack) -> None:
    PrivateLinkEndpoint(stack, "ep", _endpoint_props(client_cidrs=[], security_group_id="sg-existing"))
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    assert "alicloud_security_group" not in synthesized["resource"]
    endpoint = next(iter(synthesized["resource"]["alicloud_privatelink_vpc_endpoint"].values()))
    assert endpoint["security_group_ids"] == ["sg-existing"]


def test_udp_listener_opens_udp_only(stack: TerraformStack) -> None:
    dns = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=53, listener_protocol="udp")
    PrivateLinkEndpoint(stack, "ep", _endpoint_props(service=dns))
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    rule = next(iter(synthesized["resource"]["alicloud_security_group_rule"].values()))
    assert (rule["ip_protocol"], rule["port_range"]) == ("udp", "53/53")


def test_a_service_and_an_endpoint_compose_in_one_stack(stack: TerraformStack) -> None:
    service = PrivateLinkService(stack, "svc", _service_props())
    PrivateLinkEndpoint(stack, "ep", _endpoint_props(service=service))
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    endpoint = next(iter(synthesized["resource"]["alicloud_privatelink_vpc_endpoint"].values()))
    assert endpoint["service_id"].startswith("${alicloud_privatelink_vpc_endpoint_service.")
    assert "alicloud_privatelink_vpc_endpoint_connection" in synthesized["resource"], "accepted: no auto-accept"


# -- other regions, bandwidth, fixed addresses, dual-stack ----------------------------------------


def _synth(stack: TerraformStack) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(CdkTesting.synth(stack, run_validations=False))
    return result


LONDON: dict[str, object] = {
    "zone": "eu-west-1a",
    "vswitch_cidr": "10.0.1.0/24",
    "endpoint_ip": "10.0.1.9",
    "endpoint_name": "ep-london",
    "client_cidrs": ["10.0.1.0/24"],
    "cross_region_bandwidth": 500,
}


def test_endpoint_in_another_region_takes_its_zones_addresses_and_bandwidths(stack: TerraformStack) -> None:
    PrivateLinkEndpoint(stack, "ep", _endpoint_props(**LONDON, service_region="eu-central-1", bandwidth=2048))
    synthesized = _synth(stack)
    endpoint = only(synthesized, "alicloud_privatelink_vpc_endpoint")
    assert (endpoint["service_region_id"], endpoint["cross_region_bandwidth"]) == ("eu-central-1", 500)
    assert only(synthesized, "alicloud_privatelink_vpc_endpoint_zone")["eni_ip"] == "10.0.1.9"
    assert only(synthesized, "alicloud_privatelink_vpc_endpoint_connection")["bandwidth"] == 2048


def test_endpoint_checks_the_scenario_rules_for_regions_bandwidth_and_addresses(stack: TerraformStack) -> None:
    auto = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80, auto_accept_connections=True)
    with pytest.raises(ValidationError) as raised:
        PrivateLinkEndpoint(
            stack,
            "ep",
            _endpoint_props(
                **{**LONDON, "endpoint_ip": "10.0.2.9"}, service=auto, bandwidth=50, ip_version="DualStack"
            ),
        )
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("bandwidth: 50 is out of range; use 100 to 10240")
    assert lines[1] == (
        "bandwidth: is the bandwidth of the endpoint's connection, set when it is accepted; the service accepts "
        "connections by itself (auto_accept_connections), so nothing would set it: remove it or accept explicitly"
    )
    assert lines[2] == "cross_region_bandwidth: only applies to an endpoint in another region than its service"
    assert lines[3].startswith("ip_version: DualStack needs an endpoint service that serves IPv6")
    assert "endpoint_ip: 10.0.2.9 is not inside vswitch_cidr 10.0.1.0/24" in lines
    assert any(line.startswith("zone: eu-west-1a differs from service.zone eu-central-1b") for line in lines)


def test_endpoint_refuses_a_service_given_by_both_id_and_name(stack: TerraformStack) -> None:
    both = ExistingPrivateLinkService(
        service_id="epsrv-gw8abcdefgh1234",
        service_name="com.aliyuncs.privatelink.eu-central-1.epsrv-gw8abcdefgh1234",
        zone="eu-central-1b",
        port=80,
    )
    with pytest.raises(ValidationError) as raised:
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(service=both))
    assert [str(problem) for problem in raised.value.problems] == [
        "service.service_name: give either service.service_id or service.service_name, not both"
    ]


def test_network_refuses_a_zone_that_is_not_a_zone_id(stack: TerraformStack) -> None:
    more = [NetworkVswitch(zone="cn-hangzhou", cidr="10.0.2.0/24")]
    problems = _network_problems(
        stack, name="n", vpc_cidr="10.0.0.0/16", vswitch_cidr="10.0.1.0/24", zone="Frankfurt A", more_vswitches=more
    )
    assert problems == [
        "zone: 'Frankfurt A' is not a zone id such as eu-central-1a or cn-hangzhou-b",
        "more_vswitches[0].zone: 'cn-hangzhou' is not a zone id such as eu-central-1a or cn-hangzhou-b",
    ]


def test_endpoint_refuses_a_bandwidth_when_it_declines_to_accept(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as raised:
        PrivateLinkEndpoint(stack, "ep", _endpoint_props(accept_connection=False, bandwidth=300))
    assert [str(problem) for problem in raised.value.problems] == [
        "bandwidth: is the bandwidth of the endpoint's connection, set when it is accepted; accept_connection is "
        "False, so nothing here would set it: remove it"
    ]


def test_dual_stack_endpoint_with_an_ipv6_service(stack: TerraformStack) -> None:
    network = Network(
        stack,
        "network",
        NetworkProps(
            name="c",
            vpc_cidr="10.40.0.0/16",
            vswitch_cidr="10.40.1.0/24",
            zone="eu-west-1a",
            more_vswitches=[NetworkVswitch(zone="eu-west-1b", cidr="10.40.2.0/24")],
            ipv6=True,
        ),
    )
    ipv6_service = ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80, supports_ipv6=True)
    PrivateLinkEndpoint(
        stack,
        "ep",
        _endpoint_props(
            service=ipv6_service,
            vpc_id=network.vpc_id,
            vswitch_id=network.vswitch_id,
            client_cidrs=["10.40.1.0/24"],
            ip_version="DualStack",
        ),
    )
    synthesized = _synth(stack)
    assert only(synthesized, "alicloud_vpc")["enable_ipv6"] is True
    blocks = sorted(v["ipv6_cidr_block_mask"] for v in resources(synthesized, "alicloud_vswitch"))
    assert blocks == [1, 2], "each vSwitch's /64 follows from its IPv4 block"
    assert only(synthesized, "alicloud_privatelink_vpc_endpoint")["address_ip_version"] == "DualStack"


def test_an_ipv4_network_has_no_ipv6_settings(stack: TerraformStack) -> None:
    Network(
        stack,
        "network",
        NetworkProps(name="c", vpc_cidr="10.40.0.0/16", vswitch_cidr="10.40.1.0/24", zone="eu-west-1a"),
    )
    synthesized = _synth(stack)
    assert "enable_ipv6" not in only(synthesized, "alicloud_vpc")
    assert "ipv6_cidr_block_mask" not in only(synthesized, "alicloud_vswitch")


def test_service_takes_supported_regions(stack: TerraformStack) -> None:
    PrivateLinkService(stack, "service", _service_props(supported_regions=["eu-central-1", "ap-southeast-1"]))
    service = only(_synth(stack), "alicloud_privatelink_vpc_endpoint_service")
    assert service["supported_region_list"] == ["eu-central-1", "ap-southeast-1"]
    with pytest.raises(ValidationError, match=r"supported_regions\[0\]: 'Frankfurt' is not a region id"):
        PrivateLinkService(stack, "service-2", _service_props(supported_regions=["Frankfurt"]))
