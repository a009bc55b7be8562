"""sibling_address and address_below give the address cdktf gives a resource with that id under that scope."""

from __future__ import annotations

import json

import pytest
from constructs import Construct

from alicloud_privatelink._runtime import App, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.addresses import address_below, move_within, sibling_address
from alicloud_privatelink.bindings import Vpc


@pytest.mark.parametrize("stack_under_a_construct", [False, True], ids=["stack-under-app", "stack-under-construct"])
def test_the_address_is_the_one_cdktf_gives(stack_under_a_construct: bool) -> None:
    app = App()
    stack = TerraformStack(Construct(app, "group") if stack_under_a_construct else app, "stack")
    scope = Construct(Construct(stack, "network"), "zone-eu-central-1a")
    vpc = Vpc(scope, "vpc-1", cidr_block="10.0.0.0/8")
    assert sibling_address(scope, "alicloud_vpc", "vpc-1") == f"alicloud_vpc.{vpc.friendly_unique_id}"
    assert sibling_address(scope, "alicloud_vpc", "vpc-2") != f"alicloud_vpc.{vpc.friendly_unique_id}"


@pytest.mark.parametrize("nested", [False, True], ids=["under-the-stack", "under-a-construct"])
def test_a_moved_block_names_the_resources_cdktf_names(nested: bool) -> None:
    app = App()
    stack = TerraformStack(app, "stack")
    parent = Construct(stack, "group") if nested else stack
    scope = Construct(parent, "network")
    vpc = Vpc(scope, "vpc-1", cidr_block="10.0.0.0/8")
    move_within(parent, "network", "alicloud_vpc", "vpc-0", "vpc-1")
    (block,) = json.loads(CdkTesting.synth(stack))["moved"]
    assert block["to"] == f"alicloud_vpc.{vpc.friendly_unique_id}"
    assert block["from"] == sibling_address(scope, "alicloud_vpc", "vpc-0")


@pytest.mark.parametrize("nested", [False, True], ids=["under-the-stack", "under-a-construct"])
def test_an_address_below_a_scope_is_the_one_cdktf_gives(nested: bool) -> None:
    app = App()
    stack = TerraformStack(app, "stack")
    parent = Construct(stack, "group") if nested else stack
    vpc = Vpc(Construct(Construct(parent, "network"), "zone-a"), "vpc-1", cidr_block="10.0.0.0/8")
    expected = f"alicloud_vpc.{vpc.friendly_unique_id}"
    assert address_below(parent, ["network", "zone-a", "vpc-1"], "alicloud_vpc") == expected
    assert address_below(parent, ["network", "vpc-1"], "alicloud_vpc") != expected


# Paths below the stack that exercise every rule of cdktf's makeUniqueId: characters it drops, an id the
# one before it ends with, the hidden ids "Default" and "Resource", a "/" in an id, and a long path.
TRICKY_PATHS = [
    ["backend-servers", "boot-script", "web.1"],
    ["backend-servers", "boot-script", "script"],
    ["endpoint", "x-connection", "connection"],
    ["Default", "endpoint", "connection"],
    ["endpoint", "Resource"],
    ["zoné", "a/b", "vpc"],
    ["single.id"],
    ["n" * 150, "m" * 150, "vpc"],
]


@pytest.mark.parametrize("ids", TRICKY_PATHS, ids=lambda ids: "/".join(i[:12] for i in ids))
@pytest.mark.parametrize("nested", [False, True], ids=["from-the-stack", "from-a-construct"])
def test_tricky_ids_get_the_address_cdktf_gives(ids: list[str], nested: bool) -> None:
    app = App()
    stack = TerraformStack(app, "stack")
    scope: Construct = stack
    for id in ids[:-1]:
        scope = Construct(scope, id)
    vpc = Vpc(scope, ids[-1], cidr_block="10.0.0.0/8")
    expected = f"alicloud_vpc.{vpc.friendly_unique_id}"
    if nested and len(ids) > 1:
        first = next(iter(stack.node.children))
        assert address_below(first, ids[1:], "alicloud_vpc") == expected
    else:
        assert address_below(stack, ids, "alicloud_vpc") == expected
    if len(ids) > 1:
        assert sibling_address(scope, "alicloud_vpc", ids[-1]) == expected
