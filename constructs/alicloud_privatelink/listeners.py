"""A service's listeners: what consumers connect to, and the one rule set for them.

A service has one listener or several (``listeners``). The single
``listener_protocol`` / ``frontend_port`` / ``backend_port`` settings are the
shorthand for one; :func:`listeners_of` turns either form into the list every
construct reads, so the consumer's security group and test command cover every
listener, whichever form was given.

The first listener is the service's primary one: it keeps the construct id a
single listener has always had (``listener``), so going from the shorthand to a
list that starts with the same listener replaces nothing; every other listener
is keyed by its frontend port (``listener-<port>``), so adding, removing or
reordering the others replaces none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .checks import Checks

#: Listener protocols across the load balancer types (each type allows a subset: see its construct).
AnyListenerProtocol = Literal["http", "https", "tcp", "udp"]
T = TypeVar("T")
#: The shorthand keys of one listener and their defaults.
SHORTHAND_DEFAULTS: Mapping[str, object] = {"listener_protocol": "tcp", "frontend_port": 80, "backend_port": 80}


@dataclass(frozen=True)
class ServiceForm:
    """What a service form allows, for the rules it shares with the others (listeners, IP version)."""

    #: The listener protocols it builds (or, published, that consumers may reach).
    protocols: Sequence[str]
    #: The app builds the load balancer (else it only publishes one, or consumes a service).
    built: bool = True
    #: It can redirect http to https (an ALB).
    redirects: bool = False
    #: It can be dual-stack (an NLB).
    dual_stack: bool = False


@dataclass(frozen=True, kw_only=True)
class Listener:
    """One listener of a service: the port consumers reach and the port the backends listen on."""

    #: ``tcp``, ``udp``, ``http`` or ``https`` (which the load balancer type allows: see its construct).
    protocol: AnyListenerProtocol
    #: Port clients connect to.
    frontend_port: int
    #: Port the backends listen on. Default: None, the same as ``frontend_port``.
    backend_port: int | None = None
    #: ``https`` only: the certificate the load balancer presents (a CLB: an SLB server certificate id; an ALB:
    #: a Certificate Management Service certificate id). Default: None.
    certificate_id: str | None = None
    #: ``http`` on an ALB only: answer every request with a redirect to the ``https`` listener on this frontend
    #: port (see :mod:`.alb_service` for how). Default: None, forward to the backends.
    redirect_to: int | None = None

    @property
    def target_port(self) -> int:
        """The port the backends listen on: ``backend_port``, else ``frontend_port``."""
        return self.backend_port if self.backend_port is not None else self.frontend_port

    @property
    def transport(self) -> Literal["tcp", "udp"]:
        """The transport protocol a security-group rule for this listener uses."""
        return "udp" if self.protocol == "udp" else "tcp"


def listeners_of(
    listeners: Sequence[Listener], protocol: AnyListenerProtocol, frontend_port: int, backend_port: int | None
) -> tuple[Listener, ...]:
    """``listeners`` if any, else the one listener the shorthand settings describe."""
    if listeners:
        return tuple(listeners)
    return (Listener(protocol=protocol, frontend_port=frontend_port, backend_port=backend_port),)


def listener_id(index: int, listener: Listener) -> str:
    """Construct id of a listener (see the module docstring): ``listener`` for the first, else by frontend port."""
    return "listener" if index == 0 else f"listener-{listener.frontend_port}"


def backend_ports(listeners: Sequence[Listener]) -> list[int]:
    """The distinct ports the backends listen on, the first listener's first."""
    return list(dict.fromkeys(listener.target_port for listener in listeners))


def per_backend_port(listeners: Sequence[Listener], make: Callable[[int, str], T]) -> dict[int, T]:
    """``make(port, suffix)`` once per backend port, e.g. a server group: suffix ``""`` for the first listener's
    port (the id it always had), ``-<port>`` for each other."""
    first = listeners[0].target_port
    return {port: make(port, "" if port == first else f"-{port}") for port in backend_ports(listeners)}


def listener_settings(listener: Listener) -> dict[str, object]:
    """A listener as the mapping the rules read (the same keys as a ``[[service.listeners]]`` entry)."""
    settings: dict[str, object] = {"protocol": listener.protocol, "frontend_port": listener.frontend_port}
    if listener.backend_port is not None:
        settings["backend_port"] = listener.backend_port
    if listener.certificate_id is not None:
        settings["certificate_id"] = listener.certificate_id
    if listener.redirect_to is not None:
        settings["redirect_to"] = listener.redirect_to
    return settings


