"""The provider side of PrivateLink on a CLB (console Steps 1-3): CLB, listener, backends, endpoint service.

PrivateLink publishes a CLB only when it is pay-as-you-go and internal-facing,
and the CLB, the endpoint service and every endpoint must share one zone. Those are not
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
from collections.abc import Mapping
from dataclasses import dataclass

from constructs import Construct

from .backends import BuiltServiceProps, ServiceBackend, check_built_props, listener_description, load_balancer_basics
from .bindings import (
    SlbBackendServer,
    SlbBackendServerBackendServers,
    SlbListener,
    SlbLoadBalancer,
)
from .bindings.slb import SlbListenerProtocol
from .checks import Checks
from .endpoint_service import (
    LOAD_BALANCERS,
    ListenerProtocol,
    PrivateLinkServiceBase,
    check_publish_settings,
    default_description,
    settings_of,
)
from .listeners import AnyListenerProtocol, ServiceForm, listener_id

__all__ = ["DEFAULT_DESCRIPTION", "PrivateLinkService", "PrivateLinkServiceProps", "ServiceBackend"]

#: Listener protocols of the single-listener settings (``https`` needs a certificate: give ``listeners``).
LISTENER_PROTOCOLS: tuple[ListenerProtocol, ...] = typing.get_args(ListenerProtocol)
#: Listener protocols of a CLB this construct builds as ``listeners``: also ``https``, with a certificate.
CLB_PROTOCOLS: tuple[AnyListenerProtocol, ...] = (*LISTENER_PROTOCOLS, "https")
assert set(CLB_PROTOCOLS) <= set(typing.get_args(SlbListenerProtocol))  # the provider's values
DEFAULT_DESCRIPTION = default_description("clb")


@dataclass(frozen=True, kw_only=True)
class PrivateLinkServiceProps(BuiltServiceProps):
    """Props of :class:`PrivateLinkService` (with those of every form: ``BuiltServiceProps``, ``ServiceProps``)."""

    #: vSwitch (in the provider VPC) the CLB gets its address from.
    vswitch_id: str
    #: The vSwitch's zone; the CLB's primary zone and the zone endpoints must use.
    zone: str
    #: The CLB's backup zone, used only if ``zone`` fails. Default: None, a single-zone CLB.
    backup_zone: str | None = None
    #: CLB name: 1-80 letters, digits, ``-/._``. Default: ``clb-privatelink``.
    clb_name: str = "clb-privatelink"


def check_service_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The CLB-side rules, for both the construct's props and the scenario file."""
    check_publish_settings(checks, prefix, settings, ServiceForm(CLB_PROTOCOLS))
    if "clb_name" in settings:
        checks.shape("clb_name", f"{prefix}clb_name", settings["clb_name"])
    if "backend_port" in settings:
        checks.port(f"{prefix}backend_port", settings["backend_port"])
    if settings.get("backup_zone") is not None:
        checks.different_zones(f"{prefix}backup_zone", settings["backup_zone"], f"{prefix}zone", settings.get("zone"))


class PrivateLinkService(PrivateLinkServiceBase):
    """An internal, pay-as-you-go, pay-by-LCU CLB exposed as a PrivateLink endpoint service.

    Construct ids: ``clb``, ``listener``, ``backends``, ``endpoint-service``,
    ``service-resource`` and ``allowed-<account id>``.
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkServiceProps) -> None:
        super().__init__(scope, id, props, "clb")
        clb = SlbLoadBalancer(
            self,
            "clb",
            address_type="intranet",
            payment_type="PayAsYouGo",
            instance_charge_type="PayByCLCU",
            vswitch_id=props.vswitch_id,
            master_zone_id=props.zone,
            slave_zone_id=props.backup_zone,
            delete_protection="on" if props.deletion_protection else None,
            **load_balancer_basics(props.clb_name, self._tags, props),
        )
        listeners: list[SlbListener] = []
        for index, listener in enumerate(props.all_listeners):
            protocol: SlbListenerProtocol = listener.protocol
            web = protocol in ("http", "https")
            slb_listener = SlbListener(
                self,
                listener_id(index, listener),
                load_balancer_id=clb.id,
                protocol=protocol,
                frontend_port=listener.frontend_port,
                backend_port=listener.target_port,
                health_check="on",
                health_check_type="http" if web else ("tcp" if protocol == "tcp" else None),
                health_check_connect_port=listener.target_port,
                health_check_uri="/" if web else None,
                # An https listener terminates TLS with an SLB server certificate (slb_listener, v1.289.0:
                # server_certificate_id "required when protocol is https") and forwards HTTP to the backends.
                server_certificate_id=listener.certificate_id,
                # Listener descriptions allow only letters, digits, '-', '/', '.' and '_' (provider docs,
                # slb_listener, v1.289.0): no spaces.
                description=listener_description(protocol, listener.frontend_port, listener.target_port),
            )
            listeners.append(slb_listener)
        backend_list = SlbBackendServer(
            self,
            "backends",
            load_balancer_id=clb.id,
            backend_servers=[
                SlbBackendServerBackendServers(server_id=backend.server_id, weight=backend.weight, type="ecs")
                for backend in props.backends
            ],
        )
        self._publish(
            props, clb.id, (props.zone,), LOAD_BALANCERS["clb"].backend_source_cidrs, after=[*listeners, backend_list]
        )

        #: The CLB's id (token).
        self.clb_id: str = clb.id
        #: The CLB's private address.
        self.clb_address: str = clb.address
        #: Depend on this to create endpoints only once the CLB is attached.
        self.attachment = self.attachments[0]

    def _check(self, checks: Checks, props: PrivateLinkServiceProps) -> None:
        check_service_settings(checks, "", settings_of(props))
        check_built_props(checks, props)
        checks.resource_id("vswitch_id", props.vswitch_id, "vswitch")
