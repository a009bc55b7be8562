"""The Terraform address cdktf gives a resource, computed for one that is not in the construct tree.

A ``moved`` block names the address a resource had under another construct
id (e.g. the single-zone ``vswitch`` of a network now given as a list of
zones). cdktf names a resource ``<type>.<ids>_<hash>``: the construct ids
below the stack joined by ``_``, then the first 8 hex digits (upper case) of
the MD5 of the same ids joined by ``/`` (``allocateLogicalId`` and
``makeUniqueId`` in cdktf's ``terraform-stack.ts`` and ``unique.ts``; cdktn
keeps them). A test checks the result against cdktf's own naming.
"""

from __future__ import annotations

import hashlib

from constructs import Construct

from ._runtime import TerraformStack


def sibling_address(scope: Construct, type_name: str, id: str) -> str:
    """The address of a resource ``type_name`` with construct id ``id`` directly under ``scope``."""
    stack = TerraformStack.of(scope)
    scopes = scope.node.scopes
    parts = [c.node.id for c in scopes[scopes.index(stack) + 1 :]] + [id]
    digest = hashlib.md5("/".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()[:8].upper()
    return f"{type_name}.{'_'.join(parts)}_{digest}"
