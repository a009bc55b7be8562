"""The NLB-backed service and multi-zone endpoints: what the provider needs, checked before synthesis."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run, Stack, edited, only, resources, synth_stacks

from alicloud_privatelink import (
    EndpointPlacement,
    ExistingPrivateLinkService,
    NlbZone,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    ServiceBackend,
    ValidationError,
)
from alicloud_privatelink._runtime import App, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from app.diagram import build_diagram, to_dot, to_mermaid

EXAMPLE = ROOT / "examples" / "nlb-multi-zone.toml"
NLB_TOML = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlb_stacks() -> dict[str, Stack]:
    return synth_stacks(str(EXAMPLE))


@pytest.fixture(scope="module")
def provider(nlb_stacks: dict[str, Stack]) -> Stack:
    return nlb_stacks["privatelink-provider"]


# --- the provider stack ------------------------------------------------------------------------


def test_an_intranet_network_nlb_in_two_zones(provider: Stack) -> None:
    nlb = only(provider, "alicloud_nlb_load_balancer")
    assert nlb["address_type"] == "Intranet"
    assert (nlb["load_balancer_type"], nlb["payment_type"]) == ("Network", "PayAsYouGo")
    zones = [mapping["zone_id"] for mapping in nlb["zone_mappings"]]
    assert zones == ["eu-central-1a", "eu-central-1b"]
    assert len({mapping["vswitch_id"] for mapping in nlb["zone_mappings"]}) == 2
    assert not resources(provider, "alicloud_slb_load_balancer")


def test_a_removed_zone_vswitch_outlives_the_nlb_zone_update(provider: Stack, nlb_stacks: dict[str, Stack]) -> None:
    # create_before_destroy orders a removed vSwitch's destroy after the NLB's zone_mappings update;
    # otherwise DeleteVSwitch meets the NLB's zone interface (DependencyViolation). Only the NLB's side needs it.
    vswitches = resources(provider, "alicloud_vswitch")
    assert len(vswitches) == 2
    assert all(v["lifecycle"] == {"create_before_destroy": True} for v in vswitches)
    consumer = nlb_stacks["privatelink-consumer-orders-team"]
    assert all("lifecycle" not in v for v in resources(consumer, "alicloud_vswitch"))
    default_provider = synth_stacks()["privatelink-provider"]
    assert all("lifecycle" not in v for v in resources(default_provider, "alicloud_vswitch"))


def test_a_tcp_server_group_with_one_attachment_per_backend(provider: Stack) -> None:
    group = only(provider, "alicloud_nlb_server_group")
    assert (group["server_group_type"], group["protocol"]) == ("Instance", "TCP")
    assert group["preserve_client_ip_enabled"] is False  # backends then see the NLB's vSwitch addresses
    attachments = resources(provider, "alicloud_nlb_server_group_server_attachment")
    instances = provider["resource"]["alicloud_instance"]
    assert len(attachments) == len(instances) == 4
    assert {a["server_id"] for a in attachments} == {f"${{alicloud_instance.{name}.id}}" for name in instances}
    assert {(a["server_type"], a["port"], a["weight"]) for a in attachments} == {("Ecs", 80, 100)}
    listener = only(provider, "alicloud_nlb_listener")
    assert (listener["listener_protocol"], listener["listener_port"]) == ("TCP", 80)
    assert listener["server_group_id"].startswith("${alicloud_nlb_server_group.")


def test_the_endpoint_service_attaches_the_nlb_once_per_zone(provider: Stack) -> None:
    service = only(provider, "alicloud_privatelink_vpc_endpoint_service")
    assert service["service_resource_type"] == "nlb"
    assert service["zone_affinity_enabled"] is True
    attachments = resources(provider, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert sorted(a["zone_id"] for a in attachments) == ["eu-central-1a", "eu-central-1b"]
    assert {a["resource_type"] for a in attachments} == {"nlb"}
    assert len({a["resource_id"] for a in attachments}) == 1


def test_backends_admit_only_the_nlb_vswitches(provider: Stack) -> None:
    rules = resources(provider, "alicloud_security_group_rule")
    backend_rules = sorted(r["cidr_ip"] for r in rules if "backend-security-group" in r["security_group_id"])
    assert backend_rules == ["192.168.10.0/24", "192.168.20.0/24"]
    assert all(ipaddress.ip_network(r["cidr_ip"]).prefixlen >= 8 for r in rules)
    nlb_group = only(provider, "alicloud_nlb_load_balancer_security_group_attachment")
    nlb_rules = [r for r in rules if r["security_group_id"] == nlb_group["security_group_id"]]
    assert [(r["ip_protocol"], r["port_range"]) for r in nlb_rules] == [("tcp", "80/80")]


def test_the_nlb_group_has_no_guessed_deny_rule(provider: Stack) -> None:
    """PrivateLink's source range at an NLB is undocumented: a deny rule could cut every consumer off.

    The group's one accept rule restricts nothing (NLB docs); README "Security defaults" says so.
    """
    nlb_group = only(provider, "alicloud_nlb_load_balancer_security_group_attachment")["security_group_id"]
    nlb_rules = [r for r in resources(provider, "alicloud_security_group_rule") if r["security_group_id"] == nlb_group]
    assert [(r["type"], r["policy"], r["cidr_ip"]) for r in nlb_rules] == [("ingress", "accept", "100.64.0.0/10")]


def test_demo_backends_are_placed_and_typed_per_zone(provider: Stack) -> None:
    instances = provider["resource"]["alicloud_instance"].values()
    lookups = provider["data"]["alicloud_instance_types"]
    assert sorted(body["availability_zone"] for body in lookups.values()) == ["eu-central-1a", "eu-central-1b"]
    for instance in instances:
        lookup = instance["instance_type"].split(".")[2]
        vswitch = instance["vswitch_id"].split(".")[1]
        zone = provider["resource"]["alicloud_vswitch"][vswitch]["zone_id"]
        assert lookups[lookup]["availability_zone"] == zone
        assert ipaddress.ip_address(instance["private_ip"]) in ipaddress.ip_network(
            provider["resource"]["alicloud_vswitch"][vswitch]["cidr_block"]
        )


def test_the_provider_outputs_its_zones(provider: Stack) -> None:
    assert provider["output"]["zones"]["value"] == ["eu-central-1a", "eu-central-1b"]


# --- the consumer stacks -----------------------------------------------------------------------


def test_a_two_zone_consumer_has_an_interface_in_each_zone(nlb_stacks: dict[str, Stack]) -> None:
    consumer = nlb_stacks["privatelink-consumer-orders-team"]
    zones = resources(consumer, "alicloud_privatelink_vpc_endpoint_zone")
    assert sorted(z["zone_id"] for z in zones) == ["eu-central-1a", "eu-central-1b"]
    assert len({z["vswitch_id"] for z in zones}) == 2
    connection = only(consumer, "alicloud_privatelink_vpc_endpoint_connection")
    assert len(connection["depends_on"]) == 2
    assert consumer["output"]["endpoint_zones"]["value"] == ["eu-central-1a", "eu-central-1b"]
    assert consumer["output"]["endpoint_zone_domains"]["value"].endswith(".zones : z.zone_id => z.zone_domain }}")
    client = only(consumer, "alicloud_instance")
    first = next(z for z in zones if z["zone_id"] == "eu-central-1a")
    assert client["vswitch_id"] == first["vswitch_id"]  # the demo client lives in the first zone
    assert consumer["output"]["test_command"]["value"].startswith("curl -s http://${")


def test_a_one_zone_consumer_of_an_nlb(nlb_stacks: dict[str, Stack]) -> None:
    consumer = nlb_stacks["privatelink-consumer-reports"]
    zone = only(consumer, "alicloud_privatelink_vpc_endpoint_zone")
    assert zone["zone_id"] == "eu-central-1b"
    assert "endpoint_zone_domains" not in consumer["output"]
    assert "alicloud_privatelink_vpc_endpoint_zones" not in consumer.get("data", {})


def test_the_diagram_draws_the_zones(nlb_stacks: dict[str, Stack]) -> None:
    diagram = build_diagram(nlb_stacks)
    assert diagram.zones_of("privatelink-provider") == ["eu-central-1a", "eu-central-1b"]
    assert diagram.zones_of("privatelink-consumer-orders-team") == ["eu-central-1a", "eu-central-1b"]
    assert diagram.zones_of("privatelink-consumer-reports") == ["eu-central-1b"]
    backends = [n for n in diagram.of_kind("ecs") if n.cluster == "privatelink-provider"]
    assert sorted((n.zone, n.lines[0]) for n in backends) == [
        ("eu-central-1a", "ECS orders-a1"),
        ("eu-central-1a", "ECS orders-a2"),
        ("eu-central-1b", "ECS orders-b1"),
        ("eu-central-1b", "ECS orders-b2"),
    ]
    assert {diagram.node(e.target).kind for e in diagram.traffic if e.label == "NLB"} == {"nlb_listener"}
    assert 'label="zone eu-central-1a"' in to_dot(diagram)
    assert '["zone eu-central-1b"]' in to_mermaid(diagram)


# --- bad scenarios -----------------------------------------------------------------------------


def nlb_variant(*replacements: tuple[str, str], append: str = "") -> str:
    """The NLB example, :func:`edited`."""
    return edited(NLB_TOML, *replacements, append=append)


SECOND_ZONE = '[[service.zones]]\nzone = "eu-central-1b"\nvswitch_cidr = "192.168.20.0/24"\n'
BAD: dict[str, tuple[str, str]] = {
    "one-zone": (
        nlb_variant(
            (SECOND_ZONE, ""),
            ('private_ip = "192.168.20.10"', 'private_ip = "192.168.10.20"'),
            ('private_ip = "192.168.20.11"\nzone = "eu-central-1b"', 'private_ip = "192.168.10.21"'),
            (
                'vswitch_cidr = "10.40.2.0/24"\nzone = "eu-central-1b"',
                'vswitch_cidr = "10.40.2.0/24"\nzone = "eu-central-1a"',
            ),
        ),
        "service.zones: an NLB needs at least 2 zones, each with its vSwitch; got 1",
    ),
    "nlb-name-too-long-for-its-server-group": (
        nlb_variant(('nlb_name = "nlb-orders"', f'nlb_name = "{"n" * 120}"')),
        "service.nlb_name: '" + "n" * 120 + "' must be 2 to 119 characters",
    ),
    "duplicate-zone": (
        nlb_variant((SECOND_ZONE, SECOND_ZONE.replace("eu-central-1b", "eu-central-1a"))),
        "service.zones[1].zone: zone eu-central-1a is already used by service.zones[0].zone",
    ),
    "backend-outside": (
        nlb_variant(('private_ip = "192.168.10.11"', 'private_ip = "192.168.30.11"')),
        "service.backends[1].private_ip: 192.168.30.11 is not inside any vSwitch of service.zones",
    ),
    "backend-reserved": (
        nlb_variant(('private_ip = "192.168.10.11"', 'private_ip = "192.168.10.255"')),
        "service.backends[1].private_ip: 192.168.10.255 is reserved by Alibaba Cloud in service.zones[0].vswitch_cidr",
    ),
    "backend-zone-mismatch": (
        nlb_variant(
            (
                'private_ip = "192.168.20.11"\nzone = "eu-central-1b"',
                'private_ip = "192.168.20.11"\nzone = "eu-central-1a"',
            )
        ),
        "service.backends[3].private_ip: 192.168.20.11 is not inside service.zones[0].vswitch_cidr 192.168.10.0/24",
    ),
    "consumer-zone-not-a-service-zone": (
        nlb_variant(
            (
                'vswitch_cidr = "10.40.2.0/24"\nzone = "eu-central-1b"',
                'vswitch_cidr = "10.40.2.0/24"\nzone = "eu-central-1c"',
            )
        ),
        "consumers[1].zone: eu-central-1c is not one of service.zones (eu-central-1a, eu-central-1b)",
    ),
    "consumer-zones-not-service-zones": (
        nlb_variant(
            (
                'zone = "eu-central-1b"\nvswitch_cidr = "10.30.2.0/24"',
                'zone = "eu-central-1c"\nvswitch_cidr = "10.30.2.0/24"',
            )
        ),
        "consumers[0].zones[1].zone: eu-central-1c is not one of service.zones",
    ),
    "consumer-duplicate-zones": (
        nlb_variant(
            (
                'zone = "eu-central-1b"\nvswitch_cidr = "10.30.2.0/24"',
                'zone = "eu-central-1a"\nvswitch_cidr = "10.30.2.0/24"',
            )
        ),
        "consumers[0].zones[1].zone: zone eu-central-1a is already used by consumers[0].zones[0].zone",
    ),
    "overlapping-vswitches": (
        nlb_variant(('vswitch_cidr = "192.168.20.0/24"', 'vswitch_cidr = "192.168.10.0/23"')),
        "service.zones[1].vswitch_cidr: 192.168.10.0/23 overlaps service.zones[0].vswitch_cidr 192.168.10.0/24",
    ),
    "vswitch-outside-vpc": (
        nlb_variant(('vswitch_cidr = "10.30.2.0/24"', 'vswitch_cidr = "10.31.2.0/24"')),
        "consumers[0].zones[1].vswitch_cidr: 10.31.2.0/24 is not inside consumers[0].vpc_cidr 10.30.0.0/16",
    ),
    "backup-zone-with-nlb": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "nlb"\nbackup_zone = "eu-central-1a"')),
        'service.backup_zone: only applies with load_balancer = "clb"',
    ),
    "clb-name-with-nlb": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "nlb"\nclb_name = "x"')),
        'service.clb_name: only applies with load_balancer = "clb"',
    ),
    "zone-with-nlb": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "nlb"\nzone = "eu-central-1a"')),
        'service.zone: only applies with load_balancer = "clb"; an NLB uses service.zones',
    ),
    "udp-with-nlb": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "nlb"\nlistener_protocol = "udp"')),
        "service.listener_protocol: 'udp' is not allowed; use one of tcp",
    ),
    "zones-with-clb": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "clb"')),
        'service.zones: only applies with load_balancer = "nlb" or "alb"',
    ),
    "unknown-load-balancer": (
        nlb_variant(('load_balancer = "nlb"', 'load_balancer = "nbl"')),
        "service.load_balancer: 'nbl' is not allowed (did you mean 'nlb'?); use one of clb, nlb",
    ),
    "no-zones": (
        nlb_variant((NLB_TOML[NLB_TOML.index("[[service.zones]]") : NLB_TOML.index("# Each backend")], "")),
        'service.zones: is required with load_balancer = "nlb"',
    ),
    "demo-backend-in-existing-vswitches": (
        nlb_variant(
            ('vpc_cidr = "192.168.0.0/16"', 'vpc_id = "vpc-1"'),
            ('vswitch_cidr = "192.168.10.0/24"', 'vswitch_id = "vsw-a"'),
            ('vswitch_cidr = "192.168.20.0/24"', 'vswitch_id = "vsw-b"'),
        ),
        "service.backends[0].private_ip: a demo server needs the service's vSwitches created from vswitch_cidr",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_nlb_scenarios_are_refused(
    case: str, run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    text, expected = BAD[case]
    run = run_main("--config", write_config(text), "--out", str(tmp_path / "out"))
    assert run.status == 2, run.stderr
    assert any(line.startswith(expected) for line in run.lines), run.stderr
    assert all(": " in line and "Traceback" not in line for line in run.lines)
    assert not (tmp_path / "out").exists()


def test_noise_is_not_reported_when_the_zones_are_unreadable(
    run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = BAD["no-zones"][0].replace('load_balancer = "nlb"', 'load_balancer = "nlb"\nzones = "x"')
    run = run_main("--config", write_config(text))
    assert run.lines == [
        'service.zones: must be a list of tables, each entry under [[service.zones]], got the text "x"'
    ]


def test_an_nlb_on_existing_networks_and_servers(
    run_main: Callable[..., Run], write_config: Callable[[str], str], tmp_path: Path
) -> None:
    text = """region = "eu-central-1"
