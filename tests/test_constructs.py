"""The constructs validate their own props when used as a library, with the scenario file's messages."""

from __future__ import annotations

import json

import pytest

from alicloud_privatelink import (
    DemoServer,
    DemoServers,
    DemoServersProps,
    ExistingPrivateLinkService,
    Network,
    NetworkProps,
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


def test_network_reports_every_cidr_problem_at_once(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        Network(
            stack,
            "net",
            NetworkProps(name="n", vpc_cidr="192.168.2.0/16", vswitch_cidr="10.0.0.0/30", zone="eu-central-1b"),
        )
    assert [str(problem) for problem in caught.value.problems] == [
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
