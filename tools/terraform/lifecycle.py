"""Real Terraform over synthesized stacks, with the stand-in alicloud provider.

    python tools/terraform/lifecycle.py test [--jobs N] [CONFIG ...]
    python tools/terraform/lifecycle.py plan-offline [--config FILE]

``test`` (``make test-terraform``): for the default scenario and each CONFIG,
synthesize into a temporary folder and, stack by stack in ``manifest.json``
dependency order (provider first, so consumers read its applied state), run
``terraform init``, ``validate``, ``plan``, ``apply`` and a second
``plan -detailed-exitcode`` that must find nothing to change; then
``destroy`` everything, consumers first.

``plan-offline`` (``make plan-offline``): a dry run of a user's scenario
before its first real deploy: init, validate and plan of every stack, with the
provider stack applied by the stand-in so consumers plan against its outputs.

Everything happens in a temporary copy: local state paths resolve inside it,
and an OSS backend (validated with ``init -backend=false``) and OSS
remote-state reads are overridden there with local ones
(``override.tf.json``), so the user's real state is never read or written.
The stand-in provider comes from the filesystem mirror that
``tools/terraform/install-mirror.sh`` builds; the CLI configuration allows
only that mirror, and a dead proxy makes any network attempt fail at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MINIMUM_TERRAFORM = (1, 4)
DEFAULT_VENV = ROOT / ".venv-terraform"


# --- environment -------------------------------------------------------------


def terraform_env(venv: Path, standin_state: Path) -> dict[str, str]:
    """The environment every Terraform command runs in: the mirror only, no prompts, no network."""
    env = dict(os.environ)
    for name in ("TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "TF_WORKSPACE", "TF_LOG", "NO_PROXY", "no_proxy"):
        env.pop(name, None)
    env.update(
        TF_CLI_CONFIG_FILE=str(venv / "terraform.rc"),
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        ALICLOUD_STANDIN_STATE=str(standin_state),
        # Nothing here may reach the network: a closed local port as the proxy makes any attempt fail fast.
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
        http_proxy="http://127.0.0.1:9",
    )
    return env


def terraform_version() -> tuple[str | None, str]:
    """(version, problem): the version of ``terraform`` on PATH, or why it cannot be used."""
    binary = shutil.which("terraform")
    if binary is None:
        return None, "terraform is not on PATH (Terraform >= 1.4 is needed)"
    try:
        output = subprocess.run(
            [binary, "version", "-json"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        ).stdout
        version = str(json.loads(output)["terraform_version"])
    except (subprocess.SubprocessError, ValueError, KeyError) as error:
        return None, f"terraform on PATH ({binary}) did not report its version: {error}"
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:2])
    if numbers < MINIMUM_TERRAFORM:
        return version, f"terraform {version} on PATH is too old (Terraform >= 1.4 is needed)"
    return version, ""


def require_terraform() -> str | None:
    """The usable Terraform version; otherwise print one line and return None."""
    version, problem = terraform_version()
    if problem:
        verdict = "failing, because CI=true" if os.environ.get("CI") == "true" else "skipped"
        print(f"{problem}: {verdict}")
        return None
    return version


# --- one synthesized scenario --------------------------------------------------


@dataclass
class Step:
    command: list[str]
    returncode: int
    output: str
    seconds: float


@dataclass
class Workspace:
    """A temporary copy of one scenario's output: ``<root>/out``, states in ``<root>``."""

    name: str
    root: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    @property
    def out(self) -> Path:
        return self.root / "out"

    def stacks(self) -> list[list[str]]:
        """Stack names in dependency levels: every stack comes after the stacks it depends on."""
        manifest = json.loads((self.out / "manifest.json").read_text())["stacks"]
        levels: list[list[str]] = []
        placed: set[str] = set()
        while len(placed) < len(manifest):
            level = sorted(n for n, s in manifest.items() if n not in placed and set(s["dependencies"]) <= placed)
            if not level:
                raise RuntimeError(f"{self.name}: manifest.json has a dependency cycle")
            levels.append(level)
            placed.update(level)
        return levels

    def stack_dir(self, stack: str) -> Path:
        return self.out / "stacks" / stack

    def document(self, stack: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.stack_dir(stack) / "cdk.tf.json").read_text())
        return document

    def terraform(self, stack: str, *args: str) -> Step:
        command = ["terraform", *args, "-no-color"]
        started = time.monotonic()
        result = subprocess.run(
            command, cwd=self.stack_dir(stack), env=self.env, capture_output=True, text=True, timeout=600
        )
        return Step(command, result.returncode, result.stdout + result.stderr, time.monotonic() - started)

    def backend(self, stack: str) -> str:
        return str(next(iter(self.document(stack).get("terraform", {}).get("backend", {"local": {}}))))

    def redirect_state(self, stack: str) -> list[str]:
        """Keep every state this stack writes or reads inside the copy; what was overridden, for the log."""
        document = self.document(stack)
        override: dict[str, Any] = {}
        notes = []
        backend = self.backend(stack)
        if backend != "local":
            override["terraform"] = {"backend": {"local": {"path": f"../../../terraform.{stack}.tfstate"}}}
            notes.append(f"{backend} backend overridden with local state in the temporary copy")
        else:
            self._check_inside(stack, document["terraform"]["backend"]["local"].get("path", "terraform.tfstate"))
        remotes = document.get("data", {}).get("terraform_remote_state", {})
        for name, remote in remotes.items():
            if remote.get("backend") == "local":
                self._check_inside(stack, remote.get("config", {}).get("path", "terraform.tfstate"))
                continue
            # Each stack's OSS state has its own prefix, <prefix>/<name>/<stack>, whose last part names it.
            prefix = str(remote.get("config", {}).get("prefix", ""))
            source = prefix.rsplit("/", 1)[-1]
            override.setdefault("data", {}).setdefault("terraform_remote_state", {})[name] = {
                "backend": "local",
                "config": {"path": f"../../../terraform.{source}.tfstate"},
            }
            notes.append(f"remote state {name} ({remote.get('backend')}) read from the temporary copy")
        if override:
            (self.stack_dir(stack) / "override.tf.json").write_text(json.dumps(override, indent=2) + "\n")
        return notes

    def _check_inside(self, stack: str, path: str) -> None:
        resolved = (self.stack_dir(stack) / path).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise RuntimeError(f"{self.name}/{stack}: state path {path} leaves the temporary copy")


