"""Day two: a later plan never reinstalls, resizes or silently misconfigures a running server."""

from __future__ import annotations

import hashlib
import tomllib
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, Stack, only, resources, synth_scenario, synth_stacks

from alicloud_privatelink.demo_servers import demo_page_user_data
from stacks.scenario import DEFAULT_SCENARIO, parse_scenario

CONFIGS: list[str | None] = [None, *(str(path) for path in EXAMPLES)]


def all_stacks() -> list[tuple[str, Stack]]:
    return [(name, stack) for config in CONFIGS for name, stack in synth_stacks(config).items()]


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def lifecycle(body: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = body.get("lifecycle", {})
    return found


@pytest.mark.parametrize("attribute", ["image_id", "instance_type"])
def test_every_looked_up_image_and_type_is_chosen_once(attribute: str) -> None:
    instances = [(name, body) for name, stack in all_stacks() for body in resources(stack, "alicloud_instance")]
    assert instances
    for name, body in instances:
        value = body[attribute]
        if is_reference(value):
            assert attribute in lifecycle(body).get("ignore_changes", []), (name, body["instance_name"])
        else:
            assert isinstance(value, str) and value, (name, body["instance_name"])


def test_every_instance_type_look_up_is_filtered_by_the_image() -> None:
    lookups = [
        body for _, stack in all_stacks() for body in stack.get("data", {}).get("alicloud_instance_types", {}).values()
    ]
    assert lookups
    for body in lookups:
        assert body["image_id"].startswith("${data.alicloud_images.")
        assert "sorted_by" not in body, "sorted_by does not make [0] stable and Price needs a billing permission"


def test_image_rolls_plan_as_replacements() -> None:
    for name, stack in all_stacks():
        default = [p for p in stack["provider"]["alicloud"] if "alias" not in p]
        assert len(default) == 1, name
        assert default[0]["features"] == {"ecs_instance": {"replace_on_image_update": True}}, name


def test_a_boot_script_change_replaces_the_server() -> None:
    stack = synth_stacks()["privatelink-provider"]
    holders = stack["resource"]["terraform_data"]
    for body in resources(stack, "alicloud_instance"):
        (trigger,) = body["lifecycle"]["replace_triggered_by"]
        kind, _, holder = trigger.partition(".")
        assert kind == "terraform_data" and "${" not in trigger  # Terraform wants a bare reference here
        digest = hashlib.sha256(demo_page_user_data(body["instance_name"], 80).encode()).hexdigest()
        assert holders[holder]["input"] == {"user_data_sha256": digest}
        assert body["user_data"] == demo_page_user_data(body["instance_name"], 80)


def test_changing_the_backend_port_changes_every_trigger() -> None:
    def triggers(port: int) -> dict[str, Any]:
        raw = {**DEFAULT_SCENARIO, "service": {**DEFAULT_SCENARIO["service"], "backend_port": port}}
        return synth_scenario(parse_scenario(raw))["privatelink-provider"]["resource"]["terraform_data"]

    before, after = triggers(80), triggers(8080)
    assert before.keys() == after.keys()
    assert all(before[key] != after[key] for key in before)


def test_clients_have_no_boot_script_and_no_trigger() -> None:
    consumer = synth_stacks()["privatelink-consumer-vpc1"]
    (client,) = resources(consumer, "alicloud_instance")
    assert "user_data" not in client and "replace_triggered_by" not in client["lifecycle"]
    assert "terraform_data" not in consumer["resource"]


def test_a_pinned_image_and_type_are_followed_not_ignored() -> None:
    image, instance_type = "ubuntu_22_04_x64_20G_alibase_20240130.vhd", "ecs.g7.large"
    raw = {**DEFAULT_SCENARIO, "servers": {"image_id": image, "instance_type": instance_type}}
    for stack in synth_scenario(parse_scenario(raw)).values():
        assert "alicloud_images" not in stack.get("data", {})
        assert "alicloud_instance_types" not in stack.get("data", {})
        for body in resources(stack, "alicloud_instance"):
            assert (body["image_id"], body["instance_type"]) == (image, instance_type)
            assert "ignore_changes" not in lifecycle(body)


def test_a_pinned_image_filters_the_type_look_up() -> None:
    image = "m-gw8pinnedimage0001"
    stacks = synth_scenario(parse_scenario({**DEFAULT_SCENARIO, "servers": {"image_id": image}}))
    for stack in stacks.values():
        (lookup,) = stack["data"]["alicloud_instance_types"].values()
        assert lookup["image_id"] == image
        for body in resources(stack, "alicloud_instance"):
            assert lifecycle(body)["ignore_changes"] == ["instance_type"]


def test_deletion_protection_is_off_unless_asked_and_then_on_the_load_balancer() -> None:
    nlb_raw = tomllib.loads((ROOT / "examples" / "nlb-multi-zone.toml").read_text(encoding="utf-8"))
    for raw, type_name, attribute, on in (
        (dict(DEFAULT_SCENARIO), "alicloud_slb_load_balancer", "delete_protection", "on"),
        (nlb_raw, "alicloud_nlb_load_balancer", "deletion_protection_enabled", True),
    ):
        plain = synth_scenario(parse_scenario(raw))["privatelink-provider"]
        assert attribute not in only(plain, type_name)
        protected = {**raw, "service": {**raw["service"], "deletion_protection": True}}
        stack = synth_scenario(parse_scenario(protected))["privatelink-provider"]
        assert only(stack, type_name)[attribute] == on
