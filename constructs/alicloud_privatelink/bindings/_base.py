"""What every L1 binding shares: holding attribute values and handing them to cdktf.

There is no prebuilt alicloud provider for cdktf, so ``tools/gen_bindings.py``
generates one small class per resource, data source and nested block from the
provider schema (``aliyun/alicloud`` v1.289.0). The generated classes only
declare; the base classes here

* drop unset (``None``) arguments and warn about deprecated ones,
* reject a keyword the binding does not have (``TypeError``, with a "did you
  mean") and a literal value outside the provider's allowed values, which the
  bindings declare as ``Literal[...]`` annotations (``ValueError``),
* turn nested blocks (frozen records) into plain data when cdktf asks for
  ``synthesizeAttributes`` (JSON) or ``synthesizeHclAttributes`` (HCL), and
* read attributes back as typed tokens.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import types
import typing
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, TypedDict

from constructs import Construct
from typing_extensions import Unpack, dataclass_transform

from .._runtime import (
    ITerraformDependable,
    TerraformDataSource,
    TerraformProvider,
    TerraformProviderGeneratorMetadata,
    TerraformResource,
    TerraformResourceLifecycle,
    Token,
)

#: The provider release the bindings were generated from.
PROVIDER_VERSION = "1.289.0"
#: What ``required_providers`` pins: any 1.x release from 1.289 on.
PROVIDER_VERSION_CONSTRAINT = "~> 1.289"
PROVIDER_SOURCE = "aliyun/alicloud"

#: Names a binding's ``__init__`` receives that are not Terraform attributes.
_NOT_ATTRIBUTES = frozenset({"self", "scope", "id", "options", "__class__"})


class Resolvable(Protocol):
    """A cdktf ``IResolvable``: a value (a boolean, a list of objects ...) known only at apply time."""

    def resolve(self, context: Any) -> Any: ...


class ResourceOptions(TypedDict, total=False):
    """Terraform meta-arguments every resource and data source accepts."""

    provider: TerraformProvider
    depends_on: Sequence[ITerraformDependable]
    lifecycle: TerraformResourceLifecycle


def _allowed_values(annotation: Any) -> tuple[Any, ...] | None:
    """The values of the ``Literal`` inside an annotation such as ``Literal["a", "b"] | None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            found = _allowed_values(member)
            if found is not None:
                return found
    return None


_allowed_by_owner: dict[type, Mapping[str, tuple[Any, ...]]] = {}


def allowed_values_of(owner: type) -> Mapping[str, tuple[Any, ...]]:
    """For each argument of a binding (or field of a block) annotated with a ``Literal``, its allowed values.

    Worked out once per class, and only for annotations that name a
    ``Literal`` alias: resolving every type hint is slow.
    """
    if owner not in _allowed_by_owner:
        target = owner if issubclass(owner, Block) else owner.__init__
        namespace = vars(inspect.getmodule(owner))
        found = {}
        for name, hint in inspect.get_annotations(target).items():
            head = hint.split(" |")[0] if isinstance(hint, str) else None
            if head is not None and typing.get_origin(namespace.get(head)) is typing.Literal:
                found[name] = typing.get_args(namespace[head])
            elif head is None and (values := _allowed_values(hint)) is not None:
                found[name] = values
        _allowed_by_owner[owner] = found
    return _allowed_by_owner[owner]


