#!/usr/bin/env bash
# bench-proxy.sh — Heimdall's request path side by side with nginx on this machine, in one run.
#
# One nginx (Debian package) with three loopback server blocks, as scripts/peers/proxy_anchor.sh:
#   upstream  `return 200` with a fixed ~1 KB chat.completion JSON
#   passthru  plain reverse proxy to it (keep-alive pool)
#   cache     proxy_cache keyed on "$request_uri|$request_body" (exact-match POST cache)
# and `heimdall serve` (release build) in front of the same upstream. wrk (Debian package) then runs,
# each for DURATION s with THREADS threads and CONNS connections:
#   upstream direct, nginx passthrough, nginx cache hit,
#   heimdall passthrough (x-bf-cache-type: none → relayed, no caching),
#   heimdall miss + store (unique body per request, direct lookup only),
#   heimdall direct hit (the primed body), heimdall semantic hit (near-duplicates of a primed prompt).
# Then, at one connection (a moderate, closed-loop rate), the added latency of Heimdall's
# passthrough and miss + store over calling the upstream directly.
#
#   apt-get install -y nginx-light wrk curl   # done by the script when missing (needs root)
#   scripts/bench-proxy.sh                    # DURATION=10 THREADS=2 CONNS=64 WARMUP=2
#   EMBEDDER=hashed scripts/bench-proxy.sh    # semantic rows with the cheap embedder
#   BEFORE=/path/to/old/heimdall scripts/bench-proxy.sh   # adds that binary's direct-hit row beside this one's
#
# Everything listens on 127.0.0.1; every process started is stopped by its PID on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
WARMUP=${WARMUP:-2}
LATENCY_DURATION=${LATENCY_DURATION:-8}
EMBEDDER=${EMBEDDER:-local}
HEIMDALL=${HEIMDALL:-$ROOT/.build/release/heimdall}

if ! command -v wrk >/dev/null || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; } || ! command -v curl >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light wrk curl >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$HEIMDALL" ]; then
  (cd "$ROOT" && swift build -c release --product heimdall)
fi
if [ "$EMBEDDER" = local ]; then
  "$ROOT/scripts/install-model.sh" >/dev/null
fi

