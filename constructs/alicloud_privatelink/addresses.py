"""The Terraform address cdktf gives a resource, computed in Python: for one not in the construct tree, or
not created yet.

A ``moved`` block names the address a resource had under another construct
id (e.g. the single-zone ``vswitch`` of a network now given as a list of
zones); a postcondition's hint or a ``replace_triggered_by`` names a resource
the construct creates. cdktf names a resource ``<type>.<logical id>`` with
``allocateLogicalId`` and ``makeUniqueId`` (cdktf's ``terraform-stack.ts`` and
``private/unique.ts``; cdktn keeps them), which :func:`logical_id` follows:
``Default`` ids are left out; a single id is used as it is; otherwise the ids
joined by ``_`` (an id the previous one ends with left out, ``Resource`` left
out, characters other than ``A-Za-z0-9_-`` dropped, cut to 240 characters),
then ``_`` and the first 8 hex digits (upper case) of the MD5 of the ids
joined by ``/``. The constructs library writes a ``/`` in an id as ``--``.
Tests check the result against cdktf's own naming.

:func:`move_within` writes such a block through one element per stack
(:class:`MovedBlocks`) instead of cdktf's ``moveFromId``: the output is the
same, in JSON and in HCL, but a stack with a moved resource makes cdktf run
``terraform version`` during synthesis (``ValidateTerraformVersion`` in its
synthesizer, unless the app skips validation), about 30 ms per stack, and fail
without Terraform installed.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Sequence
from typing import Any

from constructs import Construct

from ._runtime import TerraformElement, TerraformStack


class MovedBlocks(TerraformElement):  # type: ignore[misc]
    """The stack's ``moved`` blocks, in the order they were added (construct id ``moved-blocks``)."""

    def __init__(self, scope: Construct) -> None:
        super().__init__(scope, "moved-blocks")
        self.blocks: list[dict[str, str]] = []

    def to_terraform(self) -> Any:
        return {"moved": list(self.blocks)} if self.blocks else {}

    def to_hcl_terraform(self) -> Any:
        # The shape cdktf's own resources give a moved block for its HCL renderer (terraform-resource.ts).
        def reference(address: str) -> dict[str, Any]:
            return {"value": address, "isBlock": False, "type": "simple", "storageClassType": "reference"}

        moves = [{"to": reference(b["to"]), "from": reference(b["from"])} for b in self.blocks]
        return {"moved": moves} if moves else {}


_MOVES: weakref.WeakKeyDictionary[Any, MovedBlocks] = weakref.WeakKeyDictionary()


def _stack_and_parts(scope: Construct) -> tuple[TerraformStack, list[str]]:
    """``scope``'s stack and the construct ids from below the stack down to ``scope``.

    Three jsii round trips (``node``, its ``scopes`` and ``path``): the stack is found among the scopes on the
    Python side (a stack is a Python object here), and the ids below it are read from the path, which holds
    every scope's id but the root's.
    """
    node = scope.node
    scopes = node.scopes
    below = max(index for index, each in enumerate(scopes) if isinstance(each, TerraformStack))
    # scopes[0] is the root (id "", not in the path), so scopes[i] is path component i - 1.
    return scopes[below], node.path.split("/")[below:]


_HIDDEN_ID = "Default"
_HIDDEN_FROM_HUMAN_ID = "Resource"
_DISALLOWED = re.compile(r"[^A-Za-z0-9_-]")
_MAX_HUMAN = 240
_MAX_ID = 255


def logical_id(ids: Sequence[str]) -> str:
    """The logical id cdktf gives the element whose construct ids below its stack are ``ids`` (see above)."""
    kept = [id.replace("/", "--") for id in ids if id != _HIDDEN_ID]
    if not kept:
        raise ValueError("an element directly under the stack with id 'Default' has no logical id")
    if len(kept) == 1 and len(candidate := _DISALLOWED.sub("", kept[0])) <= _MAX_ID:
        return candidate
    digest = hashlib.md5("/".join(kept).encode("utf-8"), usedforsecurity=False).hexdigest()[:8].upper()
    human: list[str] = []
    for id in kept:
        if not human or not human[-1].endswith(id):
            human.append(id)
    readable = "_".join(_DISALLOWED.sub("", id) for id in human if id != _HIDDEN_FROM_HUMAN_ID)
    return f"{readable[:_MAX_HUMAN]}_{digest}"


def _address(parts: list[str], type_name: str, id: str) -> str:
    return f"{type_name}.{logical_id([*parts, id])}"


def sibling_address(scope: Construct, type_name: str, id: str) -> str:
    """The address of a resource ``type_name`` with construct id ``id`` directly under ``scope``."""
    return address_below(scope, [id], type_name)


def _below(parent: Construct, ids: Sequence[str]) -> tuple[TerraformStack, list[str]]:
    """The stack and the construct ids below it of the construct ``ids`` (its path below ``parent``).

    Under a stack this costs no jsii round trip; below a construct, three (see :func:`_stack_and_parts`).
    """
    if isinstance(parent, TerraformStack):
        return parent, list(ids)
    stack, above = _stack_and_parts(parent)
    return stack, [*above, *ids]


def address_below(parent: Construct, ids: Sequence[str], type_name: str) -> str:
    """The address cdktf gives the resource ``type_name`` whose construct ids below ``parent`` are ``ids``,
    e.g. ``(scope, [id, "connection"], ...)`` for a construct's child: known before the resource is created,
    and without the two round trips of its ``terraform_resource_type`` and ``friendly_unique_id``."""
    *parts, id = _below(parent, ids)[1]
    return _address(parts, type_name, id)


def move_within(parent: Construct, scope_id: str, type_name: str, from_id: str, to_id: str) -> None:
    """A ``moved`` block from the resource ``type_name`` with construct id ``from_id`` to the one with ``to_id``,
    both under the construct ``scope_id`` of ``parent`` (a no-op for Terraform when the state has no resource at
    ``from_id``). A construct passes its own scope and id: under a stack, that costs no jsii round trip."""
    stack, parts = _below(parent, [scope_id])
    if stack not in _MOVES:
        _MOVES[stack] = MovedBlocks(stack)
    _MOVES[stack].blocks.append({"to": _address(parts, type_name, to_id), "from": _address(parts, type_name, from_id)})
