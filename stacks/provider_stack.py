"""The service provider's stack (VPC2): network, backend servers, load balancer (CLB, NLB or ALB), endpoint service."""

from __future__ import annotations

import ipaddress
import typing
from collections.abc import Mapping
from typing import Any, Literal

from constructs import Construct

from alicloud_privatelink import (
    CLB_SOURCE_CIDR,
    DemoServer,
    DemoServers,
    DemoServersProps,
    EndpointService,
    EndpointServiceProps,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    IPrivateLinkService,
    NlbZone,
    PrivateLinkAlbService,
    PrivateLinkAlbServiceProps,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    PrivateLinkService,
    PrivateLinkServiceBase,
    PrivateLinkServiceProps,
    ServiceBackend,
    nlb_source_cidrs,
)
from alicloud_privatelink._runtime import ITerraformDependable, TerraformOutput
from alicloud_privatelink.alb_service import redirects_of
from alicloud_privatelink.endpoint_service import IpVersion, LoadBalancerType, Payer
from alicloud_privatelink.listeners import backend_ports
from alicloud_privatelink.security_group import port_pairs

from .common import ScenarioStack, activate_privatelink, alicloud_provider, literal_list, place_network
from .names import backend_group_name, provider_network_name
from .scenario import Backend, Scenario, Service
from .state import configure_state

#: The output consumer stacks read the endpoint service's id from. The provider stack's outputs
#: (see ``ProviderStack._outputs``) are a documented contract: consumer stacks, also ones deployed
#: from another repository, read this one through ``terraform_remote_state``.
SERVICE_ID_OUTPUT = "service_id"


def publish_props(scenario: Scenario) -> dict[str, Any]:
    """The props every service form takes (``ServiceProps``), from the scenario's ``[service]``."""
    settings = scenario.service
    return {
        "listener_protocol": settings.protocol,
        "frontend_port": settings.frontend_port,
        "auto_accept_connections": settings.auto_accept,
        "zone_affinity_enabled": settings.zone_affinity,
        # None: the construct's default, which names the load balancer type.
        "description": settings.description,
        "allowed_accounts": scenario.whitelisted_accounts,
        "supported_regions": scenario.supported_regions,
        "tags": scenario.common_tags,
        # check_scenario allows only IPv4 and DualStack
        "ip_version": typing.cast(IpVersion, settings.ip_version),
        "payer": typing.cast(Payer | None, settings.payer),
        "connect_bandwidth": settings.connect_bandwidth,
        # Only when given: the single-listener settings above describe the one listener otherwise.
        **({"listeners": settings.all_listeners} if settings.listeners else {}),
    }


def built_props(
    scenario: Scenario, server_ids: dict[str, str], fixed_addresses: list[ITerraformDependable]
) -> dict[str, Any]:
    """The props every form that builds its load balancer takes (``BuiltServiceProps``, with ``ServiceProps``).

    ``server_ids``: each backend's server id by name; ``fixed_addresses``: the demo servers, created first.
    """
    settings = scenario.service
    backends = [ServiceBackend(server_id=server_ids[b.name], weight=b.weight, name=b.name) for b in settings.backends]
    return {
        **publish_props(scenario),
        "backends": backends,
        "backend_port": settings.backend_port,
        "deletion_protection": settings.deletion_protection,
        "depends_on": fixed_addresses,
    }


def backend_servers(settings: Service) -> tuple[dict[str, str], list[ITerraformDependable], list[Backend]]:
    """The existing backends' server ids by name, an empty list for the demo servers, and the demo backends."""
    server_ids = {b.name: b.instance_id for b in settings.backends if b.instance_id is not None}
    return server_ids, [], [b for b in settings.backends if b.private_ip]


def backend_zone(settings: Service, backend: Backend) -> str:
    """The zone of a backend of an NLB: the one it names, else the one whose vSwitch holds its address."""
    if backend.zone is not None:
        return backend.zone
    address = ipaddress.IPv4Address(backend.private_ip or "")
    return next(
        p.zone for p in settings.placements if p.vswitch_cidr and address in ipaddress.IPv4Network(p.vswitch_cidr)
    )


