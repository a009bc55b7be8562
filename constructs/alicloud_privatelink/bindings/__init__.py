"""L1 bindings: one typed class per alicloud resource or data source this project uses.

The keyword arguments are the provider's attribute names (aliyun/alicloud
v1.289.0); required arguments are exactly the provider's required ones.
"""

from ._base import PROVIDER_SOURCE, PROVIDER_VERSION, PROVIDER_VERSION_CONSTRAINT, ResourceOptions
from .ecs import DataImages, DataInstanceTypes, Instance, SecurityGroup, SecurityGroupRule
from .nlb import (
    NlbListener,
    NlbLoadBalancer,
    NlbLoadBalancerSecurityGroupAttachment,
    NlbLoadBalancerZoneMappings,
    NlbServerGroup,
    NlbServerGroupHealthCheck,
    NlbServerGroupServerAttachment,
)
from .privatelink import (
    DataPrivatelinkService,
    DataPrivatelinkVpcEndpointZones,
    PrivatelinkVpcEndpoint,
    PrivatelinkVpcEndpointConnection,
    PrivatelinkVpcEndpointService,
    PrivatelinkVpcEndpointServiceResource,
    PrivatelinkVpcEndpointServiceUser,
    PrivatelinkVpcEndpointZone,
)
from .provider import AlicloudProvider, AlicloudProviderFeatures, AlicloudProviderFeaturesEcsInstance, AssumeRole
from .pvtz import PvtzZone, PvtzZoneAttachment, PvtzZoneRecord
from .slb import SlbBackendServer, SlbBackendServerEntry, SlbListener, SlbLoadBalancer
from .vpc import Vpc, Vswitch

__all__ = [
    "PROVIDER_SOURCE",
    "PROVIDER_VERSION",
    "PROVIDER_VERSION_CONSTRAINT",
    "AlicloudProvider",
    "AlicloudProviderFeatures",
    "AlicloudProviderFeaturesEcsInstance",
    "AssumeRole",
    "DataImages",
    "DataInstanceTypes",
    "DataPrivatelinkService",
    "DataPrivatelinkVpcEndpointZones",
    "Instance",
    "NlbListener",
    "NlbLoadBalancer",
    "NlbLoadBalancerSecurityGroupAttachment",
    "NlbLoadBalancerZoneMappings",
    "NlbServerGroup",
    "NlbServerGroupHealthCheck",
    "NlbServerGroupServerAttachment",
    "PrivatelinkVpcEndpoint",
    "PrivatelinkVpcEndpointConnection",
    "PrivatelinkVpcEndpointService",
    "PrivatelinkVpcEndpointServiceResource",
    "PrivatelinkVpcEndpointServiceUser",
    "PrivatelinkVpcEndpointZone",
    "PvtzZone",
    "PvtzZoneAttachment",
    "PvtzZoneRecord",
    "ResourceOptions",
    "SecurityGroup",
    "SecurityGroupRule",
    "SlbBackendServer",
    "SlbBackendServerEntry",
    "SlbListener",
    "SlbLoadBalancer",
    "Vpc",
    "Vswitch",
]
