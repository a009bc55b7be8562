"""The app: scenario in, Terraform JSON out.

    python main.py [--config FILE] [--out DIR]
    python main.py validate --schema FILE [--config FILE | --dir DIR]

The scenario comes from ``--config``, else ``$PRIVATELINK_CONFIG``, else the
built-in default. Output goes to ``--out``, else ``$CDKTF_OUTDIR`` (set by the
cdktf CLI), else ``cdktf.out``. Synthesis writes to a temporary folder that
replaces the output folder only on success, so a failed run loses nothing.

Bad input exits with status 2 and one ``<setting>: <problem>`` line per
problem on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from alicloud_privatelink.checks import ValidationError
from alicloud_privatelink.schema_check import check_stack_files, load_schema
from stacks.app import build_app
from stacks.hcl_format import format_hcl_files
from stacks.output import replace_atomically
from stacks.scenario import Scenario, default_scenario, load_scenario

DEFAULT_OUTDIR = "cdktf.out"
CONFIG_ENV = "PRIVATELINK_CONFIG"
EXIT_BAD_INPUT = 2


def choose_scenario(config: str | None) -> Scenario:
    path = config or os.environ.get(CONFIG_ENV)
    return load_scenario(path) if path else default_scenario()


def synth(scenario: Scenario, outdir: Path) -> None:
    """Synthesize every stack of ``scenario`` into ``outdir``, replacing it only on success."""
    with replace_atomically(outdir) as staging:
        build_app(scenario, str(staging)).synth()
        # With SYNTH_HCL_OUTPUT=true in the environment (as `cdktf synth --hcl` sets it; cdktf reads it
        # when jsii starts, so the App's hcl_output option alone is not enough) cdktf writes cdk.tf,
        # unindented: lay it out as `terraform fmt` does.
        format_hcl_files(sorted(staging.glob("stacks/*/cdk.tf")))


def validate(schema_path: str, config: str | None, directory: str | None) -> int:
    schema = load_schema(schema_path)
    if directory is not None:
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


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.schema, args.config, args.dir)
        scenario = choose_scenario(args.config)
        synth(scenario, Path(args.out or os.environ.get("CDKTF_OUTDIR") or DEFAULT_OUTDIR))
    except ValidationError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
