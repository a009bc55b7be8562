"""The ``alicloud`` provider block.

Credentials are deliberately not arguments: the provider reads them from its
environment variables (``ALIBABA_CLOUD_ACCESS_KEY_ID`` ...), a CLI ``profile``
or an assumed role, so no key ever lands in code or in synthesized output.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from constructs import Construct

from .._runtime import TerraformProvider, TerraformProviderGeneratorMetadata
from ._base import PROVIDER_SOURCE, PROVIDER_VERSION_CONSTRAINT, Block, attributes_from, to_terraform


@dataclasses.dataclass(frozen=True, kw_only=True)
class AssumeRole(Block):
    """``assume_role``: act as a RAM role, e.g. in another account."""

    role_arn: str
    session_name: str | None = None
    session_expiration: int | None = None
    external_id: str | None = None
    policy: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AlicloudProviderFeaturesEcsInstance(Block):
    """``features { ecs_instance { ... } }``: how ``alicloud_instance`` behaves."""

    replace_on_image_update: bool | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AlicloudProviderFeatures(Block):
    """``features``: the provider's behaviour toggles (aliyun/alicloud v1.289.0, provider.go featuresSchema)."""

    ecs_instance: AlicloudProviderFeaturesEcsInstance | None = None


class AlicloudProvider(TerraformProvider):  # type: ignore[misc]
    """``provider "alicloud"``; give ``alias`` for a second configuration in one stack."""

    terraform_type = "alicloud"

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        region: str | None = None,
        profile: str | None = None,
        assume_role: AssumeRole | None = None,
        features: AlicloudProviderFeatures | None = None,
        alias: str | None = None,
    ) -> None:
        attributes = attributes_from(locals())
        attributes.pop("alias", None)
        super().__init__(
            scope,
            id,
            terraform_resource_type=self.terraform_type,
            terraform_provider_source=PROVIDER_SOURCE,
            terraform_generator_metadata=TerraformProviderGeneratorMetadata(
                provider_name=self.terraform_type,
                provider_version_constraint=PROVIDER_VERSION_CONSTRAINT,
            ),
        )
        self._alias = alias
        self._attributes = attributes

    # cdktf's base class has no storage for the alias; every provider keeps its own.
    @property
    def alias(self) -> str | None:
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias = value

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        result: Mapping[str, Any] = to_terraform(self._attributes)
        return result
