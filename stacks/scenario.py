"""The scenario file: what to build, as TOML, checked completely before anything is synthesized.

Reading is three modules with one job each, so that one run reports every problem:

- :mod:`stacks.scenario_file` reads the file (size, nesting, TOML syntax);
- :mod:`stacks.scenario_shape` is pass 1: pydantic checks the shape (unknown
  keys with a "did you mean", wrong types, missing keys);
- :mod:`stacks.scenario_rules` is pass 2: Alibaba Cloud's rules (addresses,
  zones, names, ranges) on whatever values are readable, with the same checks
  as the constructs, so the messages are the same on both paths.

This module puts them together and holds the default scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from alicloud_privatelink.checks import Problem, ValidationError
from alicloud_privatelink.service import DEFAULT_DESCRIPTION

from .scenario_file import read_scenario_file
from .scenario_rules import check_scenario, quota_warnings
from .scenario_shape import shape_problem
from .settings import Backend, Consumer, Placement, Scenario, Servers, Service, State, ZonePlacement

__all__ = [
    "DEFAULT_SCENARIO",
    "Backend",
    "Consumer",
    "Placement",
    "Scenario",
    "Servers",
    "Service",
    "State",
    "ZonePlacement",
    "check_scenario",
    "default_scenario",
    "load_scenario",
    "parse_scenario",
    "quota_warnings",
]


#: The default scenario: a consistent version of the console guide's example.
DEFAULT_SCENARIO: Mapping[str, Any] = {
    "region": "eu-central-1",
    "name": "privatelink-demo",
    "service": {
        "vpc_cidr": "192.168.0.0/16",
        "vswitch_cidr": "192.168.24.0/24",
        "zone": "eu-central-1b",
        "backup_zone": "eu-central-1a",
        "clb_name": "clb-privatelink",
        "listener_protocol": "tcp",
        "frontend_port": 80,
        "backend_port": 80,
        "auto_accept": False,
        "zone_affinity": True,
        "description": DEFAULT_DESCRIPTION,
        "backends": [
            {"name": "ecs2", "private_ip": "192.168.24.200", "weight": 100},
            {"name": "ecs3", "private_ip": "192.168.24.201", "weight": 100},
        ],
    },
    "consumers": [
        {
            "name": "vpc1",
            "vpc_cidr": "10.10.0.0/16",
            "vswitch_cidr": "10.10.0.0/24",
            "zone": "eu-central-1b",
            "endpoint_name": "ep-vpc1",
            "client_ip": "10.10.0.182",
        }
    ],
}


def default_scenario() -> Scenario:
    return parse_scenario(DEFAULT_SCENARIO)


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file; raises :class:`ValidationError` listing every problem."""
    return parse_scenario(read_scenario_file(path))


def parse_scenario(raw: Mapping[str, Any]) -> Scenario:
    """Check the settings in ``raw`` (parsed TOML) and return them as a :class:`Scenario`."""
    problems: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(raw)
    except PydanticValidationError as error:
        problems.extend(shape_problem(Scenario, detail) for detail in error.errors())
    problems.extend(check_scenario(raw))
    if problems:
        raise ValidationError(problems)
    assert scenario is not None
    return scenario
