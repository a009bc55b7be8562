#!/usr/bin/env bash
# Install the pinned cdktf CLI (tools/cdktf-cli/) into VENV/cdktf-cli, for
# `make test-deploy`. It runs on the supported Node in VENV/node (tools/install-node.sh).
# Usage: tools/terraform/install-cdktf-cli.sh VENV
set -euo pipefail
venv=${1:?usage: tools/terraform/install-cdktf-cli.sh VENV}
here=$(cd "$(dirname "$0")/../cdktf-cli" && pwd)
staging=$(mktemp -d "$venv/.cdktf-cli-new.XXXXXX")
trap 'rm -rf "$staging"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$staging/"
export PATH="$(cd "$venv/node/node_modules/node/bin" && pwd):$PATH"
(cd "$staging" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || (cd "$staging" && npm ci --no-audit --no-fund)
chmod 755 "$staging"
rm -rf "$venv/cdktf-cli"
mv "$staging" "$venv/cdktf-cli"
