"""HCL that Terraform reads, in canonical layout: cdktf's ``cdk.tf`` as ``terraform fmt`` would leave it.

Call :func:`format_hcl_output` on the output folder after an HCL synth
(``SYNTH_HCL_OUTPUT=true``): cdktf 0.21's renderer writes the
``precondition`` and ``postcondition`` of a lifecycle as list attributes,
which Terraform refuses ("An argument named "postcondition" is not expected
here"), and this module writes them as blocks; the constructs use both
(:class:`~alicloud_privatelink.EndpointService`' look-up checks, the endpoint
connection's status).

cdktf renders HCL without indentation; its CLI leaves formatting to
``terraform fmt``. The app writes the same bytes on every machine, with or
without Terraform installed, so it lays the file out itself, following the
rules of HCL's formatter (hashicorp/hcl ``hclwrite/format.go``): two spaces per
open bracket, the ``=`` of consecutive one-line attributes aligned, heredoc
bodies untouched, no trailing spaces; and, as ``terraform fmt`` does, an
attribute whose whole value is one ``"${...}"`` loses the quotes. It also
unquotes the references in ``depends_on``, ``provider`` and ``lifecycle``'s
``ignore_changes``, which Terraform reads either way but calls quoted ones
deprecated, and in ``replace_triggered_by``, where Terraform refuses a quoted
one ("Invalid replace_triggered_by expression"; the JSON syntax reads the same
string as an expression). A test checks the result with ``terraform fmt -check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$")
_ASSIGNMENT = re.compile(r"^([A-Za-z0-9_\"-][^=]*?)\s*=\s*(.*)$")
_BLOCK_HEADER = re.compile(r'^[A-Za-z_][A-Za-z0-9_-]*(\s+"[^"]*")*\s*\{$')
_QUOTED_REFERENCE = re.compile(r'^"([A-Za-z_][A-Za-z0-9_.-]*)"(,?)$')
_OPENERS, _CLOSERS = "{[(", "}])"
_CONDITION_LIST = re.compile(r"^(precondition|postcondition)\s*=\s*\[$")
#: Lists whose items are references, which cdktf writes quoted.
_REFERENCE_LISTS = frozenset({"depends_on = [", "ignore_changes = [", "replace_triggered_by = ["})


def _unwrap_interpolation(value: str) -> str:
    """``"${a.b}"`` -> ``a.b``, as ``terraform fmt`` does for an attribute whose value is one interpolation.

    Anything else inside the quotes (text, a second ``${``) leaves the value as it is.
    """
    if not (value.startswith('"${') and value.endswith('}"')):
        return value
    inner, depth, quoted = value[3:-2], 0, False
    for index, char in enumerate(inner):
        if quoted:
            quoted = not (char == '"' and inner[index - 1] != "\\")
        elif char == '"':
            quoted = True
        elif char in "$%" and inner[index + 1 : index + 2] == "{":
            return value
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return value
    return inner.strip() if depth == 0 and not quoted else value


def _bracket_change(line: str) -> tuple[int, int]:
    """How many brackets a line closes before opening any, and its net change, outside strings."""
    depth, lowest, in_string, escaped, interpolation = 0, 0, False, False, 0
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == "{" and line[index - 1 : index] in ("$", "%"):
                interpolation += 1
            elif char == "}" and interpolation:
                interpolation -= 1
            elif char == '"' and not interpolation:
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == "#" or line.startswith("//", index):
            break
        elif char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            lowest = min(lowest, depth)
    return lowest, depth


def _condition_blocks(text: str) -> str:
    """``postcondition = [{...}, ...]`` (how cdktf renders ``lifecycle`` conditions) as one block per condition.

    Terraform reads conditions only as blocks: ``postcondition { condition = ... }``; as an argument it
    refuses them ("An argument named "postcondition" is not expected here").
    """
    lines: list[str] = []
    name: str | None = None
    depth = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if name is None:
            if found := _CONDITION_LIST.match(line):
                name, depth = found.group(1), 0
                continue
            lines.append(raw)
            continue
        _, change = _bracket_change(line)
        if depth == 0 and line == "]":
            name = None
        elif depth == 0 and line == "{":
            lines.append(f"{name} {{")
        elif depth + change == 0 and line in ("}", "},"):
            lines.append("}")
        else:
            lines.append(raw)
        depth += change
    return "\n".join(lines)


def format_hcl(text: str) -> str:
    """``text`` laid out as ``terraform fmt`` lays it out."""
    text = _condition_blocks(text)
    out: list[list[str]] = []  # [indent, name, value] for assignments, [indent, line] otherwise
    depth = 0
    #: For each open bracket, whether it opened a block body (whose ``name = value`` lines are
    #: attributes) rather than an object or list (whose lines are items).
    blocks: list[bool] = []
    references: int | None = None  # the depth of an open list of references (see _REFERENCE_LISTS)
    heredoc: str | None = None
    for raw in text.split("\n"):
        if heredoc is not None:
            # The body belongs to the line that opened it: a heredoc does not end a run of
            # aligned assignments.
            out[-1][-1] += "\n" + raw
            if raw.strip() == heredoc:
                heredoc = None
            continue
        line = raw.strip()
        if not line:
            out.append(["", ""])
            continue
        if references is not None and (quoted := _QUOTED_REFERENCE.match(line)):
            line = quoted.group(1) + quoted.group(2)
        lowest, change = _bracket_change(line)
        indent = "  " * (depth + lowest)
        depth += change
        in_block = all(blocks)
        del blocks[max(len(blocks) + lowest, 0) :]
        blocks += [bool(_BLOCK_HEADER.match(line))] * (change - lowest)
        if references is not None and depth <= references:
            references = None
        elif line in _REFERENCE_LISTS:
            references = depth - change
        match = _ASSIGNMENT.match(line)
        if match and change == 0 and not line.startswith(("#", "//")):
            value = _unwrap_interpolation(match.group(2)) if in_block else match.group(2)
            if in_block and match.group(1) == "provider" and _QUOTED_REFERENCE.match(value):
                value = value.strip('"')  # the meta-argument, which cdktf quotes like depends_on
            out.append([indent, match.group(1), value])
        else:
            out.append([indent, line])
        if found := _HEREDOC.search(line):
            heredoc = found.group(1)
    return "\n".join(_align(out))


def _align(lines: list[list[str]]) -> Iterable[str]:
    """Pad the names of each run of consecutive one-line assignments to one width."""
    run: list[list[str]] = []

    def flush() -> Iterable[str]:
        width = max((len(name) for _, name, _ in run), default=0)
        for indent, name, value in run:
            yield f"{indent}{name.ljust(width)} = {value}"
        run.clear()

    for line in lines:
        if len(line) == 3:
            run.append(line)
            continue
        yield from flush()
        yield (line[0] + line[1]).rstrip()
    yield from flush()


def format_hcl_files(paths: Iterable[Path]) -> None:
    """Rewrite each file in canonical layout."""
    for path in paths:
        path.write_text(format_hcl(path.read_text(encoding="utf-8")), encoding="utf-8")


def format_hcl_output(outdir: str | Path) -> None:
    """Rewrite every stack's ``cdk.tf`` in an output folder (``<outdir>/stacks/<stack>/cdk.tf``)."""
    format_hcl_files(sorted(Path(outdir).glob("stacks/*/cdk.tf")))
