"""The backends of a load balancer the app builds: the props every building form shares, and their rules.

One rule set for every building form (CLB, NLB, ALB) and for the scenario file,
so a bogus server id or backends that all weigh 0 get the same line everywhere.
It also holds the listener description these forms share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from ._runtime import ITerraformDependable
from .checks import Checks
from .endpoint_service import ServiceProps

#: A backend's share of requests when none is given.
DEFAULT_WEIGHT = 100


@dataclass(frozen=True, kw_only=True)
class ServiceBackend:
    """A server behind the load balancer."""

    #: ECS instance id, e.g. ``i-gw8...`` or a token.
    server_id: str
    #: Share of requests, 0-100. Default: 100.
    weight: int = DEFAULT_WEIGHT
    #: A stable name, e.g. the server's; an NLB names the backend's attachment ``server-<name>`` after it, so
    #: reordering backends replaces nothing. Default: None, the attachment is named by position.
    name: str | None = None


@dataclass(frozen=True, kw_only=True)
class BuiltServiceProps(ServiceProps):
    """What every form that builds its load balancer takes besides :class:`ServiceProps`."""

    #: Servers behind the load balancer.
    backends: Sequence[ServiceBackend]
    #: Port the backends listen on. Default: 80.
    backend_port: int = 80
    #: Refuse to delete the load balancer (CLB ``delete_protection = "on"``, NLB and ALB
    #: ``deletion_protection_enabled``) until it is turned off again; a destroy then fails at the load balancer
    #: (DeleteLoadBalancer). Default: False.
    deletion_protection: bool = False
    #: What must exist before the load balancer takes its addresses, e.g. servers with fixed addresses in its
    #: vSwitches. Default: nothing.
    depends_on: Sequence[ITerraformDependable] = ()

    def _shorthand_backend_port(self) -> int | None:
        return self.backend_port


class LoadBalancerBasics(TypedDict):
    """The arguments every load balancer the app builds (CLB, NLB or ALB) shares."""

    load_balancer_name: str
    tags: dict[str, str] | None
    depends_on: list[ITerraformDependable]


def load_balancer_basics(name: str, tags: dict[str, str] | None, props: BuiltServiceProps) -> LoadBalancerBasics:
    """Its name, the service's tags, and what it must wait for (``props.depends_on``)."""
    return {"load_balancer_name": name, "tags": tags, "depends_on": list(props.depends_on)}


def check_backends(
    checks: Checks, path: str, backends: Sequence[tuple[int, Mapping[str, object]]], id_key: str, *, any_given: bool
) -> None:
    """At least one backend (``any_given``: whether any entry was given, readable or not); each one's weight
    (0-100) and server id (``i-...``); at least one weight above 0; no name twice.

    ``backends``: (index, settings) pairs; ``id_key``: the key of the server id (``server_id`` in props,
    ``instance_id`` in a scenario file).
    """
    if not any_given:
        checks.fail(path, "give at least one backend server")
    for index, backend in backends:
        checks.weight(f"{path}[{index}].weight", backend.get("weight"))
        checks.resource_id(f"{path}[{index}].{id_key}", backend.get(id_key), "instance")
    checks.some_weight(path, [backend.get("weight", DEFAULT_WEIGHT) for _, backend in backends])
    checks.unique([(f"{path}[{index}].name", backend.get("name")) for index, backend in backends], "name")


def check_built_props(checks: Checks, props: BuiltServiceProps) -> None:
    """The rules on :class:`BuiltServiceProps`' backends (each form checks ``backend_port`` with its settings)."""
    backends = [
        (i, {"weight": b.weight, "server_id": b.server_id, "name": b.name}) for i, b in enumerate(props.backends)
    ]
    check_backends(checks, "backends", backends, "server_id", any_given=bool(props.backends))


def listener_description(protocol: str, frontend_port: int, backend_port: int) -> str:
    """``tcp/80-to-backend/80``: the listener's description, in the characters the providers allow."""
    return f"{protocol}/{frontend_port}-to-backend/{backend_port}"
