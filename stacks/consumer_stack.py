"""One consumer's stack (VPC1, ...): network, endpoint and its acceptance, demo client, DNS name."""

from __future__ import annotations

from constructs import Construct

from alicloud_privatelink import (
    DemoServer,
    DemoServers,
    DemoServersProps,
    EndpointPlacement,
    ExistingPrivateLinkService,
    IngressSecurityGroup,
    IngressSecurityGroupProps,
    PrivateDnsName,
    PrivateDnsNameProps,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
)
from alicloud_privatelink._runtime import ITerraformDependable, TerraformOutput, TerraformStack

from .common import (
    ScenarioStack,
    activate_private_dns,
    activate_privatelink,
    alicloud_provider,
    client_zone_of,
    literal_list,
    place_network,
)
from .provider_stack import SERVICE_ID_OUTPUT
from .scenario import Consumer, Scenario
from .state import configure_state, read_state

#: Alias of the provider that acts as the service owner in a cross-account consumer stack.
SERVICE_OWNER_ALIAS = "service_owner"


class ConsumerStack(ScenarioStack):
    """Construct ids: ``alicloud``, ``privatelink-activation``, ``service-owner``, ``provider-state``, ``network``,
    ``client-security-group``, ``client-servers``, ``endpoint`` and ``dns``.

    The service comes from the provider stack's named output ``service_id``,
    read through ``terraform_remote_state`` (``provider-state``): a documented,
    non-sensitive contract, rather than cdktf's generated (and sensitive)
    cross-stack output. The stack depends on the provider stack explicitly, so
    ``cdktf deploy '*'`` still deploys the provider first. Whitelisting a
    cross-account consumer is the provider stack's job, so destroying one
    consumer never affects another.
    """

    def __init__(
        self, scope: Construct, id: str, scenario: Scenario, consumer: Consumer, provider: TerraformStack
    ) -> None:
        super().__init__(scope, id)
        configure_state(self, scenario.name, id, scenario.state)
        self.add_dependency(provider)
        tags = {**scenario.common_tags, "consumer": consumer.name}
        alicloud_provider(self, "alicloud", scenario.region, consumer.role_arn)
        if scenario.activate_privatelink and consumer.is_cross_account:
            # The provider stack activates the service's account; this is the consumer's own.
            activate_privatelink(self)
        acceptor = None
        accepting = not scenario.service.auto_accept
        if accepting and (consumer.is_cross_account or scenario.service.role_arn is not None):
            # Accepting is the service owner's act: in their account, with their role if one is set.
            # The alias exists only when it accepts: it needs the owner's credentials.
            acceptor = alicloud_provider(
                self, "service-owner", scenario.region, scenario.service.role_arn, alias=SERVICE_OWNER_ALIAS
            )

        settings = scenario.service
        provider_state = read_state(self, "provider-state", scenario.name, provider.node.id, scenario.state)
        service_zones = [placement.zone for placement in settings.placements]
        service = ExistingPrivateLinkService(
            service_id=provider_state.get_string(SERVICE_ID_OUTPUT),
            zone=service_zones[0],
            zones=service_zones,
            port=settings.frontend_port,
            listener_protocol=settings.protocol,
            auto_accept_connections=settings.auto_accept,
        )

        vpc_id, vswitch_ids = place_network(self, f"{scenario.name}-{consumer.name}", consumer, tags)
        placements = consumer.placements
        by_zone = {p.zone: (p, v) for p, v in zip(placements, vswitch_ids, strict=True)}

        fixed_addresses: list[ITerraformDependable] = []
        if consumer.client_ip is not None:
            # In the zone whose vSwitch holds its address, not "the first zone": reordering zones moves nothing.
            client_zone, client_vswitch_id = by_zone[client_zone_of(consumer, consumer.client_ip)]
            client_group = IngressSecurityGroup(
                self,
                "client-security-group",
                IngressSecurityGroupProps(
                    vpc_id=vpc_id,
                    name=f"{scenario.name}-{consumer.name}-clients",
                    description="Demo client: no inbound access; reach it with Cloud Assistant",
                    port=service.port,
                    tags=tags,
                ),
            )
            clients = DemoServers(
                self,
                "client-servers",
                DemoServersProps(
                    servers=[DemoServer(name=consumer.client_name, private_ip=consumer.client_ip)],
                    vswitch_id=client_vswitch_id,
                    vswitch_cidr=client_zone.vswitch_cidr,
                    zone=client_zone.zone,
                    security_group_id=client_group.security_group_id,
                    image_id=scenario.servers.image_id,
                    instance_type=scenario.servers.instance_type,
                    tags=tags,
                ),
            )
            fixed_addresses.extend(clients.instances)

        # A consumer given with `zones` gets the endpoint's zones keyed by zone (`endpoint-zone-<zone>`), so their
        # order does not matter; one given with `zone` keeps the single-zone id `endpoint-zone`.
        single = consumer.zones is None
        endpoint_placements = (
            [] if single else [EndpointPlacement(zone=z, vswitch_id=v) for z, (_, v) in by_zone.items()]
        )
        endpoint = PrivateLinkEndpoint(
            self,
            "endpoint",
            PrivateLinkEndpointProps(
                service=service,
                vpc_id=vpc_id,
                zone=placements[0].zone if single else None,
                vswitch_id=vswitch_ids[0] if single else None,
                placements=endpoint_placements,
                endpoint_name=consumer.effective_endpoint_name,
                client_cidrs=[] if consumer.security_group_id else consumer.effective_client_cidrs,
                security_group_id=consumer.security_group_id,
                acceptor=acceptor,
                depends_on=fixed_addresses,
                tags=tags,
            ),
        )

        host = endpoint.endpoint_domain
        if consumer.dns_name is not None:
            if scenario.activate_privatelink:
                activate_private_dns(self)  # in the consumer's account, which owns the private zone
            PrivateDnsName(
                self,
                "dns",
                PrivateDnsNameProps(
                    dns_name=consumer.dns_name, target=endpoint.endpoint_domain, vpc_id=vpc_id, tags=tags
                ),
            )
            host = consumer.dns_name
        if service.listener_protocol == "udp":
            test_command = f"echo ping | nc -u -w 2 {host} {service.port}"
        else:
            test_command = f"curl -s http://{host}:{service.port}/"

        TerraformOutput(self, "endpoint_id", value=endpoint.endpoint_id, description="PrivateLink endpoint id")
        TerraformOutput(
            self, "endpoint_domain", value=endpoint.endpoint_domain, description="Domain that reaches the service"
        )
        TerraformOutput(
            self, "endpoint_zones", value=literal_list(sorted(endpoint.zones)), description="Zones of the endpoint"
        )
        if endpoint.zone_domains is not None:
            TerraformOutput(
                self,
                "endpoint_zone_domains",
                value=endpoint.zone_domains,
                description="Each zone's own domain of the endpoint, to pin a zone",
            )
        where = (
            "on the demo client (Step 6)"
            if consumer.client_ip is not None
            else "on a server of yours in this VPC inside client_cidrs (this consumer has no demo client)"
        )
        TerraformOutput(self, "test_command", value=test_command, description=f"Run {where} to reach a backend")