def check_listeners(
    checks: Checks,
    path: str,
    entries: Sequence[tuple[int, Mapping[str, Any]]],
    form: ServiceForm,
    shorthand: Collection[str],
) -> None:
    """The listeners at ``path`` (index, settings pairs), for the constructs and the scenario file alike.

    Each protocol is one the form allows (``form.protocols``), each port 1-65535, ``https`` and only
    it has a ``certificate_id``, and no frontend port is used twice (a load balancer has one listener per
    port: CLB CreateLoadBalancerTCPListener, NLB CreateListener and ALB CreateListener each refuse a port in
    use). ``shorthand``: the single-listener settings also given, refused beside a list, each on its own line.
    Unless ``form.built``, the listeners only say what consumers reach, so ``backend_port`` and
    ``certificate_id`` (the team's own listener settings) are refused; with ``form.redirects`` an ``http``
    listener's ``redirect_to`` names an ``https`` one's port.
    """
    https_ports = [e.get("frontend_port") for _, e in entries if e.get("protocol") == "https"]
    prefix = path.rsplit("listeners", 1)[0]
    for key in shorthand:
        checks.fail(f"{prefix}{key}", f"give {path} or the single-listener {prefix}{key}, not both")
    for index, entry in entries:
        at = f"{path}[{index}]"
        protocol = entry.get("protocol")
        checks.one_of(f"{at}.protocol", protocol, form.protocols)
        checks.port(f"{at}.frontend_port", entry.get("frontend_port"))
        if "backend_port" in entry:
            checks.port(f"{at}.backend_port", entry["backend_port"])
        certificate = entry.get("certificate_id")
        if not form.built:
            for key in ("backend_port", "certificate_id"):
                if key in entry:
                    checks.fail(f"{at}.{key}", "only applies when the app builds the load balancer")
        elif protocol == "https" and certificate is None:
            checks.fail(f"{at}.certificate_id", "is required for an https listener: the certificate it presents")
        elif protocol != "https" and certificate is not None:
            checks.fail(f"{at}.certificate_id", "only applies to an https listener")
        elif certificate is not None:
            checks.literal(f"{at}.certificate_id", certificate)
            if isinstance(certificate, str) and not checks.is_token(certificate) and not certificate.strip():
                checks.fail(f"{at}.certificate_id", "must not be empty")
        if "redirect_to" in entry:
            target = entry["redirect_to"]
            if not (form.built and form.redirects):
                checks.fail(f"{at}.redirect_to", "only applies to an ALB the app builds")
            elif protocol != "http":
                checks.fail(f"{at}.redirect_to", "only applies to an http listener")
            elif target not in https_ports:
                listed = ", ".join(str(p) for p in https_ports) or "none"
                checks.fail(f"{at}.redirect_to", f"{target!r} is not the frontend_port of an https listener ({listed})")
    checks.unique([(f"{path}[{i}].frontend_port", e.get("frontend_port")) for i, e in entries], "frontend port")


def check_listener_settings(checks: Checks, prefix: str, settings: Mapping[str, Any], form: ServiceForm) -> None:
    """A service's listeners as given (``settings``: a scenario's ``[service]`` or the props a user set):
    ``listeners``, or the shorthand ``listener_protocol`` (which cannot be ``https``: it has no certificate)."""
    if "listener_protocol" in settings:
        single = [protocol for protocol in form.protocols if protocol != "https"]
        checks.one_of(f"{prefix}listener_protocol", settings["listener_protocol"], single)
    listeners = settings.get("listeners")
    if not isinstance(listeners, (list, tuple)) or not listeners:
        return  # absent, or not a list (pass 1 says so); an empty list is the scenario check's to refuse
    entries = [
        (index, listener_settings(item) if isinstance(item, Listener) else item)
        for index, item in enumerate(listeners)
        if isinstance(item, (Listener, Mapping))
    ]
    shorthand = [key for key in SHORTHAND_DEFAULTS if key in settings and (form.built or key != "backend_port")]
    check_listeners(checks, f"{prefix}listeners", entries, form, shorthand)
