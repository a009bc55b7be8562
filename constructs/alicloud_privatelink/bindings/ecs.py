"""ECS: security groups, rules, instances, and the image and instance-type look-ups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from constructs import Construct
from typing_extensions import Unpack

from ._base import AlicloudDataSource, AlicloudResource, ResourceOptions, attributes_from


class SecurityGroup(AlicloudResource):
    """``alicloud_security_group``: a stateful firewall for ENIs in one VPC."""

    terraform_type = "alicloud_security_group"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        vpc_id: str | None = None,
        security_group_name: str | None = None,
        description: str | None = None,
        security_group_type: Literal["normal", "enterprise"] | None = None,
        inner_access_policy: Literal["Accept", "Drop"] | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class SecurityGroupRule(AlicloudResource):
    """``alicloud_security_group_rule``: one ingress or egress rule."""

    terraform_type = "alicloud_security_group_rule"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        security_group_id: str,
        type: Literal["ingress", "egress"],
        ip_protocol: Literal["tcp", "udp", "icmp", "icmpv6", "gre", "all"],
        port_range: str | None = None,
        cidr_ip: str | None = None,
        source_security_group_id: str | None = None,
        policy: Literal["accept", "drop"] | None = None,
        priority: int | None = None,
        nic_type: Literal["internet", "intranet"] | None = None,
        description: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)


class Instance(AlicloudResource):
    """``alicloud_instance``: an ECS server."""

    terraform_type = "alicloud_instance"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        image_id: str | None = None,
        instance_type: str | None = None,
        instance_name: str | None = None,
        host_name: str | None = None,
        description: str | None = None,
        availability_zone: str | None = None,
        vswitch_id: str | None = None,
        private_ip: str | None = None,
        security_groups: Sequence[str] | None = None,
        instance_charge_type: Literal["PrePaid", "PostPaid"] | None = None,
        internet_max_bandwidth_out: int | None = None,
        system_disk_category: Literal[
            "all",
            "cloud",
            "ephemeral_ssd",
            "cloud_essd",
            "cloud_efficiency",
            "cloud_ssd",
            "local_disk",
            "cloud_auto",
            "cloud_essd_entry",
        ]
        | None = None,
        system_disk_size: int | None = None,
        system_disk_encrypted: bool | None = None,
        http_tokens: Literal["optional", "required"] | None = None,
        http_endpoint: Literal["enabled", "disabled"] | None = None,
        deletion_protection: bool | None = None,
        key_name: str | None = None,
        user_data: str | None = None,
        resource_group_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def private_ip(self) -> str:
        return self.get_string_attribute("private_ip")  # type: ignore[no-any-return]

    @property
    def primary_ip_address(self) -> str:
        return self.get_string_attribute("primary_ip_address")  # type: ignore[no-any-return]


class DataImages(AlicloudDataSource):
    """``data "alicloud_images"``: find an image by name and owner."""

    terraform_type = "alicloud_images"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_regex: str | None = None,
        owners: Literal["system", "self", "others", "marketplace", ""] | None = None,
        most_recent: bool | None = None,
        architecture: Literal["i386", "x86_64", "arm64"] | None = None,
        os_type: Literal["windows", "linux"] | None = None,
        instance_type: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def first_image_id(self) -> str:
        """Id of the first (with ``most_recent``, the newest) image found."""
        return self.get_string_attribute("images[0].id")  # type: ignore[no-any-return]


class DataInstanceTypes(AlicloudDataSource):
    """``data "alicloud_instance_types"``: find an instance type available in a zone."""

    terraform_type = "alicloud_instance_types"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        availability_zone: str | None = None,
        cpu_core_count: int | None = None,
        memory_size: float | None = None,
        instance_type_family: str | None = None,
        instance_charge_type: Literal["PrePaid", "PostPaid"] | None = None,
        network_type: Literal["Vpc", "Classic"] | None = None,
        system_disk_category: Literal[
            "cloud", "ephemeral_ssd", "cloud_essd", "cloud_efficiency", "cloud_ssd", "cloud_essd_entry", "cloud_auto"
        ]
        | None = None,
        sorted_by: Literal["CPU", "Memory", "Price"] | None = None,
        image_id: str | None = None,
        **options: Unpack[ResourceOptions],
    ) -> None:
        super().__init__(scope, id, attributes_from(locals()), **options)

    @property
    def first_instance_type_id(self) -> str:
        """Id of the first instance type found (the cheapest, with ``sorted_by="Price"``)."""
        return self.get_string_attribute("instance_types[0].id")  # type: ignore[no-any-return]
