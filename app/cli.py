"""The command line: scenario in, Terraform out, and the checks around it (``main.py`` starts it).

Commands (``python main.py --help``): ``synth`` (the default), ``check`` (the
scenario, and with ``--out`` a drift check of committed output), ``validate``
(against a provider schema). The scenario comes from ``--config``, else
``$PRIVATELINK_CONFIG``, else the built-in default. Output goes to ``--out``,
else ``$CDKTF_OUTDIR`` (set by the cdktf CLI), else ``cdktf.out``. Synthesis
writes to a staging folder that replaces the output folder in one atomic step,
only on success, so a failed or killed run loses nothing (see
:mod:`app.output` for which folders may be replaced).

Bad input exits with status 2 and one ``<setting>: <problem>`` line per
problem on stderr. Ctrl-C and SIGTERM exit with 130 and 143 after one line.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import signal
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from alicloud_privatelink._runtime import RUNTIME_NAME
from alicloud_privatelink.checks import Problem, ValidationError
from alicloud_privatelink.hcl_format import format_hcl_output
from alicloud_privatelink.input_files import MIB, read_bytes
from alicloud_privatelink.schema_check import check_stack_files, load_schema
from app.output import MARKER, STAGING_RECORD, owned_files, refuse, replace_atomically, replaced, write_error
from stacks.app import PROVIDER_STACK_NAME, build_app
from stacks.scenario import Scenario, default_scenario, load_scenario, quota_warnings
from stacks.state import OSS_KEY, local_state_path, oss_prefix

DEFAULT_OUTDIR = "cdktf.out"
CONFIG_ENV = "PRIVATELINK_CONFIG"
#: cdktf writes cdk.tf instead of cdk.tf.json when this is "true" in the environment jsii's Node starts with.
HCL_ENV = "SYNTH_HCL_OUTPUT"
#: The cdktf CLI sets this when it runs the app; it lists the stacks itself, so the summary stays quiet.
CDKTF_CLI_ENV = "CDKTF_CONTEXT_JSON"
PACKAGE = "alicloud-privatelink"
EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
#: Lines of unified diff shown per changed file by ``check --out``.
DIFF_LINES = 30

COMMANDS = """\
commands:
  synth      (the default) write every stack of the scenario as Terraform JSON, or HCL with --hcl
  check      check the scenario and write nothing; with --out DIR, exit 1 when DIR differs from a fresh synth
  validate   check synthesized stacks against a provider schema (`terraform providers schema -json`)
  plan       not a command of main.py: `make plan-offline [CONFIG=FILE]` runs terraform init, validate and
             plan on every stack with a stand-in provider, offline and without credentials

`python main.py COMMAND --help` describes each command's options.
"""


class Interrupted(Exception):
    """Ctrl-C or SIGTERM, raised where the program is, so that the output folder's cleanup runs."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


#: The signal that stopped this run, if any: an error that follows it (e.g. jsii's Node, stopped
#: by the same Ctrl-C, dropping its pipe) is the interruption, not a problem to report.
_received: list[int] = []


def _on_signal(signum: int, frame: object) -> None:
    _received.append(signum)
    # jsii's Node, stopped by the same Ctrl-C, would print its broken pipe through sys.stderr.
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - kept open until the process exits
    raise Interrupted(128 + signum)


#: The output folder this run writes, once it is known: what the line after an interruption is about.
_writing: list[Path] = []


def interruption_line() -> str:
    """What an interruption leaves: nothing written, the output folder unchanged, or the new output in place."""
    if not _writing:
        return "interrupted: nothing was written"
    out = _writing[0]
    if any(target.samefile(out) for target in replaced if target.exists() and out.exists()):
        return f"interrupted after the output was replaced: {out} holds the complete new output"
    return f"interrupted: {out} is unchanged"


def _interrupted(status: int) -> int:
    print(interruption_line(), file=sys.__stderr__)
    return status


def _late_signal(signum: int, frame: object) -> None:
    """Ctrl-C after the run, while the interpreter shuts down: the same one line, and the same exit status."""
    if sys.__stderr__ is not None:
        print(interruption_line(), file=sys.__stderr__, flush=True)
    os._exit(128 + signum)


def choose_scenario(config: str | None) -> Scenario:
    """The scenario to build; a raisable quota it exceeds is a ``warning:`` line on stderr, not an error."""
    path = config or os.environ.get(CONFIG_ENV)
    scenario = load_scenario(path) if path else default_scenario()
    for warning in quota_warnings(scenario):
        print(f"warning: {warning}", file=sys.stderr)
    return scenario


