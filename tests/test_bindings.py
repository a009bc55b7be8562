"""L1 bindings: every schema type has one, with exactly the schema's arguments, types, blocks and getters."""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

import alicloud_privatelink
from alicloud_privatelink import bindings
from alicloud_privatelink._runtime import App, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack
from alicloud_privatelink._runtime import Testing as CdkTesting
from alicloud_privatelink.bindings._base import (
    AlicloudDataSource,
    AlicloudResource,
    AttributeReader,
    Block,
    allowed_values_of,
)
from alicloud_privatelink.schema_check import ProviderSchema

ALL = {name: getattr(bindings, name) for name in bindings.__all__}
RESOURCE_CLASSES = sorted(
    (cls for cls in ALL.values() if isinstance(cls, type) and issubclass(cls, AlicloudResource)),
    key=lambda cls: cls.terraform_type,
)
DATA_CLASSES = sorted(
    (cls for cls in ALL.values() if isinstance(cls, type) and issubclass(cls, AlicloudDataSource)),
    key=lambda cls: cls.terraform_type,
)
NOT_ATTRIBUTES = {"self", "scope", "id", "options", "alias"}
CREDENTIALS = {"access_key", "secret_key", "security_token"}
CDKTF_MEMBERS = {name for base in (TerraformResource, TerraformDataSource, TerraformProvider) for name in dir(base)}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _schema_block(schema: ProviderSchema, cls: type) -> Mapping[str, Any]:
    table = schema.resources if issubclass(cls, AlicloudResource) else schema.data_sources
    return table[cls.terraform_type]  # type: ignore[attr-defined,no-any-return]


def _hints(target: Any) -> dict[str, Any]:
    return typing.get_type_hints(target)


def _terraform_type_of(annotation: Any) -> Any:
    """The Terraform type a Python annotation stands for (None stripped)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, __import__("types").UnionType):
        return _terraform_type_of(args[0]) if len(args) == 1 else "union"
    if origin is typing.Literal:
        return {str: "string", int: "number", float: "number", bool: "bool"}[type(typing.get_args(annotation)[0])]
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
    if isinstance(kind, list) and kind[0] == "map":
        return ["map", _normalise(kind[1])]
    return kind


def _parameters(cls: type) -> dict[str, inspect.Parameter]:
    return {
        name: parameter
        for name, parameter in inspect.signature(cls.__init__).parameters.items()  # type: ignore[misc]
        if name not in NOT_ATTRIBUTES and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def _expected_arguments(block: Mapping[str, Any], skip: frozenset[str] = frozenset()) -> dict[str, bool]:
    """Each argument the schema lets a user set, and whether it is required."""
    expected = {
        name: bool(attribute.get("required"))
        for name, attribute in block.get("attributes", {}).items()
        if (attribute.get("required") or attribute.get("optional")) and not attribute.get("removed")
    }
    expected |= {
        name: int(block_type.get("min_items", 0) or 0) > 0
        for name, block_type in block.get("block_types", {}).items()
        if not block_type.get("removed")
    }
    return {name: required for name, required in expected.items() if name not in skip}


def _check_block_class(cls: type, block: Mapping[str, Any]) -> None:
    """A nested block's dataclass against its schema, recursively."""
    assert issubclass(cls, Block), cls
    hints = _hints(cls)
    expected = _expected_arguments(block)
    assert set(cls.block_fields) == set(expected), cls.__name__
    for name, required in expected.items():
        assert (name in cls.required_fields) == required, f"{cls.__name__}.{name}"
        if name in block.get("attributes", {}):
            assert _terraform_type_of(hints[name]) == _normalise(block["attributes"][name]["type"]), name
            if "enum" in block["attributes"][name]:
                assert set(allowed_values_of(cls)[name]) == set(block["attributes"][name]["enum"]), name
        else:
            _check_block_argument(hints[name], block["block_types"][name], f"{cls.__name__}.{name}")


def _check_block_argument(annotation: Any, block_type: Mapping[str, Any], where: str) -> None:
    """A block argument: one dataclass where at most one block is allowed, a sequence of them otherwise."""
    optional = typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType)
    (kind,) = [a for a in typing.get_args(annotation) if a is not type(None)] if optional else [annotation]
    single = block_type["nesting_mode"] == "single" or block_type.get("max_items") == 1
    if single:
        assert isinstance(kind, type), where
        _check_block_class(kind, block_type["block"])
    else:
        assert typing.get_origin(kind) is Sequence, where
        _check_block_class(typing.get_args(kind)[0], block_type["block"])