def synthesize(config: Path | None, root: Path, python: str) -> Step:
    command = [python, str(ROOT / "main.py"), "--out", str(root / "out")]
    if config is not None:
        command += ["--config", str(config)]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    return Step(command, result.returncode, result.stdout + result.stderr, time.monotonic() - started)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def prepare(ws: Workspace, stack: str, *, record: Callable[[str], None]) -> Step | None:
    """init (without the backend first, when it is not local), validate, state redirection, init."""
    remote_backend = ws.backend(stack) != "local"
    if remote_backend:
        step = ws.terraform(stack, "init", "-backend=false", "-input=false")
        if step.returncode:
            return step
        record(f"{stack}: init -backend=false ok ({ws.backend(stack)} backend: validated without it)")
    else:
        step = ws.terraform(stack, "init", "-input=false")
        if step.returncode:
            return step
    step = ws.terraform(stack, "validate")
    if step.returncode:
        return step
    for note in ws.redirect_state(stack):
        record(f"{stack}: {note}")
    if remote_backend:
        step = ws.terraform(stack, "init", "-input=false", "-reconfigure")
        if step.returncode:
            return step
    return None


PLAN_SUMMARY = re.compile(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy")


def lifecycle(ws: Workspace, parallel: int) -> bool:
    """init, validate, plan, apply, empty re-plan for every stack in order; then destroy in reverse."""
    ok = True
    levels = ws.stacks()

    def up(stack: str) -> bool:
        lines: list[str] = []
        started = time.monotonic()
        failed = prepare(ws, stack, record=lines.append)
        steps = ["init", "validate"]
        for name, args in (
            ("plan", ("plan", "-input=false", "-out=tfplan")),
            ("apply", ("apply", "-input=false", "tfplan")),
            ("re-plan", ("plan", "-input=false", "-detailed-exitcode")),
        ):
            if failed:
                break
            step = ws.terraform(stack, *args)
            if step.returncode:
                failed = step
                if name == "re-plan" and step.returncode == 2:
                    lines.append(f"{stack}: FAIL re-plan after apply is not empty")
            else:
                steps.append(name)
        if failed:
            lines.append(f"{stack}: FAIL `{' '.join(failed.command)}` exited {failed.returncode}")
            lines.append(_indent(failed.output))
        else:
            lines.append(f"{stack}: {', '.join(steps)} ok ({time.monotonic() - started:.1f}s)")
        ws.log.extend(lines)
        return failed is None

    def down(stack: str) -> bool:
        step = ws.terraform(stack, "destroy", "-auto-approve", "-input=false")
        if step.returncode:
            ws.log.append(f"{stack}: FAIL `{' '.join(step.command)}` exited {step.returncode}")
            ws.log.append(_indent(step.output))
            return False
        ws.log.append(f"{stack}: destroy ok ({step.seconds:.1f}s)")
        return True

    applied: list[list[str]] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for level in levels:
            results = list(pool.map(up, level))
            applied.append(level)
            if not all(results):
                ok = False
                break
        for level in reversed(applied):
            if not all(pool.map(down, level)):
                ok = False
    return ok


# --- commands ----------------------------------------------------------------


def run_tests(configs: Sequence[Path | None], jobs: int, python: str, venv: Path) -> int:
    version = require_terraform()
    if version is None:
        return 1 if os.environ.get("CI") == "true" else 0
    print(f"terraform {version} (from {shutil.which('terraform')}), stand-in alicloud provider from {venv}/mirror")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="privatelink-terraform-") as scratch:

        def one(config: Path | None) -> tuple[str, bool, list[str]]:
            name = config.stem if config else "default scenario"
            root = Path(scratch) / (config.stem if config else "_default")
            root.mkdir()
            ws = Workspace(name, root, terraform_env(venv, root / "standin"))
            step = synthesize(config, root, python)
            if step.returncode:
                return name, False, [f"FAIL synth exited {step.returncode}", _indent(step.output)]
            ws.log.append(f"synthesized {sum(len(level) for level in ws.stacks())} stacks ({step.seconds:.1f}s)")
            try:
                ok = lifecycle(ws, parallel=2)
            except RuntimeError as error:
                ws.log.append(f"FAIL {error}")
                ok = False
            return name, ok, ws.log

        failures = 0
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for name, ok, log in pool.map(one, configs):
                print(f"== {name}: {'ok' if ok else 'FAILED'}")
                for line in log:
                    print(f"  {line}")
                failures += not ok
    print(
        f"test-terraform: {len(configs) - failures} of {len(configs)} scenarios passed "
        f"in {time.monotonic() - started:.0f}s"
    )
    return 1 if failures else 0


