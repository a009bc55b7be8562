"""A list of literals written as an output's value: the same token serves every stack and app of a process."""

from __future__ import annotations

import json

import pytest

from alicloud_privatelink._runtime import App, TerraformOutput, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.bindings import Vpc
from stacks.common import literal_list


def _output(values: list[str]) -> object:
    stack = TerraformStack(App(), "stack")
    TerraformOutput(stack, "zones", value=literal_list(values))
    return json.loads(CdkTesting.synth(stack))["output"]["zones"]["value"]


def test_one_list_is_written_out_alike_in_two_apps() -> None:
    assert _output(["eu-central-1a", "eu-central-1b"]) == ["eu-central-1a", "eu-central-1b"]
    assert _output(["eu-central-1a", "eu-central-1b"]) == ["eu-central-1a", "eu-central-1b"]
    assert literal_list(["eu-central-1a"]) is literal_list(("eu-central-1a",))  # one token, one round trip
    assert _output(["eu-central-1c"]) == ["eu-central-1c"]


def test_a_token_is_refused() -> None:
    vpc = Vpc(TerraformStack(App(), "stack"), "vpc", cidr_block="10.0.0.0/8")
    with pytest.raises(ValueError, match="literal strings, not tokens"):
        literal_list([vpc.id])
