#!/usr/bin/env bash
# `cdktf deploy` and `cdktf destroy` of the default scenario, end to end, with
# the pinned cdktf CLI on the supported Node and the stand-in alicloud provider
# (`make test-deploy`). Runs in a temporary folder with its own cdktf.json, so
# the project's cdktf.out and state files are never touched.
#
# --skip-provider-lock: `cdktf deploy` otherwise runs `terraform providers lock`,
# which always asks the public registry for the provider's hashes, and this
# check is offline. `terraform init` still writes .terraform.lock.hcl from the
# mirror.
# Usage: tools/terraform/deploy.sh VENV TERRAFORM_VENV
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=$(cd "${1:?usage: tools/terraform/deploy.sh VENV TERRAFORM_VENV}" && pwd)
tf_venv=$(cd "${2:?usage: tools/terraform/deploy.sh VENV TERRAFORM_VENV}" && pwd)
node="$venv/node/node_modules/node/bin/node"
cdktf="$venv/cdktf-cli/node_modules/cdktf-cli/bundle/bin/cdktf"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/privatelink-deploy-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cat > "$scratch/cdktf.json" <<JSON
{
  "language": "python",
  "app": "$venv/bin/python $root/main.py",
  "sendCrashReports": "false",
  "terraformProviders": [],
  "terraformModules": [],
  "context": {}
}
JSON
export PATH="$(dirname "$node"):$PATH"
export TF_CLI_CONFIG_FILE="$tf_venv/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1 DISABLE_VERSION_CHECK=1 CI=true FORCE_COLOR=0 NO_COLOR=1
export ALICLOUD_STANDIN_STATE="$scratch/standin"
# Nothing here may reach the network: a closed local port as the proxy makes any attempt fail fast.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR NO_PROXY no_proxy
cd "$scratch"
echo "cdktf $("$node" "$cdktf" --version 2>/dev/null | head -1) on node $("$node" --version), $(terraform version | head -1)"
echo '$ cdktf deploy --auto-approve --skip-provider-lock "*"'
"$node" "$cdktf" deploy --auto-approve --skip-provider-lock '*' 2>&1 | tee "$scratch/deploy.log"
for output in endpoint_domain test_command; do
  grep -q "$output" "$scratch/deploy.log" || { echo "test-deploy: the consumer's output $output was not printed" >&2; exit 1; }
done
echo '$ cdktf destroy --auto-approve "*"'
"$node" "$cdktf" destroy --auto-approve '*' 2>&1 | tee "$scratch/destroy.log"
leftover=$("$venv/bin/python" -c 'import json, sys; print(sum(len(json.load(open(p))["resources"]) for p in sys.argv[1:]))' "$scratch"/terraform.*.tfstate)
[ "$leftover" = 0 ] || { echo "test-deploy: $leftover resources are left in state after cdktf destroy" >&2; exit 1; }
echo "test-deploy: deployed and destroyed the default scenario (no resources left in state)"