def plan_offline(config: Path | None, python: str, venv: Path) -> int:
    version = require_terraform()
    if version is None:
        return 1
    label = config.name if config else "the default scenario"
    print(f"plan-offline: {label} with terraform {version} and the stand-in alicloud provider (no credentials)")
    print("  (the stand-in knows the provider's schema and validation rules, not Alibaba Cloud's runtime rules)")
    summary: list[tuple[str, str]] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="privatelink-plan-offline-") as scratch:
        root = Path(scratch)
        ws = Workspace(label, root, terraform_env(venv, root / "standin"))
        step = synthesize(config, root, python)
        if step.returncode:
            print(step.output.rstrip())
            return 2
        manifest = json.loads((ws.out / "manifest.json").read_text())["stacks"]
        needed = {d for s in manifest.values() for d in s["dependencies"]}
        for level in ws.stacks():
            for stack in level:
                lines: list[str] = []
                problem = prepare(ws, stack, record=lines.append)
                if problem is None:
                    plan = ws.terraform(stack, "plan", "-input=false", "-out=tfplan")
                    problem = plan if plan.returncode else None
                for line in lines:
                    print(f"  {line}")
                if problem is not None:
                    failed = True
                    print(f"{stack}: FAILED at `{' '.join(problem.command)}`")
                    print(_indent(problem.output))
                    summary.append((stack, "failed"))
                    continue
                counts = PLAN_SUMMARY.search(plan.output)
                verdict = (
                    f"{counts.group(1)} to add, {counts.group(2)} to change, {counts.group(3)} to destroy"
                    if counts
                    else "no changes"
                )
                print(f"{stack}: OK (init, validate, plan): {verdict}")
                for warning in sorted(set(re.findall(r"^(?:│ )?(Warning: .+)$", plan.output, re.M))):
                    print(f"  {stack}: terraform: {warning}")
                summary.append((stack, verdict))
                if stack in needed:
                    apply = ws.terraform(stack, "apply", "-input=false", "tfplan")
                    if apply.returncode:
                        failed = True
                        print(f"{stack}: FAILED applying with the stand-in (needed by its consumers)")
                        print(_indent(apply.output))
                    else:
                        print(f"  {stack}: applied with the stand-in, so its consumers plan against its outputs")
    width = max(len(s) for s, _ in summary) if summary else 0
    print("summary (resources to add per stack):")
    for stack, verdict in summary:
        print(f"  {stack:<{width}}  {verdict}")
    print("verdict: " + ("FAILED" if failed else "every stack validates and plans"))
    return 1 if failed else 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="tools/terraform/lifecycle.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"), help="python that runs main.py")
    parser.add_argument("--venv", default=str(DEFAULT_VENV), help="virtualenv with the stand-in's mirror")
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="full lifecycle of the default scenario and each CONFIG")
    test.add_argument("--jobs", type=int, default=3, help="scenarios run at the same time (default 3)")
    test.add_argument("configs", nargs="*", type=Path)
    commands.add_parser("require-terraform", help="exit 1 with one line unless Terraform >= 1.4 is on PATH")
    offline = commands.add_parser("plan-offline", help="init, validate and plan one scenario without credentials")
    offline.add_argument("--config", type=Path)
    args = parser.parse_args(argv)
    venv = Path(args.venv).resolve()
    if args.command == "require-terraform":
        return 0 if require_terraform() else 1
    if args.command == "test":
        return run_tests([None, *(c.resolve() for c in args.configs)], args.jobs, args.python, venv)
    return plan_offline(args.config.resolve() if args.config else None, args.python, venv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
