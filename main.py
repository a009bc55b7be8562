"""The app's entry point: ``python main.py --help`` lists the commands (see :mod:`app.cli`).

    python main.py [synth] [--config FILE] [--out DIR] [--hcl] [--quiet]
    python main.py check [--config FILE] [--out DIR] [--hcl]
    python main.py validate --schema FILE [--config FILE | --dir DIR]

``--hcl`` is handled here, before anything imports the CDK runtime: cdktf
decides between cdk.tf.json and cdk.tf from ``SYNTH_HCL_OUTPUT`` in the
environment of jsii's Node process, which starts when cdktf is first imported
and copies the environment then. Setting the variable first is the simplest
way that is also correct (a re-exec would cost a second interpreter).
:func:`app.cli.synth` still checks that HCL came out.
"""

from __future__ import annotations

import os
import signal
import sys


def _stopped_early(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM while Python imports the app (about a second): nothing is written yet."""
    sys.stderr.write("interrupted: nothing was written\n")
    sys.stderr.flush()
    os._exit(128 + signum)


def wants_hcl(argv: list[str]) -> bool:
    """``--hcl`` among a synth's or a check's options (``validate`` reads JSON only)."""
    return "--hcl" in argv and argv[:1] != ["validate"]


if __name__ == "__main__":
    # First, before the imports that start jsii: a Ctrl-C now is one line and exit 130, not a traceback.
    for _signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_signum, _stopped_early)
    if wants_hcl(sys.argv[1:]):
        os.environ["SYNTH_HCL_OUTPUT"] = "true"
    from app.cli import run

    run(sys.argv[1:])
