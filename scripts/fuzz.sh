#!/usr/bin/env bash
# libFuzzer over request parsing, canonical JSON and cache keys (Tests/Fuzz, docs/reliability.md).
# Builds the fuzz package with -sanitize=fuzzer,address (its own .build, never the main one),
# then fuzzes for SECONDS (default 300) from the checked-in corpus, keeping what it finds in
# Tests/Fuzz/corpus-work/ (git-ignored). A crash leaves Tests/Fuzz/crash-<sha1> to replay:
#   Tests/Fuzz/.build/debug/HeimdallFuzz Tests/Fuzz/crash-<sha1>
#   scripts/fuzz.sh 3600            # an hour
#   JOBS=2 scripts/fuzz.sh 600      # two processes, logs in Tests/Fuzz/fuzz-<n>.log
set -euo pipefail
cd "$(dirname "$0")/../Tests/Fuzz"
SECONDS_TO_RUN=${1:-300}
swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
  | grep -vE "Cannot export local symbol|unhandled; explicitly declare" >&2
mkdir -p corpus-work
PARALLEL=()
[ "${JOBS:-1}" -gt 1 ] && PARALLEL=(-jobs="$JOBS" -workers="$JOBS")  # each job logs to fuzz-<n>.log
exec .build/debug/HeimdallFuzz corpus-work corpus -max_total_time="$SECONDS_TO_RUN" -max_len=8192 \
  -print_final_stats=1 "${PARALLEL[@]}"
