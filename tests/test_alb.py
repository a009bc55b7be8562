"""A service built on an ALB: internal with fixed addresses, two zones, https with a certificate, http to https."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import ROOT, Stack, resources, synth_stacks

from alicloud_privatelink import ValidationError
from stacks.scenario import parse_scenario
from stacks.scenario_file import read_scenario_file

EXAMPLE = str(ROOT / "examples" / "alb-https.toml")


@pytest.fixture(scope="module")
def stacks() -> dict[str, Stack]:
    return synth_stacks(EXAMPLE)


@pytest.fixture(scope="module")
def provider(stacks: dict[str, Stack]) -> Stack:
    return stacks["privatelink-provider"]


def test_an_internal_standard_alb_with_fixed_addresses_in_two_zones(provider: Stack) -> None:
    (alb,) = resources(provider, "alicloud_alb_load_balancer")
    assert (alb["address_type"], alb["address_allocated_mode"]) == ("Intranet", "Fixed")
    assert alb["load_balancer_edition"] == "Standard"
    assert alb["load_balancer_billing_config"] == {"pay_type": "PayAsYouGo"}
    assert sorted(z["zone_id"] for z in alb["zone_mappings"]) == ["eu-central-1a", "eu-central-1b"]


def test_an_https_listener_with_its_certificate_and_an_http_one_that_redirects(provider: Stack) -> None:
    listeners = {body["listener_port"]: body for body in resources(provider, "alicloud_alb_listener")}
    assert sorted(listeners) == [80, 443]
    https, http = listeners[443], listeners[80]
    assert https["listener_protocol"] == "HTTPS"
    assert https["certificates"] == [{"certificate_id": "12345678-eu-central-1"}]
    assert "x_forwarded_for_config" not in https
    assert http["listener_protocol"] == "HTTP" and "certificates" not in http
    assert http["x_forwarded_for_config"] == {
        "x_forwarded_for_proto_enabled": True,
        "x_forwarded_for_slb_port_enabled": True,
    }
    (group_name,) = provider["resource"]["alicloud_alb_server_group"]
    for body in (https, http):
        (action,) = body["default_actions"]
        assert action["type"] == "ForwardGroup"
        tuples = action["forward_group_config"]["server_group_tuples"]
        assert tuples == [{"server_group_id": f"${{alicloud_alb_server_group.{group_name}.id}}"}]


def test_the_server_group_holds_every_backend_on_its_port(provider: Stack) -> None:
    (group,) = resources(provider, "alicloud_alb_server_group")
    assert group["protocol"] == "HTTP"
    assert group["health_check_config"]["health_check_connect_port"] == 80
    assert sorted((s["port"], s["server_type"]) for s in group["servers"]) == [(80, "Ecs"), (80, "Ecs")]


def test_the_demo_backends_redirect_what_came_over_http(provider: Stack) -> None:
    for server in resources(provider, "alicloud_instance"):
        assert "/srv/privatelink-demo-server.py 80 '{\"80\": 443}'" in server["user_data"]


def test_the_endpoint_service_attaches_the_alb_once_per_zone(provider: Stack) -> None:
    (service,) = resources(provider, "alicloud_privatelink_vpc_endpoint_service")
    assert service["service_resource_type"] == "alb"
    attachments = resources(provider, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert sorted((a["resource_type"], a["zone_id"]) for a in attachments) == [
        ("alb", "eu-central-1a"),
        ("alb", "eu-central-1b"),
    ]


def test_backends_admit_only_the_alb_vswitches(provider: Stack) -> None:
    rules = resources(provider, "alicloud_security_group_rule")
    assert sorted((r["cidr_ip"], r["port_range"]) for r in rules) == [
        ("192.168.10.0/24", "80/80"),
        ("192.168.20.0/24", "80/80"),
    ]


def test_consumers_reach_both_listeners(stacks: dict[str, Stack]) -> None:
    consumer = stacks["privatelink-consumer-shop"]
    rules = resources(consumer, "alicloud_security_group_rule")
    assert sorted({r["port_range"] for r in rules}) == ["443/443", "80/80"]
    https, http = consumer["output"]["test_command"]["value"].split("; ")
    assert https.startswith("curl -s --insecure https://") and https.endswith(":443/")
    assert http.startswith("curl -sI http://") and http.endswith(":80/")


def alb_variant(change: dict[str, Any]) -> list[str]:
    raw = copy.deepcopy(read_scenario_file(EXAMPLE))
    raw["service"].update(change)
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    return [str(problem) for problem in error.value.problems]


def test_an_alb_needs_two_zones() -> None:
    assert alb_variant({"zones": [{"zone": "eu-central-1a", "vswitch_cidr": "192.168.10.0/24"}]}) == [
        "service.zones: an ALB needs at least 2 zones, each with its vSwitch; got 1",
        "service.backends[1].private_ip: 192.168.20.10 is not inside any vSwitch of service.zones "
        "(192.168.10.0/24); place it in one",
        "consumers[0].zones[1].zone: eu-central-1b is not one of service.zones (eu-central-1a); an endpoint can "
        "only use those",
    ]


def test_redirects_name_an_https_listener_of_an_alb() -> None:
    listeners = [
        {"protocol": "https", "frontend_port": 443, "certificate_id": "c-1"},
        {"protocol": "http", "frontend_port": 80, "redirect_to": 8080},
        {"protocol": "https", "frontend_port": 8443, "certificate_id": "c-1", "redirect_to": 443},
        {"protocol": "tcp", "frontend_port": 22},
    ]
    assert alb_variant({"listeners": listeners}) == [
        "service.listeners[1].redirect_to: 8080 is not the frontend_port of an https listener (443, 8443)",
        "service.listeners[2].redirect_to: only applies to an http listener",
        "service.listeners[3].protocol: 'tcp' is not allowed; use one of http, https",
    ]


def test_only_an_alb_redirects() -> None:
    raw = copy.deepcopy(read_scenario_file(str(ROOT / "examples" / "default.toml")))
    for key in ("listener_protocol", "frontend_port", "backend_port"):
        raw["service"].pop(key, None)
    raw["service"]["listeners"] = [
        {"protocol": "https", "frontend_port": 443, "certificate_id": "c-1"},
        {"protocol": "http", "frontend_port": 80, "redirect_to": 443},
    ]
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    assert [str(p) for p in error.value.problems] == [
        "service.listeners[1].redirect_to: only applies to an ALB the app builds"
    ]
