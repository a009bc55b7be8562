"""Every name and description the app emits follows the provider's documented character rules.

The rules are the documented ones of aliyun/terraform-provider-alicloud v1.289.0
(website/docs/r/<resource>.html.markdown), completed from the Alibaba Cloud API
reference where the provider page only says "the name of ..." (VPC CreateVpc,
PrivateLink CreateVpcEndpoint / CreateVpcEndpointService, CLB CreateLoadBalancer).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, Stack, synth_scenario, synth_stacks

from stacks.scenario import DEFAULT_SCENARIO, parse_scenario

NOT_A_URL = r"(?!https?://)"
#: (resource type, attribute) -> the value's full pattern.
RULES: dict[tuple[str, str], str] = {
    # vpc: CreateVpc VpcName, 1-128 characters, not starting with http:// or https://.
    ("alicloud_vpc", "vpc_name"): NOT_A_URL + r".{1,128}",
    # vswitch docs: 1-128 characters, not starting with http:// or https://.
    ("alicloud_vswitch", "vswitch_name"): NOT_A_URL + r".{1,128}",
    # security_group docs: 2-128, starts with a letter; letters, digits, ':', '_', '.', '-'.
    ("alicloud_security_group", "security_group_name"): r"[A-Za-z][A-Za-z0-9:_.-]{1,127}",
    # security_group docs: description 2-256, not starting with http:// or https://.
    ("alicloud_security_group", "description"): NOT_A_URL + r".{2,256}",
    # security_group_rule docs: description 1-512.
    ("alicloud_security_group_rule", "description"): r".{1,512}",
    # instance docs: instance_name 2-128 letters, digits, '-', '.', '_', not starting with '-' or a URL.
    ("alicloud_instance", "instance_name"): NOT_A_URL + r"[A-Za-z0-9._][A-Za-z0-9._-]{1,127}",
    # instance docs (Linux): host_name 2-64, no '.' or '-' at either end or twice in a row.
    ("alicloud_instance", "host_name"): r"(?=.{2,64}$)[A-Za-z0-9](?:[A-Za-z0-9]|[.-](?=[A-Za-z0-9]))*",
    # slb_load_balancer docs / CreateLoadBalancer: at most 80 letters, digits, '-', '/', '.', '_'.
    ("alicloud_slb_load_balancer", "load_balancer_name"): r"[A-Za-z0-9/._-]{1,80}",
    # slb_listener docs: description 1-256 letters, digits, '-', '/', '.', '_'.
    ("alicloud_slb_listener", "description"): r"[A-Za-z0-9/._-]{1,256}",
    # NLB CreateLoadBalancer / CreateServerGroup: 2-128 letters, digits, '.', '_', '-', starting with a letter.
    ("alicloud_nlb_load_balancer", "load_balancer_name"): r"[A-Za-z][A-Za-z0-9._-]{1,127}",
    ("alicloud_nlb_server_group", "server_group_name"): r"[A-Za-z][A-Za-z0-9._-]{1,127}",
    # NLB CreateListener: ListenerDescription 2-256 letters, digits, ',', '.', ';', '/', '@', '_', '-'.
    ("alicloud_nlb_listener", "listener_description"): r"[A-Za-z0-9,.;/@_-]{2,256}",
    # ALB CreateLoadBalancer / CreateServerGroup: 2-128 letters, digits, '.', '_', '-', starting with a letter.
    ("alicloud_alb_load_balancer", "load_balancer_name"): r"[A-Za-z][A-Za-z0-9._-]{1,127}",
    ("alicloud_alb_server_group", "server_group_name"): r"[A-Za-z][A-Za-z0-9._-]{1,127}",
    # alb_listener (provider v1.289.0): listener_description ^([^\x00-\xff]|[\w.,;/@-]){2,256}$.
    ("alicloud_alb_listener", "listener_description"): r"[A-Za-z0-9_.,;/@-]{2,256}",
    # CreateVpcEndpointService: ServiceDescription 2-256, not starting with http:// or https://.
    ("alicloud_privatelink_vpc_endpoint_service", "service_description"): NOT_A_URL + r".{2,256}",
    # CreateVpcEndpoint: EndpointName 2-128 letters, digits, '_', '-', starting with a letter.
    ("alicloud_privatelink_vpc_endpoint", "vpc_endpoint_name"): r"[A-Za-z][A-Za-z0-9_-]{1,127}",
    # CreateVpcEndpoint: EndpointDescription 2-256, not starting with http:// or https://.
    ("alicloud_privatelink_vpc_endpoint", "endpoint_description"): NOT_A_URL + r".{2,256}",
    # CreateVpcEndpoint: ServiceName, as DescribeVpcEndpointServices lists it: com.aliyuncs.privatelink.<region>.epsrv-...
    (
        "alicloud_privatelink_vpc_endpoint",
        "service_name",
    ): r"com\.aliyuncs\.privatelink\.[a-z]{2}-[a-z0-9-]+\.epsrv-[a-z0-9]+",
    # pvtz_zone: a DNS zone name.
    ("alicloud_pvtz_zone", "zone_name"): r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}",
}

#: A scenario whose every free-form name has its longest allowed value.
LONGEST = {
    **DEFAULT_SCENARIO,
    "name": "n" * 64,
    "service": {
        **DEFAULT_SCENARIO["service"],
        "clb_name": "c" * 80,
        "description": "d" * 256,
        "backends": [{"name": "b" * 64, "private_ip": "192.168.24.200"}],
    },
    "consumers": [
        {
            **DEFAULT_SCENARIO["consumers"][0],
            "name": "c" * 40,
            "endpoint_name": "e" * 128,
            "client_name": "h" * 64,
            "dns_name": "service.internal.example",
        }
    ],
}


def longest_nlb() -> dict[str, Any]:
    """The NLB example with the longest NLB name the checks allow."""
    raw = tomllib.loads((ROOT / "examples" / "nlb-multi-zone.toml").read_text(encoding="utf-8"))
    raw["service"]["nlb_name"] = "n" * 119
    return raw


def scenarios() -> Iterator[tuple[str, dict[str, Stack]]]:
    yield "default", synth_stacks()
    for path in EXAMPLES:
        yield path.stem, synth_stacks(str(path))
    yield "longest", synth_scenario(parse_scenario(LONGEST))
    yield "longest-nlb", synth_scenario(parse_scenario(longest_nlb()))


def emitted_names(stacks: dict[str, Stack]) -> Iterator[tuple[str, str, Any]]:
    for stack in stacks.values():
        for type_name, bodies in stack.get("resource", {}).items():
            for body in bodies.values():
                for key, value in body.items():
                    if key.endswith(("name", "description")):
                        yield type_name, key, value


SCENARIOS = list(scenarios())


@pytest.mark.parametrize(("scenario", "stacks"), SCENARIOS, ids=[name for name, _ in SCENARIOS])
def test_every_emitted_name_and_description_follows_the_providers_rules(
    scenario: str, stacks: dict[str, Stack]
) -> None:
    found = list(emitted_names(stacks))
    assert found
    for type_name, key, value in found:
        assert (type_name, key) in RULES, f"{type_name}.{key} has no documented rule in this test yet"
        assert isinstance(value, str) and "${" not in value, (type_name, key, value)
        assert re.fullmatch(RULES[(type_name, key)], value), f"{scenario}: {type_name}.{key} = {value!r}"


def test_the_rules_catch_what_the_provider_refuses() -> None:
    assert not re.fullmatch(RULES[("alicloud_slb_listener", "description")], "tcp/80 to backends on 80")
    assert not re.fullmatch(RULES[("alicloud_instance", "host_name")], "api_1")
    assert not re.fullmatch(RULES[("alicloud_security_group", "security_group_name")], "e" * 129)
