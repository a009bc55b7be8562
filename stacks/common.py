"""Building blocks both kinds of stack use: the provider configuration and the network."""

from __future__ import annotations

from constructs import Construct

from alicloud_privatelink import AlicloudProvider, AssumeRole, Network, NetworkProps
from alicloud_privatelink.bindings import (
    AlicloudProviderFeatures,
    AlicloudProviderFeaturesEcsInstance,
    DataPrivatelinkService,
)

from .scenario import Placement

ROLE_SESSION_NAME = "privatelink-cdktf"


#: An image roll (a new literal ``image_id``) plans as a replacement of the server, not as an in-place
#: ReplaceSystemDisk the plan can only show as an update (provider.go featuresSchema and
#: resourceAliCloudInstanceCustomizeDiff, aliyun/terraform-provider-alicloud v1.289.0).
REPLACE_ON_IMAGE_UPDATE = AlicloudProviderFeatures(
    ecs_instance=AlicloudProviderFeaturesEcsInstance(replace_on_image_update=True)
)


def alicloud_provider(
    scope: Construct, id: str, region: str, role_arn: str | None, alias: str | None = None
) -> AlicloudProvider:
    """The alicloud provider; credentials come from its environment, optionally through a role.

    The default provider (no ``alias``) creates the stack's servers, so it plans image rolls as replacements.
    """
    assume_role = AssumeRole(role_arn=role_arn, session_name=ROLE_SESSION_NAME) if role_arn else None
    features = REPLACE_ON_IMAGE_UPDATE if alias is None else None
    return AlicloudProvider(scope, id, region=region, assume_role=assume_role, features=features, alias=alias)


def activate_privatelink(scope: Construct) -> DataPrivatelinkService:
    """PrivateLink activated in the account of the stack's default provider (construct id ``privatelink-activation``).

    PrivateLink must be activated once per account before any endpoint service
    or endpoint can be created. The provider's ``alicloud_privatelink_service``
    data source with ``enable = "On"`` calls ``OpenPrivateLinkService`` on every
    read, i.e. on every plan, and treats the ``OrderOpend`` ("already
    activated") answer as success (data_source_alicloud_privatelink_service.go,
    aliyun/terraform-provider-alicloud v1.289.0). Plans therefore need the RAM
    permission ``privatelink:OpenPrivateLinkService``; scenarios can opt out with
    ``activate_privatelink = false``. Data sources are read before anything is
    created, so no resource needs to depend on it.
    """
    return DataPrivatelinkService(scope, "privatelink-activation", enable="On")


def place_network(scope: Construct, name: str, placement: Placement, tags: dict[str, str]) -> tuple[str, str]:
    """The VPC and vSwitch ids of one side: the existing ones, or a new :class:`Network` with id ``network``."""
    if placement.vpc_id is not None and placement.vswitch_id is not None:
        return placement.vpc_id, placement.vswitch_id
    network = Network(
        scope,
        "network",
        NetworkProps(
            name=name,
            vpc_cidr=placement.vpc_cidr or "",
            vswitch_cidr=placement.vswitch_cidr or "",
            zone=placement.zone,
            tags=tags,
        ),
    )
    return network.vpc_id, network.vswitch_id
