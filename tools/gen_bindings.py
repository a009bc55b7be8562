"""Generate typed, pure-Python cdktf bindings from a Terraform provider schema.

An offline ``cdktf get`` for alicloud: it reads ``terraform providers schema
-json`` output (with or without the extra keys the project's copy carries:
``enum``, ``removed``, ...) and writes one module per service, each class a
thin declaration over ``alicloud_privatelink.bindings._base``. Names follow
docs in notes/bindings-naming (resource ``alicloud_nlb_load_balancer`` ->
``NlbLoadBalancer``, data source -> ``Data...``, nested block -> owner class +
block name). The output is ruff-formatted and byte-identical on every run.

    python tools/gen_bindings.py [--schema FILE] [--types "alicloud_x alicloud_y"] [--out DIR]

Without ``--types`` every type in the schema and the provider block are
generated; with it, only the listed types (add ``provider`` for the provider
block). ``--out`` outside the project's own package writes modules that import
the base classes from the installed ``alicloud_privatelink`` library.
"""

from __future__ import annotations

import argparse
import json
import keyword
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "constructs" / "alicloud_privatelink" / "bindings"
DEFAULT_SCHEMA = ROOT / "tools" / "schema" / "alicloud-provider-schema.json"
PROVIDER_KEY = "provider"

#: Members of cdktf's TerraformResource, TerraformDataSource and TerraformProvider
#: (Python names), and the bindings' own. A getter with one of these names would
#: shadow (and, for jsii members, override) the base class, so it gets an
#: ``_attribute`` suffix instead, as ``cdktf get`` does. tests/test_generated_bindings.py
#: checks this list against the installed cdktf.
RESERVED = frozenset(
    """
    add_move_target add_override alias cdktf_stack connection constructs count depends_on for_each fqn
    friendly_unique_id get_any_map_attribute get_boolean_attribute get_boolean_map_attribute get_list_attribute
    get_number_attribute get_number_list_attribute get_number_map_attribute get_string_attribute
    get_string_map_attribute has_resource_move id import_from interpolation_for_attribute is_construct
    is_terraform_data_source is_terraform_element is_terraform_provider is_terraform_resource lifecycle
    meta_attributes move_from_id move_to move_to_id node override_logical_id provider provisioners raw_overrides
    reset_override_logical_id terraform_generator_metadata terraform_meta_arguments terraform_provider_source
    terraform_resource_type terraform_type to_hcl_terraform to_metadata to_string to_terraform with_ options
    """.split()
)
#: Provider arguments left out on purpose: credentials belong in the environment
#: (ALIBABA_CLOUD_ACCESS_KEY_ID ...), a CLI profile or an assumed role, never in code
#: or synthesized output.
CREDENTIALS = frozenset({"access_key", "secret_key", "security_token"})
#: Arguments every binding's ``__init__`` takes itself.
NOT_ARGUMENTS = frozenset({"self", "scope", "id", "options"})

#: Services whose module is not the type's first word (notes/bindings-naming.md).
MODULE_BY_PREFIX = (
    ("alicloud_vswitch", "vpc"),
    ("alicloud_security_group", "ecs"),
    ("alicloud_instance", "ecs"),  # alicloud_instance and data alicloud_instance_types
    ("alicloud_images", "ecs"),
    ("alicloud_zones", "ecs"),
    ("alicloud_account", "ecs"),
)
MODULE_DOCS = {
    "vpc": "VPC networking: VPCs and vSwitches.",
    "ecs": "ECS: instances, security groups and their rules, and the image, instance-type, zone and account look-ups.",
    "slb": "Classic Load Balancer (CLB, API name SLB).",
    "nlb": "Network Load Balancer (NLB).",
    "alb": "Application Load Balancer (ALB).",
    "privatelink": "PrivateLink: endpoint services, their resources and users, endpoints, zones, connections.",
    "pvtz": "PrivateZone (pvtz): private DNS zones, records and their VPC attachments.",
    "provider": "The ``alicloud`` provider block.",
}


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def module_of(type_name: str) -> str:
    if type_name == PROVIDER_KEY:
        return "provider"
    for prefix, module in MODULE_BY_PREFIX:
        if type_name == prefix or type_name.startswith(prefix + "_"):
            return module
    word = type_name.removeprefix("alicloud_").split("_")[0]
    return word if word.isidentifier() and not keyword.iskeyword(word) else f"{word}_"


