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
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from alicloud_privatelink.checks import ValidationError
from alicloud_privatelink.schema_check import check_stack_files, load_schema
from app.hcl_format import format_hcl_files
from app.output import replace_atomically, write_error
from stacks.app import build_app
from stacks.scenario import Scenario, default_scenario, load_scenario, quota_warnings

DEFAULT_OUTDIR = "cdktf.out"
CONFIG_ENV = "PRIVATELINK_CONFIG"
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


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


def _interrupted(status: int) -> int:
    print("interrupted: the output folder holds the complete previous or new output", file=sys.__stderr__)
    return status


def choose_scenario(config: str | None) -> Scenario:
    """The scenario to build; a raisable quota it exceeds is a ``warning:`` line on stderr, not an error."""
    path = config or os.environ.get(CONFIG_ENV)
    scenario = load_scenario(path) if path else default_scenario()
    for warning in quota_warnings(scenario):
        print(f"warning: {warning}", file=sys.stderr)
    return scenario


def synth(scenario: Scenario, outdir: Path) -> None:
    """Synthesize every stack of ``scenario`` into ``outdir``, replacing it only on success."""
    with replace_atomically(outdir, scenario.name) as staging:
        try:
            build_app(scenario, str(staging)).synth()
        except RuntimeError as error:  # jsii reports a failed write (e.g. ENOSPC) as a JavaScript error
            problem = write_error(error, outdir)
            if problem is None:
                raise
            raise problem from None
        # With SYNTH_HCL_OUTPUT=true in the environment (as `cdktf synth --hcl` sets it; cdktf reads it
        # when jsii starts, so the App's hcl_output option alone is not enough) cdktf writes cdk.tf,
        # unindented: lay it out as `terraform fmt` does.
        format_hcl_files(sorted(staging.glob("stacks/*/cdk.tf")))


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


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
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
    parser = argparse.ArgumentParser(prog="main.py", description="Synthesize a PrivateLink scenario to Terraform JSON.")
    parser.add_argument("--config", help=f"scenario TOML file (default: ${CONFIG_ENV}, else the built-in default)")
    parser.add_argument("--out", help=f"output folder (default: $CDKTF_OUTDIR, else {DEFAULT_OUTDIR})")
    args = parser.parse_args(argv)
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
        synth(scenario, Path(args.out or os.environ.get("CDKTF_OUTDIR") or DEFAULT_OUTDIR))
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


if __name__ == "__main__":
    status = main(sys.argv[1:])
    if status in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        if sys.__stderr__ is not None:
            sys.__stderr__.flush()
        os._exit(status)  # jsii's exit handler would report the Node process the signal already stopped
    sys.exit(status)
