"""The provider side of PrivateLink on an Application Load Balancer (ALB): layer 7, http and https, several zones.

The endpoint-service half is shared with the other forms (:mod:`.endpoint_service`).

What PrivateLink and the provider require (aliyun/terraform-provider-alicloud v1.289.0, and Alibaba Cloud's
PrivateLink documentation "Create an SLB instance that supports PrivateLink",
alibabacloud.com/help/en/privatelink/latest/create-a-clb-instance-that-supports-privatelink):

* "The ALB instance that you create to support PrivateLink must be an internal-facing ALB instance that
  uses a fixed IP address": ``address_type = "Intranet"`` and ``address_allocated_mode = "Fixed"`` (the
  schema's values: Fixed, Dynamic; ForceNew, so it is right from the start).
* Billing: ``load_balancer_billing_config.pay_type`` has one value, ``PayAsYouGo`` (the schema's enum).
* Edition: ``load_balancer_edition`` is required; the provider's documented example and acceptance
  configuration build ``Standard`` (values Basic, Standard, StandardWithWaf), which this construct uses
  by default.
* Zones: ``zone_mappings`` takes one vSwitch per zone; the ALB API (CreateLoadBalancer ZoneMappings)
  needs at least two zones, which the schema does not enforce, so the checks do. The endpoint service
  attaches the ALB once per zone with ``resource_type = "alb"``.
* Listeners: ``alicloud_alb_listener`` has ``listener_protocol`` HTTP, HTTPS or QUIC; an https one names
  its certificate in ``certificates.certificate_id`` (a Certificate Management Service certificate).
  Its ``default_actions`` take only a ``forward_group_config`` (the schema has no redirect action; a
  redirect is an ``alicloud_alb_rule``, which is not in the project's schema copy).
* Server groups: ``alicloud_alb_server_group`` holds its servers inline (``servers``, ``server_type``
  ``Ecs``) with one port each, so each backend port gets its group, as on an NLB.

http to https: since no redirect action can be built from the schema, an http listener with
``redirect_to`` forwards with ``X-Forwarded-Proto`` and ``X-Forwarded-Port`` on (its
``x_forwarded_for_config``), and the backends answer such requests with a 301 to the https listener:
the demo servers do (:mod:`.demo_servers`); servers of your own must do the same.

Where backends see ALB traffic from: like an NLB, an ALB forwards (and health-checks) from local addresses
it takes in the vSwitches of its zone mappings (read back as ``zone_mappings.load_balancer_addresses
.ipv4_local_addresses``), so backends admit the ALB's vSwitch CIDR blocks (:func:`.nlb_service.nlb_source_cidrs`).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from constructs import Construct

from ._runtime import ITerraformDependable
from .backends import check_built_props, listener_description, load_balancer_basics
from .bindings import (
    AlbListener,
    AlbListenerCertificates,
    AlbListenerDefaultActions,
    AlbListenerDefaultActionsForwardGroupConfig,
    AlbListenerDefaultActionsForwardGroupConfigServerGroupTuples,
    AlbListenerXForwardedForConfig,
    AlbLoadBalancer,
    AlbLoadBalancerLoadBalancerBillingConfig,
    AlbLoadBalancerZoneMappings,
    AlbServerGroup,
    AlbServerGroupHealthCheckConfig,
    AlbServerGroupServers,
)
from .checks import Checks
from .endpoint_service import PrivateLinkServiceBase, check_publish_settings, settings_of
from .listeners import AnyListenerProtocol, Listener, ServiceForm, listener_id, per_backend_port
from .nlb_service import (
    ZonalServiceProps,
    check_balancer_name,
    check_nlb_zones,
    server_group_basics,
    zone_source_cidrs,
)

#: Listener protocols an ALB-backed service is built with (QUIC is for internet clients).
ALB_LISTENER_PROTOCOLS: tuple[AnyListenerProtocol, ...] = ("http", "https")
#: ALB editions (``load_balancer_edition``; provider docs for alicloud_alb_load_balancer).
AlbEdition = Literal["Basic", "Standard", "StandardWithWaf"]


@dataclass(frozen=True, kw_only=True)
class PrivateLinkAlbServiceProps(ZonalServiceProps):
    """Props of :class:`PrivateLinkAlbService` (with those of every form: ``ZonalServiceProps``,
    ``BuiltServiceProps``, ``ServiceProps``; give ``listeners`` for https, each with its ``certificate_id``)."""

    #: ALB name: 2-119 letters, digits, ``.``, ``_`` and ``-``, starting with a letter. Default: ``alb-privatelink``.
    alb_name: str = "alb-privatelink"
    #: ``Basic``, ``Standard`` or ``StandardWithWaf``. Default: ``Standard``.
    edition: AlbEdition = "Standard"


def check_alb_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The ALB-side rules, for both the construct's props and the scenario file."""
    check_balancer_name(checks, prefix, settings, "alb_name")
    if "edition" in settings:
        checks.one_of(f"{prefix}edition", settings["edition"], typing.get_args(AlbEdition))
    check_publish_settings(checks, prefix, settings, ServiceForm(ALB_LISTENER_PROTOCOLS, redirects=True))
    if "backend_port" in settings:
        checks.port(f"{prefix}backend_port", settings["backend_port"])