WORK=$(mktemp -d /tmp/bench-proxy.XXXXXX)
NGINX_PID=""
HEIMDALL_PID=""
HEIMDALL2_PID=""
HEIMDALLB_PID=""
stop() {  # pid
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() { stop "$HEIMDALL_PID"; stop "$HEIMDALL2_PID"; stop "$HEIMDALLB_PID"; stop "$NGINX_PID"; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

read -r P_UP P_PASS P_CACHE P_H P_ADMIN P_H2 P_ADMIN2 P_B P_ADMINB < <(python3 - <<'EOF'
import socket
ss = [socket.socket() for _ in range(9)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])
for s in ss:
    s.close()
EOF
)

# The same ~1 KB response and 227 B request as the anchor, so rows compare with docs/peers/anchors.md.
RESP='{"id":"chatcmpl-9xKQ2mZbT1vR8yLhP4nWc7aDfE3sG","object":"chat.completion","created":1764367200,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"A reverse proxy cache stores upstream responses keyed by the request so that repeated identical requests can be answered locally. For LLM APIs the key usually includes the model, the messages and the sampling parameters, because any change to them changes the completion. Exact-match caching hashes the normalized request body; semantic caching embeds the prompt and returns a stored answer when a previous prompt is close enough in cosine similarity. Both cut latency from seconds to microseconds and avoid paying for repeated tokens.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":96,"total_tokens":138,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_0ba0d124f1"}'
BODY='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Explain in one paragraph how a reverse proxy cache for LLM APIs works."}],"temperature":0,"max_tokens":256}'

USER_LINE=""
[ "$(id -u)" = "0" ] && USER_LINE="user root;"
mkdir -p "$WORK"/{cache,tmp,logs}
cat > "$WORK/nginx.conf" <<EOF
$USER_LINE
worker_processes auto;
daemon off;
master_process on;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_buffer_size 64k;
  client_body_in_single_buffer on;
  client_max_body_size 1m;
  proxy_cache_path $WORK/cache levels=1:2 keys_zone=anchor:32m max_size=512m inactive=60m use_temp_path=off;
  upstream up { server 127.0.0.1:$P_UP; keepalive 128; }
  server {
    listen 127.0.0.1:$P_UP backlog=4096;
    location / { default_type application/json; return 200 '$RESP'; }
  }
  server {
    listen 127.0.0.1:$P_PASS backlog=4096;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; }
  }
  server {
    listen 127.0.0.1:$P_CACHE backlog=4096;
    location / {
      proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache anchor; proxy_cache_methods POST; proxy_cache_key "\$request_uri|\$request_body";
      proxy_cache_valid 200 60m; proxy_cache_lock on; proxy_ignore_headers Cache-Control Expires Set-Cookie;
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
EOF
"$NGINX" -t -q -p "$WORK" -c "$WORK/nginx.conf"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$P_UP/" && break; sleep 0.05; done

# Heimdall: info logs off (one line per request costs a write per request), a long TTL.
# Started from $WORK so no config/heimdall.json is picked up: defaults plus these.
(cd "$WORK" && HEIMDALL_LOG_LEVEL=warning HEIMDALL_TTL=1h HEIMDALL_EMBEDDER=$EMBEDDER exec "$HEIMDALL" serve \
  --listen "127.0.0.1:$P_H" --admin "127.0.0.1:$P_ADMIN" --upstream "http://127.0.0.1:$P_UP" \
  --db "$WORK/heimdall.sqlite" >"$WORK/heimdall.log" 2>&1) &
HEIMDALL_PID=$!
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$P_ADMIN/readyz" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$P_ADMIN/readyz" || { echo "heimdall did not start:"; cat "$WORK/heimdall.log"; exit 1; }
# A second Heimdall with the event-loop fast path off (HEIMDALL_FAST_PATH=0): every direct hit
# goes through Hummingbird's responder, for the A/B row. Stopped right after its row.
mkdir -p "$WORK/h2"
(cd "$WORK/h2" && HEIMDALL_FAST_PATH=0 HEIMDALL_LOG_LEVEL=warning HEIMDALL_TTL=1h HEIMDALL_EMBEDDER=none exec "$HEIMDALL" serve \
  --listen "127.0.0.1:$P_H2" --admin "127.0.0.1:$P_ADMIN2" --upstream "http://127.0.0.1:$P_UP" \
  --db "$WORK/h2/heimdall.sqlite" >"$WORK/heimdall2.log" 2>&1) &
HEIMDALL2_PID=$!
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$P_ADMIN2/readyz" && break; sleep 0.1; done
# BEFORE: another build of Heimdall (e.g. the last commit's), same settings, for a before/after
# direct-hit row in the same run. Stopped right after its row.
BEFORE=${BEFORE:-}
if [ -n "$BEFORE" ]; then
  mkdir -p "$WORK/hb"
  (cd "$WORK/hb" && HEIMDALL_LOG_LEVEL=warning HEIMDALL_TTL=1h HEIMDALL_EMBEDDER=none exec "$BEFORE" serve \
    --listen "127.0.0.1:$P_B" --admin "127.0.0.1:$P_ADMINB" --upstream "http://127.0.0.1:$P_UP" \
    --db "$WORK/hb/heimdall.sqlite" >"$WORK/heimdall-before.log" 2>&1) &
  HEIMDALLB_PID=$!
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$P_ADMINB/readyz" && break; sleep 0.1; done
fi

post() {  # url [header]
  curl -s -D - -o "$WORK/body.out" -H 'Content-Type: application/json' ${2:+-H "$2"} --data-binary "$BODY" "$1" | tr -d '\r'
}
post "http://127.0.0.1:$P_CACHE/v1/chat/completions" >/dev/null
[ "$(post "http://127.0.0.1:$P_CACHE/v1/chat/completions" | awk -F': ' 'tolower($1)=="x-cache-status"{print $2}')" = HIT ] \
  || { echo "nginx cache not hitting" >&2; exit 1; }
post "http://127.0.0.1:$P_H/v1/chat/completions" >/dev/null
[ "$(post "http://127.0.0.1:$P_H/v1/chat/completions" | awk -F': ' 'tolower($1)=="x-heimdall-cache"{print $2}')" = hit-direct ] \
  || { echo "heimdall not hitting" >&2; cat "$WORK/heimdall.log" >&2; exit 1; }
post "http://127.0.0.1:$P_H2/v1/chat/completions" >/dev/null
[ "$(post "http://127.0.0.1:$P_H2/v1/chat/completions" | awk -F': ' 'tolower($1)=="x-heimdall-cache"{print $2}')" = hit-direct ] \
  || { echo "second heimdall not hitting" >&2; cat "$WORK/heimdall2.log" >&2; exit 1; }
if [ -n "$BEFORE" ]; then
  post "http://127.0.0.1:$P_B/v1/chat/completions" >/dev/null
  [ "$(post "http://127.0.0.1:$P_B/v1/chat/completions" | awk -F': ' 'tolower($1)=="x-heimdall-cache"{print $2}')" = hit-direct ] \
    || { echo "the BEFORE heimdall is not hitting" >&2; cat "$WORK/heimdall-before.log" >&2; exit 1; }
fi
SEMANTIC_CHECK=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' --data-binary "${BODY/works./works?}" \
  "http://127.0.0.1:$P_H/v1/chat/completions" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-heimdall-cache"{print $2}')

report='done = function(s, lat, req)
  local e = s.errors
  io.write(string.format("ROW rps=%.1f p50_us=%d p90_us=%d p99_us=%d reqs=%d errs=%d non2xx=%d\n",
    s.requests / (s.duration / 1e6), lat:percentile(50), lat:percentile(90), lat:percentile(99),
    s.requests, e.connect + e.read + e.write + e.timeout, e.status))
end'
cat > "$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[$BODY]==]
$report
EOF
cat > "$WORK/bypass.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-bf-cache-type"] = "none"
wrk.body = [==[$BODY]==]
$report
EOF
# Unique body per request: every request misses, goes upstream and stores a new entry.
cat > "$WORK/unique.lua" <<EOF
local n = 0
local salt = ""
tid = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("tid", counter) end
init = function(args) n = 0; salt = args[1] or "" end
request = function()
  n = n + 1
  local b = string.gsub([==[$BODY]==], "one paragraph", "one paragraph #" .. salt .. "-" .. tid .. "-" .. n)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["x-bf-cache-type"] = "direct"}, b)
end
$report
EOF
# Near-duplicates of the primed prompt: a different direct key each, one cached answer semantically.
cat > "$WORK/semantic.lua" <<EOF
local variants = { "works?", "works!", "works.  ", "works..", "works?!" }
local n = 0
request = function()
  n = n + 1
  local b = string.gsub([==[$BODY]==], "works%.", variants[(n % #variants) + 1])
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, b)
end
$report
EOF

declare -a NAMES LINES
run() {  # name url script threads conns duration
  local name=$1 url=$2 script=$3 t=${4:-$THREADS} c=${5:-$CONNS} d=${6:-$DURATION}
  [ "$WARMUP" -gt 0 ] && { wrk -t"$t" -c"$c" -d"${WARMUP}s" -s "$script" "$url" -- "w$$" >/dev/null 2>&1 || true; }
  local out
  out=$(wrk -t"$t" -c"$c" -d"${d}s" --latency -s "$script" "$url" -- "m$$-$name" 2>&1)
  NAMES+=("$name"); LINES+=("$(echo "$out" | grep '^ROW' | head -1)")
}
kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k{print $2}'; }
ms() { awk -v u="${1:-0}" 'BEGIN{printf "%.3f", u/1000}'; }
rss() { awk '/VmRSS/{print $2}' "/proc/$HEIMDALL_PID/status"; }

RSS_START=$(rss)
H=http://127.0.0.1:$P_H/v1/chat/completions
run upstream_direct "http://127.0.0.1:$P_UP/v1/chat/completions" "$WORK/post.lua"
run nginx_passthrough "http://127.0.0.1:$P_PASS/v1/chat/completions" "$WORK/post.lua"
run nginx_cache_hit "http://127.0.0.1:$P_CACHE/v1/chat/completions" "$WORK/post.lua"
run heimdall_passthrough "$H" "$WORK/bypass.lua"
run heimdall_miss_store "$H" "$WORK/unique.lua"
run heimdall_direct_hit "$H" "$WORK/post.lua"
if [ -n "$BEFORE" ]; then
  run heimdall_direct_hit_before "http://127.0.0.1:$P_B/v1/chat/completions" "$WORK/post.lua"
  stop "$HEIMDALLB_PID"
  run heimdall_direct_hit_again "$H" "$WORK/post.lua"
fi
run heimdall_hit_via_responder "http://127.0.0.1:$P_H2/v1/chat/completions" "$WORK/post.lua"
stop "$HEIMDALL2_PID"
run heimdall_semantic_hit "$H" "$WORK/semantic.lua"
# One connection: latency without queueing, for the added-latency comparison.
run lat1_upstream_direct "http://127.0.0.1:$P_UP/v1/chat/completions" "$WORK/post.lua" 1 1 "$LATENCY_DURATION"
run lat1_heimdall_passthrough "$H" "$WORK/bypass.lua" 1 1 "$LATENCY_DURATION"
run lat1_heimdall_miss_store "$H" "$WORK/unique.lua" 1 1 "$LATENCY_DURATION"
run lat1_heimdall_direct_hit "$H" "$WORK/post.lua" 1 1 "$LATENCY_DURATION"
curl -s "http://127.0.0.1:$P_ADMIN/stats" >"$WORK/stats-before-lat1-semantic.json"
run lat1_heimdall_semantic_hit "$H" "$WORK/semantic.lua" 1 1 "$LATENCY_DURATION"
curl -s "http://127.0.0.1:$P_ADMIN/stats" >"$WORK/stats-after-lat1-semantic.json"
RSS_END=$(rss)

echo "# $(date -Iseconds)  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') nproc=$(nproc)  loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# nginx $("$NGINX" -v 2>&1 | sed 's/.*version: //')  wrk -t$THREADS -c$CONNS -d${DURATION}s (lat1_*: -t1 -c1 -d${LATENCY_DURATION}s)  embedder=$EMBEDDER  semantic check: ${SEMANTIC_CHECK:-?}"
printf '%-28s %12s %9s %9s %9s %7s %7s\n' target requests/s p50_ms p90_ms p99_ms errors non2xx
for i in "${!NAMES[@]}"; do
  l=${LINES[$i]}
  printf '%-28s %12s %9s %9s %9s %7s %7s\n' "${NAMES[$i]}" "$(kv "$l" rps)" "$(ms "$(kv "$l" p50_us)")" \
    "$(ms "$(kv "$l" p90_us)")" "$(ms "$(kv "$l" p99_us)")" "$(kv "$l" errs)" "$(kv "$l" non2xx)"
done
get() { for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" = "$1" ] && kv "${LINES[$i]}" "$2"; done; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
diff_us() { awk -v a="$1" -v b="$2" 'BEGIN{ printf "%d", a-b }'; }
echo
echo "heimdall direct hit / nginx cache hit throughput: $(ratio "$(get heimdall_direct_hit rps)" "$(get nginx_cache_hit rps)")  (target >= 0.5)"
[ -n "$BEFORE" ] && echo "heimdall direct hit, this build / BEFORE ($BEFORE): $(ratio "$(get heimdall_direct_hit rps)" "$(get heimdall_direct_hit_before rps)") and $(ratio "$(get heimdall_direct_hit_again rps)" "$(get heimdall_direct_hit_before rps)") (the row after it)"
echo "heimdall direct hit, event-loop fast path / through Hummingbird's responder: $(ratio "$(get heimdall_direct_hit rps)" "$(get heimdall_hit_via_responder rps)")"
echo "heimdall passthrough / nginx passthrough throughput: $(ratio "$(get heimdall_passthrough rps)" "$(get nginx_passthrough rps)")"
echo "added latency at 1 connection, passthrough: p50 +$(diff_us "$(get lat1_heimdall_passthrough p50_us)" "$(get lat1_upstream_direct p50_us)") us, p99 +$(diff_us "$(get lat1_heimdall_passthrough p99_us)" "$(get lat1_upstream_direct p99_us)") us"
echo "added latency at 1 connection, miss + store: p50 +$(diff_us "$(get lat1_heimdall_miss_store p50_us)" "$(get lat1_upstream_direct p50_us)") us, p99 +$(diff_us "$(get lat1_heimdall_miss_store p99_us)" "$(get lat1_upstream_direct p99_us)") us  (target p50 <= 50, p99 <= 500)"
# Server-side split of a semantic hit at one connection (issue 8: everything but the embedding
# <= 300 us): means over the lat1 semantic row, from /stats before and after it (sum = mean x count).
python3 - "$WORK/stats-before-lat1-semantic.json" "$WORK/stats-after-lat1-semantic.json" <<'PY' 2>/dev/null || true
import json, sys
before, after = (json.load(open(f))["latency_ms"] for f in sys.argv[1:3])
def window(kind):
    b, a = before.get(kind, {}), after.get(kind, {})
    n = a.get("count", 0) - b.get("count", 0)
    return n, (a.get("mean", 0) * a.get("count", 0) - b.get("mean", 0) * b.get("count", 0)) / n if n else 0
(n, hit), (_, emb) = window("hit_semantic"), window("embedding")
if n:
    print("semantic hit in the server at 1 connection (%d hits): mean %.3f ms, embedding %.3f ms -> the rest %.0f us (target <= 300)"
          % (n, hit, emb, 1000 * (hit - emb)))
PY
echo "heimdall RSS: ${RSS_START} kB at start, ${RSS_END} kB at end; entries: $(curl -s "http://127.0.0.1:$P_ADMIN/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("entries", d.get("store", {}).get("entries", "?")))' 2>/dev/null || echo '?')"