def python_name(name: str) -> str:
    """A Python identifier for a Terraform name (``from`` -> ``from_``)."""
    return f"{name}_" if keyword.iskeyword(name) or name in NOT_ARGUMENTS else name


def docstring(paragraphs: list[str], indent: str = "    ") -> str:
    """A docstring wrapped to the project's line length."""
    wrapped = [textwrap.fill(p, width=116 - len(indent), break_on_hyphens=False) for p in paragraphs]
    body = ("\n\n").join(wrapped).replace("\n", "\n" + indent).replace("\n" + indent + "\n", "\n\n")
    if len(paragraphs) == 1 and "\n" not in body:
        return f'{indent}"""{body}"""'
    return f'{indent}"""{body}\n{indent}"""'


def doc_text(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace('"""', "'''").split())


@dataclass
class Module:
    """What one generated module holds, as source fragments in order."""

    name: str
    aliases: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)


class Generator:
    def __init__(self, schema: Mapping[str, Any], base_module: str, schema_label: str) -> None:
        self.schema = schema
        self.base = base_module
        self.label = schema_label
        self.modules: dict[str, Module] = {}
        #: Every class name handed out, so a block never takes a resource's name.
        self.taken: set[str] = set()

    # -- types --------------------------------------------------------------------------------
    def value_type(self, kind: Any, module: Module, getter: bool = False) -> str:
        """The Python annotation for a Terraform type (``"string"``, ``["list", "string"]`` ...)."""
        if kind == "string":
            return "str"
        if kind == "number":
            return "float"
        if kind == "bool":
            return "Resolvable" if getter else "bool"
        if kind == "dynamic":
            module.imports.add("Any")
            return "Any"
        if isinstance(kind, list) and kind[0] in ("list", "set"):
            module.imports.add("Sequence")
            return f"Sequence[{self.value_type(kind[1], module)}]"
        if isinstance(kind, list) and kind[0] == "map":
            module.imports.add("Mapping")
            return f"Mapping[str, {self.value_type(kind[1], module)}]"
        module.imports.update({"Any", "Mapping"})
        return "Mapping[str, Any]"

    def enum_alias(self, owner: str, name: str, values: Iterable[Any], module: Module) -> str:
        alias = owner + camel(name)
        module.imports.add("Literal")
        listed = ", ".join(json.dumps(value) for value in values)
        module.aliases.append(f"{alias} = Literal[{listed}]")
        return alias

    def argument_type(self, owner: str, name: str, attribute: Mapping[str, Any], module: Module) -> str:
        if attribute.get("enum") and attribute["type"] in ("string", "number"):
            return self.enum_alias(owner, name, attribute["enum"], module)
        return self.value_type(attribute["type"], module)

    @staticmethod
    def settable(attribute: Mapping[str, Any]) -> bool:
        return bool(attribute.get("required") or attribute.get("optional")) and not attribute.get("removed")

    # -- blocks -------------------------------------------------------------------------------
    def block_argument(self, owner: str, name: str, block_type: Mapping[str, Any], module: Module) -> tuple[str, bool]:
        """The annotation of a nested block argument and whether it is required."""
        where = f"``{name}`` block of {owner}" + (
            " (deprecated by the provider)" if block_type.get("deprecated") else ""
        )
        cls = owner + camel(name)
        if cls in self.taken:
            # e.g. alicloud_privatelink_vpc_endpoint_service.resource would take the name of
            # the alicloud_privatelink_vpc_endpoint_service_resource resource.
            cls += "Block"
        self.taken.add(cls)
        cls = self.block_class(cls, block_type["block"], module, where + ".")
        mode = block_type.get("nesting_mode", "list")
        single = mode == "single" or (mode in ("list", "set") and block_type.get("max_items") == 1)
        if mode == "map":
            module.imports.add("Mapping")
            annotation = f"Mapping[str, {cls}]"
        elif single:
            annotation = cls
        else:
            module.imports.add("Sequence")
            annotation = f"Sequence[{cls}]"
        return annotation, int(block_type.get("min_items", 0) or 0) > 0

    def nested_block_arguments(
        self,
        owner: str,
        block: Mapping[str, Any],
        module: Module,
        required: list[tuple[str, str]],
        optional: list[tuple[str, str]],
        deprecated: list[str],
        argument_name: Callable[[str], str] = str,
    ) -> None:
        """Append an argument for each nested block of ``block`` (removed ones left out), as for attributes."""
        for name, block_type in sorted(block.get("block_types", {}).items()):
            if block_type.get("removed"):
                continue
            annotation, is_required = self.block_argument(owner, name, block_type, module)
            (required if is_required else optional).append((argument_name(name), annotation))
            if block_type.get("deprecated"):
                deprecated.append(name)

    def block_class(self, cls: str, block: Mapping[str, Any], module: Module, summary: str) -> str:
        required, optional, deprecated = [], [], []
        for name, attribute in sorted(block.get("attributes", {}).items()):
            if not self.settable(attribute):
                continue
            annotation = self.argument_type(cls, name, attribute, module)
            target = required if attribute.get("required") else optional
            target.append((name, annotation))
            if attribute.get("deprecated"):
                deprecated.append(name)
        self.nested_block_arguments(cls, block, module, required, optional, deprecated)
        for name, _ in required + optional:
            if python_name(name) != name:
                raise SystemExit(f"{cls}.{name}: a Python keyword as a block field is not supported")
        lines = [f"class {cls}(Block):"]
        lines.append(docstring([self.describe(block, summary)]))
        if deprecated:
            module.imports.add("ClassVar")
            lines.append("")
            lines.append(f"    deprecated_fields: ClassVar[frozenset[str]] = frozenset({sorted(deprecated)!r})")
        lines.append("")
        lines += [f"    {name}: {annotation}" for name, annotation in required]
        lines += [f"    {name}: {annotation} | None = None" for name, annotation in optional]
        module.blocks.append("\n".join(lines))
        return cls

    @staticmethod
    def describe(block: Mapping[str, Any], fallback: str) -> str:
        text = block.get("description")
        return doc_text(text) if isinstance(text, str) and text.strip() else fallback

    # -- resources and data sources -----------------------------------------------------------
    def element(self, type_name: str, block: Mapping[str, Any], data: bool) -> None:
        module = self.module(module_of(type_name))
        cls = ("Data" if data else "") + camel(type_name.removeprefix("alicloud_"))
        attributes = block.get("attributes", {})
        required, optional, deprecated, renamed, notes = [], [], [], {}, []
        for name, attribute in sorted(attributes.items()):
            if name == "id" or not self.settable(attribute):
                continue
            annotation = self.argument_type(cls, name, attribute, module)
            arg = python_name(name)
            if arg != name:
                renamed[arg] = name
            (required if attribute.get("required") else optional).append((arg, annotation))
            if attribute.get("deprecated"):
                deprecated.append(name)
            if attribute.get("description"):
                notes.append(f"{arg}: {doc_text(attribute['description'])}")
        self.nested_block_arguments(cls, block, module, required, optional, deprecated, python_name)
        kind = "data source" if data else "resource"
        base = "AlicloudDataSource" if data else "AlicloudResource"
        module.imports.update({base, "ResourceOptions", "Unpack", "Construct"})
        getters = self.getters(cls, attributes, module)
        module.imports.add("AttributeReader")
        reader = f"_{cls}Attributes"
        module.classes.append(
            "\n".join([f"class {reader}(AttributeReader):", f'    """Typed getters of {cls}."""', *getters])
        )
        lines = [f"class {cls}({base}, {reader}):"]
        summary = self.describe(block, f"``{type_name}`` {kind}.")
        doc = [summary]
        if deprecated:
            doc.append("Deprecated arguments (kept; the provider warns when set): " + ", ".join(deprecated) + ".")
        doc += notes
        lines.append(docstring(doc))
        lines.append("")
        lines.append(f'    terraform_type = "{type_name}"')
        if deprecated:
            module.imports.add("ClassVar")
            lines.append(f"    deprecated_arguments: ClassVar[frozenset[str]] = frozenset({sorted(deprecated)!r})")
        if renamed:
            module.imports.add("ClassVar")
            lines.append(f"    renamed_arguments: ClassVar[dict[str, str]] = {dict(sorted(renamed.items()))!r}")
        lines.append("")
        lines.append("    def __init__(")
        lines.append("        self,")
        lines.append("        scope: Construct,")
        lines.append("        id: str,")
        if required or optional:
            lines.append("        *,")
        lines += [f"        {name}: {annotation}," for name, annotation in required]
        lines += [f"        {name}: {annotation} | None = None," for name, annotation in optional]
        lines.append("        **options: Unpack[ResourceOptions],")
        lines.append("    ) -> None:")
        lines.append("        super().__init__(scope, id, locals(), **options)")
        module.classes.append("\n".join(lines))
        module.exports.append(cls)

    def getters(self, cls: str, attributes: Mapping[str, Any], module: Module) -> list[str]:
        lines = []
        for name, attribute in sorted(attributes.items()):
            if name == "id" or attribute.get("removed"):
                continue
            getter = name if name not in RESERVED and not keyword.iskeyword(name) else f"{name}_attribute"
            annotation, reader = self.getter_type(attribute["type"], module)
            lines.append("")
            lines.append("    @property")
            lines.append(f"    def {getter}(self) -> {annotation}:")
            note = "computed" if not self.settable(attribute) else "as set or computed"
            lines.append(f'        """``{name}`` ({note}), a token resolved at apply time."""')
            lines.append(f'        return self.{reader}("{name}")')
        return lines

    def getter_type(self, kind: Any, module: Module) -> tuple[str, str]:
        simple = {"string": ("str", "_string"), "number": ("float", "_number")}
        if isinstance(kind, str) and kind in simple:
            return simple[kind]
        if kind == "bool":
            module.imports.add("Resolvable")
            return "Resolvable", "_boolean"
        if isinstance(kind, list) and kind[0] in ("list", "set") and isinstance(kind[1], str) and kind[1] in simple:
            return f"list[{simple[kind[1]][0]}]", f"{simple[kind[1]][1]}_list"
        if isinstance(kind, list) and kind[0] == "map" and isinstance(kind[1], str) and kind[1] in simple:
            module.imports.add("Mapping")
            return f"Mapping[str, {simple[kind[1]][0]}]", f"{simple[kind[1]][1]}_map"
        module.imports.add("Resolvable")
        return "Resolvable", "_resolvable"

    def provider(self, block: Mapping[str, Any]) -> None:
        module = self.module("provider")
        cls = "AlicloudProvider"
        required, optional, deprecated = [], [], []
        for name, attribute in sorted(block.get("attributes", {}).items()):
            if name in CREDENTIALS or attribute.get("sensitive") or not self.settable(attribute):
                continue
            if python_name(name) != name or name == "alias":
                raise SystemExit(f"provider.{name}: unsupported argument name")
            annotation = self.argument_type(cls, name, attribute, module)
            (required if attribute.get("required") else optional).append((name, annotation))
            if attribute.get("deprecated"):
                deprecated.append(name)
        self.nested_block_arguments(cls, block, module, required, optional, deprecated)
        module.imports.update({"AlicloudProviderBase", "Construct"})
        lines = [f"class {cls}(AlicloudProviderBase):"]
        doc = ['``provider "alicloud"``; give ``alias`` for a second configuration in one stack.']
        doc.append(
            "Credentials (" + ", ".join(sorted(CREDENTIALS)) + ") are deliberately not arguments: the provider reads"
            " them from its environment, a CLI ``profile`` or an assumed role, so no key lands in code or output."
        )
        if deprecated:
            doc.append("Deprecated arguments (kept; the provider warns when set): " + ", ".join(deprecated) + ".")
        lines.append(docstring(doc))
        lines.append("")
        if deprecated:
            module.imports.add("ClassVar")
            lines.append(f"    deprecated_arguments: ClassVar[frozenset[str]] = frozenset({sorted(deprecated)!r})")
            lines.append("")
        lines.append("    def __init__(")
        lines.append("        self,")
        lines.append("        scope: Construct,")
        lines.append("        id: str,")
        lines.append("        *,")
        lines += [f"        {name}: {annotation}," for name, annotation in required]
        lines += [f"        {name}: {annotation} | None = None," for name, annotation in optional]
        lines.append("        alias: str | None = None,")
        lines.append("    ) -> None:")
        lines.append("        super().__init__(scope, id, locals())")
        module.classes.append("\n".join(lines))
        module.exports.append(cls)

    def module(self, name: str) -> Module:
        return self.modules.setdefault(name, Module(name))

    # -- output -------------------------------------------------------------------------------
    def render(self, module: Module) -> str:
        header = f"# Generated by tools/gen_bindings.py from {self.label}. Do not edit: run `make bindings`."
        doc = MODULE_DOCS.get(module.name, f"``alicloud_{module.name}_*`` resources and data sources.")
        typing_names = sorted(module.imports & {"Any", "ClassVar", "Literal"})
        abc_names = sorted(module.imports & {"Mapping", "Sequence"})
        base_names = sorted(
            module.imports
            & {
                "AlicloudDataSource",
                "AlicloudProviderBase",
                "AlicloudResource",
                "AttributeReader",
                "Block",
                "Resolvable",
                "ResourceOptions",
            }
        )
        if module.blocks:
            base_names = sorted({*base_names, "Block"})
        out = [header, f'"""{doc}"""', "", "from __future__ import annotations", ""]
        if "dataclasses" in module.imports:
            out.append("import dataclasses")
        if abc_names:
            out.append(f"from collections.abc import {', '.join(abc_names)}")
        if typing_names:
            out.append(f"from typing import {', '.join(typing_names)}")
        out.append("")
        out.append("from constructs import Construct")
        if "Unpack" in module.imports:
            out.append("from typing_extensions import Unpack")
        out.append("")
        out.append(f"from {self.base} import {', '.join(base_names)}")
        out.append("")
        block_names = [chunk.split("class ")[1].split("(")[0] for chunk in module.blocks]
        alias_names = [alias.split(" =")[0] for alias in module.aliases]
        out.append(f"__all__ = {sorted(module.exports + block_names + alias_names)!r}")
        out += ["", *module.aliases, ""]
        for chunk in module.blocks + module.classes:
            out += ["", chunk, ""]
        return "\n".join(out) + "\n"

    def render_init(self) -> str:
        names: dict[str, str] = {}
        for module in self.modules.values():
            for name in module.exports + [b.split("class ")[1].split("(")[0] for b in module.blocks]:
                names[name] = module.name
        lines = [
            f"# Generated by tools/gen_bindings.py from {self.label}. Do not edit: run `make bindings`.",
            '"""L1 bindings: one typed class per alicloud resource, data source and nested block.',
            "",
            "Generated from the provider schema by ``tools/gen_bindings.py``; the keyword",
            "arguments are the provider's attribute names.",
            '"""',
            "",
            f"from {self.base} import PROVIDER_SOURCE, PROVIDER_VERSION, PROVIDER_VERSION_CONSTRAINT, ResourceOptions",
        ]
        by_module: dict[str, list[str]] = {}
        for name, module_name in names.items():
            by_module.setdefault(module_name, []).append(name)
        for module_name in sorted(by_module):
            lines.append(f"from .{module_name} import {', '.join(sorted(by_module[module_name]))}")
        exported = [*names, "PROVIDER_SOURCE", "PROVIDER_VERSION", "PROVIDER_VERSION_CONSTRAINT", "ResourceOptions"]
        lines += ["", f"__all__ = {sorted(exported)!r}"]
        return "\n".join(lines) + "\n"

    def run(self, types: list[str] | None) -> dict[str, str]:
        schemas = self.schema["provider_schemas"]
        # A user's `terraform providers schema -json` lists every provider of their configuration.
        found = [schema for address, schema in schemas.items() if address.rsplit("/", 1)[-1] == "alicloud"]
        if len(found) != 1:
            raise SystemExit(f"expected one alicloud provider in the schema, found {len(found)}")
        (provider,) = found
        resources = provider.get("resource_schemas", {})
        data_sources = provider.get("data_source_schemas", {})
        wanted = set(types) if types else {PROVIDER_KEY, *resources, *data_sources}
        unknown = wanted - {PROVIDER_KEY, *resources, *data_sources}
        if unknown:
            raise SystemExit(f"not in the schema: {', '.join(sorted(unknown))}")
        self.taken = {"AlicloudProvider"}
        self.taken |= {camel(t.removeprefix("alicloud_")) for t in resources}
        self.taken |= {"Data" + camel(t.removeprefix("alicloud_")) for t in data_sources}
        if PROVIDER_KEY in wanted:
            self.provider(provider["provider"]["block"])
        for type_name in sorted(resources):
            if type_name in wanted:
                self.element(type_name, resources[type_name]["block"], data=False)
        for type_name in sorted(data_sources):
            if type_name in wanted:
                self.element(type_name, data_sources[type_name]["block"], data=True)
        files = {f"{name}.py": self.render(module) for name, module in sorted(self.modules.items())}
        files["__init__.py"] = self.render_init()
        return files


