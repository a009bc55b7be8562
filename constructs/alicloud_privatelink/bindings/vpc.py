"""VPC networking: ``alicloud_vpc`` and ``alicloud_vswitch``."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudResource, ResourceOptions, attributes_from


class Vpc(AlicloudResource):
    """``alicloud_vpc``: an isolated private network."""

    terraform_type = "alicloud_vpc"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        cidr_block: str | None = None,
        vpc_name: str | None = None,
        description: str | None = None,
        enable_ipv6: bool | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def cidr_block(self) -> str:
        return self.get_string_attribute("cidr_block")  # type: ignore[no-any-return]


class Vswitch(AlicloudResource):
    """``alicloud_vswitch``: a subnet of a VPC in one zone."""

    terraform_type = "alicloud_vswitch"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_id: str | None = None,
        cidr_block: str | None = None,
        zone_id: str | None = None,
        vswitch_name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def cidr_block(self) -> str:
        return self.get_string_attribute("cidr_block")  # type: ignore[no-any-return]

    @property
    def zone_id(self) -> str:
        return self.get_string_attribute("zone_id")  # type: ignore[no-any-return]
