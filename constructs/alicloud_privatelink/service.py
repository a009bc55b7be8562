"""The provider side of PrivateLink (console Steps 1-3): CLB, listener, backends, endpoint service.

PrivateLink only fronts a pay-as-you-go, internal-facing CLB, and the CLB,
the endpoint service and every endpoint must share one zone. Those are not
options here: the construct always builds the combination that works.

The CLB is billed by LCU (``PayByCLCU``), not by specification: Alibaba Cloud
stopped selling new pay-by-specification CLBs on 2025-06-01 (CLB billing,
doc 127268), so ``CreateLoadBalancer`` refuses ``load_balancer_spec =
"slb.s1.small"`` with ``PayBySpec``. The provider's acceptance test
``TestAccAliCloudSLBLoadBalancer_basic4`` (aliyun/terraform-provider-alicloud
v1.289.0) builds an intranet CLB in a vSwitch the same way, with no spec; the
provider suppresses the spec's diff for ``PayByCLCU`` and reads back
``slb.lcu.elastic``.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs import Construct

from ._runtime import ITerraformDependable
from .bindings import (
    SlbBackendServer,
    SlbBackendServerBackendServers,
    SlbListener,
    SlbLoadBalancer,
)
from .bindings.slb import SlbListenerProtocol
from .checks import Checks
from .endpoint_service import ListenerProtocol, ServiceResource, publish

#: Listener protocols this construct builds. ``https`` needs a certificate it does not manage.
LISTENER_PROTOCOLS: tuple[ListenerProtocol, ...] = typing.get_args(ListenerProtocol)
assert set(LISTENER_PROTOCOLS) <= set(typing.get_args(SlbListenerProtocol))  # the provider's values
DEFAULT_DESCRIPTION = "PrivateLink endpoint service in front of an internal CLB"


@dataclass(frozen=True, kw_only=True)
class ServiceBackend:
    """A server behind the CLB."""

    #: ECS instance id, e.g. ``i-gw8...`` or a token.
    server_id: str
    #: Share of requests, 0-100. Default: 100.
    weight: int = 100
    #: A stable name, e.g. the server's; an NLB names the backend's attachment ``server-<name>`` after it, so
    #: reordering backends replaces nothing. Default: None, the attachment is named by position.
    name: str | None = None


@dataclass(frozen=True, kw_only=True)
class PrivateLinkServiceProps:
    """Props of :class:`PrivateLinkService`."""

    #: vSwitch (in the provider VPC) the CLB gets its address from.
    vswitch_id: str
    #: The vSwitch's zone; the CLB's primary zone and the zone endpoints must use.
    zone: str
    #: Servers behind the CLB.
    backends: Sequence[ServiceBackend]
    #: The CLB's backup zone, used only if ``zone`` fails. Default: None, a single-zone CLB.
    backup_zone: str | None = None
    #: Refuse to delete the CLB (``delete_protection = "on"``) until it is turned off again; a destroy then
    #: fails at the CLB (DeleteLoadBalancer). Default: False.
    deletion_protection: bool = False
    #: CLB name: 1-80 letters, digits, ``-/._``. Default: ``clb-privatelink``.
    clb_name: str = "clb-privatelink"
    #: Listener protocol: ``tcp``, ``udp`` or ``http``. Default: ``tcp``.
    listener_protocol: ListenerProtocol = "tcp"
    #: Port clients connect to. Default: 80.
    frontend_port: int = 80
    #: Port the backends listen on. Default: 80.
    backend_port: int = 80
    #: Accept every endpoint connection without review. Default: False, each is accepted explicitly.
    auto_accept_connections: bool = False
    #: Resolve the endpoint's domain to the ENI in the client's own zone first. Default: True.
    zone_affinity_enabled: bool = True
    #: Endpoint service description, 2-256 characters. Default: a generic description.
    description: str = DEFAULT_DESCRIPTION
    #: Further accounts (16-digit ids) allowed to connect. Default: none, only the owner.
    allowed_accounts: Sequence[str] = ()
    #: What must exist before the CLB takes its address from the vSwitch, e.g. servers with fixed
    #: addresses in the same vSwitch. Default: nothing.
    depends_on: Sequence[ITerraformDependable] = ()
    #: Tags for every taggable resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def check_service_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The provider-side rules, for both the construct's props and the scenario file."""
    if "clb_name" in settings:
        checks.clb_name(f"{prefix}clb_name", settings["clb_name"])
    if "listener_protocol" in settings:
        checks.one_of(f"{prefix}listener_protocol", settings["listener_protocol"], LISTENER_PROTOCOLS)
    for name in ("frontend_port", "backend_port"):
        if name in settings:
            checks.port(f"{prefix}{name}", settings[name])
    if "description" in settings:
        checks.description(f"{prefix}description", settings["description"])
    if "backup_zone" in settings:
        checks.different_zones(f"{prefix}backup_zone", settings["backup_zone"], f"{prefix}zone", settings.get("zone"))
    accounts = settings.get("allowed_accounts")
    if isinstance(accounts, (list, tuple)):
        for index, account in enumerate(accounts):
            checks.account_id(f"{prefix}allowed_accounts[{index}]", account)


