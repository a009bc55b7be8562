"""The consumer side of PrivateLink (console Steps 4-5): security group, endpoint, zone, acceptance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from constructs import Construct

from ._runtime import ITerraformDependable, TerraformProvider
from .bindings import (
    PrivatelinkVpcEndpoint,
    PrivatelinkVpcEndpointConnection,
    PrivatelinkVpcEndpointZone,
    ResourceOptions,
)
from .checks import Checks
from .security_group import IngressSecurityGroup, IngressSecurityGroupProps


@dataclass(frozen=True, kw_only=True)
class PrivateLinkEndpointProps:
    """Props of :class:`PrivateLinkEndpoint`."""

    #: Consumer VPC the endpoint is created in.
    vpc_id: str
    #: vSwitch (in ``zone``) that gets the endpoint's network interface.
    vswitch_id: str
    #: Zone of the endpoint; must be the service's zone.
    zone: str
    #: Id of the endpoint service to connect to.
    service_id: str
    #: Listener port of the service; the only port the security group opens.
    port: int
    #: Endpoint name: 2-128 letters, digits, ``_`` and ``-``, starting with a letter.
    endpoint_name: str
    #: CIDR blocks of the clients allowed to reach ``port``, usually the consumer vSwitch.
    #: Default: none; then ``security_group_id`` must be given.
    client_cidrs: Sequence[str] = ()
    #: Zone of the service, checked against ``zone`` when known. Default: None, not checked.
    service_zone: str | None = None
    #: Listener protocol of the service. Default: ``tcp``.
    protocol: str = "tcp"
    #: An existing security group for the endpoint. Default: None, a group admitting only
    #: ``client_cidrs`` to ``port`` is created.
    security_group_id: str | None = None
    #: Endpoint description, 2-256 characters. Default: ``PrivateLink endpoint <endpoint_name>``.
    description: str | None = None
    #: Accept the connection on the service owner's behalf. Default: True; set False when the
    #: service accepts connections by itself.
    accept_connection: bool = True
    #: Provider acting as the service owner, for accepting. Default: None, the stack's default provider.
    acceptor: TerraformProvider | None = None
    #: What must exist before the endpoint, e.g. the service's whitelist entry. Default: nothing.
    depends_on: Sequence[ITerraformDependable] = ()
    #: Tags for every taggable resource. Default: no tags.
    tags: Mapping[str, str] = field(default_factory=dict)


def check_endpoint_settings(checks: Checks, prefix: str, settings: Mapping[str, object]) -> None:
    """The consumer-side rules, for both the construct's props and the scenario file."""
    if "endpoint_name" in settings:
        checks.endpoint_name(f"{prefix}endpoint_name", settings["endpoint_name"])
    if "description" in settings:
        checks.description(f"{prefix}description", settings["description"])


class PrivateLinkEndpoint(Construct):
    """An interface endpoint in one zone, reachable only by the consumer's clients on the service port.

    Construct ids: ``security-group`` (unless one is given), ``endpoint``,
    ``endpoint-zone`` and ``connection`` (when accepting).
    """

    def __init__(self, scope: Construct, id: str, props: PrivateLinkEndpointProps) -> None:
        description = props.description or f"PrivateLink endpoint {props.endpoint_name}"
        checks = Checks()
        check_endpoint_settings(checks, "", {"endpoint_name": props.endpoint_name, "description": description})
        checks.port("port", props.port)
        checks.same_zone("zone", props.zone, "service_zone", props.service_zone)
        if props.security_group_id is None and not props.client_cidrs:
            checks.fail("client_cidrs", "give the clients' CIDR blocks, or an existing security_group_id")
        checks.raise_if_any()
        super().__init__(scope, id)
        tags = dict(props.tags) or None

        security_group_id = props.security_group_id
        if security_group_id is None:
            security_group_id = IngressSecurityGroup(
                self,
                "security-group",
                IngressSecurityGroupProps(
                    vpc_id=props.vpc_id,
                    name=f"{props.endpoint_name}-sg",
                    description=f"Clients of PrivateLink endpoint {props.endpoint_name}",
                    port=props.port,
                    protocol="udp" if props.protocol == "udp" else "tcp",
                    source_cidrs=props.client_cidrs,
                    tags=props.tags,
                ),
            ).security_group_id
        endpoint_options: ResourceOptions = {"depends_on": list(props.depends_on)} if props.depends_on else {}
        endpoint = PrivatelinkVpcEndpoint(
            self,
            "endpoint",
            vpc_id=props.vpc_id,
            service_id=props.service_id,
            security_group_ids=[security_group_id],
            vpc_endpoint_name=props.endpoint_name,
            endpoint_description=description,
            endpoint_type="Interface",
            tags=tags,
            **endpoint_options,
        )
        zone = PrivatelinkVpcEndpointZone(
            self, "endpoint-zone", endpoint_id=endpoint.id, vswitch_id=props.vswitch_id, zone_id=props.zone
        )
        if props.accept_connection:
            acceptance: ResourceOptions = {"depends_on": [zone]}
            if props.acceptor is not None:
                acceptance["provider"] = props.acceptor
            PrivatelinkVpcEndpointConnection(
                self, "connection", service_id=props.service_id, endpoint_id=endpoint.id, **acceptance
            )

        #: The endpoint's id (token).
        self.endpoint_id: str = endpoint.id
        #: DNS name that reaches the service through this endpoint.
        self.endpoint_domain: str = endpoint.endpoint_domain
        #: Security group on the endpoint's network interface.
        self.security_group_id: str = security_group_id
        #: The endpoint's zone.
        self.zone: str = props.zone
