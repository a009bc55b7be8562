"""The three ways to give ``[service]``: build it, publish an existing load balancer, or consume one published
elsewhere; and the rules each mode's keys follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run, Stack, only, resources, synth_scenario, synth_stacks

from alicloud_privatelink import (
    EndpointService,
    EndpointServiceProps,
    ExistingPrivateLinkService,
    NlbZone,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    PrivateLinkService,
    PrivateLinkServiceProps,
    ServiceBackend,
    ValidationError,
)
from alicloud_privatelink._runtime import TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from stacks.scenario import load_scenario

EXISTING_NLB = ROOT / "examples" / "existing-nlb.toml"
CONSUMER_ONLY = ROOT / "examples" / "consumer-only.toml"
NLB_MULTI_ZONE = (ROOT / "examples" / "nlb-multi-zone.toml").read_text(encoding="utf-8")
PROVIDER = "privatelink-provider"
ENDPOINT_SERVICE_TYPES = {
    "alicloud_privatelink_vpc_endpoint_service",
    "alicloud_privatelink_vpc_endpoint_service_resource",
}
NAME = "com.aliyuncs.privatelink.eu-central-1.epsrv-gw8abcdefgh1234"


def scenario_text(service: str) -> str:
    """examples/nlb-multi-zone.toml with ``service`` as its ``[service]`` table."""
    consumers = NLB_MULTI_ZONE[NLB_MULTI_ZONE.index("[[consumers]]") :]
    return f'region = "eu-central-1"\nname = "modes"\n\n[service]\n{service}\n\n{consumers}'


EXISTING = 'load_balancer = "nlb"\nload_balancer_id = "nlb-83ckzc8d4xlp8o0001"\nzones = [{ zone = "eu-central-1a" }, { zone = "eu-central-1b" }]'
BY_NAME = f'service_name = "{NAME}"\nzones = [{{ zone = "eu-central-1a" }}, {{ zone = "eu-central-1b" }}]'


def synth_text(write_config: Callable[[str], str], text: str) -> dict[str, Stack]:
    return synth_scenario(load_scenario(write_config(text)))


def problems(run_main: Callable[..., Run], write_config: Callable[[str], str], text: str) -> list[str]:
    run = run_main("check", "--config", write_config(text))
    assert run.status == 2, run.stderr
    return run.lines


# -- existing load balancer -----------------------------------------------------------------


def test_an_existing_nlb_gets_only_the_privatelink_pieces(write_config: Callable[[str], str]) -> None:
    provider = synth_text(write_config, scenario_text(EXISTING))["privatelink-provider"]
    # what the app builds for a CLB or an NLB of its own, but the endpoint service and its attachment
    built = {
        t
        for config in (None, str(ROOT / "examples" / "nlb-multi-zone.toml"))
        for t in synth_stacks(config)[PROVIDER]["resource"]
    }
    assert {"alicloud_vpc", "alicloud_slb_load_balancer", "alicloud_nlb_load_balancer"} <= built
    assert not (built - ENDPOINT_SERVICE_TYPES) & set(provider["resource"]), sorted(provider["resource"])
    assert set(provider["resource"]) == ENDPOINT_SERVICE_TYPES
    assert only(provider, "alicloud_privatelink_vpc_endpoint_service")["service_resource_type"] == "nlb"
    attachments = resources(provider, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert sorted((a["resource_type"], a["resource_id"], a["zone_id"]) for a in attachments) == [
        ("nlb", "nlb-83ckzc8d4xlp8o0001", "eu-central-1a"),
        ("nlb", "nlb-83ckzc8d4xlp8o0001", "eu-central-1b"),
    ]
    assert provider["data"]["alicloud_privatelink_service"]["privatelink-activation"]["enable"] == "On"
    (lookup,) = provider["data"]["alicloud_nlb_load_balancers"].values()
    assert lookup["ids"] == ["nlb-83ckzc8d4xlp8o0001"]


def test_an_existing_load_balancer_whitelists_the_allowed_accounts(write_config: Callable[[str], str]) -> None:
    text = scenario_text(EXISTING + '\nallowed_accounts = ["5000000000000002"]')
    provider = synth_text(write_config, text)["privatelink-provider"]
    user = only(provider, "alicloud_privatelink_vpc_endpoint_service_user")
    assert user["user_id"] == "5000000000000002"


def test_the_existing_load_balancer_is_checked_at_plan_time_with_sentences() -> None:
    provider = synth_stacks(str(EXISTING_NLB))["privatelink-provider"]
    service = only(provider, "alicloud_privatelink_vpc_endpoint_service")
    messages = [p["error_message"] for p in service["lifecycle"]["precondition"]]
    assert messages[1].startswith("The NLB nlb-83ckzc8d4xlp8o0001 is internet-facing, not intranet")
    assert [m for m in messages if "does not span zone" in m] == [
        f"The NLB nlb-83ckzc8d4xlp8o0001 does not span zone {zone}, which the service's zones list: remove {zone} "
        f"from the zones, or give an NLB that has {zone} among its zones."
        for zone in ("eu-central-1a", "eu-central-1b")
    ]


def test_an_existing_clb_is_attached_once_in_its_primary_zone(write_config: Callable[[str], str]) -> None:
    service = (
        'load_balancer = "clb"\nload_balancer_id = "lb-gw8intranet0clb00001"\nzones = [{ zone = "eu-central-1b" }]'
    )
    text = scenario_text(service)
    text = text[: text.index("[[consumers]]")] + text[text.index('[[consumers]]\nname = "reports"') :]
    provider = synth_text(write_config, text)["privatelink-provider"]
    attachment = only(provider, "alicloud_privatelink_vpc_endpoint_service_resource")
    assert (attachment["resource_type"], attachment["resource_id"]) == ("slb", "lb-gw8intranet0clb00001")
    assert "zone_id" not in attachment
    assert "alicloud_slb_load_balancers" in provider["data"]
    outputs = provider["output"]
    assert outputs["backend_source_cidrs"]["value"] == ["100.64.0.0/10"]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            EXISTING.replace("nlb-83ckzc8d4xlp8o0001", "lb-83ckzc8d4xlp8o0001"),
            "service.load_balancer_id: 'lb-83ckzc8d4xlp8o0001' is not an NLB id: it must match nlb-[a-z0-9]{8,32} "
            "(the NLB API's LoadBalancerId, e.g. nlb-83ckzc8d4xlp8oabcd)",
        ),
        (
            EXISTING.replace('"nlb"', '"alb"'),
            "service.load_balancer_id: 'nlb-83ckzc8d4xlp8o0001' is not an ALB id: it must match alb-[a-z0-9]{8,32} "
            "(the ALB API's LoadBalancerId, e.g. alb-o9ulmq5hgn68jkabcd)",
        ),
        (
            EXISTING.replace('"nlb"', '"clb"').replace("nlb-83ckzc8d4xlp8o0001", "lb-gw8intranet0clb00001"),
            "service.zones: a CLB's endpoint service has exactly one zone, the CLB's primary zone; got 2",
        ),
        (
            EXISTING.replace('load_balancer = "nlb"\n', ""),
            'service.load_balancer: is required with service.load_balancer_id: "clb", "nlb" or "alb"',
        ),
        (
            EXISTING.split("\nzones")[0],
            'service.zones: is required with service.load_balancer_id: zones = [{ zone = "..." }, ...]',
        ),
        (
            EXISTING + '\nnlb_name = "nlb-orders"',
            "service.nlb_name: builds the load balancer, but service.load_balancer_id publishes an existing load "
            "balancer; give the settings of one mode only",
        ),
        (
            EXISTING + f'\nservice_name = "{NAME}"',
            "service.load_balancer_id: publishes an existing load balancer, but service.service_name connects to a "
            "service published elsewhere; give the settings of one mode only",
        ),
    ],
    ids=[
        "nlb-id-shape",
        "alb-id-shape",
        "clb-one-zone",
        "type-missing",
        "zones-missing",
        "mixed-build",
        "mixed-consume",
    ],
)
def test_existing_load_balancer_mistakes_are_refused(
    service: str, expected: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    assert expected in problems(run_main, write_config, scenario_text(service))


# -- consume a service published elsewhere ----------------------------------------------------


def test_a_service_by_name_synthesizes_only_consumer_stacks(write_config: Callable[[str], str]) -> None:
    stacks = synth_text(write_config, scenario_text(BY_NAME))
    assert sorted(stacks) == ["privatelink-consumer-orders-team", "privatelink-consumer-reports"]
    for stack in stacks.values():
        assert "terraform_remote_state" not in stack.get("data", {})
        endpoint = only(stack, "alicloud_privatelink_vpc_endpoint")
        assert endpoint["service_name"] == NAME and "service_id" not in endpoint
        # the consumer's own account is activated: nothing else here does it
        assert stack["data"]["alicloud_privatelink_service"]["privatelink-activation"]["enable"] == "On"


def test_a_service_by_id_is_used_as_given(write_config: Callable[[str], str]) -> None:
    text = scenario_text(BY_NAME.replace(f'service_name = "{NAME}"', 'service_id = "epsrv-gw8abcdefgh1234"'))
    for stack in synth_text(write_config, text).values():
        endpoint = only(stack, "alicloud_privatelink_vpc_endpoint")
        assert endpoint["service_id"] == "epsrv-gw8abcdefgh1234" and "service_name" not in endpoint


def test_without_the_owners_role_the_owner_is_told_how_to_accept() -> None:
    (stack,) = synth_stacks(str(CONSUMER_ONLY)).values()
    assert resources(stack, "alicloud_privatelink_vpc_endpoint_connection") == []
    assert [p for p in stack["provider"]["alicloud"] if "alias" in p] == []
    command = stack["output"]["acceptance_command"]["value"]
    assert command == (
        "aliyun privatelink EnableVpcEndpointConnection --RegionId eu-central-1 "
        "--ServiceId ${alicloud_privatelink_vpc_endpoint.endpoint_F9556B44.service_id} "
        "--EndpointId ${alicloud_privatelink_vpc_endpoint.endpoint_F9556B44.id}"
    )


def test_with_the_owners_role_each_consumer_accepts_its_own_connection(write_config: Callable[[str], str]) -> None:
    role = "acs:ram::5000000000000009:role/privatelink-acceptor"
    text = scenario_text(BY_NAME + f'\nauto_accept = false\nrole_arn = "{role}"')
    for stack in synth_text(write_config, text).values():
        (owner,) = [p for p in stack["provider"]["alicloud"] if p.get("alias") == "service_owner"]
        assert owner["assume_role"]["role_arn"] == role
        connection = only(stack, "alicloud_privatelink_vpc_endpoint_connection")
        assert connection["provider"] == "alicloud.service_owner"
        # known by name: the id is read back from the endpoint
        assert connection["service_id"].startswith("${alicloud_privatelink_vpc_endpoint.")
        assert "acceptance_command" not in stack["output"]


def test_an_auto_accepting_service_needs_no_acceptance(write_config: Callable[[str], str]) -> None:
    for stack in synth_text(write_config, scenario_text(BY_NAME + "\nauto_accept = true")).values():
        assert resources(stack, "alicloud_privatelink_vpc_endpoint_connection") == []
        assert "acceptance_command" not in stack["output"]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            BY_NAME.replace('{ zone = "eu-central-1a" }, ', ""),
            "consumers[0].zones[0].zone: eu-central-1a is not one of service.zones (eu-central-1b); "
            "an endpoint can only use those",
        ),
        (
            BY_NAME + '\nservice_id = "epsrv-gw8abcdefgh1234"',
            "service.service_name: give either service.service_id or service.service_name, not both",
        ),
        (
            BY_NAME.replace(".eu-central-1.", ".cn-hangzhou."),
            "service.service_name: is a service of region cn-hangzhou, not of region eu-central-1, the service's "
            'region: set region = "cn-hangzhou" (consumers in other regions set their own)',
        ),
        (
            BY_NAME.replace("epsrv-", "ep-"),
            # the value is quoted cut to 40 characters (checks.shown)
            "service.service_name: 'com.aliyuncs.privatelink.eu-central-1.ep'... (56 characters) is not an "
            "endpoint service name",
        ),
        (
            BY_NAME + '\nvpc_cidr = "192.168.0.0/16"',
            "service.vpc_cidr: builds the load balancer, but service.service_name connects to a service published "
            "elsewhere; give the settings of one mode only",
        ),
        (
            BY_NAME + '\nallowed_accounts = ["5000000000000002"]',
            "service.allowed_accounts: publishes an existing load balancer, but service.service_name connects to a "
            "service published elsewhere; give the settings of one mode only",
        ),
    ],
    ids=["zone-not-offered", "id-and-name", "other-region", "name-shape", "mixed-build", "mixed-existing"],
)
def test_consume_mistakes_are_refused(
    service: str, expected: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    assert any(line.startswith(expected) for line in problems(run_main, write_config, scenario_text(service)))


ZONE_TABLES = 'zones = [{ zone = "eu-central-1a" }, { zone = "eu-central-1b" }]'
ROLE = 'role_arn = "acs:ram::5000000000000001:role/privatelink-acceptor"'


@pytest.mark.parametrize(
    ("service", "consumer_line", "expected"),
    [
        (
            BY_NAME + "\nauto_accept = false",
            "bandwidth = 300",
            "consumers[0].bandwidth: is the bandwidth of the endpoint's connection, set when it is accepted; without "
            "service.role_arn the service's owner accepts it (see the acceptance_command output), so nothing here "
            "would set it: remove it, or give service.role_arn",
        ),
        (
            BY_NAME + f"\nauto_accept = true\n{ROLE}",
            "",
            "service.role_arn: is the service owner's role, used here only to accept connections, and the service "
            "accepts them by itself (auto_accept = true): remove it",
        ),
        (
            BY_NAME.replace(ZONE_TABLES, "zones = []"),
            "",
            "service.zones: give at least one zone the service offers",
        ),
        (  # refused once, as a key of another mode, not also by the build mode's rule
            EXISTING + '\nip_version = "DualStack"',
            "",
            "service.ip_version: builds the load balancer, but service.load_balancer_id publishes an existing load "
            "balancer; give the settings of one mode only",
        ),
        (  # the one entry is refused, and no count rule claims that none was given
            EXISTING.replace(ZONE_TABLES, 'zones = ["eu-central-1a"]'),
            "",
            'service.zones[0]: must be a table, got the text "eu-central-1a"',
        ),
    ],
    ids=["bandwidth-owner-accepts", "role-unused", "no-zones", "build-key-once", "zone-not-a-table"],
)
def test_a_mistake_in_another_mode_is_one_line_that_says_why(
    service: str,
    consumer_line: str,
    expected: str,
    run_main: Callable[..., Run],
    write_config: Callable[[str], str],
) -> None:
    text = scenario_text(service).replace("[[consumers]]\n", f"[[consumers]]\n{consumer_line}\n", 1)
    assert problems(run_main, write_config, text) == [expected]


def test_check_names_the_mode(run_main: Callable[..., Run], write_config: Callable[[str], str]) -> None:
    run = run_main("check", "--config", write_config(scenario_text(EXISTING)))
    assert "is valid: the existing NLB nlb-83ckzc8d4xlp8o0001 published and 2 consumer(s)" in run.stdout
    run = run_main("check", "--config", write_config(scenario_text(BY_NAME)))
    assert f"is valid: the service {NAME} published elsewhere and 2 consumer(s)" in run.stdout


# -- each rule once -----------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["default", "nlb-multi-zone"])
def test_both_built_forms_refuse_a_bogus_server_and_all_zero_weights_alike(
    example: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = (ROOT / "examples" / f"{example}.toml").read_text(encoding="utf-8")
    start = text.index("[[service.backends]]")
    backends = text[start:].split("[[consumers]]")[0]
    bogus = text.replace(backends, '[[service.backends]]\nname = "app"\ninstance_id = "bogus"\n\n', 1)
    assert problems(run_main, write_config, bogus) == [
        "service.backends[0].instance_id: 'bogus' is not an instance id such as i-gw8abcdefgh1234"
    ]
    unweighted = re.sub(r"(?m)^weight = .*\n", "", text)
    zero = unweighted.replace("[[service.backends]]\n", "[[service.backends]]\nweight = 0\n")
    assert problems(run_main, write_config, zero) == [
        "service.backends: every weight is 0, so the load balancer would send traffic nowhere; "
        "give one a weight above 0"
    ]


# -- the library ----------------------------------------------------------------------------------


def test_both_built_constructs_refuse_a_bogus_server_and_all_zero_weights_alike() -> None:
    zones = [NlbZone(zone=f"eu-central-1{z}", vswitch_id=f"vsw-gw8abcdefgh123{z}") for z in "ab"]
    forms: list[Callable[[list[ServiceBackend]], object]] = [
        lambda backends: PrivateLinkService(
            _stack(),
            "clb",
            PrivateLinkServiceProps(vswitch_id="vsw-gw8abcdefgh1234", zone="eu-central-1a", backends=backends),
        ),
        lambda backends: PrivateLinkNlbService(
            _stack(), "nlb", PrivateLinkNlbServiceProps(vpc_id="vpc-gw8abcdefgh1234", zones=zones, backends=backends)
        ),
    ]
    for build in forms:
        with pytest.raises(ValidationError) as bogus:
            build([ServiceBackend(server_id="bogus")])
        assert [str(p) for p in bogus.value.problems] == [
            "backends[0].server_id: 'bogus' is not an instance id such as i-gw8abcdefgh1234"
        ]
        with pytest.raises(ValidationError) as zero:
            build([ServiceBackend(server_id="i-gw8abcdefgh1234", weight=0, name="a")])
        assert [str(p) for p in zero.value.problems] == [
            "backends: every weight is 0, so the load balancer would send traffic nowhere; give one a weight above 0"
        ]
        with pytest.raises(ValidationError) as none:
            build([])
        assert [str(p) for p in none.value.problems] == ["backends: give at least one backend server"]
        with pytest.raises(ValidationError) as twice:
            build([ServiceBackend(server_id=f"i-gw8abcdefgh123{n}", name="web") for n in "45"])
        assert [str(p) for p in twice.value.problems] == [
            "backends[1].name: name web is already used by backends[0].name"
        ]


@pytest.mark.parametrize("example", ["default", "nlb-multi-zone"])
def test_the_scenario_file_refuses_no_backends_and_a_repeated_name_with_the_constructs_lines(
    example: str, run_main: Callable[..., Run], write_config: Callable[[str], str]
) -> None:
    text = (ROOT / "examples" / f"{example}.toml").read_text(encoding="utf-8")
    backends = text[text.index("[[service.backends]]") :].split("[[consumers]]")[0]
    assert problems(run_main, write_config, text.replace(backends, "", 1)) == [
        "service.backends: give at least one backend server"
    ]
    names = re.findall(r'(?m)^name = "(.*)"$', backends)
    repeated = text.replace(f'name = "{names[1]}"', f'name = "{names[0]}"', 1)
    assert problems(run_main, write_config, repeated) == [
        f"service.backends[1].name: name {names[0]} is already used by service.backends[0].name"
    ]


def _stack() -> TerraformStack:
    return TerraformStack(CdkTesting.app(), "test")


def test_an_endpoint_outside_a_one_zone_nlb_service_gets_the_scenario_files_line() -> None:
    stack = _stack()
    service = EndpointService(
        stack,
        "service",
        EndpointServiceProps(
            load_balancer_type="nlb", load_balancer_id="nlb-83ckzc8d4xlp8o0001", zones=["eu-central-1a"]
        ),
    )
    with pytest.raises(ValidationError) as raised:
        PrivateLinkEndpoint(
            stack,
            "endpoint",
            PrivateLinkEndpointProps(
                service=service,
                vpc_id="vpc-gw8abcdefgh1234",
                vswitch_id="vsw-gw8abcdefgh1234",
                zone="eu-central-1b",
                endpoint_name="ep-x",
                client_cidrs=["10.0.0.0/24"],
            ),
        )
    assert [str(p) for p in raised.value.problems] == [
        "zone: eu-central-1b is not one of service.zones (eu-central-1a); an endpoint can only use those"
    ]


def test_endpoint_service_publishes_an_alb_in_each_zone() -> None:
    stack = _stack()
    service = EndpointService(
        stack,
        "service",
        EndpointServiceProps(
            load_balancer_type="alb",
            load_balancer_id="alb-o9ulmq5hgn68jk0001",
            zones=["eu-central-1a", "eu-central-1b"],
            listener_protocol="http",
        ),
    )
    assert service.zones == ("eu-central-1a", "eu-central-1b") and service.load_balancer_type == "alb"
    assert service.backend_source_cidrs is None  # the ALB's own vSwitches: the README gives the rule
    synthesized = CdkTesting.synth(stack)
    assert CdkTesting.to_have_resource_with_properties(
        synthesized,
        "alicloud_privatelink_vpc_endpoint_service_resource",
        {"resource_type": "alb", "zone_id": "eu-central-1b", "resource_id": "alb-o9ulmq5hgn68jk0001"},
    )
    assert CdkTesting.to_have_data_source(synthesized, "alicloud_alb_load_balancers")


def test_endpoint_service_refuses_every_wrong_prop_at_once() -> None:
    with pytest.raises(ValidationError) as raised:
        EndpointService(
            _stack(),
            "service",
            EndpointServiceProps(
                load_balancer_type="clb",
                load_balancer_id="nlb-83ckzc8d4xlp8o0001",
                zones=["eu-central-1a", "eu-central-1b"],
                allowed_accounts=["123"],
            ),
        )
    paths = sorted(problem.path for problem in raised.value.problems)
    assert paths == ["allowed_accounts[0]", "load_balancer_id", "zones"]


def test_an_existing_service_by_name_is_reached_by_name() -> None:
    stack = _stack()
    endpoint = PrivateLinkEndpoint(
        stack,
        "endpoint",
        PrivateLinkEndpointProps(
            service=ExistingPrivateLinkService(service_name=NAME, zone="eu-central-1a", port=443),
            vpc_id="vpc-gw8abcdefgh1234",
            vswitch_id="vsw-gw8abcdefgh1234",
            zone="eu-central-1a",
            endpoint_name="ep-by-name",
            client_cidrs=["10.0.0.0/24"],
        ),
    )
    synthesized = CdkTesting.synth(stack)
    assert CdkTesting.to_have_resource_with_properties(
        synthesized, "alicloud_privatelink_vpc_endpoint", {"service_name": NAME}
    )
    assert endpoint.service_id.startswith("${") or "TOKEN" in endpoint.service_id


def test_an_existing_service_needs_its_id_or_name() -> None:
    with pytest.raises(ValidationError) as raised:
        PrivateLinkEndpoint(
            _stack(),
            "endpoint",
            PrivateLinkEndpointProps(
                service=ExistingPrivateLinkService(zone="eu-central-1a", port=443),
                vpc_id="vpc-gw8abcdefgh1234",
                vswitch_id="vsw-gw8abcdefgh1234",
                zone="eu-central-1a",
                endpoint_name="ep-nothing",
                client_cidrs=["10.0.0.0/24"],
            ),
        )
    assert [p.path for p in raised.value.problems] == ["service.service_id"]


def test_the_new_examples_are_documented(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("examples/existing-nlb.toml", "examples/consumer-only.toml"):
        assert name in readme
