#!/usr/bin/env bash
# `make scan`: synthesize the default scenario and every examples/*.toml, then
# run checkov (from .venv-scan) over each, with its built-in checks plus the
# project's own policies in tools/checkov (ids CKV2_PLK_*). Fails if any check
# fails, if a file does not parse, or if checkov ran no check at all on a
# scenario (so the scan cannot pass by finding nothing).
#
# Then a negative pass: a deliberately insecure copy of the default scenario's
# stacks must make EVERY project policy fail, so a policy that silently stopped
# matching (a typo, a renamed attribute, a checkov upgrade) breaks the scan.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
CHECKOV=${CHECKOV:-.venv-scan/bin/checkov}
POLICIES=${POLICIES:-tools/checkov}

# Offline and quick: no Prisma Cloud/Bridgecrew download (--skip-download,
# BC_SKIP_MAPPING) and no PyPI look-up for a newer checkov.
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE

# The project's policy ids: `id: CKV2_PLK_n` in the YAML policies and
# `id="CKV2_PLK_n"` in the Python checks.
policy_ids=$(grep -hoE '^ *id: *CKV2_PLK_[0-9]+|id="CKV2_PLK_[0-9]+"' "$POLICIES"/*.yaml "$POLICIES"/*.py |
    grep -oE 'CKV2_PLK_[0-9]+' | sort -u -V | paste -sd, -)
[ -n "$policy_ids" ] || { echo "scan: no CKV2_PLK_* policy found in $POLICIES" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/privatelink-scan.XXXXXX")
trap 'rm -rf "$out"' EXIT

# check_report REPORT clean      : >0 passed, 0 failed, 0 parsing errors
# check_report REPORT fails IDS  : every id in the comma-separated IDS failed
check_report() {
    "$PY" - "$@" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
summary = report.get("summary", report)  # an empty scan writes the bare summary
counts = (f"{summary['passed']} passed, {summary['failed']} failed, "
          f"{summary['parsing_errors']} parsing errors")
if sys.argv[2] == "clean":
    if summary["parsing_errors"] or summary["failed"] or not summary["passed"]:
        sys.exit(f"scan: {counts}: want >0 passed, 0 failed, 0 parsing errors")
else:
    failed = {check["check_id"] for check in report.get("results", {}).get("failed_checks", [])}
    missing = sorted(set(sys.argv[3].split(",")) - failed)
    if summary["parsing_errors"] or missing:
        sys.exit(f"scan: negative pass: {counts}; these policies did not fail on the "
                 f"insecure copy: {', '.join(missing) or '-'}")
    print(f"negative pass: all {len(failed)} project policies failed on the insecure copy, as they must")
EOF
}

status=0
for config in "" examples/*.toml; do
    name=$(basename "${config:-default}" .toml)
    dir="$out/${config:+example-}$name"
    echo "== ${config:-default scenario}"
    "$PY" main.py --quiet ${config:+--config "$config"} --out "$dir"
    # checkov's terraform_json parser takes every top-level key as a map of named blocks and cannot
    # read the list of `moved` blocks ("this method receives only dicts"); they move state and carry
    # no configuration to check, so the scanned copy goes without them.
    "$PY" -c 'import json, pathlib, sys
for path in pathlib.Path(sys.argv[1]).glob("stacks/*/cdk.tf.json"):
    document = json.loads(path.read_text())
    if document.pop("moved", None) is not None:
        path.write_text(json.dumps(document, indent=2))' "$dir"
    # cdktf writes stacks/*/cdk.tf.json, which is checkov's terraform_json framework.
    # checkov exits non-zero on a failed check, but 0 when it found nothing to
    # scan: check_report catches that, and files it could not parse.
    "$CHECKOV" -d "$dir" --framework terraform_json --external-checks-dir "$POLICIES" \
        --quiet --compact --skip-download \
        -o cli -o json --output-file-path "console,$dir/checkov.json" || status=1
    check_report "$dir/checkov.json" clean || status=1
done

echo "== negative pass: insecure copy of the default scenario (and the NLB example), project policies only"
bad="$out/insecure"
# One change per policy, each in the default provider or consumer stack, or the NLB example's provider stack.
"$PY" - "$out/default/stacks" "$bad/stacks" "$out/example-nlb-multi-zone/stacks" <<'EOF'
import json, pathlib, sys

src, dst, nlb_src = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])

def first(stack, resource_type):
    return next(iter(stack["resource"][resource_type].values()))

def copy(name, stack):
    (dst / name).mkdir(parents=True)
    (dst / name / "cdk.tf.json").write_text(json.dumps(stack, indent=2))

provider = json.loads((src / "privatelink-provider" / "cdk.tf.json").read_text())
first(provider, "alicloud_security_group_rule").update(
    cidr_ip="0.0.0.0/0",                   # CKV2_PLK_1 open to the Internet
    port_range="-1/-1",                    # CKV2_PLK_2 every port
)
first(provider, "alicloud_slb_load_balancer").update(
    address_type="internet",               # CKV2_PLK_7 Internet-facing CLB
    payment_type="Subscription",           # CKV2_PLK_8 not pay-as-you-go
    instance_charge_type="PayBySpec",      # CKV2_PLK_10 a spec that can no longer be bought
    load_balancer_spec="slb.s1.small",
)
provider["provider"]["alicloud"][0]["access_key"] = "not-a-real-key"  # CKV2_PLK_9
copy("privatelink-provider", provider)

consumer_file = next(src.glob("privatelink-consumer-*/cdk.tf.json"))
consumer = json.loads(consumer_file.read_text())
first(consumer, "alicloud_instance").update(
    password="not-a-real-password",        # CKV2_PLK_3 login password
    system_disk_encrypted=False,           # CKV2_PLK_4 unencrypted disk
    internet_max_bandwidth_out=10,         # CKV2_PLK_5 public IP
    http_tokens="optional",                # CKV2_PLK_6 tokenless metadata
)
copy(consumer_file.parent.name, consumer)

nlb = json.loads((nlb_src / "privatelink-provider" / "cdk.tf.json").read_text())
first(nlb, "alicloud_nlb_load_balancer").update(
    address_type="Internet",               # CKV2_PLK_11 Internet-facing NLB
)
copy("privatelink-provider-nlb", nlb)
EOF
# Only the project's policies (--check); checkov exits non-zero because they
# fail, as they must: check_report judges the outcome.
"$CHECKOV" -d "$bad" --framework terraform_json --external-checks-dir "$POLICIES" \
    --check "$policy_ids" --compact --skip-download \
    -o json --output-file-path "$bad" >/dev/null || true
check_report "$bad/results_json.json" fails "$policy_ids" || status=1
exit $status