[service]
load_balancer = "nlb"
vpc_id = "vpc-1"
zones = [{zone = "eu-central-1a", vswitch_id = "vsw-a"}, {zone = "eu-central-1b", vswitch_id = "vsw-b"}]
backends = [{name = "crm-1", instance_id = "i-1"}]
[[consumers]]
name = "office"
vpc_id = "vpc-2"
zones = [{zone = "eu-central-1a", vswitch_id = "vsw-c"}, {zone = "eu-central-1b", vswitch_id = "vsw-d"}]
"""
    run = run_main("--config", write_config(text), "--out", str(tmp_path / "out"))
    assert run.lines == ["consumers[0].client_cidrs: give the clients' CIDR blocks (or an existing security_group_id)"]
    text += 'client_cidrs = ["172.16.8.0/24"]\n'
    assert run_main("--config", write_config(text), "--out", str(tmp_path / "out")).status == 0
    provider = json.loads((tmp_path / "out/stacks/privatelink-provider/cdk.tf.json").read_text())
    assert "alicloud_vswitch" not in provider["resource"]
    assert [m["vswitch_id"] for m in only(provider, "alicloud_nlb_load_balancer")["zone_mappings"]] == [
        "vsw-a",
        "vsw-b",
    ]


def test_the_example_synthesizes_and_conforms(run_main: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_main("--config", str(EXAMPLE), "--out", str(out)).status == 0
    run = run_main("validate", "--schema", str(ROOT / "tools/schema/alicloud-provider-schema.json"), "--dir", str(out))
    assert run.status == 0, run.stderr
    assert run.stdout.endswith(": 0 problems\n")


# --- the constructs as a library ---------------------------------------------------------------


@pytest.fixture
def stack() -> TerraformStack:
    return TerraformStack(App(), "library")


def _nlb_props(**changes: Any) -> PrivateLinkNlbServiceProps:
    settings: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "zones": [NlbZone(zone="eu-central-1a", vswitch_id="vsw-a"), NlbZone(zone="eu-central-1b", vswitch_id="vsw-b")],
        "backends": [ServiceBackend(server_id="i-1", name="one"), ServiceBackend(server_id="i-2", name="two")],
    }
    return PrivateLinkNlbServiceProps(**{**settings, **changes})


def test_nlb_service_refuses_one_zone_and_udp_at_once(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        PrivateLinkNlbService(
            stack, "nlb", _nlb_props(zones=[NlbZone(zone="eu-central-1a", vswitch_id="vsw-a")], listener_protocol="udp")
        )
    assert [p.path for p in caught.value.problems] == ["zones", "listener_protocol"]


def test_nlb_backends_are_named_by_their_name(stack: TerraformStack) -> None:
    PrivateLinkNlbService(stack, "nlb", _nlb_props())
    synthesized = json.loads(CdkTesting.synth(stack))
    names = sorted(synthesized["resource"]["alicloud_nlb_server_group_server_attachment"])
    assert [name.split("_")[1] for name in names] == ["server-one", "server-two"]


def test_endpoint_placements_must_be_service_zones(stack: TerraformStack) -> None:
    service = ExistingPrivateLinkService(
        service_id="epsrv-1", zone="eu-central-1a", zones=["eu-central-1a", "eu-central-1b"], port=80
    )
    with pytest.raises(ValidationError) as caught:
        PrivateLinkEndpoint(
            stack,
            "endpoint",
            PrivateLinkEndpointProps(
                service=service,
                vpc_id="vpc-2",
                placements=[
                    EndpointPlacement(zone="eu-central-1a", vswitch_id="vsw-1"),
                    EndpointPlacement(zone="eu-central-1a", vswitch_id="vsw-2"),
                    EndpointPlacement(zone="eu-central-1c", vswitch_id="vsw-3"),
                ],
                endpoint_name="ep-x",
                client_cidrs=["10.0.0.0/24"],
            ),
        )
    assert [str(p) for p in caught.value.problems] == [
        "placements[1].zone: zone eu-central-1a is already used by placements[0].zone",
        "placements[2].zone: eu-central-1c is not one of service.zones (eu-central-1a, eu-central-1b); an endpoint can only "
        "use those",
    ]


def test_an_existing_service_defaults_to_its_one_zone() -> None:
    assert ExistingPrivateLinkService(service_id="epsrv-1", zone="eu-central-1b", port=80).zones == ("eu-central-1b",)


def _nlb_raw() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((ROOT / "examples" / "nlb-multi-zone.toml").read_text(encoding="utf-8"))


def _backend_zone_is_a_list(raw: dict[str, Any]) -> None:
    raw["service"]["backends"][3]["zone"] = []


def _a_zone_entry_is_not_a_table(raw: dict[str, Any]) -> None:
    # The backend names the second zone, which is no longer the second *table* of service.zones.
    raw["service"]["zones"].insert(0, "eu-central-1a")
    raw["service"]["zones"][2]["vswitch_id"] = "vsw-abc"
    del raw["service"]["zones"][2]["vswitch_cidr"]
    raw["service"]["backends"][3]["zone"] = "eu-central-1b"


@pytest.mark.parametrize("mutate", [_backend_zone_is_a_list, _a_zone_entry_is_not_a_table])
def test_mistyped_nlb_zones_are_problems_not_crashes(mutate: Callable[[dict[str, Any]], None]) -> None:
    """Found by `make fuzz`: each once raised TypeError or IndexError inside the checks."""
    from alicloud_privatelink.checks import ValidationError
    from stacks.scenario import parse_scenario

    raw = _nlb_raw()
    mutate(raw)
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    assert all(": " in str(problem) for problem in error.value.problems)


def test_switching_a_consumer_between_zone_and_zones_keeps_its_first_zone(nlb_stacks: dict[str, Stack]) -> None:
    # moved blocks from the other form's addresses, as cdktf names them (checked against the stack that
    # has that form): the vSwitch and the endpoint interface are kept, not replaced.
    single, listed = nlb_stacks["privatelink-consumer-reports"], nlb_stacks["privatelink-consumer-orders-team"]

    def addresses(stack: Stack, type_name: str) -> set[str]:
        return {f"{type_name}.{name}" for name in stack["resource"][type_name]}

    for stack in (single, listed):
        moved = stack["moved"]
        assert [m["from"].split(".")[0] for m in moved] == [
            "alicloud_vswitch",
            "alicloud_privatelink_vpc_endpoint_zone",
        ]
        for move in moved:
            type_name = move["from"].split(".")[0]
            assert move["to"] in addresses(stack, type_name)
            assert move["from"] not in addresses(stack, type_name)
    vswitch_from = {m["from"] for m in single["moved"]} | {m["from"] for m in listed["moved"]}
    # Each form's "from" is an address the other form really has: the naming matches cdktf's.
    assert "alicloud_vswitch.network_vswitch_0FB60462" in addresses(single, "alicloud_vswitch") & vswitch_from
    assert addresses(listed, "alicloud_vswitch") & vswitch_from
