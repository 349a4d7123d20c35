#!/usr/bin/env bash
# One command: install build dependencies, build Heimdall (release), run `heimdall demo`.
# Extra arguments go to the demo, e.g. `scripts/demo.sh --once`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product heimdall 2>&1 | grep -v "unhandled; explicitly declare" >&2
exec .build/release/heimdall demo "$@"