def check_allowed(owner: str, allowed: Mapping[str, tuple[Any, ...]], values: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` for a literal value the provider would refuse.

    Tokens (references to other resources) are not known until apply time and
    are let through.
    """
    for name, choices in allowed.items():
        value = values.get(name)
        if value is None or value in choices or Token.is_unresolved(value):
            continue
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{owner}: {name}={value!r} is not allowed; use one of {listed}")


def check_options(owner: type, options: Mapping[str, Any]) -> None:
    """Raise ``TypeError`` for a keyword that is neither an attribute nor a meta-argument.

    Unknown keywords land in ``**options``; without this check cdktf would
    report them against its own base class instead of the binding.
    """
    unknown = sorted(set(options) - set(ResourceOptions.__annotations__))
    if not unknown:
        return
    parameters = inspect.signature(owner.__init__).parameters  # type: ignore[misc]
    known = [name for name in parameters if name not in _NOT_ATTRIBUTES]
    hints = [difflib.get_close_matches(name, known, n=1) for name in unknown]
    described = ", ".join(
        f"{name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        for name, hint in zip(unknown, hints, strict=True)
    )
    raise TypeError(f"{owner.__name__}() got unexpected keyword argument(s) {described}")


def _warn_deprecated(owner: str, deprecated: frozenset[str], values: Mapping[str, Any]) -> None:
    for name in sorted(deprecated & values.keys()):
        warnings.warn(f"{owner}: {name} is deprecated by the provider", DeprecationWarning, stacklevel=4)


def attributes_from(cls: type, local_names: Mapping[str, Any]) -> dict[str, Any]:
    """The Terraform attributes among a binding's ``__init__`` arguments (``locals()``), by Terraform name."""
    renamed: Mapping[str, str] = getattr(cls, "renamed_arguments", {})
    return {
        renamed.get(name, name): value
        for name, value in local_names.items()
        if name not in _NOT_ATTRIBUTES and value is not None
    }


def to_terraform(value: Any) -> Any:
    """Plain JSON-ready data for cdktf: blocks become dicts, unset values disappear."""
    if isinstance(value, Block):
        return value.to_terraform()
    if isinstance(value, Mapping):
        return {key: to_terraform(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [to_terraform(item) for item in value]
    return value


def _hcl_string(value: str) -> dict[str, Any]:
    """A string for cdktf's HCL renderer, so that Terraform reads back exactly ``value``.

    The renderer writes a string without a reference as ``"..."`` without escaping
    backslashes, and a multi-line one as a heredoc that gains a newline. So a string
    without a reference is written here as a finished HCL literal (a heredoc for text
    that ends in a newline, such as ``user_data``), and a multi-line one with a
    reference gives up the final newline its heredoc adds back.
    """
    if "${" not in value and value.endswith("\n") and "\r" not in value:
        # A heredoc, which reviewers can read; its body is taken literally, backslashes too.
        delimiter = "EOT"
        while delimiter in value.split("\n"):
            delimiter += "_"
        heredoc = f"<<{delimiter}\n{value}{delimiter}"
        return {"value": heredoc, "isBlock": False, "type": "reference", "storageClassType": "string"}
    if "${" not in value:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        literal = '"' + escaped.replace("\t", "\\t") + '"'
        return {"value": literal, "isBlock": False, "type": "reference", "storageClassType": "string"}
    if "\n" in value and value.endswith("\n"):
        value = value[:-1]
    return {"value": value, "isBlock": False, "type": "simple", "storageClassType": "string"}


def to_hcl(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes in the typed form cdktf's HCL renderer reads (``value``, ``isBlock``, ``type``, ...).

    The same shape cdktf's generated providers give from ``synthesizeHclAttributes``.
    """
    result = {}
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, Block):
            result[name] = {"value": to_hcl(value.fields()), "isBlock": True, "type": "struct", "storageClassType": ""}
        elif isinstance(value, (list, tuple)) and value and all(isinstance(item, Block) for item in value):
            blocks = [to_hcl(item.fields()) for item in value]
            result[name] = {"value": blocks, "isBlock": True, "type": "list", "storageClassType": "blockList"}
        elif isinstance(value, (list, tuple)):
            kind = "numberList" if value and all(isinstance(v, (int, float)) for v in value) else "stringList"
            result[name] = {"value": list(value), "isBlock": False, "type": "list", "storageClassType": kind}
        elif isinstance(value, Mapping):
            result[name] = {"value": to_terraform(value), "isBlock": False, "type": "map", "storageClassType": "map"}
        elif isinstance(value, str):
            result[name] = _hcl_string(value)
        else:
            kind = "boolean" if isinstance(value, bool) else "number"
            result[name] = {"value": value, "isBlock": False, "type": "simple", "storageClassType": kind}
    return result


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Block:
    """A nested configuration block (``assume_role``, ``zone_mappings``, ...): a frozen, keyword-only record.

    Type checkers treat every subclass as a frozen dataclass (PEP 681). At run
    time this class does the work itself instead of ``dataclasses``, whose code
    generation for each of the schema's blocks made importing the bindings
    three times slower.
    """

    #: The subclass's field names, in order, and those without a default.
    block_fields: ClassVar[tuple[str, ...]] = ()
    required_fields: ClassVar[frozenset[str]] = frozenset()
    deprecated_fields: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = {
            name: annotation
            for name, annotation in inspect.get_annotations(cls).items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        }
        cls.block_fields = (*cls.block_fields, *own)
        cls.required_fields = cls.required_fields | {name for name in own if name not in cls.__dict__}

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        unknown = sorted(values.keys() - set(cls.block_fields))
        if unknown:
            hints = [difflib.get_close_matches(name, cls.block_fields, n=1) for name in unknown]
            described = ", ".join(
                f"{name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                for name, hint in zip(unknown, hints, strict=True)
            )
            raise TypeError(f"{cls.__name__}() got unexpected keyword argument(s) {described}")
        missing = sorted(cls.required_fields - values.keys())
        if missing:
            raise TypeError(f"{cls.__name__}() missing required keyword argument(s) {', '.join(map(repr, missing))}")
        for name, value in values.items():
            object.__setattr__(self, name, value)
        values = self.fields()
        check_allowed(cls.__name__, allowed_values_of(cls), values)
        if cls.deprecated_fields:
            _warn_deprecated(cls.__name__, cls.deprecated_fields, values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.fields().items())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.fields().items())})"

    def fields(self) -> dict[str, Any]:
        """The fields that are set, by name."""
        return {name: value for name in self.block_fields if (value := getattr(self, name, None)) is not None}

    def to_terraform(self) -> dict[str, Any]:
        return {name: to_terraform(value) for name, value in self.fields().items()}


class AttributeReader:
    """Reads a binding's attributes back as typed tokens; each is fetched from jsii once.

    The generated getters live in a subclass of this that comes after cdktf's
    class in each binding's MRO: jsii looks through every member of the
    classes before it, on every object it creates, for methods that override
    cdktf's, and a binding has a getter for each of its attributes.
    """

    def _token(self, reader: str, name: str) -> Any:
        tokens: dict[str, Any] = self.__dict__.setdefault("_tokens", {})
        key = f"{reader}:{name}"
        if key not in tokens:
            tokens[key] = getattr(self, reader)(name)  # a round trip to jsii's Node process
        return tokens[key]

    @property
    def id(self) -> str:
        """The id, as a token resolved at apply time."""
        return self._string("id")

    def _string(self, name: str) -> str:
        result: str = self._token("get_string_attribute", name)
        return result

    def _number(self, name: str) -> float:
        result: float = self._token("get_number_attribute", name)
        return result

    def _boolean(self, name: str) -> Resolvable:
        result: Resolvable = self._token("get_boolean_attribute", name)
        return result

    def _string_list(self, name: str) -> list[str]:
        result: list[str] = self._token("get_list_attribute", name)
        return result

    def _number_list(self, name: str) -> list[float]:
        result: list[float] = self._token("get_number_list_attribute", name)
        return result

    def _string_map(self, name: str) -> Mapping[str, str]:
        result: Mapping[str, str] = self._token("get_string_map_attribute", name)
        return result

    def _number_map(self, name: str) -> Mapping[str, float]:
        result: Mapping[str, float] = self._token("get_number_map_attribute", name)
        return result

    def _resolvable(self, name: str) -> Resolvable:
        result: Resolvable = self._token("interpolation_for_attribute", name)
        return result

    def string_at(self, path: str) -> str:
        """A string inside a computed list or object, e.g. ``images[0].id``, as a token."""
        return self._string(path)

    def string_list_at(self, path: str) -> list[str]:
        """A list of strings from a splat over a computed list, e.g. ``zones[*].zone_domain``, as a token."""
        return self._string_list(path)


class _Synthesized:
    """Checks a binding's attributes against the schema's rules and gives them to cdktf when it synthesizes."""

    deprecated_arguments: ClassVar[frozenset[str]] = frozenset()
    _attributes: dict[str, Any]

    def _check(self, name: str, attributes: Mapping[str, Any]) -> None:
        check_allowed(name, allowed_values_of(type(self)), attributes)
        if self.deprecated_arguments:
            _warn_deprecated(name, self.deprecated_arguments, attributes)

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        result: Mapping[str, Any] = to_terraform(self._attributes)
        return result

    def _synthesize_hcl_attributes(self) -> Mapping[str, Any]:
        return to_hcl(self._attributes)


class _Element(_Synthesized):
    """Holds a resource's or data source's attributes and meta-arguments."""

    terraform_type: ClassVar[str]

    def __init__(
        self, scope: Construct, id: str, local_names: Mapping[str, Any], **options: Unpack[ResourceOptions]
    ) -> None:
        attributes = attributes_from(type(self), local_names)
        check_options(type(self), options)
        self._check(self.terraform_type, attributes)
        if not options.get("depends_on", True):
            del options["depends_on"]  # an empty list would be written out as `depends_on = []`
        # The next class in the MRO: TerraformResource or TerraformDataSource.
        super().__init__(scope, id, terraform_resource_type=self.terraform_type, **options)  # type: ignore[call-arg,misc]
        self._attributes = attributes


class AlicloudResource(_Element, TerraformResource):  # type: ignore[misc]
    """Base of every ``resource "alicloud_*"`` binding."""


class AlicloudDataSource(_Element, TerraformDataSource):  # type: ignore[misc]
    """Base of every ``data "alicloud_*"`` binding."""


class AlicloudProviderBase(_Synthesized, TerraformProvider):  # type: ignore[misc]
    """Base of the ``provider "alicloud"`` binding: its source, version pin and ``alias``."""

    terraform_type = "alicloud"

    def __init__(self, scope: Construct, id: str, local_names: Mapping[str, Any]) -> None:
        alias = local_names.get("alias")
        if alias is not None:
            self.__class__ = _with_alias(type(self))
            self._alias = alias
        attributes = attributes_from(type(self), local_names)
        attributes.pop("alias", None)  # a meta-argument, which cdktf writes itself
        self._check(type(self).__name__, attributes)
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
        self._attributes = attributes


class _Aliased:
    """The ``alias`` of a provider configuration that has one.

    cdktf's provider class has no storage for the alias: it asks the subclass,
    and each ask is a callback from Node into Python. So only a provider given
    an alias gets this property (by becoming an instance of a subclass with it
    first in line); the others answer from Node that they have none.
    """

    _alias: str

    @property
    def alias(self) -> str:
        return self._alias

    @alias.setter
    def alias(self, value: str) -> None:
        self._alias = value


_aliased_classes: dict[type, type] = {}


def _with_alias(cls: type) -> type:
    if cls not in _aliased_classes:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
        _aliased_classes[cls] = type(cls)(cls.__name__, (_Aliased, cls), namespace)
    return _aliased_classes[cls]
