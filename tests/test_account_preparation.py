"""Each account a stack deploys to has PrivateLink activated; a provider alias exists only where it is used."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, Stack, synth_scenario, synth_stacks

from stacks.scenario import parse_scenario

CROSS_ACCOUNT = str(next(path for path in EXAMPLES if path.stem == "cross-account"))


def activations(stack: Stack) -> list[dict[str, Any]]:
    return list(stack.get("data", {}).get("alicloud_privatelink_service", {}).values())


def test_the_provider_stack_activates_the_services_account_and_a_same_account_consumer_needs_nothing() -> None:
    stacks = synth_stacks()
    assert activations(stacks["privatelink-provider"]) == [{"enable": "On"}]
    assert activations(stacks["privatelink-consumer-vpc1"]) == []


def test_a_cross_account_consumer_activates_its_own_account() -> None:
    consumer = synth_stacks(CROSS_ACCOUNT)["privatelink-consumer-partner-b"]
    # No provider meta-argument: the default provider, which assumes the consumer's role.
    assert activations(consumer) == [{"enable": "On"}]


def test_activation_can_be_turned_off() -> None:
    raw = tomllib.loads(Path(CROSS_ACCOUNT).read_text(encoding="utf-8"))
    for stack in synth_scenario(parse_scenario({**raw, "activate_privatelink": False})).values():
        assert activations(stack) == []


def test_every_provider_alias_is_used_by_some_resource() -> None:
    for config in [None, *(str(path) for path in EXAMPLES)]:
        for name, stack in synth_stacks(config).items():
            text = json.dumps({key: stack.get(key, {}) for key in ("resource", "data")})
            for provider in stack["provider"]["alicloud"]:
                if "alias" in provider:
                    assert f'"provider": "alicloud.{provider["alias"]}"' in text, (config, name)


def test_no_service_owner_alias_when_the_service_accepts_by_itself() -> None:
    raw = tomllib.loads(Path(CROSS_ACCOUNT).read_text(encoding="utf-8"))
    raw["service"]["auto_accept"] = True
    consumer = synth_scenario(parse_scenario(raw))["privatelink-consumer-partner-b"]
    assert [provider.get("alias") for provider in consumer["provider"]["alicloud"]] == [None]
    assert "alicloud_privatelink_vpc_endpoint_connection" not in consumer["resource"]
