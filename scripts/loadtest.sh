#!/usr/bin/env bash
# Load test on loopback with wrk: direct hits, semantic hits, misses (a unique body per request)
# and passthrough, through a release build of `heimdall serve` in front of `heimdall mock-upstream`.
# Reports requests/s, p50/p99 latency, errors and the proxy's RSS before/after each scenario.
# Exits non-zero on any error.
#
#   scripts/loadtest.sh                 # ~10 s per scenario
#   DURATION=120 scripts/loadtest.sh    # longer: watch RSS stay bounded
#   CONNECTIONS=64 THREADS=2 EMBEDDER=hashed SKIP_BUILD=1 scripts/loadtest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
EMBEDDER=${EMBEDDER:-local}   # local (all-MiniLM-L6-v2, installed by scripts/setup.sh) or hashed
BIN=$PWD/.build/release/heimdall

if ! command -v wrk >/dev/null 2>&1; then
  echo "loadtest: installing wrk" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product heimdall 2>&1 | grep -v "unhandled; explicitly declare" >&2
fi

WORK=$(mktemp -d /tmp/heimdall-load.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {  # url, what
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "loadtest: $2 did not come up" >&2; exit 1
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

MOCK_PORT=$(free_port)
"$BIN" mock-upstream --listen "127.0.0.1:$MOCK_PORT" >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$MOCK_PORT/v1/models" "mock upstream"

PROXY_PORT=$(free_port); ADMIN_PORT=$(free_port)
# A lower threshold than the default so a close paraphrase is a semantic hit with either embedder.
# Started in $WORK so no config/heimdall.json is picked up: defaults plus what is set here.
(cd "$WORK" && HEIMDALL_EMBEDDER=$EMBEDDER HEIMDALL_THRESHOLD=0.9 HEIMDALL_LOG_LEVEL=warning exec "$BIN" serve \
  --listen "127.0.0.1:$PROXY_PORT" --admin "127.0.0.1:$ADMIN_PORT" --upstream "http://127.0.0.1:$MOCK_PORT" \
  --db "$WORK/heimdall.sqlite" >"$WORK/heimdall.log" 2>&1) &
HEIMDALL_PID=$!
PIDS+=("$HEIMDALL_PID")
wait_http "http://127.0.0.1:$ADMIN_PORT/healthz" "heimdall"
BASE="http://127.0.0.1:$PROXY_PORT"

chat_body() { printf '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"%s"}]}' "$1"; }
ORIGINAL="What is the capital of France?"
PARAPHRASE="What is the capital of France, please?"
outcome() { curl -s -o /dev/null -D - "$BASE/v1/chat/completions" -H 'content-type: application/json' -d "$(chat_body "$1")" \
  | tr -d '\r' | awk -F': ' 'tolower($1)=="x-heimdall-cache" {print $2}'; }
outcome "$ORIGINAL" >/dev/null
[ "$(outcome "$ORIGINAL")" = "hit-direct" ] || { echo "loadtest: warm-up did not give a direct hit" >&2; exit 1; }
[ "$(outcome "$PARAPHRASE")" = "hit-semantic" ] || { echo "loadtest: the paraphrase is not a semantic hit with $EMBEDDER" >&2; exit 1; }

# wrk scripts: a fixed request, or a unique body per request; `done` prints one parseable line.
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.3f %.3f %d\n", summary.requests, summary.duration,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
fixed_script() {  # name, method, body
  { printf 'wrk.method = "%s"\nwrk.headers["content-type"] = "application/json"\n' "$2"
    [ -n "$3" ] && printf 'wrk.body = [==[%s]==]\n' "$3"
    cat "$WORK/report.lua"; } >"$WORK/$1.lua"
}
fixed_script direct POST "$(chat_body "$ORIGINAL")"
fixed_script semantic POST "$(chat_body "$PARAPHRASE")"
fixed_script passthrough GET ""
{ cat <<'LUA'
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"unique question %d-%d-%d"}]}',
    tid or 0, n, math.random(1, 1e9))
  return wrk.format("POST", nil, {["content-type"] = "application/json"}, body)
end
LUA
  cat "$WORK/report.lua"; } >"$WORK/miss.lua"

printf '\nheimdall load test: %s s per scenario, %s connections, %s threads, embedder %s, %s\n\n' \
  "$DURATION" "$CONNECTIONS" "$THREADS" "$EMBEDDER" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '| scenario | requests | req/s | p50 ms | p99 ms | errors | RSS before MiB | RSS after MiB |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
FAILED=0
run() {  # name, path
  local before after line
  before=$(rss_kib "$HEIMDALL_PID")
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$WORK/$1.lua" "$BASE$2" | grep '^RESULT' || true)
  after=$(rss_kib "$HEIMDALL_PID")
  [ -n "$line" ] || { echo "loadtest: wrk failed in $1" >&2; FAILED=1; return; }
  read -r _ requests _ rps p50 p99 errors <<<"$line"
  printf '| %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n' "$1" "$requests" "$rps" "$p50" "$p99" "$errors" \
    "$(echo "$before / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)"
  [ "$errors" = "0" ] || FAILED=1
}
run direct /v1/chat/completions
run semantic /v1/chat/completions
run miss /v1/chat/completions
run passthrough /v1/models

kill -0 "$HEIMDALL_PID" 2>/dev/null || { echo "loadtest: heimdall died" >&2; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$ADMIN_PORT/healthz" || { echo "loadtest: heimdall unhealthy afterwards" >&2; exit 1; }
DB_BYTES=$(stat -c %s "$WORK/heimdall.sqlite")
printf '\ndatabase after the run: %s bytes (+ WAL %s bytes)\n' "$DB_BYTES" "$(stat -c %s "$WORK/heimdall.sqlite-wal" 2>/dev/null || echo 0)"
[ "$FAILED" = "0" ] || { echo "loadtest: errors above" >&2; exit 1; }
