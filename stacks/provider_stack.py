"""The service provider's stack (VPC2): network, backend servers, load balancer (CLB or NLB) and endpoint service."""

from __future__ import annotations

import ipaddress
import typing
from typing import Literal

from constructs import Construct

from alicloud_privatelink import (
    CLB_SOURCE_CIDR,
    DemoServer,
    DemoServers,
    DemoServersProps,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    IPrivateLinkService,
    NlbZone,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    PrivateLinkService,
    PrivateLinkServiceProps,
    ServiceBackend,
    nlb_source_cidrs,
)
from alicloud_privatelink._runtime import ITerraformDependable, TerraformOutput
from alicloud_privatelink.nlb_service import DEFAULT_NLB_DESCRIPTION, NlbListenerProtocol
from alicloud_privatelink.service import DEFAULT_DESCRIPTION

from .common import ScenarioStack, activate_privatelink, alicloud_provider, literal_list, place_network
from .scenario import Backend, Scenario, Service
from .state import configure_state

#: The output consumer stacks read the endpoint service's id from. The provider stack's outputs
#: (see ``ProviderStack._outputs``) are a documented contract: consumer stacks, also ones deployed
#: from another repository, read this one through ``terraform_remote_state``.
SERVICE_ID_OUTPUT = "service_id"


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
    ``backend-servers`` (a CLB's) or ``backend-servers-<zone>`` (an NLB's, one per zone), ``service``, and the
    outputs written by :meth:`_outputs`.
    """

    def __init__(self, scope: Construct, id: str, scenario: Scenario) -> None:
        super().__init__(scope, id)
        configure_state(self, scenario.name, id, scenario.state)
        settings = scenario.service
        tags = scenario.common_tags
        alicloud_provider(self, "alicloud", scenario.region, settings.role_arn)
        if scenario.activate_privatelink:
            activate_privatelink(self)  # in the service's account

        # An NLB lists its vSwitches (zone_mappings): a removed zone's vSwitch must outlive that update.
        vpc_id, vswitch_ids = place_network(
            self, f"{scenario.name}-service", settings, tags, destroy_after_users=settings.load_balancer == "nlb"
        )
        #: The endpoint service, for consumer stacks to reference.
        self.service: IPrivateLinkService
        if settings.load_balancer == "nlb":
            self._nlb_service(scenario, vpc_id, vswitch_ids)
            return
        vswitch_id = vswitch_ids[0]

        server_ids = {b.name: b.instance_id for b in settings.backends if b.instance_id is not None}
        fixed_addresses: list[ITerraformDependable] = []
        demo_backends = [b for b in settings.backends if b.private_ip]
        if demo_backends:
            protocol: Literal["tcp", "udp"] = "udp" if settings.listener_protocol == "udp" else "tcp"
            group = self._backend_group(
                scenario,
                vpc_id,
                "CLB health checks and PrivateLink traffic to the backend port",
                [CLB_SOURCE_CIDR],
                protocol,
            )
            placement = settings.placements[0]
            servers = self._demo_backends(
                scenario, "backend-servers", demo_backends, vswitch_id, placement.vswitch_cidr, placement.zone, group
            )
            server_ids.update(servers.instance_ids)
            fixed_addresses.extend(servers.instances)

        service = PrivateLinkService(
            self,
            "service",
            PrivateLinkServiceProps(
                vswitch_id=vswitch_id,
                zone=settings.placements[0].zone,
                backup_zone=settings.backup_zone,
                deletion_protection=settings.deletion_protection,
                backends=[ServiceBackend(server_id=server_ids[b.name], weight=b.weight) for b in settings.backends],
                clb_name=settings.clb_name,
                listener_protocol=settings.protocol,
                frontend_port=settings.frontend_port,
                backend_port=settings.backend_port,
                auto_accept_connections=settings.auto_accept,
                zone_affinity_enabled=settings.zone_affinity,
                description=settings.description or DEFAULT_DESCRIPTION,
                allowed_accounts=scenario.whitelisted_accounts,
                depends_on=fixed_addresses,
                tags=tags,
            ),
        )
        self.service = service
        self._outputs(
            service,
            {
                "clb_id": (service.clb_id, "Internal CLB id"),
                "clb_address": (service.clb_address, "Internal CLB private address"),
            },
        )

    def _nlb_service(self, scenario: Scenario, vpc_id: str, vswitch_ids: list[str]) -> None:
        """An NLB across ``service.zones``, the demo backends in their zones, and the endpoint service."""
        settings = scenario.service
        tags = scenario.common_tags
        placements = settings.placements
        server_ids = {b.name: b.instance_id for b in settings.backends if b.instance_id is not None}
        fixed_addresses: list[ITerraformDependable] = []
        demo_backends = [b for b in settings.backends if b.private_ip]
        if demo_backends:
            group = self._backend_group(
                scenario,
                vpc_id,
                "NLB health checks and forwarded traffic from the NLB's vSwitches to the backend port",
                nlb_source_cidrs([p.vswitch_cidr or "" for p in placements]),
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
        service = PrivateLinkNlbService(
            self,
            "service",
            PrivateLinkNlbServiceProps(
                vpc_id=vpc_id,
                zones=[NlbZone(zone=p.zone, vswitch_id=v) for p, v in zip(placements, vswitch_ids, strict=True)],
                backends=[
                    ServiceBackend(server_id=server_ids[b.name], weight=b.weight, name=b.name)
                    for b in settings.backends
                ],
                nlb_name=settings.nlb_name,
                # check_scenario allows only tcp for an NLB (NLB_LISTENER_PROTOCOLS)
                listener_protocol=typing.cast(NlbListenerProtocol, settings.listener_protocol),
                frontend_port=settings.frontend_port,
                backend_port=settings.backend_port,
                deletion_protection=settings.deletion_protection,
                auto_accept_connections=settings.auto_accept,
                zone_affinity_enabled=settings.zone_affinity,
                description=settings.description or DEFAULT_NLB_DESCRIPTION,
                allowed_accounts=scenario.whitelisted_accounts,
                depends_on=fixed_addresses,
                tags=tags,
            ),
        )
        self.service = service
        self._outputs(
            service,
            {
                "nlb_id": (service.nlb_id, "Internal NLB id"),
                "nlb_dns_name": (service.nlb_dns_name, "Internal NLB domain name"),
            },
        )

    def _backend_group(
        self,
        scenario: Scenario,
        vpc_id: str,
        description: str,
        sources: list[str],
        protocol: Literal["tcp", "udp"] = "tcp",
    ) -> IngressSecurityGroup:
        """The demo backends' group (``backend-security-group``): the load balancer's sources, backend port only."""
        return IngressSecurityGroup(
            self,
            "backend-security-group",
            IngressSecurityGroupProps(
                vpc_id=vpc_id,
                name=f"{scenario.name}-backends",
                description=description,
                port=scenario.service.backend_port,
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
        """Demo backends in one zone; they serve their page on the backend port unless the listener is UDP."""
        settings = scenario.service
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
                http_port=settings.backend_port if settings.listener_protocol != "udp" else None,
                # Destroying the stack while endpoints are connected is refused at the service's detach; the
                # rules that let the traffic in go only after it (and the servers) are gone.
                depends_on=group.rules,
                tags=scenario.common_tags,
            ),
        )

    def _outputs(
        self, service: PrivateLinkService | PrivateLinkNlbService, more: dict[str, tuple[object, str]]
    ) -> None:
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
