"""PrivateZone (``pvtz``): private DNS zones, records, and their VPC attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudResource, ResourceOptions, attributes_from


class PvtzZone(AlicloudResource):
    """``alicloud_pvtz_zone``: a DNS zone visible only inside attached VPCs."""

    terraform_type = "alicloud_pvtz_zone"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        zone_name: str | None = None,
        remark: str | None = None,
        proxy_pattern: Literal["RECORD", "ZONE"] | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class PvtzZoneRecord(AlicloudResource):
    """``alicloud_pvtz_zone_record``: one record in a private zone."""

    terraform_type = "alicloud_pvtz_zone_record"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        zone_id: str,
        type: Literal["A", "CNAME", "MX", "PTR", "SRV", "TXT"],
        value: str,
        rr: str | None = None,
        ttl: int | None = None,
        priority: int | None = None,
        remark: str | None = None,
        status: Literal["DISABLE", "ENABLE"] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class PvtzZoneAttachment(AlicloudResource):
    """``alicloud_pvtz_zone_attachment``: makes a private zone resolvable in VPCs."""

    terraform_type = "alicloud_pvtz_zone_attachment"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        zone_id: str,
        vpc_ids: Sequence[str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)