def synth(scenario: Scenario, outdir: Path, hcl: bool = False) -> None:
    """Synthesize every stack of ``scenario`` into ``outdir``, replacing it only on success.

    ``hcl``: the caller asked for HCL; the run fails rather than write JSON when the runtime
    started without ``SYNTH_HCL_OUTPUT=true`` (see ``main.py``).
    """
    _writing[:] = [outdir]
    try:
        _synth_into(scenario, outdir, hcl)
    except OSError as error:  # whatever the output module's own steps did not already name
        raise refuse(f"cannot write {outdir}: {error.strerror or error}") from None


def _synth_into(scenario: Scenario, outdir: Path, hcl: bool) -> None:
    with replace_atomically(outdir, scenario.name) as staging:
        try:
            build_app(scenario, str(staging)).synth()
        except RuntimeError as error:  # jsii reports a failed write (e.g. ENOSPC) as a JavaScript error
            problem = write_error(error, outdir)
            if problem is None:
                raise
            raise problem from None
        if hcl and not any(staging.glob("stacks/*/cdk.tf")):
            raise ValidationError(
                [
                    Problem(
                        "--hcl",
                        f"the cdktf runtime started without {HCL_ENV}=true, so it wrote JSON; run main.py as a "
                        f"program (python main.py --hcl), or set {HCL_ENV}=true before importing the app",
                    )
                ]
            )
        # With SYNTH_HCL_OUTPUT=true in the environment (as `main.py --hcl` and `cdktf synth --hcl` set it;
        # cdktf reads it when jsii starts, so the App's hcl_output option alone is not enough) cdktf writes
        # cdk.tf, unindented: lay it out as `terraform fmt` does.
        format_hcl_output(staging)


# -- the summary after a synth ---------------------------------------------------


