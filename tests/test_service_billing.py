"""Who pays for endpoint connections (payer) and their bandwidth (connect_bandwidth), on every service form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT, SCHEMA_PATH, resources, synth_scenario, synth_stacks

from alicloud_privatelink import ValidationError
from alicloud_privatelink.endpoint_service import CONNECT_BANDWIDTH
from stacks.scenario import DEFAULT_SCENARIO, parse_scenario
from stacks.scenario_file import read_scenario_file


def with_service(**settings: Any) -> dict[str, Any]:
    return {**DEFAULT_SCENARIO, "service": {**DEFAULT_SCENARIO["service"], **settings}}


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as error:
        parse_scenario(raw)
    return [str(problem) for problem in error.value.problems]


def test_the_range_is_the_providers_validation_rule() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    (provider,) = schema["provider_schemas"].values()
    attribute = provider["resource_schemas"]["alicloud_privatelink_vpc_endpoint_service"]["block"]["attributes"]
    assert attribute["connect_bandwidth"]["validate_func"] == "IntBetween({}, {})".format(*CONNECT_BANDWIDTH)
    assert attribute["payer"]["enum"] == ["Endpoint", "EndpointService"]


def test_payer_and_bandwidth_reach_the_endpoint_service() -> None:
    provider = synth_scenario(parse_scenario(with_service(payer="EndpointService", connect_bandwidth=100)))[
        "privatelink-provider"
    ]
    (service,) = resources(provider, "alicloud_privatelink_vpc_endpoint_service")
    assert (service["payer"], service["connect_bandwidth"]) == ("EndpointService", 100)
    (alb_service,) = resources(
        synth_stacks(str(ROOT / "examples" / "alb-https.toml"))["privatelink-provider"],
        "alicloud_privatelink_vpc_endpoint_service",
    )
    assert (alb_service["payer"], alb_service["connect_bandwidth"]) == ("EndpointService", 1024)


def test_by_default_alibabas_defaults_apply() -> None:
    (service,) = resources(synth_stacks()["privatelink-provider"], "alicloud_privatelink_vpc_endpoint_service")
    assert "payer" not in service and "connect_bandwidth" not in service


def test_out_of_range_bandwidth_and_unknown_payers_are_refused() -> None:
    assert problems(with_service(connect_bandwidth=99, payer="Consumer")) == [
        "service.payer: 'Consumer' is not allowed; use one of Endpoint, EndpointService",
        "service.connect_bandwidth: 99 is out of range; use 100 to 10240",
    ]
    assert problems(with_service(connect_bandwidth=10241)) == [
        "service.connect_bandwidth: 10241 is out of range; use 100 to 10240"
    ]


def test_an_existing_load_balancer_takes_them_too() -> None:
    raw = read_scenario_file(str(ROOT / "examples" / "existing-nlb.toml"))
    raw = {**raw, "service": {**raw["service"], "payer": "Endpoint", "connect_bandwidth": 10240}}
    (service,) = resources(
        synth_scenario(parse_scenario(raw))["privatelink-provider"], "alicloud_privatelink_vpc_endpoint_service"
    )
    assert (service["payer"], service["connect_bandwidth"]) == ("Endpoint", 10240)
