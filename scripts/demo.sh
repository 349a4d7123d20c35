#!/usr/bin/env bash
# One command: install what Heimdall needs, build it, run `heimdall demo`.
# Extra arguments go to the demo, e.g. `scripts/demo.sh --once`.
# A debug build: 3-5x quicker to build on a small machine than release, shared with the tests, and the
# numeric kernels (embedding, vector scan) are compiled optimised either way. For production,
# `swift build -c release` and run .build/release/heimdall.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product heimdall 2>&1 | grep -v "unhandled; explicitly declare" >&2
exec .build/debug/heimdall demo "$@"
