"""The names a scenario gives its stacks, their state and their resources, and the rule that no two sides share one.

The provider side and each consumer get their names from the scenario's
``name`` and the consumer's ``name``. Two sides with one name would meet in
the console, in ``cdktf deploy <stack>`` and in state: a consumer called
``service`` would name its VPC ``<name>-service-vpc``, as the provider stack
names its own. :func:`check_names_apart` refuses that before anything is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alicloud_privatelink.checks import Checks

PROVIDER_STACK_NAME = "privatelink-provider"
CONSUMER_STACK_PREFIX = "privatelink-consumer-"
#: ``name`` and ``state.prefix`` when the scenario does not give them (``stacks.settings``).
DEFAULT_SCENARIO_NAME = "privatelink-demo"
DEFAULT_OSS_PREFIX = "privatelink"


def local_state_file(scenario_name: str, stack_name: str) -> str:
    """The name of the local state file of one stack of one scenario."""
    return f"terraform.{scenario_name}.{stack_name}.tfstate"


def stack_prefix(prefix: str, scenario_name: str, stack_name: str) -> str:
    """The OSS prefix of one stack of one scenario under ``state.prefix``: its own, so its workspaces are its own."""
    return f"{prefix}/{scenario_name}/{stack_name}"


def consumer_stack_name(consumer_name: str) -> str:
    return f"{CONSUMER_STACK_PREFIX}{consumer_name}"


def provider_network_name(scenario_name: str) -> str:
    """What the provider side's VPC and vSwitch names start with (``<it>-vpc``, ``<it>-vsw``)."""
    return f"{scenario_name}-service"


def consumer_network_name(scenario_name: str, consumer_name: str) -> str:
    """What a consumer's VPC and vSwitch names start with (``<it>-vpc``, ``<it>-vsw``)."""
    return f"{scenario_name}-{consumer_name}"


def backend_group_name(scenario_name: str) -> str:
    """The demo backends' security group."""
    return f"{scenario_name}-backends"


def client_group_name(scenario_name: str, consumer_name: str) -> str:
    """A consumer's demo-client security group."""
    return f"{scenario_name}-{consumer_name}-clients"


def default_endpoint_name(consumer_name: str) -> str:
    """A consumer's endpoint name when it gives none (its security group is ``<it>-sg``)."""
    return f"ep-{consumer_name}"


def _side_names(
    scenario_name: str, stack: str, state: Mapping[str, Any], names: Sequence[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """(what, name, setting path) of one side: its stack, its state, and ``names``."""
    backend = state.get("backend", "local")
    if backend == "oss":
        where = ("OSS state prefix", stack_prefix(str(state.get("prefix", DEFAULT_OSS_PREFIX)), scenario_name, stack))
    else:
        where = ("local state file", local_state_file(scenario_name, stack))
    return [("stack", stack, ""), (*where, ""), *names]


def check_names_apart(
    checks: Checks, raw: Mapping[str, Any], consumers: Sequence[tuple[int, Mapping[str, Any]]]
) -> None:
    """No consumer makes a stack, state or resource name that the provider side or an earlier consumer makes.

    Only readable text is compared; every other problem with a name is reported by its own rule.
    """
    scenario = raw.get("name", DEFAULT_SCENARIO_NAME)
    state = raw.get("state") if isinstance(raw.get("state"), Mapping) else {}
    if not isinstance(scenario, str) or not isinstance(state, Mapping):
        return
    taken: dict[tuple[str, str], str] = {}
    provider = _side_names(
        scenario,
        PROVIDER_STACK_NAME,
        state,
        [
            ("VPC and vSwitch names", provider_network_name(scenario), ""),
            ("security group", backend_group_name(scenario), ""),
        ],
    )
    for what, made, _ in provider:
        taken[what, made] = "the provider side"
    for index, consumer in consumers:
        path = f"consumers[{index}]"
        name = consumer.get("name")
        if not isinstance(name, str):
            continue
        endpoint = consumer.get("endpoint_name", default_endpoint_name(name))
        own = [("VPC and vSwitch names", consumer_network_name(scenario, name), "")]
        if "client_ip" in consumer:
            own.append(("security group", client_group_name(scenario, name), ""))
        if isinstance(endpoint, str):
            own.append(("endpoint", endpoint, ".endpoint_name" if "endpoint_name" in consumer else ""))
        for what, made, setting in _side_names(scenario, consumer_stack_name(name), state, own):
            where = f"{path}{setting or '.name'}"
            other = taken.setdefault((what, made), where)
            if other != where:
                checks.fail(
                    where,
                    f"makes the {what} {made!r}, which {other} also makes; two sides must not share a name, "
                    "so choose another",
                )
