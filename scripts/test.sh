#!/usr/bin/env bash
# One command: install build dependencies, build, and run every test:
#   1. the Swift test suites (unit + end-to-end through the real server on loopback);
#   2. the OpenAI Python SDK against `heimdall serve` in front of an independent upstream.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

swift build --build-tests 2>&1 | grep -v "unhandled; explicitly declare" >&2
swift test --skip-build

# The official OpenAI SDK, in a virtualenv kept under .build/ (created once, reused).
VENV=.build/sdk-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import openai" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "openai>=1.40,<3"
fi
"$VENV/bin/python" Tests/sdk/openai_sdk_check.py --heimdall .build/debug/heimdall
