"""The service provider's stack (VPC2): network, backend servers, CLB and endpoint service."""

from __future__ import annotations

from typing import Literal

from constructs import Construct

from alicloud_privatelink import (
    CLB_SOURCE_CIDR,
    DemoServer,
    DemoServers,
    DemoServersProps,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    PrivateLinkService,
    PrivateLinkServiceProps,
    ServiceBackend,
)
from alicloud_privatelink._runtime import ITerraformDependable, TerraformOutput, TerraformStack
from alicloud_privatelink.service import DEFAULT_DESCRIPTION

from .common import activate_privatelink, alicloud_provider, place_network
from .scenario import Scenario
from .state import configure_state

#: The output consumer stacks read the endpoint service's id from.
SERVICE_ID_OUTPUT = "service_id"
#: The provider stack's outputs: a documented contract. Consumer stacks (also ones deployed from
#: another repository) read :data:`SERVICE_ID_OUTPUT` through ``terraform_remote_state``.
SERVICE_OUTPUTS = {
    "service_id": "Endpoint service id, for consumers",
    "service_name": "Endpoint service name, for consumers",
    "service_domain": "Endpoint service domain",
    "clb_id": "Internal CLB id",
    "clb_address": "Internal CLB private address",
}


class ProviderStack(TerraformStack):  # type: ignore[misc]
    """Construct ids: ``alicloud``, ``privatelink-activation``, ``network``, ``backend-security-group``,
    ``backend-servers``, ``service``, and the outputs of :data:`SERVICE_OUTPUTS`.
    """

    def __init__(self, scope: Construct, id: str, scenario: Scenario) -> None:
        super().__init__(scope, id)
        configure_state(self, scenario.name, id, scenario.state)
        settings = scenario.service
        tags = scenario.common_tags
        alicloud_provider(self, "alicloud", scenario.region, settings.role_arn)
        if scenario.activate_privatelink:
            activate_privatelink(self)  # in the service's account

        vpc_id, vswitch_id = place_network(self, f"{scenario.name}-service", settings, tags)

        server_ids = {b.name: b.instance_id for b in settings.backends if b.instance_id is not None}
        fixed_addresses: list[ITerraformDependable] = []
        demo_backends = [DemoServer(name=b.name, private_ip=b.private_ip) for b in settings.backends if b.private_ip]
        if demo_backends:
            protocol: Literal["tcp", "udp"] = "udp" if settings.listener_protocol == "udp" else "tcp"
            backend_group = IngressSecurityGroup(
                self,
                "backend-security-group",
                IngressSecurityGroupProps(
                    vpc_id=vpc_id,
                    name=f"{scenario.name}-backends",
                    description="CLB health checks and PrivateLink traffic to the backend port",
                    port=settings.backend_port,
                    protocol=protocol,
                    source_cidrs=[CLB_SOURCE_CIDR],
                    tags=tags,
                ),
            )
            servers = DemoServers(
                self,
                "backend-servers",
                DemoServersProps(
                    servers=demo_backends,
                    vswitch_id=vswitch_id,
                    vswitch_cidr=settings.vswitch_cidr,
                    zone=settings.zone,
                    security_group_id=backend_group.security_group_id,
                    image_id=scenario.servers.image_id,
                    instance_type=scenario.servers.instance_type,
                    http_port=settings.backend_port if protocol == "tcp" else None,
                    tags=tags,
                ),
            )
            server_ids.update(servers.instance_ids)
            fixed_addresses.extend(servers.instances)

        #: The endpoint service, for consumer stacks to reference.
        self.service = PrivateLinkService(
            self,
            "service",
            PrivateLinkServiceProps(
                vswitch_id=vswitch_id,
                zone=settings.zone,
                backup_zone=settings.backup_zone,
                backends=[ServiceBackend(server_id=server_ids[b.name], weight=b.weight) for b in settings.backends],
                clb_name=settings.clb_name,
                listener_protocol=settings.listener_protocol,
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
        values = {
            "service_id": self.service.service_id,
            "service_name": self.service.service_name,
            "service_domain": self.service.service_domain,
            "clb_id": self.service.clb_id,
            "clb_address": self.service.clb_address,
        }
        for name, description in SERVICE_OUTPUTS.items():
            TerraformOutput(self, name, value=values[name], description=description)
