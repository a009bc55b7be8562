"""L1 bindings: names, types, required flags and allowed values match the provider schema."""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from alicloud_privatelink import bindings
from alicloud_privatelink._runtime import App, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.bindings._base import AlicloudDataSource, AlicloudResource, Block, allowed_values_of
from alicloud_privatelink.schema_check import ProviderSchema

RESOURCE_CLASSES = sorted(
    (cls for cls in vars(bindings).values() if isinstance(cls, type) and issubclass(cls, AlicloudResource)),
    key=lambda cls: cls.terraform_type,
)
DATA_CLASSES = sorted(
    (cls for cls in vars(bindings).values() if isinstance(cls, type) and issubclass(cls, AlicloudDataSource)),
    key=lambda cls: cls.terraform_type,
)
NOT_ATTRIBUTES = {"self", "scope", "id", "options"}

REQUIRED_TYPES = {
    "alicloud_vpc",
    "alicloud_vswitch",
    "alicloud_security_group",
    "alicloud_security_group_rule",
    "alicloud_instance",
    "alicloud_slb_load_balancer",
    "alicloud_slb_listener",
    "alicloud_slb_backend_server",
    "alicloud_privatelink_vpc_endpoint_service",
    "alicloud_privatelink_vpc_endpoint_service_resource",
    "alicloud_privatelink_vpc_endpoint",
    "alicloud_privatelink_vpc_endpoint_zone",
    "alicloud_privatelink_vpc_endpoint_connection",
}


def _schema_block(schema: ProviderSchema, cls: type) -> Mapping[str, Any]:
    table = schema.resources if issubclass(cls, AlicloudResource) else schema.data_sources
    return table[cls.terraform_type]  # type: ignore[attr-defined,no-any-return]