class ProviderStack(ScenarioStack):
    """Construct ids: ``alicloud``, ``privatelink-activation``, ``network``, ``backend-security-group``,
    ``backend-servers`` (a CLB's) or ``backend-servers-<zone>`` (an NLB's or ALB's, one per zone), ``service``, and the
    outputs written by :meth:`_outputs`. With an existing load balancer (``service.load_balancer_id``) only
    ``alicloud``, ``privatelink-activation``, ``service`` (an :class:`EndpointService`) and the outputs.
    """

    def __init__(self, scope: Construct, id: str, scenario: Scenario) -> None:
        super().__init__(scope, id)
        configure_state(self, scenario.name, id, scenario.state)
        settings = scenario.service
        tags = scenario.common_tags
        alicloud_provider(self, "alicloud", scenario.region, settings.role_arn)
        if scenario.activate_privatelink:
            activate_privatelink(self)  # in the service's account

        #: The endpoint service, for consumer stacks to reference.
        self.service: IPrivateLinkService
        if settings.mode == "existing":
            self._existing_service(scenario)
            return
        dual = settings.ip_version == "DualStack"
        # An NLB or ALB lists its vSwitches (zone_mappings): a removed zone's vSwitch must outlive that update.
        vpc_id, vswitch_ids = place_network(
            self,
            provider_network_name(scenario.name),
            settings,
            tags,
            ipv6=dual,
            destroy_after_users=settings.load_balancer in ("nlb", "alb"),
        )
        if settings.load_balancer in ("nlb", "alb"):
            self._nlb_service(scenario, vpc_id, vswitch_ids)
            return
        vswitch_id = vswitch_ids[0]

        server_ids, fixed_addresses, demo_backends = backend_servers(settings)
        if demo_backends:
            group = self._backend_group(
                scenario,
                vpc_id,
                "CLB health checks and PrivateLink traffic to the backend port",
                [CLB_SOURCE_CIDR],
                [(listener.transport, listener.target_port) for listener in settings.all_listeners],
            )
            placement = settings.placements[0]
            servers = self._demo_backends(
                scenario, "backend-servers", demo_backends, vswitch_id, placement.vswitch_cidr, placement.zone, group
            )
            server_ids.update(servers.instance_ids)
            fixed_addresses.extend(servers.instances)

        props = PrivateLinkServiceProps(
            **built_props(scenario, server_ids, fixed_addresses),
            vswitch_id=vswitch_id,
            zone=settings.placements[0].zone,
            backup_zone=settings.backup_zone,
            clb_name=settings.clb_name,
        )
        clb = PrivateLinkService(self, "service", props)
        more = {
            "clb_id": (clb.clb_id, "Internal CLB id"),
            "clb_address": (clb.clb_address, "Internal CLB private address"),
        }
        self._outputs(clb, more)

    def _nlb_service(self, scenario: Scenario, vpc_id: str, vswitch_ids: list[str]) -> None:
        """An NLB or ALB across ``service.zones``, the demo backends in their zones, and the endpoint service."""
        settings = scenario.service
        placements = settings.placements
        word = "ALB" if settings.load_balancer == "alb" else "NLB"
        server_ids, fixed_addresses, demo_backends = backend_servers(settings)
        if demo_backends:
            group = self._backend_group(
                scenario,
                vpc_id,
                f"{word} health checks and forwarded traffic from the {word}'s vSwitches to the backend port",
                nlb_source_cidrs([p.vswitch_cidr or "" for p in placements]),
                [("tcp", port) for port in backend_ports(settings.all_listeners)],
            )
            for placement, vswitch_id in zip(placements, vswitch_ids, strict=True):
                here = [b for b in demo_backends if backend_zone(settings, b) == placement.zone]
                if here:
                    servers = self._demo_backends(
                        scenario,
                        f"backend-servers-{placement.zone}",
                        here,
                        vswitch_id,
                        placement.vswitch_cidr,
                        placement.zone,
                        group,
                    )
                    server_ids.update(servers.instance_ids)
                    fixed_addresses.extend(servers.instances)
        zones = [
            NlbZone(zone=p.zone, vswitch_id=v, vswitch_cidr=p.vswitch_cidr)
            for p, v in zip(placements, vswitch_ids, strict=True)
        ]
        built = {**built_props(scenario, server_ids, fixed_addresses), "vpc_id": vpc_id, "zones": zones}
        if settings.load_balancer == "alb":
            alb = PrivateLinkAlbService(
                self, "service", PrivateLinkAlbServiceProps(**built, alb_name=settings.alb_name)
            )
            more = {
                "alb_id": (alb.alb_id, "Internal ALB id"),
                "alb_dns_name": (alb.alb_dns_name, "Internal ALB domain name"),
            }
            self._outputs(alb, more)
            return
        nlb = PrivateLinkNlbService(self, "service", PrivateLinkNlbServiceProps(**built, nlb_name=settings.nlb_name))
        more = {
            "nlb_id": (nlb.nlb_id, "Internal NLB id"),
            "nlb_dns_name": (nlb.nlb_dns_name, "Internal NLB domain name"),
        }
        self._outputs(nlb, more)

    def _existing_service(self, scenario: Scenario) -> None:
        """The endpoint service over the team's own load balancer; nothing else is created."""
        settings = scenario.service
        service = EndpointService(
            self,
            "service",
            EndpointServiceProps(
                **publish_props(scenario),
                # check_scenario allows only clb, nlb and alb with load_balancer_id
                load_balancer_type=typing.cast(LoadBalancerType, settings.load_balancer),
                load_balancer_id=settings.load_balancer_id or "",
                zones=[p.zone for p in settings.placements],
            ),
        )
        more: dict[str, tuple[object, str]] = {
            "load_balancer_id": (service.load_balancer_id, "The published load balancer")
        }
        if service.backend_source_cidrs is not None:
            more["backend_source_cidrs"] = (
                literal_list(service.backend_source_cidrs),
                "Sources the load balancer's backends must admit on the backend port",
            )
        self._outputs(service, more)

    def _backend_group(
        self,
        scenario: Scenario,
        vpc_id: str,
        description: str,
        sources: list[str],
        ports: list[tuple[Literal["tcp", "udp"], int]],
    ) -> IngressSecurityGroup:
        """The demo backends' group (``backend-security-group``): the load balancer's sources, backend ports only."""
        (protocol, port), more = port_pairs(ports)
        return IngressSecurityGroup(
            self,
            "backend-security-group",
            IngressSecurityGroupProps(
                vpc_id=vpc_id,
                name=backend_group_name(scenario.name),
                description=description + ("s" if more else ""),
                port=port,
                more_ports=more,
                protocol=protocol,
                source_cidrs=sources,
                tags=scenario.common_tags,
            ),
        )

    def _demo_backends(
        self,
        scenario: Scenario,
        id: str,
        backends: list[Backend],
        vswitch_id: str,
        vswitch_cidr: str | None,
        zone: str,
        group: IngressSecurityGroup,
    ) -> DemoServers:
        """Demo backends in one zone; they serve their page on each backend port of a listener that is not UDP."""
        web_ports = backend_ports(
            [listener for listener in scenario.service.all_listeners if listener.protocol != "udp"]
        )
        return DemoServers(
            self,
            id,
            DemoServersProps(
                servers=[DemoServer(name=b.name, private_ip=b.private_ip or "") for b in backends],
                vswitch_id=vswitch_id,
                vswitch_cidr=vswitch_cidr,
                zone=zone,
                security_group_id=group.security_group_id,
                image_id=scenario.servers.image_id,
                instance_type=scenario.servers.instance_type,
                http_port=web_ports[0] if web_ports else None,
                more_http_ports=web_ports[1:],
                redirects=redirects_of(scenario.service.all_listeners),
                # Destroying the stack while endpoints are connected is refused at the service's detach; the
                # rules that let the traffic in go only after it (and the servers) are gone.
                depends_on=group.rules,
                tags=scenario.common_tags,
            ),
        )

    def _outputs(self, service: PrivateLinkServiceBase, more: Mapping[str, tuple[object, str]]) -> None:
        """Keep ``service`` for the consumer stacks and write the outputs they and the user read."""
        self.service = service
        outputs = {
            "service_id": (service.service_id, "Endpoint service id, for consumers"),
            "service_name": (service.service_name, "Endpoint service name, for consumers"),
            "service_domain": (service.service_domain, "Endpoint service domain"),
            **more,
            # Sorted: the order of service.zones means nothing, so reordering them changes no output either.
            "zones": (
                literal_list(sorted(service.zones)),
                "Zones the endpoint service is offered in; endpoints may use these",
            ),
        }
        for name, (value, description) in outputs.items():
            TerraformOutput(self, name, value=value, description=description)