class PrivateLinkAlbService(PrivateLinkServiceBase):
    """An internal ALB with a fixed address across several zones, exposed as a PrivateLink endpoint service.

    Construct ids: ``alb``, ``server-group`` (the first listener's backend port) and ``server-group-<port>``
    (each other backend port), ``listener`` (the first listener) and ``listener-<port>`` (each other),
    ``endpoint-service``, ``service-resource-<zone>`` and ``allowed-<account id>``.
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkAlbServiceProps) -> None:
        super().__init__(scope, id, props, "alb")
        alb = AlbLoadBalancer(
            self,
            "alb",
            vpc_id=props.vpc_id,
            address_type="Intranet",
            address_allocated_mode="Fixed",
            load_balancer_edition=props.edition,
            load_balancer_billing_config=AlbLoadBalancerLoadBalancerBillingConfig(pay_type="PayAsYouGo"),
            zone_mappings=[AlbLoadBalancerZoneMappings(zone_id=z.zone, vswitch_id=z.vswitch_id) for z in props.zones],
            deletion_protection_enabled=True if props.deletion_protection else None,
            **load_balancer_basics(props.alb_name, self._tags, props),
        )
        listeners = props.all_listeners
        groups = per_backend_port(listeners, lambda port, suffix: self._server_group(props, port, suffix))
        headers = AlbListenerXForwardedForConfig(
            x_forwarded_for_proto_enabled=True, x_forwarded_for_slb_port_enabled=True
        )
        alb_listeners: list[ITerraformDependable] = []
        for index, listener in enumerate(listeners):
            forward = AlbListenerDefaultActionsForwardGroupConfigServerGroupTuples(
                server_group_id=groups[listener.target_port].id
            )
            alb_listener = AlbListener(
                self,
                listener_id(index, listener),
                load_balancer_id=alb.id,
                listener_protocol="HTTPS" if listener.protocol == "https" else "HTTP",
                listener_port=listener.frontend_port,
                default_actions=[
                    AlbListenerDefaultActions(
                        type="ForwardGroup",
                        forward_group_config=AlbListenerDefaultActionsForwardGroupConfig(server_group_tuples=[forward]),
                    )
                ],
                certificates=(
                    [AlbListenerCertificates(certificate_id=listener.certificate_id)]
                    if listener.certificate_id is not None
                    else None
                ),
                # The backends tell a redirecting listener's requests by these headers (module docstring).
                x_forwarded_for_config=headers if listener.redirect_to is not None else None,
                # ALB CreateListener ListenerDescription: 2-256 letters, digits and , . ; / @ _ - (no spaces).
                listener_description=listener_description(
                    listener.protocol, listener.frontend_port, listener.target_port
                ),
                tags=self._tags,
            )
            alb_listeners.append(alb_listener)
        # The attachments wait for the listeners, so that a refused detach leaves them in place (_publish).
        self._publish(props, alb.id, [z.zone for z in props.zones], zone_source_cidrs(props.zones), after=alb_listeners)

        #: The ALB's id (token).
        self.alb_id: str = alb.id
        #: The ALB's own domain name.
        self.alb_dns_name: str = alb.dns_name

    def _check(self, checks: Checks, props: PrivateLinkAlbServiceProps) -> None:
        check_nlb_zones(checks, "zones", [z.zone for z in props.zones], "an ALB")
        check_alb_settings(checks, "", settings_of(props))
        check_built_props(checks, props)

    def _server_group(self, props: PrivateLinkAlbServiceProps, port: int, suffix: str) -> AlbServerGroup:
        """The backends on ``port``, health-checked over HTTP at ``/``."""
        return AlbServerGroup(
            self,
            f"server-group{suffix}",
            **server_group_basics(props.alb_name, props.vpc_id, suffix),
            protocol="HTTP",
            health_check_config=AlbServerGroupHealthCheckConfig(
                health_check_enabled=True,
                health_check_protocol="HTTP",
                health_check_path="/",
                health_check_connect_port=port,
            ),
            servers=[
                AlbServerGroupServers(server_id=backend.server_id, server_type="Ecs", port=port, weight=backend.weight)
                for backend in props.backends
            ],
            tags=self._tags,
        )


def redirects_of(listeners: Sequence[Listener]) -> dict[int, int]:
    """Listener port -> https port of each listener that redirects (for the demo servers)."""
    return {item.frontend_port: item.redirect_to for item in listeners if item.redirect_to is not None}