def _terraform_type_of(annotation: Any) -> Any:
    """The Terraform type a Python annotation stands for (None stripped)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, __import__("types").UnionType):
        return _terraform_type_of(args[0]) if len(args) == 1 else "union"
    if origin is typing.Literal:
        return {str: "string", int: "number", bool: "bool"}[type(typing.get_args(annotation)[0])]
    if annotation is str:
        return "string"
    if annotation in (int, float):
        return "number"
    if annotation is bool:
        return "bool"
    if origin in (Sequence, list):
        return ["list-or-set", _terraform_type_of(args[0])]
    if origin is Mapping:
        return ["map", _terraform_type_of(args[1])]
    raise AssertionError(f"unexpected annotation {annotation!r}")


def _normalise(kind: Any) -> Any:
    if isinstance(kind, list) and kind[0] in ("list", "set"):
        return ["list-or-set", _normalise(kind[1])]
    if isinstance(kind, list):
        return [kind[0], _normalise(kind[1])]
    return kind


def _parameters(cls: type) -> dict[str, inspect.Parameter]:
    return {
        name: parameter
        for name, parameter in inspect.signature(cls.__init__).parameters.items()
        if name not in NOT_ATTRIBUTES and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_every_required_resource_type_has_a_binding() -> None:
    assert {cls.terraform_type for cls in RESOURCE_CLASSES} >= REQUIRED_TYPES
    assert {cls.terraform_type for cls in DATA_CLASSES} >= {"alicloud_images", "alicloud_instance_types"}


@pytest.mark.parametrize("cls", RESOURCE_CLASSES + DATA_CLASSES, ids=lambda cls: cls.terraform_type)
def test_arguments_match_the_schema(cls: type, schema: ProviderSchema) -> None:
    block = _schema_block(schema, cls)
    attributes, blocks = block.get("attributes", {}), block.get("block_types", {})
    hints = typing.get_type_hints(cls.__init__)
    for name, parameter in _parameters(cls).items():
        if name in blocks:
            continue
        assert name in attributes, f"{cls.__name__}.{name} is not an attribute of {cls.terraform_type}"  # type: ignore[attr-defined]
        attribute = attributes[name]
        assert not attribute.get("removed"), f"{name} was removed from the provider"
        assert attribute.get("optional") or attribute.get("required"), f"{name} is computed-only"
        assert _terraform_type_of(hints[name]) == _normalise(attribute["type"]), name
        is_required = parameter.default is inspect.Parameter.empty
        assert is_required == bool(attribute.get("required")), f"{name}: required flag differs from the schema"
    for name, attribute in attributes.items():
        if attribute.get("required"):
            assert name in _parameters(cls), f"{cls.__name__} lacks required attribute {name}"


@pytest.mark.parametrize("cls", RESOURCE_CLASSES + DATA_CLASSES, ids=lambda cls: cls.terraform_type)
def test_allowed_values_match_the_schema_enums(cls: type, schema: ProviderSchema) -> None:
    attributes = _schema_block(schema, cls).get("attributes", {})
    for name, values in allowed_values_of(cls).items():
        assert set(values) == set(attributes[name]["enum"]), f"{cls.__name__}.{name}"
    for name in _parameters(cls):
        if name in attributes and "enum" in attributes[name]:
            assert name in allowed_values_of(cls), f"{cls.__name__}.{name} should be a Literal"


@pytest.mark.parametrize(
    ("block_cls", "resource_type", "block_name"),
    [
        (bindings.SlbBackendServerEntry, "alicloud_slb_backend_server", "backend_servers"),
    ],
)
def test_nested_blocks_match_the_schema(
    block_cls: type, resource_type: str, block_name: str, schema: ProviderSchema
) -> None:
    nested = schema.resources[resource_type]["block_types"][block_name]["block"]["attributes"]
    for field in dataclasses.fields(block_cls):
        assert field.name in nested
        required = field.default is dataclasses.MISSING
        assert required == bool(nested[field.name].get("required")), field.name


def test_provider_arguments_match_the_schema_and_carry_no_credentials(schema: ProviderSchema) -> None:
    parameters = set(inspect.signature(bindings.AlicloudProvider.__init__).parameters) - {
        "self",
        "scope",
        "id",
        "alias",
    }
    known = set(schema.provider["attributes"]) | set(schema.provider["block_types"])
    assert parameters <= known
    assert not parameters & {"access_key", "secret_key", "security_token"}
    assume_role = schema.provider["block_types"]["assume_role"]["block"]["attributes"]
    assert {f.name for f in dataclasses.fields(bindings.AssumeRole)} <= set(assume_role)


def test_unknown_keyword_is_a_type_error_naming_the_binding() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.raises(
        TypeError, match=r"Vswitch\(\) got unexpected keyword argument\(s\) 'zone'.*did you mean 'zone_id'"
    ):
        bindings.Vswitch(stack, "v", zone="eu-central-1b")  # type: ignore[call-arg]


def test_value_outside_the_enum_is_a_value_error_listing_the_allowed_values() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.raises(ValueError, match=r"address_type='public' is not allowed; use one of 'internet', 'intranet'"):
        bindings.SlbLoadBalancer(stack, "lb", address_type="public")  # type: ignore[arg-type]


def test_block_value_outside_the_enum_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"type='vm' is not allowed; use one of 'eni', 'ecs', 'eci'"):
        bindings.SlbBackendServerEntry(server_id="i-1", weight=1, type="vm")  # type: ignore[arg-type]


def test_tokens_pass_the_enum_check() -> None:
    stack = TerraformStack(App(), "s")
    source = bindings.SlbLoadBalancer(stack, "source", address_type="intranet")
    bindings.SlbLoadBalancer(stack, "copy", address_type=source.address)  # type: ignore[arg-type]


def test_attributes_are_tokens_that_synthesize_to_references() -> None:
    stack = TerraformStack(App(), "s")
    endpoint = bindings.PrivatelinkVpcEndpoint(stack, "ep", vpc_id="vpc-1", service_id="epsrv-1")
    assert isinstance(endpoint.endpoint_domain, str) and "${" in endpoint.endpoint_domain
    bindings.PvtzZoneRecord(stack, "record", zone_id="z", type="CNAME", rr="svc", value=endpoint.endpoint_domain)
    record = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]["alicloud_pvtz_zone_record"][
        "record"
    ]
    assert record["value"] == "${alicloud_privatelink_vpc_endpoint.ep.endpoint_domain}"


def test_unset_arguments_are_left_out_and_blocks_become_objects() -> None:
    stack = TerraformStack(App(), "s")
    bindings.SlbBackendServer(
        stack, "b", load_balancer_id="lb-1", backend_servers=[bindings.SlbBackendServerEntry(server_id="i-1", weight=7)]
    )
    body = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]["alicloud_slb_backend_server"]["b"]
    assert body == {"load_balancer_id": "lb-1", "backend_servers": [{"server_id": "i-1", "weight": 7}]}


def test_provider_alias_and_assume_role_synthesize() -> None:
    stack = TerraformStack(App(), "s")
    owner = bindings.AlicloudProvider(
        stack,
        "owner",
        region="eu-central-1",
        alias="service_owner",
        assume_role=bindings.AssumeRole(role_arn="acs:ram::1234567890123456:role/x"),
    )
    bindings.Vpc(stack, "vpc", cidr_block="10.0.0.0/16", provider=owner)
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    assert synthesized["provider"]["alicloud"] == [
        {
            "alias": "service_owner",
            "region": "eu-central-1",
            "assume_role": {"role_arn": "acs:ram::1234567890123456:role/x"},
        }
    ]
    assert synthesized["resource"]["alicloud_vpc"]["vpc"]["provider"] == "alicloud.service_owner"


def test_blocks_are_frozen_dataclasses() -> None:
    assert issubclass(bindings.AssumeRole, Block)
    entry = bindings.SlbBackendServerEntry(server_id="i-1", weight=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.weight = 2  # type: ignore[misc]
