"""CKV2_PLK_9: no literal credentials on an alicloud provider block.

A Python check, not a YAML policy like the others here: checkov's
terraform_json framework builds no graph vertex for provider blocks, so a YAML
policy on ``provider.alicloud`` never runs there, while Python provider checks
do (they read the parsed definitions). Loaded by ``--external-checks-dir
tools/checkov``, which imports every ``.py`` file of a folder with an
``__init__.py``.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck

CREDENTIAL_ATTRIBUTES = ("access_key", "secret_key", "security_token")


class AlicloudProviderNoLiteralCredentials(BaseProviderCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "The alicloud provider must not hold a literal access_key, secret_key or security_token: "
                "credentials come from the environment, never from synthesized code"
            ),
            id="CKV2_PLK_9",
            categories=[CheckCategories.SECRETS],
            supported_provider=["alicloud"],
        )

    def scan_provider_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        for attribute in CREDENTIAL_ATTRIBUTES:
            # checkov wraps every attribute value in a one-element list.
            values = conf.get(attribute) or [None]
            value = values[0]
            # A Terraform reference ("${var.access_key}") is not a literal; it
            # is what tests/test_security.py allows too.
            if value not in (None, "") and not (isinstance(value, str) and value.startswith("${")):
                self.evaluated_keys = [attribute]
                return CheckResult.FAILED
        self.evaluated_keys = list(CREDENTIAL_ATTRIBUTES)
        return CheckResult.PASSED


check = AlicloudProviderNoLiteralCredentials()
