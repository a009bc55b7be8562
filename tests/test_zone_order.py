"""Reordering a side's ``zones`` is harmless: nothing is renamed, moved or replaced (issue 8: day two).

A vSwitch's zone and CIDR block are ForceNew, and Alibaba Cloud refuses to
delete a vSwitch that still holds the NLB or servers, so a construct id that
followed a zone's position would turn a reorder into a failed apply.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from conftest import ROOT, Stack, synth_scenario, synth_stacks

from stacks.scenario import check_scenario, parse_scenario

EXAMPLE = ROOT / "examples" / "nlb-multi-zone.toml"

#: Lists whose order Terraform ignores: set-typed attributes of the provider schema, and ``depends_on``.
UNORDERED = {"depends_on", "zone_mappings", "security_group_ids"}


def reversed_zones(raw: dict[str, Any]) -> dict[str, Any]:
    """The scenario with every ``zones`` list (the service's and each consumer's) reversed."""
    copy = json.loads(json.dumps(raw))
    for side in [copy["service"], *copy.get("consumers", [])]:
        if "zones" in side:
            side["zones"].reverse()
    return copy


def reversed_zones_toml(text: str) -> str:
    """The scenario file's text with each run of ``[[....zones]]`` tables reversed (to run main.py on)."""
    chunks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            chunks.append([])
        chunks[-1].append(line)
    out: list[str] = []
    run: list[str] = []
    for chunk in ["".join(c) for c in chunks]:
        if chunk.startswith("[[") and chunk.split("]]")[0].endswith(".zones"):
            run.append(chunk if chunk.endswith("\n\n") else chunk + "\n")
            continue
        out.extend(reversed(run))
        run = []
        out.append(chunk)
    out.extend(reversed(run))
    reordered = "".join(out)
    assert tomllib.loads(reordered) == reversed_zones(tomllib.loads(text))
    return reordered


def reversed_example_stacks() -> dict[str, Stack]:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    reordered = reversed_zones(raw)
    assert [z["zone"] for z in reordered["service"]["zones"]] != [z["zone"] for z in raw["service"]["zones"]]
    return synth_scenario(parse_scenario(reordered))


def test_the_reversed_text_reverses_every_zones_list() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    assert tomllib.loads(reversed_zones_toml(text)) == reversed_zones(raw) != raw


def canonical(value: Any, key: str = "") -> Any:
    """``value`` with the order of every unordered list removed; every other list keeps its order."""
    if isinstance(value, dict):
        return {k: canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True)) if key in UNORDERED else items
    return value


def addresses(stack: Stack) -> set[str]:
    return {
        f"{kind}.{type_name}.{name}"
        for kind in ("resource", "data")
        for type_name, bodies in stack.get(kind, {}).items()
        for name in bodies
    }


def test_reversing_every_zones_list_changes_no_resource_address_or_body() -> None:
    original, reordered = synth_stacks(str(EXAMPLE)), reversed_example_stacks()
    assert original.keys() == reordered.keys()
    for name in original:
        assert addresses(reordered[name]) == addresses(original[name]), name
        for kind in ("resource", "data", "output"):
            assert canonical(reordered[name].get(kind)) == canonical(original[name].get(kind)), f"{name}: {kind}"


def test_multi_zone_ids_are_keyed_by_zone() -> None:
    stacks = synth_stacks(str(EXAMPLE))
    provider_vswitches = stacks["privatelink-provider"]["resource"]["alicloud_vswitch"]
    assert all("network_vswitch-eu-central-1" in name for name in provider_vswitches), sorted(provider_vswitches)
    zones = stacks["privatelink-consumer-orders-team"]["resource"]["alicloud_privatelink_vpc_endpoint_zone"]
    assert sorted(zones) == [n for n in sorted(zones) if "endpoint-zone-eu-central-1" in n] and len(zones) == 2


def test_single_zone_sides_keep_their_ids() -> None:
    reports = synth_stacks(str(EXAMPLE))["privatelink-consumer-reports"]["resource"]
    assert [n.split("_")[1] for n in reports["alicloud_vswitch"]] == ["vswitch"]
    assert [n.split("_")[1] for n in reports["alicloud_privatelink_vpc_endpoint_zone"]] == ["endpoint-zone"]


def test_the_demo_client_lives_in_the_zone_of_its_address() -> None:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    orders = next(c for c in raw["consumers"] if c["name"] == "orders-team")
    assert orders["zones"][0]["zone"] == "eu-central-1a"
    orders["client_ip"] = "10.30.2.20"  # in the second zone's vSwitch, 10.30.2.0/24
    stack = synth_scenario(parse_scenario(raw))["privatelink-consumer-orders-team"]
    (client,) = stack["resource"]["alicloud_instance"].values()
    assert client["private_ip"] == "10.30.2.20"
    assert client["vswitch_id"].startswith("${alicloud_vswitch.network_vswitch-eu-central-1b_")
    (types,) = stack["data"]["alicloud_instance_types"].values()
    assert types["availability_zone"] == "eu-central-1b"


def test_a_client_address_outside_every_zone_is_refused() -> None:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["consumers"][0]["client_ip"] = "10.30.9.20"
    assert [str(p) for p in check_scenario(raw)] == [
        "consumers[0].client_ip: 10.30.9.20 is not inside any vSwitch of consumers[0].zones "
        "(10.30.1.0/24, 10.30.2.0/24); place it in one"
    ]