def test_every_type_in_the_schema_has_a_binding_named_by_the_rules(schema: ProviderSchema) -> None:
    assert {cls.terraform_type: cls.__name__ for cls in RESOURCE_CLASSES} == {
        name: _camel(name.removeprefix("alicloud_")) for name in schema.resources
    }
    assert {cls.terraform_type: cls.__name__ for cls in DATA_CLASSES} == {
        name: "Data" + _camel(name.removeprefix("alicloud_")) for name in schema.data_sources
    }


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("Vpc", "vpc"),
        ("Vswitch", "vpc"),
        ("Instance", "ecs"),
        ("SecurityGroupRule", "ecs"),
        ("DataImages", "ecs"),
        ("DataInstanceTypes", "ecs"),
        ("DataZones", "ecs"),
        ("DataAccount", "ecs"),
        ("SlbListener", "slb"),
        ("NlbLoadBalancer", "nlb"),
        ("NlbLoadBalancerZoneMappings", "nlb"),
        ("DataNlbZones", "nlb"),
        ("AlbServerGroup", "alb"),
        ("PrivatelinkVpcEndpointZone", "privatelink"),
        ("DataPrivatelinkService", "privatelink"),
        ("PvtzZoneRecord", "pvtz"),
        ("AlicloudProvider", "provider"),
        ("AlicloudProviderAssumeRole", "provider"),
        ("AlicloudProviderFeatures", "provider"),
        ("AlicloudProviderFeaturesEcsInstance", "provider"),
    ],
)
def test_classes_live_in_their_service_module(name: str, module: str) -> None:
    assert getattr(bindings, name).__module__ == f"alicloud_privatelink.bindings.{module}"


@pytest.mark.parametrize("cls", RESOURCE_CLASSES + DATA_CLASSES, ids=lambda cls: cls.terraform_type)
def test_arguments_match_the_schema(cls: type, schema: ProviderSchema) -> None:
    block = _schema_block(schema, cls)
    attributes, blocks = block.get("attributes", {}), block.get("block_types", {})
    parameters = _parameters(cls)
    expected = _expected_arguments(block, skip=frozenset({"id"}))
    assert set(parameters) == set(expected)
    hints = _hints(cls.__init__)  # type: ignore[misc]
    for name, required in expected.items():
        assert (parameters[name].default is inspect.Parameter.empty) == required, f"{name}: required flag"
        if name in blocks:
            _check_block_argument(hints[name], blocks[name], f"{cls.__name__}.{name}")
        else:
            assert _terraform_type_of(hints[name]) == _normalise(attributes[name]["type"]), name
    # Required arguments come first, with no default.
    kinds = [parameters[name].default is inspect.Parameter.empty for name in parameters]
    assert kinds == sorted(kinds, reverse=True)


@pytest.mark.parametrize("cls", RESOURCE_CLASSES + DATA_CLASSES, ids=lambda cls: cls.terraform_type)
def test_allowed_values_match_the_schema_enums(cls: type, schema: ProviderSchema) -> None:
    attributes = _schema_block(schema, cls).get("attributes", {})
    allowed = allowed_values_of(cls)
    assert set(allowed) == {name for name in _parameters(cls) if "enum" in attributes.get(name, {})}
    for name, values in allowed.items():
        assert list(values) == attributes[name]["enum"], f"{cls.__name__}.{name}"


@pytest.mark.parametrize("cls", RESOURCE_CLASSES + DATA_CLASSES, ids=lambda cls: cls.terraform_type)
def test_every_attribute_has_a_typed_getter_and_deprecated_ones_are_marked(cls: type, schema: ProviderSchema) -> None:
    attributes = _schema_block(schema, cls).get("attributes", {})
    for name, attribute in attributes.items():
        getter = f"{name}_attribute" if name in CDKTF_MEMBERS else name
        if attribute.get("removed"):
            assert not isinstance(inspect.getattr_static(cls, name, None), property), name
            continue
        assert isinstance(inspect.getattr_static(cls, getter), property), f"{cls.__name__}.{getter}"
        assert "return" in inspect.get_annotations(inspect.getattr_static(cls, getter).fget)
    deprecated = {n for n in _expected_arguments(_schema_block(schema, cls)) if attributes.get(n, {}).get("deprecated")}
    deprecated |= {n for n, b in _schema_block(schema, cls).get("block_types", {}).items() if b.get("deprecated")}
    assert cls.deprecated_arguments == deprecated  # type: ignore[attr-defined]


def test_removed_arguments_are_left_out(schema: ProviderSchema) -> None:
    removed = [
        (cls, name)
        for cls in RESOURCE_CLASSES + DATA_CLASSES
        for name, attribute in _schema_block(schema, cls).get("attributes", {}).items()
        if attribute.get("removed")
    ]
    assert removed, "the schema has removed attributes; this test must see some"
    for cls, name in removed:
        assert name not in _parameters(cls)


