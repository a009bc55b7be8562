"""A scenario's name is its deployment's identity: two scenarios never share state, and each consumer
reads its own provider's state; `cdktf deploy '*'` still deploys the provider first."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run, synth_scenario

from stacks.scenario import load_scenario, parse_scenario

EXAMPLES = ROOT / "examples"
PROVIDER = "privatelink-provider"


def stacks_in(outdir: Path) -> dict[str, dict[str, Any]]:
    return {
        path.parent.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(outdir.glob("stacks/*/cdk.tf.json"))
    }


def resolve(stack_dir: Path, relative: str) -> Path:
    """What Terraform, run in ``stack_dir``, opens for a relative path (``..`` collapsed, as the OS does)."""
    assert not os.path.isabs(relative), relative
    return Path(os.path.normpath(stack_dir / relative))


def local_locations(outdir: Path) -> tuple[dict[str, set[Path]], dict[str, set[Path]]]:
    """Per stack: the state file and workspace folder it writes, and those its remote-state reads open."""
    writes: dict[str, set[Path]] = {}
    reads: dict[str, set[Path]] = {}
    for name, stack in stacks_in(outdir).items():
        stack_dir = outdir / "stacks" / name
        backend = stack["terraform"]["backend"]["local"]
        writes[name] = {resolve(stack_dir, backend["path"]), resolve(stack_dir, backend["workspace_dir"])}
        reads[name] = set()
        for remote in stack.get("data", {}).get("terraform_remote_state", {}).values():
            assert remote["backend"] == "local"
            config = remote["config"]
            reads[name] |= {resolve(stack_dir, config["path"]), resolve(stack_dir, config["workspace_dir"])}
    return writes, reads


def test_sibling_output_folders_never_share_local_state(run_main: Callable[..., Run], tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    outdirs = {"default": infra / "default", "private-dns": infra / "private-dns"}
    for example, outdir in outdirs.items():
        assert run_main("--config", str(EXAMPLES / f"{example}.toml"), "--out", str(outdir)).status == 0

    everything: dict[str, set[Path]] = {}
    for example, outdir in outdirs.items():
        writes, reads = local_locations(outdir)
        assert PROVIDER in writes and len(writes) >= 2
        for name, paths in reads.items():
            if name != PROVIDER:
                # Each consumer reads its own scenario's provider state, and nothing else.
                assert paths == writes[PROVIDER], name
        assert all(path.parent == infra for paths in writes.values() for path in paths), "beside the output folder"
        everything[example] = set().union(*writes.values(), *reads.values())
        # No two stacks of one scenario write the same file either.
        assert len(set().union(*writes.values())) == 2 * len(writes)
    assert everything["default"].isdisjoint(everything["private-dns"])


def test_the_same_scenario_in_the_same_folder_finds_the_same_state(
    run_main: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "infra" / "default"
    assert run_main("--config", str(EXAMPLES / "default.toml"), "--out", str(out)).status == 0
    first = local_locations(out)
    assert run_main("--config", str(EXAMPLES / "default.toml"), "--out", str(out)).status == 0
    assert local_locations(out) == first


def oss_objects(stacks: dict[str, dict[str, Any]]) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Per stack: the (bucket, object key) its backend writes, and the one its remote-state read opens."""

    def location(config: dict[str, Any]) -> tuple[str, str]:
        return config["bucket"], f"{config['prefix']}/{config['key']}"

    writes = {name: location(stack["terraform"]["backend"]["oss"]) for name, stack in stacks.items()}
    reads = {}
    for name, stack in stacks.items():
        for remote in stack.get("data", {}).get("terraform_remote_state", {}).values():
            assert remote["backend"] == "oss"
            reads[name] = location(remote["config"])
    return writes, reads


def test_two_oss_scenarios_that_differ_only_in_name_never_share_a_key() -> None:
    base = load_scenario(EXAMPLES / "oss-state.toml").model_dump(exclude_unset=True)
    found = {}
    for name in ("team-one", "team-two"):
        stacks = synth_scenario(parse_scenario({**base, "name": name}))
        writes, reads = oss_objects(stacks)
        assert reads and all(location == writes[PROVIDER] for location in reads.values())
        assert len(set(writes.values())) == len(writes)
        found[name] = set(writes.values()) | set(reads.values())
    assert found["team-one"].isdisjoint(found["team-two"])


def oss_prefixes(base: dict[str, Any], prefix: str, name: str) -> dict[str, dict[str, Any]]:
    stacks = synth_scenario(parse_scenario({**base, "name": name, "state": {**base["state"], "prefix": prefix}}))
    return {f"{prefix} {name}/{stack}": body["terraform"]["backend"]["oss"] for stack, body in stacks.items()}


def test_each_oss_stack_has_a_prefix_of_its_own_that_holds_no_other_stack() -> None:
    """Terraform's OSS backend lists every object under ``<prefix>/`` as a workspace (backend_state.go).

    So no stack's prefix may lie inside another's, also across scenarios whose
    ``state.prefix`` contains ``/`` (prefix ``p`` + name ``aa`` vs prefix ``p/aa`` + name ``bb``).
    """
    base = load_scenario(EXAMPLES / "oss-state.toml").model_dump(exclude_unset=True)
    configs = {**oss_prefixes(base, "p", "aa"), **oss_prefixes(base, "p/aa", "bb"), **oss_prefixes(base, "p", "bb")}
    assert {config["key"] for config in configs.values()} == {"terraform.tfstate"}
    assert len(configs) == 3 * len(oss_prefixes(base, "p", "aa"))
    assert configs["p aa/privatelink-provider"]["prefix"] == "p/aa/privatelink-provider"
    prefixes = {stack: config["prefix"] + "/" for stack, config in configs.items()}
    assert len(set(prefixes.values())) == len(prefixes)
    for stack, prefix in prefixes.items():
        inside = [other for other, theirs in prefixes.items() if other != stack and theirs.startswith(prefix)]
        assert not inside, f"{stack}: `terraform workspace list` would show {inside}"


@pytest.mark.parametrize("example", sorted(path.stem for path in EXAMPLES.glob("*.toml")))
def test_every_consumer_stack_depends_on_the_provider_stack_in_the_manifest(
    example: str, run_main: Callable[..., Run], tmp_path: Path
) -> None:
    assert run_main("--config", str(EXAMPLES / f"{example}.toml"), "--out", str(tmp_path / "out")).status == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    stacks = manifest["stacks"]
    consumers = [name for name in stacks if name != PROVIDER]
    assert consumers
    if load_scenario(EXAMPLES / f"{example}.toml").service.mode == "consume":
        # published elsewhere: no provider stack, and each consumer stack stands alone
        assert PROVIDER not in stacks
        assert all(stacks[name]["dependencies"] == [] for name in consumers)
        return
    assert stacks[PROVIDER]["dependencies"] == []
    for name in consumers:
        assert stacks[name]["dependencies"] == [PROVIDER], name


def test_every_example_has_its_own_name() -> None:
    names = [load_scenario(path).name for path in sorted(EXAMPLES.glob("*.toml"))]
    assert len(set(names)) == len(names), names
