#!/usr/bin/env bash
# `make scan`: synthesize the default scenario and every examples/*.toml, then
# run checkov (from .venv-scan) over each. Fails if any check fails, if a file
# does not parse, or if checkov ran no check at all on a scenario (so the scan
# cannot pass by finding nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
CHECKOV=${CHECKOV:-.venv-scan/bin/checkov}

# Offline and quick: no Prisma Cloud/Bridgecrew download (--skip-download,
# BC_SKIP_MAPPING) and no PyPI look-up for a newer checkov.
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE

out=$(mktemp -d "${TMPDIR:-/tmp}/privatelink-scan.XXXXXX")
trap 'rm -rf "$out"' EXIT

status=0
for config in "" examples/*.toml; do
    name=$(basename "${config:-default}" .toml)
    dir="$out/${config:+example-}$name"
    echo "== ${config:-default scenario}"
    "$PY" main.py ${config:+--config "$config"} --out "$dir"
    # cdktf writes stacks/*/cdk.tf.json, which is checkov's terraform_json framework.
    # checkov exits non-zero on a failed check, but 0 when it found nothing to
    # scan: the summary check below catches that, and files it could not parse.
    "$CHECKOV" -d "$dir" --framework terraform_json --quiet --compact --skip-download \
        -o cli -o json --output-file-path "console,$dir/checkov.json" || status=1
    "$PY" - "$dir/checkov.json" <<'EOF' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
summary = report.get("summary", report)  # an empty scan writes the bare summary
if summary["parsing_errors"] or summary["failed"] or not summary["passed"]:
    sys.exit(f"scan: {summary['passed']} passed, {summary['failed']} failed, "
             f"{summary['parsing_errors']} parsing errors: want >0 passed, 0 failed, 0 parsing errors")
EOF
done
exit $status