def test_getters_shadow_nothing_of_cdktf_and_come_after_it() -> None:
    for cls in RESOURCE_CLASSES + DATA_CLASSES:
        mro = cls.__mro__
        (getters,) = [base for base in mro if AttributeReader in base.__bases__]
        own = {name for name, member in vars(getters).items() if isinstance(member, property)}
        assert not own & CDKTF_MEMBERS, cls.__name__
        # jsii looks for overrides only in the classes before cdktf's; the getters are none.
        jsii_base = TerraformResource if issubclass(cls, AlicloudResource) else TerraformDataSource
        assert mro.index(getters) > mro.index(jsii_base), cls.__name__
        assert not any(isinstance(member, property) for member in vars(cls).values()), cls.__name__


def test_provider_arguments_match_the_schema_and_carry_no_credentials(schema: ProviderSchema) -> None:
    parameters = _parameters(bindings.AlicloudProvider)
    expected = _expected_arguments(schema.provider)
    assert set(parameters) == set(expected) - CREDENTIALS
    hints = _hints(bindings.AlicloudProvider.__init__)
    _check_block_argument(hints["assume_role"], schema.provider["block_types"]["assume_role"], "assume_role")
    _check_block_argument(hints["features"], schema.provider["block_types"]["features"], "features")


def test_unknown_keyword_is_a_type_error_naming_the_binding() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.raises(
        TypeError, match=r"Vswitch\(\) got unexpected keyword argument\(s\) 'zone'.*did you mean 'zone_id'"
    ):
        bindings.Vswitch(stack, "v", zone="eu-central-1b")  # type: ignore[call-arg]


def test_unknown_block_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'weigth' \\(did you mean 'weight'\\?\\)"):
        bindings.SlbBackendServerBackendServers(server_id="i-1", weigth=1)  # type: ignore[call-arg]


def test_value_outside_the_enum_is_a_value_error_listing_the_allowed_values() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.raises(ValueError, match=r"address_type='public' is not allowed; use one of 'internet', 'intranet'"):
        bindings.SlbLoadBalancer(stack, "lb", address_type="public")  # type: ignore[arg-type]


def test_block_value_outside_the_enum_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"type='vm' is not allowed; use one of 'eni', 'ecs', 'eci'"):
        bindings.SlbBackendServerBackendServers(server_id="i-1", weight=1, type="vm")  # type: ignore[arg-type]


def test_number_enum_is_checked_too() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.raises(ValueError, match=r"zone_private_ip_address_count=2 is not allowed; use one of 0, 1"):
        bindings.PrivatelinkVpcEndpoint(stack, "ep", vpc_id="v", zone_private_ip_address_count=2)  # type: ignore[arg-type]


def test_deprecated_argument_warns() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.warns(DeprecationWarning, match=r"alicloud_vpc: name is deprecated"):
        bindings.Vpc(stack, "vpc", name="old")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bindings.Vpc(stack, "vpc2", vpc_name="new")


def test_tokens_pass_the_enum_check() -> None:
    stack = TerraformStack(App(), "s")
    source = bindings.SlbLoadBalancer(stack, "source", address_type="intranet")
    bindings.SlbLoadBalancer(stack, "copy", address_type=source.address)  # type: ignore[arg-type]


def test_attributes_are_tokens_that_synthesize_to_references() -> None:
    stack = TerraformStack(App(), "s")
    endpoint = bindings.PrivatelinkVpcEndpoint(stack, "ep", vpc_id="vpc-1", service_id="epsrv-1")
    assert isinstance(endpoint.endpoint_domain, str) and "${" in endpoint.endpoint_domain
    zone = bindings.PvtzZone(stack, "zone", zone_name="example.internal")
    bindings.PvtzZoneRecord(stack, "record", zone_id=zone.id, type="CNAME", rr="svc", value=endpoint.endpoint_domain)
    bindings.PvtzZoneAttachment(stack, "attach", zone_id=zone.id, vpc_ids=endpoint.security_group_ids)
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]
    assert synthesized["alicloud_pvtz_zone_record"]["record"] == {
        "zone_id": "${alicloud_pvtz_zone.zone.id}",
        "type": "CNAME",
        "rr": "svc",
        "value": "${alicloud_privatelink_vpc_endpoint.ep.endpoint_domain}",
    }
    assert synthesized["alicloud_pvtz_zone_attachment"]["attach"]["vpc_ids"] == (
        "${alicloud_privatelink_vpc_endpoint.ep.security_group_ids}"
    )
    assert endpoint.endpoint_domain is endpoint.endpoint_domain  # fetched from jsii once


