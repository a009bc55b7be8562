"""Several listeners per service: built on a CLB and an NLB, reached by every consumer, checked once."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Stack, clb_problems, resources, synth_scenario

from alicloud_privatelink import (
    Listener,
    NlbZone,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    ServiceBackend,
    ValidationError,
)
from alicloud_privatelink._runtime import App, TerraformStack
from stacks.scenario import DEFAULT_SCENARIO, parse_scenario

SHORTHAND = ("listener_protocol", "frontend_port", "backend_port")
CLB_LISTENERS = [
    {"protocol": "tcp", "frontend_port": 80, "backend_port": 80},
    {"protocol": "https", "frontend_port": 443, "backend_port": 8080, "certificate_id": "1231579085529123_cert"},
    {"protocol": "udp", "frontend_port": 53, "backend_port": 5353},
]


def scenario_with(service: dict[str, Any]) -> dict[str, Any]:
    base = {k: v for k, v in DEFAULT_SCENARIO["service"].items() if k not in SHORTHAND}
    return {**DEFAULT_SCENARIO, "service": {**base, **service}}


def nlb_scenario(listeners: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "region": "eu-central-1",
        "service": {
            "load_balancer": "nlb",
            "vpc_cidr": "192.168.0.0/16",
            "zones": [
                {"zone": "eu-central-1a", "vswitch_cidr": "192.168.10.0/24"},
                {"zone": "eu-central-1b", "vswitch_cidr": "192.168.20.0/24"},
            ],
            "backends": [{"name": "a1", "private_ip": "192.168.10.10"}],
            "listeners": listeners,
        },
        "consumers": [
            {"name": "team", "vpc_cidr": "10.30.0.0/16", "vswitch_cidr": "10.30.1.0/24", "zone": "eu-central-1a"}
        ],
    }


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    return [str(problem) for problem in error.value.problems]


@pytest.fixture(scope="module")
def clb_stacks() -> dict[str, Stack]:
    return synth_scenario(parse_scenario(scenario_with({"listeners": CLB_LISTENERS})))


def test_a_clb_gets_a_listener_per_entry_the_first_keeping_its_id(clb_stacks: dict[str, Stack]) -> None:
    listeners = clb_stacks["privatelink-provider"]["resource"]["alicloud_slb_listener"]
    assert sorted(name.rsplit("_", 1)[0] for name in listeners) == [
        "service_listener",
        "service_listener-443",
        "service_listener-53",
    ]
    by_port = {body["frontend_port"]: body for body in listeners.values()}
    assert by_port[443]["protocol"] == "https"
    assert by_port[443]["server_certificate_id"] == "1231579085529123_cert"
    assert by_port[443]["backend_port"] == 8080
    assert by_port[443]["health_check_uri"] == "/"
    assert "server_certificate_id" not in by_port[80]
    assert (by_port[53]["protocol"], by_port[53]["backend_port"]) == ("udp", 5353)


def test_the_consumer_group_admits_every_listener(clb_stacks: dict[str, Stack]) -> None:
    rules = resources(clb_stacks["privatelink-consumer-vpc1"], "alicloud_security_group_rule")
    assert sorted((r["ip_protocol"], r["port_range"], r["cidr_ip"]) for r in rules) == [
        ("tcp", "443/443", "10.10.0.0/24"),
        ("tcp", "80/80", "10.10.0.0/24"),
        ("udp", "53/53", "10.10.0.0/24"),
    ]


def test_the_backends_admit_every_backend_port_and_serve_each_web_one(clb_stacks: dict[str, Stack]) -> None:
    provider = clb_stacks["privatelink-provider"]
    rules = resources(provider, "alicloud_security_group_rule")
    assert sorted((r["ip_protocol"], r["port_range"]) for r in rules) == [
        ("tcp", "80/80"),
        ("tcp", "8080/8080"),
        ("udp", "5353/5353"),
    ]
    user_data = resources(provider, "alicloud_instance")[0]["user_data"]
    assert "http.server 80 " in user_data and "http.server 8080 " in user_data
    assert "5353" not in user_data


def test_the_test_command_reaches_every_listener(clb_stacks: dict[str, Stack]) -> None:
    command = clb_stacks["privatelink-consumer-vpc1"]["output"]["test_command"]["value"]
    parts = command.split("; ")
    assert len(parts) == 3
    assert parts[0].startswith("curl -s http://") and parts[0].endswith(":80/")
    assert parts[1].startswith("curl -s --insecure https://") and parts[1].endswith(":443/")
    assert parts[2].startswith("echo ping | nc -u -w 2 ") and parts[2].endswith(" 53")


def test_an_nlb_gets_a_server_group_per_backend_port() -> None:
    stacks = synth_scenario(
        parse_scenario(
            nlb_scenario(
                [
                    {"protocol": "tcp", "frontend_port": 80, "backend_port": 8080},
                    {"protocol": "tcp", "frontend_port": 8443},
                    {"protocol": "tcp", "frontend_port": 81, "backend_port": 8080},
                ]
            )
        )
    )
    provider = stacks["privatelink-provider"]
    groups = provider["resource"]["alicloud_nlb_server_group"]
    ports = {body["health_check"]["health_check_connect_port"]: name for name, body in groups.items()}
    assert sorted(ports) == [8080, 8443]
    assert ports[8080].startswith("service_server-group_")
    assert ports[8443].startswith("service_server-group-8443_")
    listeners = resources(provider, "alicloud_nlb_listener")
    assert sorted(body["listener_port"] for body in listeners) == [80, 81, 8443]
    attachments = resources(provider, "alicloud_nlb_server_group_server_attachment")
    assert sorted(body["port"] for body in attachments) == [8080, 8443]
    nlb_rules = [r for r in resources(provider, "alicloud_security_group_rule") if r["cidr_ip"] == "100.64.0.0/10"]
    assert sorted(r["port_range"] for r in nlb_rules) == ["80/80", "81/81", "8443/8443"]
    consumer = resources(stacks["privatelink-consumer-team"], "alicloud_security_group_rule")
    assert sorted(r["port_range"] for r in consumer) == ["80/80", "81/81", "8443/8443"]


def test_an_nlbs_listeners_are_created_and_deleted_one_at_a_time() -> None:
    """Concurrent CreateListener or DeleteListener calls on one NLB get Conflict.Lock, which the provider
    does not retry (resource_alicloud_nlb_listener.go, v1.289.0): each listener waits for the one before."""
    entries = [{"protocol": "tcp", "frontend_port": port, "backend_port": 80} for port in (80, 81, 82)]
    provider = synth_scenario(parse_scenario(nlb_scenario(entries)))["privatelink-provider"]
    listeners = provider["resource"]["alicloud_nlb_listener"]
    by_port = {body["listener_port"]: name for name, body in listeners.items()}
    for before, after in ((80, 81), (81, 82)):
        waits = listeners[by_port[after]]["depends_on"]
        assert f"alicloud_nlb_listener.{by_port[before]}" in waits, (after, waits)
    assert not any(d.startswith("alicloud_nlb_listener.") for d in listeners[by_port[80]]["depends_on"])


def test_duplicate_frontend_ports_are_refused_each_with_its_path() -> None:
    listeners = [
        {"protocol": "tcp", "frontend_port": 80},
        {"protocol": "http", "frontend_port": 8080},
        {"protocol": "udp", "frontend_port": 80},
        {"protocol": "tcp", "frontend_port": 8080},
    ]
    assert problems(scenario_with({"listeners": listeners})) == [
        "service.listeners[2].frontend_port: frontend port 80 is already used by service.listeners[0].frontend_port",
        "service.listeners[3].frontend_port: frontend port 8080 is already used by service.listeners[1].frontend_port",
    ]


def test_the_shorthand_beside_a_list_is_refused_key_by_key() -> None:
    found = problems(scenario_with({"frontend_port": 81, "backend_port": 81, "listeners": CLB_LISTENERS[:1]}))
    assert found == [
        "service.frontend_port: give service.listeners or the single-listener service.frontend_port, not both",
        "service.backend_port: give service.listeners or the single-listener service.backend_port, not both",
    ]


def test_certificates_belong_to_https_only() -> None:
    found = problems(
        scenario_with(
            {
                "listeners": [
                    {"protocol": "https", "frontend_port": 443},
                    {"protocol": "tcp", "frontend_port": 80, "certificate_id": "cert-1"},
                ]
            }
        )
    )
    assert found == [
        "service.listeners[0].certificate_id: is required for an https listener: the certificate it presents",
        "service.listeners[1].certificate_id: only applies to an https listener",
    ]


def test_each_load_balancer_allows_its_own_protocols() -> None:
    found = problems(nlb_scenario([{"protocol": "https", "frontend_port": 443, "certificate_id": "c"}]))
    assert len(found) == 1 and found[0].startswith("service.listeners[0].protocol: ")
    assert found[0].endswith("'https' is not allowed; use one of tcp")
    assert problems(scenario_with({"listener_protocol": "https"}))[0].startswith("service.listener_protocol: ")
    assert problems(scenario_with({"listeners": []})) == [
        "service.listeners: needs at least one entry; or leave it out for the one listener"
    ]


def test_the_constructs_refuse_what_the_scenario_refuses() -> None:
    """The same rule, so the same line (without the scenario's ``service.`` prefix)."""
    stack = TerraformStack(App(), "test")
    listeners = [Listener(protocol="tcp", frontend_port=80), Listener(protocol="tcp", frontend_port=80)]
    assert [str(p) for p in clb_problems(listeners=listeners)] == [
        "listeners[1].frontend_port: frontend port 80 is already used by listeners[0].frontend_port"
    ]
    with pytest.raises(ValidationError) as nlb_error:
        PrivateLinkNlbService(
            stack,
            "nlb",
            PrivateLinkNlbServiceProps(
                vpc_id="vpc-1",
                zones=[
                    NlbZone(zone="eu-central-1a", vswitch_id="vsw-a"),
                    NlbZone(zone="eu-central-1b", vswitch_id="vsw-b"),
                ],
                backends=[ServiceBackend(server_id="i-1")],
                frontend_port=8080,
                listeners=[Listener(protocol="udp", frontend_port=53)],
            ),
        )
    assert [str(p) for p in nlb_error.value.problems] == [
        "frontend_port: give listeners or the single-listener frontend_port, not both",
        "listeners[0].protocol: 'udp' is not allowed; use one of tcp",
    ]


def test_a_list_that_starts_with_the_shorthands_listener_changes_nothing_of_it() -> None:
    """Going from the shorthand to a list replaces nothing: a one-entry list is the same output, and adding an
    entry only adds resources (the first listener keeps its construct id)."""
    shorthand = synth_scenario(parse_scenario(DEFAULT_SCENARIO))
    one = synth_scenario(parse_scenario(scenario_with({"listeners": CLB_LISTENERS[:1]})))
    assert one == shorthand
    more = synth_scenario(parse_scenario(scenario_with({"listeners": CLB_LISTENERS[:2]})))
    for stack, body in shorthand.items():
        for type_name, resources_of_type in body["resource"].items():
            for name, resource in resources_of_type.items():
                if type_name in ("alicloud_instance", "terraform_data", "alicloud_security_group"):
                    continue  # demo backends: replaced (their boot script serves the new port); groups: description in place
                after = dict(more[stack]["resource"][type_name][name])
                if type_name == "alicloud_privatelink_vpc_endpoint_service_resource":
                    # The attachment waits for every listener (a refused detach leaves them in place): it gains
                    # the new one in depends_on, which Terraform plans as no change.
                    new = [d for d in after["depends_on"] if d not in resource["depends_on"]]
                    assert new == ["alicloud_slb_listener.service_listener-443_188DC02C"], new
                    after["depends_on"] = resource["depends_on"]
                assert after == resource, (stack, type_name, name)
