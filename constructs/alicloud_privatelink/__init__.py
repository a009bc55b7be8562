"""Alibaba Cloud PrivateLink as cdktf constructs.

Provider side: :class:`Network` + :class:`PrivateLinkService` (CLB, listener,
backends, endpoint service) or :class:`PrivateLinkNlbService` (the same on an
NLB across several zones) or :class:`PrivateLinkAlbService` (an ALB, http and
https), or :class:`EndpointService` over a load balancer
that already exists (by type and id); all share :class:`ServiceProps` and the
attributes of :class:`PrivateLinkServiceBase`; one listener or several
(:class:`Listener`). Consumer side: :class:`Network` + :class:`PrivateLinkEndpoint`
(security group, endpoint, zone, acceptance),
optionally :class:`PrivateDnsName`. :func:`local_state_beside_output` keeps a
stack's local state beside the output folder at a relative path; :func:`format_hcl_output` makes an HCL
synth's ``cdk.tf`` files valid and formatted. :class:`DemoServers` and
:class:`IngressSecurityGroup` make a runnable demo. The typed L1 bindings are
in :mod:`alicloud_privatelink.bindings`.
"""

from ._runtime import RUNTIME_NAME
from .alb_service import PrivateLinkAlbService, PrivateLinkAlbServiceProps
from .backends import BuiltServiceProps
from .bindings import AlicloudProvider, AlicloudProviderAssumeRole
from .checks import Problem, ValidationError
from .demo_servers import DemoServer, DemoServers, DemoServersProps
from .endpoint import (
    EndpointIpVersion,
    EndpointPlacement,
    ExistingPrivateLinkService,
    IPrivateLinkService,
    PrivateLinkEndpoint,
    PrivateLinkEndpointProps,
)
from .endpoint_service import (
    EndpointService,
    EndpointServiceProps,
    ListenerProtocol,
    LoadBalancerType,
    PrivateLinkServiceBase,
    ServiceProps,
)
from .hcl_format import format_hcl_output
from .listeners import AnyListenerProtocol, Listener
from .network import Network, NetworkProps, NetworkVswitch
from .nlb_service import (
    NlbZone,
    PrivateLinkNlbService,
    PrivateLinkNlbServiceProps,
    ZonalServiceProps,
    nlb_source_cidrs,
)
from .private_dns import PrivateDnsName, PrivateDnsNameProps
from .security_group import CLB_SOURCE_CIDR, IngressSecurityGroup, IngressSecurityGroupProps
from .service import PrivateLinkService, PrivateLinkServiceProps, ServiceBackend
from .state import local_state_beside_output, read_local_state_beside_output

#: The name this library exported before the bindings were generated; kept for existing user code.
AssumeRole = AlicloudProviderAssumeRole

__version__ = "0.1.0"

__all__ = [
    "CLB_SOURCE_CIDR",
    "RUNTIME_NAME",
    "AlicloudProvider",
    "AlicloudProviderAssumeRole",
    "AnyListenerProtocol",
    "AssumeRole",
    "BuiltServiceProps",
    "DemoServer",
    "DemoServers",
    "DemoServersProps",
    "EndpointIpVersion",
    "EndpointPlacement",
    "EndpointService",
    "EndpointServiceProps",
    "ExistingPrivateLinkService",
    "IPrivateLinkService",
    "IngressSecurityGroup",
    "IngressSecurityGroupProps",
    "Listener",
    "ListenerProtocol",
    "LoadBalancerType",
    "Network",
    "NetworkProps",
    "NetworkVswitch",
    "NlbZone",
    "PrivateDnsName",
    "PrivateDnsNameProps",
    "PrivateLinkAlbService",
    "PrivateLinkAlbServiceProps",
    "PrivateLinkEndpoint",
    "PrivateLinkEndpointProps",
    "PrivateLinkNlbService",
    "PrivateLinkNlbServiceProps",
    "PrivateLinkService",
    "PrivateLinkServiceBase",
    "PrivateLinkServiceProps",
    "Problem",
    "ServiceBackend",
    "ServiceProps",
    "ValidationError",
    "ZonalServiceProps",
    "format_hcl_output",
    "local_state_beside_output",
    "nlb_source_cidrs",
    "read_local_state_beside_output",
]