def test_getters_and_nested_paths_synthesize_to_references() -> None:
    stack = TerraformStack(App(), "s")
    listener = bindings.NlbListener(
        stack, "l", listener_port=80, listener_protocol="TCP", load_balancer_id="nlb-1", server_group_id="sg-1"
    )
    images = bindings.DataImages(stack, "images", name_regex="^ubuntu", most_recent=True)
    bindings.Vpc(stack, "vpc", description=listener.status, vpc_name=images.string_at("images[0].id"))
    vpc = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]["alicloud_vpc"]["vpc"]
    assert vpc == {
        "description": "${alicloud_nlb_listener.l.status}",
        "vpc_name": "${data.alicloud_images.images.images[0].id}",
    }


def test_unset_arguments_are_left_out_and_blocks_become_objects() -> None:
    stack = TerraformStack(App(), "s")
    bindings.SlbBackendServer(
        stack,
        "b",
        load_balancer_id="lb-1",
        backend_servers=[bindings.SlbBackendServerBackendServers(server_id="i-1", weight=7)],
    )
    bindings.NlbLoadBalancer(
        stack,
        "nlb",
        address_type="Intranet",
        vpc_id="vpc-1",
        zone_mappings=[bindings.NlbLoadBalancerZoneMappings(vswitch_id="vsw-1", zone_id="z-a")],
        deletion_protection_config=bindings.NlbLoadBalancerDeletionProtectionConfig(enabled=True),
    )
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))["resource"]
    assert synthesized["alicloud_slb_backend_server"]["b"] == {
        "load_balancer_id": "lb-1",
        "backend_servers": [{"server_id": "i-1", "weight": 7}],
    }
    assert synthesized["alicloud_nlb_load_balancer"]["nlb"] == {
        "address_type": "Intranet",
        "vpc_id": "vpc-1",
        "zone_mappings": [{"vswitch_id": "vsw-1", "zone_id": "z-a"}],
        "deletion_protection_config": {"enabled": True},
    }


def test_provider_alias_assume_role_and_features_synthesize() -> None:
    stack = TerraformStack(App(), "s")
    owner = bindings.AlicloudProvider(
        stack,
        "owner",
        region="eu-central-1",
        alias="service_owner",
        assume_role=bindings.AlicloudProviderAssumeRole(role_arn="acs:ram::1234567890123456:role/x"),
        features=bindings.AlicloudProviderFeatures(
            ecs_instance=bindings.AlicloudProviderFeaturesEcsInstance(replace_on_image_update=False)
        ),
    )
    bindings.Vpc(stack, "vpc", cidr_block="10.0.0.0/16", provider=owner)
    synthesized = json.loads(CdkTesting.synth(stack, run_validations=False))
    assert synthesized["provider"]["alicloud"] == [
        {
            "alias": "service_owner",
            "region": "eu-central-1",
            "assume_role": {"role_arn": "acs:ram::1234567890123456:role/x"},
            "features": {"ecs_instance": {"replace_on_image_update": False}},
        }
    ]
    assert synthesized["resource"]["alicloud_vpc"]["vpc"]["provider"] == "alicloud.service_owner"
    assert isinstance(owner, bindings.AlicloudProvider) and owner.alias == "service_owner"


def test_a_provider_without_alias_has_none() -> None:
    stack = TerraformStack(App(), "s")
    plain = bindings.AlicloudProvider(stack, "plain", region="eu-central-1")
    assert type(plain) is bindings.AlicloudProvider and plain.alias is None
    assert "alias" not in json.loads(CdkTesting.synth(stack, run_validations=False))["provider"]["alicloud"][0]


def test_blocks_are_frozen_keyword_only_records() -> None:
    assert issubclass(bindings.AlicloudProviderAssumeRole, Block)
    entry = bindings.SlbBackendServerBackendServers(server_id="i-1", weight=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.weight = 2  # type: ignore[misc]
    assert entry == bindings.SlbBackendServerBackendServers(server_id="i-1", weight=1)
    assert entry != bindings.SlbBackendServerBackendServers(server_id="i-1", weight=2)
    assert repr(entry) == "SlbBackendServerBackendServers(server_id='i-1', weight=1)"
    with pytest.raises(TypeError, match=r"missing required keyword argument\(s\) 'server_id'"):
        bindings.SlbBackendServerBackendServers(weight=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        bindings.SlbBackendServerBackendServers("i-1", 1)  # type: ignore[misc]


def test_the_library_keeps_its_old_assume_role_name() -> None:
    assert alicloud_privatelink.AssumeRole is bindings.AlicloudProviderAssumeRole
