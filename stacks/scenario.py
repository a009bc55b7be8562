"""The scenario file: what to build, as TOML, checked completely before anything is synthesized.

Two passes, so that one run reports every problem:

1. pydantic checks the file's shape: unknown keys (with a "did you mean"),
   wrong types, missing keys.
2. :func:`check_scenario` applies Alibaba Cloud's rules (addresses, zones,
   names, ranges) to whatever values are readable, using the same checks as
   the constructs, so the messages are the same on both paths.
"""

from __future__ import annotations

import difflib
import ipaddress
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from alicloud_privatelink.checks import Checks, Problem, ValidationError, account_of_role
from alicloud_privatelink.demo_servers import check_server_name, check_server_settings
from alicloud_privatelink.endpoint import check_endpoint_settings
from alicloud_privatelink.service import DEFAULT_DESCRIPTION, check_service_settings

from .settings import Backend, Consumer, Placement, Scenario, Servers, Service, State

__all__ = [
    "DEFAULT_SCENARIO",
    "Backend",
    "Consumer",
    "Placement",
    "Scenario",
    "Servers",
    "Service",
    "State",
    "check_scenario",
    "default_scenario",
    "load_scenario",
    "parse_scenario",
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
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), "no such file")]) from None
    except OSError as error:
        raise ValidationError([Problem(str(path), f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(str(path), "is not UTF-8 text")]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationError([Problem(str(path), f"is not valid TOML: {error}")]) from None
    return parse_scenario(raw)


def parse_scenario(raw: Mapping[str, Any]) -> Scenario:
    """Check the settings in ``raw`` (parsed TOML) and return them as a :class:`Scenario`."""
    problems: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(raw)
    except PydanticValidationError as error:
        problems.extend(_shape_problem(Scenario, detail) for detail in error.errors())
    problems.extend(check_scenario(raw))
    if problems:
        raise ValidationError(problems)
    assert scenario is not None
    return scenario


# -- pass 1: shape ----------------------------------------------------------


def _dotted(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def _model_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings class that holds the last key of ``location``."""
    current: type[BaseModel] = model
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        candidates = [field.annotation, *getattr(field.annotation, "__args__", ())]
        nested = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if nested is None:
            return None
        current = nested
    return current


#: Settings that no longer exist, and what to do instead; reported instead of "unknown setting".
RETIRED_SETTINGS: Mapping[tuple[str, ...], str] = {
    ("service", "clb_spec"): (
        "pay-by-specification CLBs can no longer be bought (Alibaba Cloud stopped selling them on "
        "2025-06-01); the CLB is always pay-as-you-go and pay-by-LCU (PayByCLCU), so remove this setting"
    ),
}


def _shape_problem(model: type[BaseModel], detail: Any) -> Problem:
    location = tuple(detail["loc"])
    path = _dotted(location)
    kind = detail["type"]
    retired = RETIRED_SETTINGS.get(tuple(str(part) for part in location))
    if kind == "extra_forbidden" and retired is not None:
        return Problem(path, retired)
    if kind == "extra_forbidden":
        holder = _model_at(model, location)
        known = list(holder.model_fields) if holder is not None else []
        match = difflib.get_close_matches(str(location[-1]), known, n=1, cutoff=0.6)
        hint = f"; did you mean {match[0]!r}?" if match else ""
        return Problem(path, f"unknown setting{hint}")
    if kind == "missing":
        return Problem(path, "is required but missing")
    if kind == "too_short":
        return Problem(path, "needs at least one entry")
    return Problem(path, f"{detail['msg'].removeprefix('Value error, ')} (got {detail['input']!r})")


# -- pass 2: Alibaba Cloud's rules ------------------------------------------


def _tables(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """The entries of an array of tables that are tables, with their index (pass 1 reports the rest)."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping)]


def check_scenario(raw: Mapping[str, Any]) -> list[Problem]:
    """Every rule that applies to the readable values of ``raw``; shape errors are pass 1's job."""
    checks = Checks(allow_tokens=False)
    region = checks.region("region", raw.get("region"))
    checks.simple_name("name", raw.get("name"))
    checks.tags("tags", raw.get("tags"))
    service = raw.get("service")
    service_vpc = None
    if isinstance(service, Mapping):
        service_vpc = _check_service(checks, service, region)
    service_zone = service.get("zone") if isinstance(service, Mapping) else None
    consumers = _tables(raw.get("consumers"))
    for index, consumer in consumers:
        _check_consumer(checks, f"consumers[{index}]", consumer, region, service_zone, service_vpc)
    checks.unique([(f"consumers[{i}].name", c.get("name")) for i, c in consumers], "name")
    servers = raw.get("servers")
    if isinstance(servers, Mapping):
        check_server_settings(checks, "servers.", servers)
    state = raw.get("state")
    if isinstance(state, Mapping):
        _check_state(checks, state)
    return checks.problems


def _check_service(checks: Checks, service: Mapping[str, Any], region: str | None) -> ipaddress.IPv4Network | None:
    vpc, vswitch = _check_placement(checks, "service.", service, region)
    if "backup_zone" in service:
        checks.zone("service.backup_zone", service["backup_zone"], region, "region")
    check_service_settings(checks, "service.", service)
    checks.role_arn("service.role_arn", service.get("role_arn"))
    accounts = service.get("allowed_accounts")
    if isinstance(accounts, list):
        checks.unique([(f"service.allowed_accounts[{i}]", a) for i, a in enumerate(accounts)], "account")
    backends = _tables(service.get("backends"))
    for index, backend in backends:
        path = f"service.backends[{index}]"
        check_server_name(checks, f"{path}.name", backend.get("name"))
        checks.weight(f"{path}.weight", backend.get("weight"))
        if "private_ip" in backend and "instance_id" in backend:
            checks.fail(path, "give either private_ip (a demo server) or instance_id (an existing server), not both")
        elif "private_ip" not in backend and "instance_id" not in backend:
            checks.fail(path, "give private_ip (a demo server) or instance_id (an existing server)")
        checks.host_address(f"{path}.private_ip", backend.get("private_ip"), vswitch, "service.vswitch_cidr")
    checks.unique([(f"service.backends[{i}].name", b.get("name")) for i, b in backends], "name")
    checks.unique([(f"service.backends[{i}].private_ip", b.get("private_ip")) for i, b in backends], "address")
    return vpc


def _check_consumer(
    checks: Checks,
    path: str,
    consumer: Mapping[str, Any],
    region: str | None,
    service_zone: Any,
    service_vpc: ipaddress.IPv4Network | None,
) -> None:
    checks.stack_name_part(f"{path}.name", consumer.get("name"))
    vpc, vswitch = _check_placement(checks, f"{path}.", consumer, region)
    checks.same_zone(f"{path}.zone", consumer.get("zone"), "service.zone", service_zone)
    checks.no_overlap(f"{path}.vpc_cidr", vpc, "service.vpc_cidr", service_vpc)
    check_endpoint_settings(checks, f"{path}.", consumer)
    checks.dns_name(f"{path}.dns_name", consumer.get("dns_name"))

    # who may reach the endpoint
    client_cidrs = consumer.get("client_cidrs")
    if isinstance(client_cidrs, list):
        for index, cidr in enumerate(client_cidrs):
            checks.source_cidr(f"{path}.client_cidrs[{index}]", cidr)
        checks.unique([(f"{path}.client_cidrs[{i}]", c) for i, c in enumerate(client_cidrs)], "client block")
    if "security_group_id" in consumer:
        if "client_cidrs" in consumer:
            checks.fail(
                f"{path}.client_cidrs", "an existing security_group_id has its own rules; give one or the other"
            )
    elif client_cidrs == [] or ("vswitch_id" in consumer and "client_cidrs" not in consumer):
        checks.fail(f"{path}.client_cidrs", "give the clients' CIDR blocks (or an existing security_group_id)")

    # the demo client
    if "client_ip" in consumer:
        checks.host_address(f"{path}.client_ip", consumer["client_ip"], vswitch, f"{path}.vswitch_cidr")
        check_server_name(checks, f"{path}.client_name", consumer.get("client_name"))
        if "vswitch_id" in consumer:
            checks.fail(
                f"{path}.client_ip", "a demo client needs a vSwitch created from vswitch_cidr, not a vswitch_id"
            )

    # cross-account
    checks.account_id(f"{path}.account_id", consumer.get("account_id"))
    checks.role_arn(f"{path}.role_arn", consumer.get("role_arn"))
    role_account = account_of_role(consumer.get("role_arn"))
    if role_account and isinstance(consumer.get("account_id"), str) and consumer["account_id"] != role_account:
        checks.fail(
            f"{path}.role_arn",
            f"is a role of account {role_account}, not of {path}.account_id {consumer['account_id']}",
        )


def _check_placement(
    checks: Checks, prefix: str, side: Mapping[str, Any], region: str | None
) -> tuple[ipaddress.IPv4Network | None, ipaddress.IPv4Network | None]:
    """Zone, and either new CIDRs or existing ids; returns the CIDRs when usable."""
    checks.zone(f"{prefix}zone", side.get("zone"), region, "region")
    for kind in ("vpc", "vswitch"):
        checks.new_or_existing(
            f"{prefix}{kind}_cidr", side.get(f"{kind}_cidr"), f"{prefix}{kind}_id", side.get(f"{kind}_id")
        )
    if ("vpc_id" in side) != ("vswitch_id" in side):
        checks.fail(f"{prefix}vswitch_id", "an existing network needs both vpc_id and vswitch_id")
    vpc = checks.vpc_cidr(f"{prefix}vpc_cidr", side.get("vpc_cidr"))
    vswitch = checks.vswitch_cidr(f"{prefix}vswitch_cidr", side.get("vswitch_cidr"), vpc, f"{prefix}vpc_cidr")
    return vpc, vswitch


def _check_state(checks: Checks, state: Mapping[str, Any]) -> None:
    if state.get("backend") == "oss":
        for key in ("bucket", "region"):
            if key not in state:
                checks.fail(f"state.{key}", 'is required when backend = "oss"')
        checks.region("state.region", state.get("region"))
    elif state:
        extra = sorted(key for key in state if key != "backend")
        if extra:
            checks.fail(f"state.{extra[0]}", 'only applies when backend = "oss"')
