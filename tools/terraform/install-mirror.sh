#!/usr/bin/env bash
# Install the stand-in alicloud provider into a filesystem mirror, and write a
# Terraform CLI configuration that installs providers from that mirror only
# (no `direct` block, so Terraform never asks a registry).
# Usage: tools/terraform/install-mirror.sh VENV    (run by make; VENV holds requirements-terraform.lock)
#   VENV/mirror/registry.terraform.io/aliyun/alicloud/1.289.0/linux_amd64/terraform-provider-alicloud_v1.289.0
#   VENV/terraform.rc   (point TF_CLI_CONFIG_FILE at it)
# The executable is a launcher: absolute paths are fine here, the mirror is a
# local, ignored folder and never part of the output.
set -euo pipefail
venv=$(cd "${1:?usage: tools/terraform/install-mirror.sh VENV}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
version=1.289.0
platform=$("$venv/bin/python" -c 'import platform; m = platform.machine().lower(); print("linux_" + {"x86_64": "amd64", "aarch64": "arm64"}.get(m, m))')
plugin_dir="$venv/mirror/registry.terraform.io/aliyun/alicloud/$version/$platform"
rm -rf "$venv/mirror"
mkdir -p "$plugin_dir"
launcher="$plugin_dir/terraform-provider-alicloud_v$version"
cat > "$launcher" <<SH
#!/bin/sh
# The stand-in aliyun/alicloud provider (tools/terraform/provider.py); see the project README.
exec "$venv/bin/python" -E -s "$here/provider.py" "\$@"
SH
chmod 755 "$launcher"
cat > "$venv/terraform.rc" <<RC
# Only the stand-in provider, only from the local mirror: nothing may try the network.
provider_installation {
  filesystem_mirror {
    path    = "$venv/mirror"
    include = ["registry.terraform.io/aliyun/alicloud"]
  }
}
disable_checkpoint = true
RC