def _resource_count(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    if path.name == "cdk.tf":
        return sum(1 for line in text.splitlines() if line.startswith("resource "))
    return sum(len(named) for named in json.loads(text).get("resource", {}).values())


def _state_location(scenario: Scenario, outdir: Path, stack: str) -> str:
    if scenario.state.backend == "oss":
        return f"oss://{scenario.state.bucket}/{oss_prefix(scenario.state, scenario.name, stack)}/{OSS_KEY}"
    # The local path is relative to the stack's folder (<out>/stacks/<stack>); say where that is from here.
    return os.path.normpath(outdir / "stacks" / stack / local_state_path(scenario.name, stack))


def summary(scenario: Scenario, outdir: Path, config: str | None = None) -> str:
    """What a synth wrote, where each stack's state lives, and what to run next (for stderr).

    ``config``: the ``--config`` given, which the cdktf CLI (it runs main.py itself) needs as
    ``PRIVATELINK_CONFIG`` to build the same scenario.
    """
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["stacks"]
    rows = []
    for stack in sorted(manifest, key=lambda name: (name != PROVIDER_STACK_NAME, name)):
        files = sorted((outdir / "stacks" / stack).glob("cdk.tf*"))
        count = _resource_count(files[0]) if files else 0
        rows.append((stack, f"{count} resources", f"state: {_state_location(scenario, outdir, stack)}"))
    width = [max(len(row[column]) for row in rows) for column in range(2)]
    kind = "HCL" if any(outdir.glob("stacks/*/cdk.tf")) else "Terraform JSON"
    consumer = next((stack for stack, _, _ in rows if stack != PROVIDER_STACK_NAME), PROVIDER_STACK_NAME)
    stacks = f"{len(rows)} stack" + ("s" if len(rows) != 1 else "")
    lines = [f"wrote {stacks} of scenario {scenario.name!r} to {outdir} ({kind}):"]
    lines += [f"  {name:<{width[0]}}  {count:>{width[1]}}  {state}" for name, count, state in rows]
    env = f"PRIVATELINK_CONFIG={shlex.quote(config)} " if config else ""
    if kind == "HCL":  # else the cdktf CLI's synth replaces this folder's HCL with JSON
        env += f"{HCL_ENV}=true "
    # The cdktf CLI synthesizes into its own --output (cdktf.out unless told), and the state paths are
    # relative to the output folder: the commands must name this one.
    output = f" --output {shlex.quote(str(outdir))}" if outdir != Path(DEFAULT_OUTDIR) else ""
    lines += [
        "next (CHECKPOINT_DISABLE=1 keeps the cdktf CLI offline):",
        f"  {env}cdktf diff{output} {rows[0][0]}",  # the provider stack, unless the service is published elsewhere
        f"  {env}cdktf deploy{output} '*'",
        f"  {env}cdktf output{output} {consumer}",
    ]
    return "\n".join(lines)


# -- check ------------------------------------------------------------------------


def _describe(scenario: Scenario) -> str:
    consumers = ", ".join(consumer.name for consumer in scenario.consumers)
    settings = scenario.service
    balancer = settings.load_balancer.upper()
    service = {
        "build": f"a {balancer}-backed service",
        "existing": f"the existing {balancer} {settings.load_balancer_id} published",
        "consume": f"the service {settings.service_id or settings.service_name} published elsewhere",
    }[settings.mode]
    return (
        f"scenario {scenario.name!r} in {scenario.region} is valid: {service} and "
        f"{len(scenario.consumers)} consumer(s) ({consumers}), state {scenario.state.backend}"
    )


#: Files Terraform reads from a stack's folder, its working directory: every ``*.tf`` and ``*.tf.json``
#: (``override.tf`` and ``*_override.tf.json`` included, which change what the others say), and
#: variable files (``terraform.tfvars``, ``*.auto.tfvars``, also as ``.json``). A committed one that
#: the synth did not write changes what Terraform does, so a reviewer must see it.
_TERRAFORM_READS = re.compile(r"stacks/[^/]+/[^/]+\.(tf|tf\.json|tfvars|tfvars\.json)")
#: Largest committed file the drift check reads; a synthesized stack is far smaller.
MAX_COMPARED_BYTES = 64 * MIB


def _app_files(folder: Path, terraform_reads: bool = False) -> dict[str, Path]:
    """The files of ``folder`` a synth owns: those its marker lists, else all but Terraform's own.

    ``terraform_reads``: also every file that Terraform would read in a stack folder, listed or not.
    Entries that are not regular files (links, FIFOs, devices) are included: they are reported, never read.
    """
    listed = owned_files(folder)
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        if terraform_reads and _TERRAFORM_READS.fullmatch(name):
            found[name] = path
            continue
        if listed is not None and name not in listed:
            continue  # not written by the app: Terraform's .terraform/, a user's notes
        if listed is None and (".terraform" in path.parts or path.name in (".terraform.lock.hcl", STAGING_RECORD)):
            continue
        found[name] = path
    return found


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (checked without following links or opening it)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a FIFO, socket or device"


def _same_content(old: Path, new: Path) -> bool:
    if os.lstat(old).st_size != os.lstat(new).st_size:
        return False
    return read_bytes(old, MAX_COMPARED_BYTES) == read_bytes(new, MAX_COMPARED_BYTES)


def _short_diff(old: Path, new: Path, name: str) -> list[str]:
    if os.lstat(old).st_size > MAX_COMPARED_BYTES:
        return [f"  (the committed file is larger than {MAX_COMPARED_BYTES // MIB} MiB)"]
    try:
        before = read_bytes(old, MAX_COMPARED_BYTES).decode("utf-8").splitlines()
        after = read_bytes(new, MAX_COMPARED_BYTES).decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return ["  (binary files differ)"]
    diff = list(difflib.unified_diff(before, after, f"{name} (committed)", f"{name} (synthesized)", n=2, lineterm=""))
    if not diff:  # the lines are equal, so the bytes between them are not
        return [
            "  (only line endings or the final newline differ: an editor, a hook such as end-of-file-fixer or "
            "git's core.autocrlf changed them; keep the folder out of those, for git with `-text` in .gitattributes)"
        ]
    shown = [f"  {line}" for line in diff[:DIFF_LINES]]
    if len(diff) > DIFF_LINES:
        shown.append(f"  ... {len(diff) - DIFF_LINES} more diff lines")
    return shown


def drift(committed: Path, synthesized: Path) -> list[str]:
    """Report lines for every file that differs between ``committed`` and ``synthesized``; empty when none."""
    old, new = _app_files(committed, terraform_reads=True), _app_files(synthesized)
    listed = owned_files(committed)
    lines = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            lines.append(f"added: {name} (the scenario synthesizes it; {committed} lacks it)")
            continue
        odd = _not_a_file(old[name])
        if name not in new and listed is not None and name not in listed:
            lines.append(f"unexpected: {name} (in {committed}, not written by the synth, and Terraform reads it)")
        elif name not in new:
            what = f", as {odd}" if odd else ""
            lines.append(f"removed: {name} (in {committed}{what}; the scenario no longer synthesizes it)")
        elif odd:
            lines.append(f"changed: {name} (in {committed} it is {odd}, not the file the synth writes)")
        elif not _same_content(old[name], new[name]):
            lines.append(f"changed: {name}")
            lines.extend(_short_diff(old[name], new[name], name))
    return lines


def check(scenario: Scenario, out: str | None, hcl: bool, config: str | None = None) -> int:
    """Validate ``scenario`` (nothing is written); with ``out``, compare that folder with a fresh synth.

    ``config``: the scenario file it was read from (``--config`` or ``PRIVATELINK_CONFIG``), which the command
    to bring the folder up to date must name.
    """
    with tempfile.TemporaryDirectory(prefix="privatelink-check-") as scratch:
        if out is None:
            build_app(scenario, scratch)  # the constructs validate their props as they are built
            print(_describe(scenario))
            return 0
        committed = Path(out)
        try:
            if not committed.is_dir():
                print(f"--out: {out} is not a folder; give the folder the synth wrote (e.g. infra)", file=sys.stderr)
                return EXIT_BAD_INPUT
            fresh = Path(scratch) / "out"
            _synth_into(scenario, fresh, hcl)
            report = drift(committed, fresh)
        except OSError as error:
            raise refuse(f"cannot read {out}: {error.strerror or error}") from None
    if not report:
        print(f"{out} is up to date with scenario {scenario.name!r}")
        return 0
    print("\n".join(report))
    count = {kind: sum(line.startswith(f"{kind}:") for line in report) for kind in ("added", "removed", "changed")}
    unexpected = sum(line.startswith("unexpected:") for line in report)
    counts = ", ".join(f"{number} {kind}" for kind, number in count.items())
    hint = " --hcl" if hcl else ""
    if not hcl and any(committed.glob("stacks/*/cdk.tf")):
        hint = " --hcl (the folder holds HCL; check it with --hcl)"
    if unexpected:
        counts += f", {unexpected} unexpected"
        hint += "; remove each unexpected file first (a synth keeps the files it did not write)"
    again = f"python main.py{f' --config {shlex.quote(config)}' if config else ''} --out {shlex.quote(out)}{hint}"
    if owned_files(committed) is None:
        print(
            f"{out} is out of date ({counts}) and lacks {MARKER}, without which a synth will not replace it: "
            f"remove the folder (rm -r {shlex.quote(out)}), synthesize it again ({again}) and commit all of it "
            f"(git add {shlex.quote(out)}; `git add {shlex.quote(out)}/*` leaves the dotfile out)"
        )
        return EXIT_DRIFT
    print(f"{out} is out of date ({counts}): synthesize it again ({again}) and commit it")
    return EXIT_DRIFT


# -- validate -----------------------------------------------------------------------


def validate(schema_path: str, config: str | None, directory: str | None) -> int:
    schema = load_schema(schema_path)
    if directory is not None:
        if not Path(directory).is_dir():
            print(f"--dir: {directory} is not a folder; give the synth's output folder", file=sys.stderr)
            return EXIT_BAD_INPUT
        files = list(Path(directory).glob("stacks/*/cdk.tf.json"))
        if not files:
            print(f"--dir: no stacks/*/cdk.tf.json under {directory}; run the synth first", file=sys.stderr)
            return EXIT_BAD_INPUT
        report = check_stack_files(files, schema)
    else:
        scenario = choose_scenario(config)
        with tempfile.TemporaryDirectory(prefix="privatelink-validate-") as scratch:
            build_app(scenario, scratch).synth()
            files = list(Path(scratch).glob("stacks/*/cdk.tf.json"))
            report = check_stack_files(files, schema)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(
        f"checked {report.checked} alicloud resources, data sources and providers in {len(files)} stacks "
        f"against {schema_path}: {len(report.problems)} problems"
    )
    return 1 if report.problems else 0


# -- arguments ----------------------------------------------------------------------


def version() -> str:
    """The package's version and the CDK runtime's, e.g. ``alicloud-privatelink 0.1.0 (cdktf 0.21.0)``."""

    import importlib.metadata  # here, not at the top: it costs about 50 ms of every synth's start-up

    def of(distribution: str) -> str:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            return "(not installed as a package)"

    return f"{PACKAGE} {of(PACKAGE)} (runtime: {RUNTIME_NAME} {of(RUNTIME_NAME)})"


def _scenario_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help=f"scenario TOML file (default: ${CONFIG_ENV}, else the built-in default)")
    parser.add_argument(
        "--hcl", action="store_true", help=f"HCL (cdk.tf) instead of Terraform JSON (as {HCL_ENV}=true does)"
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    argv = list(argv)
    if argv[:1] == ["validate"]:
        parser = argparse.ArgumentParser(
            prog="main.py validate", description="Check synthesized stacks against a provider schema."
        )
        parser.add_argument("--schema", required=True, help="`terraform providers schema -json` output")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--config", help="scenario file to synthesize and check (default: the default scenario)")
        source.add_argument("--dir", help="check the stacks already synthesized in this folder instead")
        args = parser.parse_args(argv[1:])
        args.command = "validate"
        return args
    if argv[:1] == ["check"]:
        parser = argparse.ArgumentParser(
            prog="main.py check",
            description="Check the scenario without writing anything. With --out DIR, also compare DIR with "
            "what the scenario synthesizes: exit 0 when identical, 1 listing each added, removed or changed "
            "file, 2 for a problem in the scenario. DIR is never written.",
        )
        _scenario_options(parser)
        parser.add_argument("--out", help="committed synth output to compare (e.g. infra)")
        args = parser.parse_args(argv[1:])
        args.command = "check"
        return args
    parser = argparse.ArgumentParser(
        prog="main.py",
        usage="main.py [synth] [--config FILE] [--out DIR] [--hcl] [--quiet]\n"
        "       main.py check [--config FILE] [--out DIR] [--hcl]\n"
        "       main.py validate --schema FILE [--config FILE | --dir DIR]\n"
        "       main.py --version",
        description="Synthesize a PrivateLink scenario to Terraform: one stack for the service, one per consumer.",
        epilog=COMMANDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _scenario_options(parser)
    parser.add_argument("--out", help=f"output folder (default: $CDKTF_OUTDIR, else {DEFAULT_OUTDIR})")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr after the synth")
    parser.add_argument("--version", action="version", version=version())
    args = parser.parse_args(argv[1:] if argv[:1] == ["synth"] else argv)
    args.command = "synth"
    return args


def empty_options(args: argparse.Namespace) -> list[str]:
    """``--out ""`` would silently mean the default folder; say so instead."""
    return [
        f"--{name}: is empty; give a path, or leave the option out for the default"
        for name in ("config", "out", "dir", "schema")
        if getattr(args, name, None) == ""
    ]


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    empty = empty_options(args)
    if empty:
        print("\n".join(empty), file=sys.stderr)
        return EXIT_BAD_INPUT
    previous = {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        if args.command == "validate":
            return validate(args.schema, args.config, args.dir)
        scenario = choose_scenario(args.config)
        if args.command == "check":
            return check(scenario, args.out, args.hcl, args.config or os.environ.get(CONFIG_ENV))
        outdir = Path(args.out or os.environ.get("CDKTF_OUTDIR") or DEFAULT_OUTDIR)
        synth(scenario, outdir, args.hcl)
        if not args.quiet and CDKTF_CLI_ENV not in os.environ:
            print(summary(scenario, outdir, args.config), file=sys.stderr)
    except (KeyboardInterrupt, Interrupted) as stop:
        return _interrupted(stop.status if isinstance(stop, Interrupted) else EXIT_INTERRUPTED)
    except Exception as error:
        if _received:
            return _interrupted(128 + _received[0])
        if isinstance(error, ValidationError):
            for problem in error.problems:
                print(problem, file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(error, (OSError, ValueError)):
            print(f"error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def run(argv: Sequence[str]) -> None:
    """Run as a program and exit with main's status.

    Outside :func:`main` (which handles a signal where the run is), Ctrl-C and SIGTERM get
    :func:`_late_signal`: main restores it when it returns, so a signal while the interpreter
    shuts down says what ``--out`` holds.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _late_signal)
    try:
        status = main(argv)
    except Interrupted as stop:  # raised while main restored the handlers, after its own handling
        status = _interrupted(stop.status)
    if status in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        if sys.__stderr__ is not None:
            sys.__stderr__.flush()
        os._exit(status)  # jsii's exit handler would report the Node process the signal already stopped
    # The run is complete. Python resets its signal handlers while it shuts down, so a signal now
    # would kill it without a word; held instead, it is dropped when the process exits with its status.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(status)
