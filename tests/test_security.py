"""Security by default, over every scenario: no credentials, no open rules, no passwords."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import EXAMPLES, resources, synth_stacks

CREDENTIAL_KEYS = {"access_key", "secret_key", "security_token", "password", "kms_encrypted_password"}
# Alibaba Cloud AccessKey ids start with LTAI; a secret is a 30-character token.
CREDENTIAL_VALUE = re.compile(r"LTAI[0-9A-Za-z]{12,}|(?<![0-9A-Za-z])[0-9A-Za-z]{30}(?![0-9A-Za-z])")
CONFIGS = [None, *[str(path) for path in EXAMPLES]]


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.rsplit("/", 1)[-1] if c else "builtin-default")
def test_no_credential_in_any_synthesized_stack(config: str | None) -> None:
    for name, stack in synth_stacks(config).items():
        for path, value in _walk(stack):
            key = path.rsplit(".", 1)[-1]
            if key in CREDENTIAL_KEYS:
                assert not isinstance(value, str) or value.startswith("${"), f"{name}{path} holds a literal credential"
            if isinstance(value, str):
                assert not CREDENTIAL_VALUE.search(value), f"{name}{path} looks like a credential"


def test_the_credential_check_can_fail() -> None:
    leaky = {"provider": {"alicloud": [{"access_key": "LTAI5tExampleExampleEx"}]}}
    found = [(path, value) for path, value in _walk(leaky) if path.endswith(".access_key")]
    assert found and CREDENTIAL_VALUE.search(found[0][1])


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.rsplit("/", 1)[-1] if c else "builtin-default")
def test_every_rule_is_narrow(config: str | None) -> None:
    for name, stack in synth_stacks(config).items():
        for rule in resources(stack, "alicloud_security_group_rule"):
            assert rule["type"] == "ingress", name
            assert rule["cidr_ip"] not in ("0.0.0.0/0", "::/0"), name
            low, high = (int(part) for part in rule["port_range"].split("/"))
            assert low == high > 0, f"{name}: one port only, got {rule['port_range']}"
