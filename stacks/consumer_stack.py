"""One consumer's stack (VPC1, ...): network, endpoint and its acceptance, demo client, DNS name."""

from __future__ import annotations

import typing

from constructs import Construct

from alicloud_privatelink import (
    DemoServer,
    DemoServers,
    DemoServersProps,
    EndpointIpVersion,
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
from alicloud_privatelink.listeners import Listener

from .common import (
    ScenarioStack,
    activate_private_dns,
    activate_privatelink,
    alicloud_provider,
    client_zone_of,
    literal_list,
    place_network,
)
from .names import client_group_name, consumer_network_name
from .provider_stack import SERVICE_ID_OUTPUT
from .scenario import Consumer, Scenario
from .state import configure_state, read_state

#: Alias of the provider that acts as the service owner in a cross-account consumer stack.
SERVICE_OWNER_ALIAS = "service_owner"


def acceptance_command(region: str, service_id: str, endpoint_id: str) -> str:
    """The aliyun CLI call with which a service's owner accepts an endpoint's connection.

    PrivateLink API EnableVpcEndpointConnection (RegionId, ServiceId, EndpointId), the call the provider's
    alicloud_privatelink_vpc_endpoint_connection makes (aliyun/terraform-provider-alicloud v1.289.0).
    """
    return (
        f"aliyun privatelink EnableVpcEndpointConnection --RegionId {region} "
        f"--ServiceId {service_id} --EndpointId {endpoint_id}"
    )


def listener_test_command(host: str, listener: Listener) -> str:
    """The command that reaches a backend through one listener: a UDP ping, else the demo page over HTTP(S)
    (the headers only, with the redirect, of an http listener that redirects).

    ``https``: ``--insecure``, as the certificate names the service's own domain, not the endpoint's.
    """
    if listener.protocol == "udp":
        return f"echo ping | nc -u -w 2 {host} {listener.frontend_port}"
    if listener.redirect_to is not None:  # the redirect's status and Location
        return f"curl -sI http://{host}:{listener.frontend_port}/"
    if listener.protocol == "https":
        return f"curl -s --insecure https://{host}:{listener.frontend_port}/"
    return f"curl -s http://{host}:{listener.frontend_port}/"


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
        self, scope: Construct, id: str, scenario: Scenario, consumer: Consumer, provider: TerraformStack | None
    ) -> None:
        """``provider``: the provider stack, or None when the service is published elsewhere (``service_id`` or
        ``service_name``): then the endpoint uses the service as given and there is no state to read."""
        super().__init__(scope, id)
        configure_state(self, scenario.name, id, scenario.state)
        if provider is not None:
            self.add_dependency(provider)
        tags = {**scenario.common_tags, "consumer": consumer.name}
        region = consumer.region_or(scenario.region)
        cross_region = region != scenario.region
        alicloud_provider(self, "alicloud", region, consumer.role_arn)
        if scenario.activate_privatelink and (consumer.is_cross_account or provider is None):
            # The provider stack activates the service's account; this is the consumer's own.
            activate_privatelink(self)
        settings = scenario.service
        acceptor = None
        accepting = not settings.auto_accept
        # Accepting is the service owner's act: in their account and region (EnableVpcEndpointConnection runs in
        # the provider's region, resource_alicloud_privatelink_vpc_endpoint_connection.go v1.289.0), with their
        # role if one is set. Published elsewhere, only the owner's role can accept from here; without it the
        # owner accepts (see below).
        owner_acts = settings.role_arn is not None or (
            provider is not None and (consumer.is_cross_account or cross_region)
        )
        if accepting and owner_acts:
            # The alias exists only when it accepts: it needs the owner's credentials.
            acceptor = alicloud_provider(
                self, "service-owner", scenario.region, settings.role_arn, alias=SERVICE_OWNER_ALIAS
            )

        service_zones = [placement.zone for placement in settings.placements]
        if provider is not None:
            provider_state = read_state(self, "provider-state", scenario.name, provider.node.id, scenario.state)
            service_id: str | None = provider_state.get_string(SERVICE_ID_OUTPUT)
        else:
            service_id = settings.service_id
        service = ExistingPrivateLinkService(
            service_id=service_id,
            service_name=settings.service_name if provider is None else None,
            zone=service_zones[0],
            zones=service_zones,
            port=settings.frontend_port,
            listener_protocol=settings.protocol,
            listeners=settings.all_listeners,
            auto_accept_connections=settings.auto_accept,
            supports_ipv6=settings.ip_version == "DualStack",
        )

        vpc_id, vswitch_ids = place_network(
            self,
            consumer_network_name(scenario.name, consumer.name),
            consumer,
            tags,
            ipv6=consumer.ip_version == "DualStack",
        )
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
                    name=client_group_name(scenario.name, consumer.name),
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
        endpoint_ips = consumer.endpoint_ips()
        endpoint_placements = (
            []
            if single
            else [
                EndpointPlacement(zone=z, vswitch_id=v, endpoint_ip=endpoint_ips.get(z), vswitch_cidr=p.vswitch_cidr)
                for z, (p, v) in by_zone.items()
            ]
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
                endpoint_ip=consumer.endpoint_ip if single else None,
                vswitch_cidr=placements[0].vswitch_cidr if single else None,
                endpoint_name=consumer.effective_endpoint_name,
                service_region=scenario.region if cross_region else None,
                cross_region_bandwidth=consumer.cross_region_bandwidth,
                bandwidth=consumer.bandwidth,
                ip_version=typing.cast(EndpointIpVersion | None, consumer.ip_version),
                client_cidrs=[] if consumer.security_group_id else consumer.effective_client_cidrs,
                security_group_id=consumer.security_group_id,
                acceptor=acceptor,
                accept_connection=None if acceptor is not None or provider is not None else False,
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
        test_command = "; ".join(listener_test_command(host, listener) for listener in service.listeners)

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
        if accepting and acceptor is None and provider is None:
            TerraformOutput(
                self,
                "acceptance_command",
                value=acceptance_command(scenario.region, endpoint.service_id, endpoint.endpoint_id),
                description="The service owner runs this to accept the endpoint's connection (aliyun CLI)",
            )
