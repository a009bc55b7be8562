#!/usr/bin/env bash
# Install a supported Node.js (pinned in tools/node/) into a virtual
# environment, and make every Python process of that environment hand it to
# jsii. Usage: tools/install-node.sh VENV
#
# Why: the machine's Node 20 is end-of-life and jsii prints a banner about it
# on every run. jsii takes its node binary from JSII_NODE; a .pth file sets
# that variable (unless already set) at interpreter start-up, so plain
# `VENV/bin/python -c "import constructs"` is covered too, not only main.py.
set -euo pipefail
venv=${1:?usage: tools/install-node.sh VENV}
here=$(cd "$(dirname "$0")" && pwd)
# Install beside the current one and swap, so a running synth never finds it half-installed.
staging=$(mktemp -d "$venv/.node-new.XXXXXX")
trap 'rm -rf "$staging"' EXIT
cp "$here/node/package.json" "$here/node/package-lock.json" "$staging/"
(cd "$staging" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) || (cd "$staging" && npm ci --no-audit --no-fund)
"$staging/node_modules/node/bin/node" --version >/dev/null
chmod 755 "$staging"
if [ -d "$venv/node" ]; then mv "$venv/node" "$staging.old"; fi
mv "$staging" "$venv/node"
rm -rf "$staging.old"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
cat > "$site/privatelink_supported_node.pth" <<'PTH'
import os, sys; p = os.path.join(sys.prefix, "node", "node_modules", "node", "bin", "node"); os.path.isfile(p) and os.environ.setdefault("JSII_NODE", p)
PTH