def ruff_format(files: dict[str, str]) -> dict[str, str]:
    """The files as ``ruff format`` (the project's settings) leaves them."""
    ruff = Path(sys.executable).with_name("ruff")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        config = ["--config", str(ROOT / "pyproject.toml")] if (ROOT / "pyproject.toml").exists() else []
        # The project's pyproject excludes tools/; format the temporary folder explicitly.
        subprocess.run(
            [
                str(ruff) if ruff.exists() else "ruff",
                "check",
                "--fix",
                "--select",
                "I,F401,RUF022",
                "--quiet",
                *config,
                tmp,
            ],
            check=False,
        )
        subprocess.run([str(ruff) if ruff.exists() else "ruff", "format", "--quiet", *config, tmp], check=True)
        return {name: (Path(tmp) / name).read_text(encoding="utf-8") for name in files}


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA), help="terraform providers schema -json output")
    parser.add_argument("--types", default="", help='space-separated types, e.g. "alicloud_vpc provider"')
    parser.add_argument("--out", default=str(PACKAGE_DIR), help="folder of the bindings package to write")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out is not up to date")
    args = parser.parse_args(argv)
    schema_path = Path(args.schema)
    out = Path(args.out).resolve()
    try:
        label = schema_path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        label = schema_path.name
    inside = out == PACKAGE_DIR.resolve()
    base = "._base" if inside else "alicloud_privatelink.bindings._base"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    files = ruff_format(Generator(schema, base, label).run(args.types.split() or None))
    stale = sorted(
        path.name
        for path in out.glob("*.py")
        if path.name not in files
        and path.read_text(encoding="utf-8").startswith("# Generated by tools/gen_bindings.py")
    )
    if args.check:
        differ = [name for name, text in files.items() if _read(out / name) != text]
        for name in differ + stale:
            print(f"{out / name}: not what tools/gen_bindings.py generates; run `make bindings`", file=sys.stderr)
        return 1 if differ or stale else 0
    out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (out / name).unlink()
    for name, text in files.items():
        target = out / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} modules to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
