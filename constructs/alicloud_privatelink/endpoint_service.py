"""The endpoint-service half of a PrivateLink service, shared by the CLB and the NLB forms.

Both forms publish a load balancer the same way: one
``alicloud_privatelink_vpc_endpoint_service``, the load balancer attached with
``alicloud_privatelink_vpc_endpoint_service_resource`` (once per zone for an
NLB), and one ``alicloud_privatelink_vpc_endpoint_service_user`` per allowed
account. The resources are created directly in the caller's scope, under the
construct ids ``endpoint-service``, ``service-resource[-<zone>]`` and
``allowed-<account>``, so that the CLB form's ids (a contract) stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from constructs import Construct

from ._runtime import ITerraformDependable
from .bindings import (
    PrivatelinkVpcEndpointService,
    PrivatelinkVpcEndpointServiceResource,
    PrivatelinkVpcEndpointServiceUser,
)
from .bindings.privatelink import PrivatelinkVpcEndpointServiceServiceResourceType as ServiceResourceType

#: The protocols a PrivateLink service's listener may have: the CLB's (``https`` needs a certificate
#: this library does not manage), of which an NLB-backed service uses ``tcp`` only.
ListenerProtocol = Literal["http", "tcp", "udp"]


@dataclass(frozen=True, kw_only=True)
class ServiceResource:
    """One attachment of the load balancer to the endpoint service."""

    #: Construct id of the attachment.
    id: str
    #: The load balancer's id (token).
    resource_id: str
    #: The zone it is attached in. Default: None, which a CLB needs (its zone is its own).
    zone_id: str | None = None


def publish(
    scope: Construct,
    *,
    resource_type: ServiceResourceType,
    resources: Sequence[ServiceResource],
    description: str,
    auto_accept_connections: bool,
    zone_affinity_enabled: bool,
    allowed_accounts: Sequence[str],
    tags: Mapping[str, str] | None,
    after: Sequence[ITerraformDependable] = (),
) -> tuple[PrivatelinkVpcEndpointService, list[PrivatelinkVpcEndpointServiceResource]]:
    """The endpoint service in ``scope``, the load balancer attached to it, and the whitelisted accounts.

    Each attachment depends on ``after`` (the listener and the backends): then Terraform detaches the load
    balancer before it destroys them, and when the cloud refuses the detach because endpoints are connected
    (DetachResourceFromVpcEndpointService: ``EndpointServiceConnectionDependence``, PrivateLink API), the apply
    stops before anything that carries their traffic is gone.
    """
    service = PrivatelinkVpcEndpointService(
        scope,
        "endpoint-service",
        service_description=description,
        service_resource_type=resource_type,
        auto_accept_connection=auto_accept_connections,
        zone_affinity_enabled=zone_affinity_enabled,
        tags=tags,
    )
    attachments = [
        PrivatelinkVpcEndpointServiceResource(
            scope,
            resource.id,
            service_id=service.id,
            resource_id=resource.resource_id,
            resource_type=resource_type,
            zone_id=resource.zone_id,
            depends_on=list(after),
        )
        for resource in resources
    ]
    for account in allowed_accounts:
        PrivatelinkVpcEndpointServiceUser(scope, f"allowed-{account}", service_id=service.id, user_id=account)
    return service, attachments
