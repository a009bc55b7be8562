"""Building blocks both kinds of stack use: the provider configuration and the network."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Sequence

from constructs import Construct

from alicloud_privatelink import AlicloudProvider, AlicloudProviderAssumeRole, Network, NetworkProps, NetworkVswitch
from alicloud_privatelink._runtime import IResolvable, TerraformStack, Token
from alicloud_privatelink.bindings import (
    AlicloudProviderFeatures,
    AlicloudProviderFeaturesEcsInstance,
    DataPrivatelinkService,
    DataPvtzService,
)
from alicloud_privatelink.checks import is_token

from .scenario import Consumer, Service
from .settings import ZonePlacement

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
    assume_role = AlicloudProviderAssumeRole(role_arn=role_arn, session_name=ROLE_SESSION_NAME) if role_arn else None
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


def activate_private_dns(scope: Construct) -> DataPvtzService:
    """PrivateZone activated in the account of the stack's default provider (construct id ``private-dns-activation``).

    A fresh account cannot create a private zone before PrivateZone is
    activated. The provider's ``alicloud_pvtz_service`` data source with
    ``enable = "On"`` places the pay-as-you-go order (BSS OpenAPI
    ``CreateInstance``, product ``pvtz``) on every read, and treats
    ``SYSTEM.SALE_VALIDATE_NO_SPECIFIC_CODE_FAILED`` ("already activated") as
    success (data_source_alicloud_pvtz_service.go, v1.289.0); plans need the RAM
    permission ``bss:CreateInstance``. ``activate_privatelink = false`` skips it
    too. Data sources are read before anything is created.
    """
    return DataPvtzService(scope, "private-dns-activation", enable="On")


def literal_list(values: Sequence[str]) -> IResolvable:
    """A list of literals for an output's value, written out as a plain JSON list.

    Wrapped as a token because cdktf 0.21 inspects a bare list output with
    Node's deprecated ``util.isArray``, which prints a warning on Node 22.
    """
    return _literal_list(tuple(values))


@functools.cache
def _literal_list(values: tuple[str, ...]) -> IResolvable:
    # One token per distinct list (a jsii round trip each): consumers in the same zones share it. The token
    # (cdktf's Intrinsic) holds the values themselves, so it resolves to them in any stack of any app; that
    # holds for literals only, which is all this is given (zone ids the scenario checks have read).
    if any(is_token(value) for value in values):
        raise ValueError(f"literal_list takes literal strings, not tokens: {values!r}")
    return Token.as_any(list(values))


def place_network(
    scope: Construct,
    name: str,
    side: Service | Consumer,
    tags: dict[str, str],
    *,
    ipv6: bool = False,
    destroy_after_users: bool = False,
) -> tuple[str, list[str]]:
    """The VPC id and the vSwitch id of each zone (in the side's order) of one side.

    The existing ones, or a new :class:`Network` with id ``network``, whose
    further vSwitches are ``vswitch-<zone>``; a side given as a list of
    ``zones`` has every vSwitch keyed by its zone, so the list's order does
    not matter.
    """
    placements = side.placements
    if side.vpc_id is not None:
        return side.vpc_id, [p.vswitch_id or "" for p in placements]
    first, *more = placements
    network = Network(
        scope,
        "network",
        NetworkProps(
            name=name,
            vpc_cidr=side.vpc_cidr or "",
            vswitch_cidr=first.vswitch_cidr or "",
            zone=first.zone,
            more_vswitches=[NetworkVswitch(zone=p.zone, cidr=p.vswitch_cidr or "") for p in more],
            ids_by_zone=side.zones is not None,
            ipv6=ipv6,
            destroy_after_users=destroy_after_users,
            tags=tags,
        ),
    )
    return network.vpc_id, [network.vswitch_ids[p.zone] for p in placements]


def client_zone_of(side: Service | Consumer, address: str) -> str:
    """The zone whose new vSwitch holds ``address``: where a demo server with that address lives.

    By address, not by position, so reordering a side's ``zones`` moves no
    server (the scenario checks put every demo address in exactly one vSwitch).
    """
    holder: ZonePlacement = next(
        p
        for p in side.placements
        if p.vswitch_cidr and ipaddress.IPv4Address(address) in ipaddress.IPv4Network(p.vswitch_cidr)
    )
    return holder.zone


class ScenarioStack(TerraformStack):  # type: ignore[misc]
    """A stack of this app: it configures its own backend and refers to no other stack's resources.

    cdktf's ``prepareStack`` resolves every element once before the real synthesis, only to
    find cross-stack references and add the outputs and remote-state reads they need. These
    stacks have none (consumers read the provider's named outputs through an explicit
    ``terraform_remote_state``), so that pass would only cost a callback into Python per
    resource; skipping it halves the callbacks. A cross-stack reference would then not be
    wired: the snapshots and ``make test-terraform`` would show it.
    """

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        #: The stack's construct id, kept on the Python side (reading ``node.id`` is two jsii round trips).
        self.stack_id = id

    def prepare_stack(self) -> None:
        # The rest of cdktf's prepareStack, ensureBackendExists, adds a local backend to a stack without one;
        # each of these stacks configures its own in its constructor (state.configure_state).
        return None