def listener_description(protocol: str, frontend_port: int, backend_port: int) -> str:
    """``tcp/80-to-backend/80``: the listener's description, in the characters the provider allows."""
    return f"{protocol}/{frontend_port}-to-backend/{backend_port}"


class PrivateLinkService(Construct):
    """An internal, pay-as-you-go, pay-by-LCU CLB exposed as a PrivateLink endpoint service.

    Construct ids: ``clb``, ``listener``, ``backends``, ``endpoint-service``,
    ``service-resource`` and ``allowed-<account id>``.
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkServiceProps) -> None:
        checks = Checks()
        check_service_settings(
            checks,
            "",
            {
                "zone": props.zone,
                "backup_zone": props.backup_zone,
                "clb_name": props.clb_name,
                "listener_protocol": props.listener_protocol,
                "frontend_port": props.frontend_port,
                "backend_port": props.backend_port,
                "description": props.description,
                "allowed_accounts": list(props.allowed_accounts),
            },
        )
        for index, backend in enumerate(props.backends):
            checks.weight(f"backends[{index}].weight", backend.weight)
            checks.resource_id(f"backends[{index}].server_id", backend.server_id, "instance")
        checks.some_weight("backends", [backend.weight for backend in props.backends])
        checks.resource_id("vswitch_id", props.vswitch_id, "vswitch")
        checks.tags("tags", props.tags)
        if not props.backends:
            checks.fail("backends", "give at least one backend server")
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None
        protocol: SlbListenerProtocol = props.listener_protocol

        clb = SlbLoadBalancer(
            self,
            "clb",
            load_balancer_name=props.clb_name,
            address_type="intranet",
            payment_type="PayAsYouGo",
            instance_charge_type="PayByCLCU",
            vswitch_id=props.vswitch_id,
            master_zone_id=props.zone,
            slave_zone_id=props.backup_zone,
            delete_protection="on" if props.deletion_protection else None,
            tags=tags,
            depends_on=list(props.depends_on),
        )
        listener = SlbListener(
            self,
            "listener",
            load_balancer_id=clb.id,
            protocol=protocol,
            frontend_port=props.frontend_port,
            backend_port=props.backend_port,
            health_check="on",
            health_check_type="http" if protocol == "http" else ("tcp" if protocol == "tcp" else None),
            health_check_connect_port=props.backend_port,
            health_check_uri="/" if protocol == "http" else None,
            # Listener descriptions allow only letters, digits, '-', '/', '.' and '_' (provider docs,
            # slb_listener, v1.289.0): no spaces.
            description=listener_description(protocol, props.frontend_port, props.backend_port),
        )
        backend_list = SlbBackendServer(
            self,
            "backends",
            load_balancer_id=clb.id,
            backend_servers=[
                SlbBackendServerBackendServers(server_id=backend.server_id, weight=backend.weight, type="ecs")
                for backend in props.backends
            ],
        )
        service, (attachment,) = publish(
            self,
            resource_type="slb",
            resources=[ServiceResource(id="service-resource", resource_id=clb.id)],
            description=props.description,
            auto_accept_connections=props.auto_accept_connections,
            zone_affinity_enabled=props.zone_affinity_enabled,
            allowed_accounts=props.allowed_accounts,
            tags=tags,
            after=[listener, backend_list],
        )

        #: The endpoint service's id (token); endpoints connect to it.
        self.service_id: str = service.id
        #: The endpoint service's name, which consumers may use instead of the id.
        self.service_name: str = service.vpc_endpoint_service_name
        #: The endpoint service's domain.
        self.service_domain: str = service.service_domain
        #: The CLB's id (token).
        self.clb_id: str = clb.id
        #: The CLB's private address.
        self.clb_address: str = clb.address
        #: Zone endpoints must be created in.
        self.zone: str = props.zone
        #: Zones endpoints may be created in: only the CLB's primary zone.
        self.zones: tuple[str, ...] = (props.zone,)
        #: Listener port endpoints forward to.
        self.port: int = props.frontend_port
        #: Listener protocol.
        self.listener_protocol: ListenerProtocol = props.listener_protocol
        #: Whether the service accepts endpoints by itself.
        self.auto_accept_connections: bool = props.auto_accept_connections
        #: Depend on this to create endpoints only once the CLB is attached.
        self.attachment = attachment
