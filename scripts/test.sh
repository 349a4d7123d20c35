#!/usr/bin/env bash
# One command: install build dependencies, build, and run every test:
#   1. the Swift test suites (unit + end-to-end through the real server on loopback);
#   2. the OpenAI Python SDK against `heimdall serve` in front of an independent upstream;
#   3. the admin dashboard in headless Chromium against `heimdall serve` (numbers equal /stats).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Formatting is checked, not only applied (settings in .swift-format).
swift format lint --strict -r Sources Tests Package.swift Benchmarks/Benchmarks

# Warnings in our own code fail the run (a dependency's notes about its unhandled files do not).
mkdir -p .build
swift build --build-tests 2>&1 | tee .build/build-tests.log | grep -v "unhandled; explicitly declare" >&2
if grep -E "^$(pwd)/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" .build/build-tests.log; then
  echo "test: the build has warnings in Heimdall's own code (above); fix them" >&2
  exit 1
fi
swift test --skip-build

# The official OpenAI SDK, in a virtualenv kept under .build/ (created once, reused).
VENV=.build/sdk-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import openai" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "openai>=1.40,<3"
fi
"$VENV/bin/python" Tests/sdk/openai_sdk_check.py --heimdall .build/debug/heimdall

# The dashboard in a real browser: Debian's chromium, installed once when missing.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "test: installing chromium for the dashboard check" >&2
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } ||
    echo "test: could not install chromium" >&2
fi
if command -v chromium >/dev/null 2>&1; then
  python3 Tests/dashboard/check_dashboard.py --heimdall .build/debug/heimdall --screenshot "${TMPDIR:-/tmp}/heimdall-dashboard.png"
else
  echo "SKIPPED: dashboard check (chromium is not installed and could not be installed with apt-get)"
fi
