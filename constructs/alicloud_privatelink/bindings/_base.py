"""What every L1 binding shares: holding attribute values and handing them to cdktf.

There is no prebuilt alicloud provider for cdktf, so each binding is a small
class whose keyword arguments are the Terraform attribute names of the real
provider (``aliyun/alicloud`` v1.289.0). A binding has no logic of its own; the
base classes here only

* drop unset (``None``) arguments,
* reject a literal value outside the provider's allowed values, which the
  bindings declare as ``Literal[...]`` annotations, and
* turn nested blocks (frozen dataclasses) into plain dictionaries when cdktf
  asks for ``synthesizeAttributes`` at synth time.

Unknown keywords are a ``TypeError`` for free, because every binding spells
out its keyword arguments.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypedDict

from constructs import Construct
from typing_extensions import Unpack

from .._runtime import (
    ITerraformDependable,
    TerraformDataSource,
    TerraformProvider,
    TerraformResource,
    TerraformResourceLifecycle,
    Token,
)

#: The provider release the bindings were written against.
PROVIDER_VERSION = "1.289.0"
#: What ``required_providers`` pins: any 1.x release from 1.289 on.
PROVIDER_VERSION_CONSTRAINT = "~> 1.289"
PROVIDER_SOURCE = "aliyun/alicloud"

#: Names a binding's ``__init__`` receives that are not Terraform attributes.
_NOT_ATTRIBUTES = frozenset({"self", "scope", "id", "options", "__class__"})


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

    Worked out once per class: resolving type hints is slow.
    """
    if owner not in _allowed_by_owner:
        hints = typing.get_type_hints(owner if dataclasses.is_dataclass(owner) else owner.__init__)  # type: ignore[misc]
        found = {name: _allowed_values(hint) for name, hint in hints.items()}
        _allowed_by_owner[owner] = {name: values for name, values in found.items() if values is not None}
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


def attributes_from(local_names: Mapping[str, Any]) -> dict[str, Any]:
    """The Terraform attributes among a binding's ``__init__`` arguments (``locals()``)."""
    return {name: value for name, value in local_names.items() if name not in _NOT_ATTRIBUTES and value is not None}


def to_terraform(value: Any) -> Any:
    """Plain JSON-ready data for cdktf: blocks become dicts, unset values disappear."""
    if isinstance(value, Block):
        return value.to_terraform()
    if isinstance(value, Mapping):
        return {key: to_terraform(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [to_terraform(item) for item in value]
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class Block:
    """A nested configuration block (``assume_role``, ``backend_servers``, ...)."""

    def __post_init__(self) -> None:
        check_allowed(type(self).__name__, allowed_values_of(type(self)), dataclasses.asdict(self))

    def to_terraform(self) -> dict[str, Any]:
        return {
            field.name: to_terraform(getattr(self, field.name))
            for field in dataclasses.fields(self)
            if getattr(self, field.name) is not None
        }


class _Element:
    """Holds a binding's attributes and gives them to cdktf when it synthesizes."""

    terraform_type: ClassVar[str]
    _attributes: dict[str, Any]

    def __init__(self, scope: Construct, id: str, attributes: dict[str, Any], **options: Unpack[ResourceOptions]):
        check_options(type(self), options)
        check_allowed(self.terraform_type, allowed_values_of(type(self)), attributes)
        if not options.get("depends_on", True):
            del options["depends_on"]  # an empty list would be written out as `depends_on = []`
        # The next class in the MRO: TerraformResource or TerraformDataSource.
        super().__init__(scope, id, terraform_resource_type=self.terraform_type, **options)  # type: ignore[call-arg,misc]
        self._attributes = attributes

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        result: Mapping[str, Any] = to_terraform(self._attributes)
        return result

    @functools.cached_property
    def id(self) -> str:
        """The id, as a token resolved at apply time.

        Fetched once: each fetch is a round trip to the jsii Node process, and
        one token resolves to the same reference wherever it is used.
        """
        return self.get_string_attribute("id")  # type: ignore[attr-defined,no-any-return]


class AlicloudResource(_Element, TerraformResource):  # type: ignore[misc]
    """Base of every ``resource "alicloud_*"`` binding."""


class AlicloudDataSource(_Element, TerraformDataSource):  # type: ignore[misc]
    """Base of every ``data "alicloud_*"`` binding."""
