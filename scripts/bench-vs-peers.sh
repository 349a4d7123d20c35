#!/usr/bin/env bash
# Side-by-side brute-force scan comparison: the peer script (numpy / faiss / simsimd / usearch,
# one thread, top-1 cosine at n x 384 in f32 / f16 / i8) and HeimdallVector's ordo-one benchmark,
# run one after the other on the same machine, then merged into one table.
#
#   scripts/bench-vs-peers.sh                    # 10k, 100k, 1M rows (~12 min)
#   SIZES="10000 100000" scripts/bench-vs-peers.sh
#   LIBS=numpy,faiss,simsimd,usearch scripts/bench-vs-peers.sh   # usearch exact is slow at 1M
#
# Environment: PEERS_SCRIPT (default scripts/peers/vector_scan.py), VENV (default
# /tmp/heimdall-vector-peers/venv, created on first use), OUT (results folder), QUERIES (200).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEERS_SCRIPT="${PEERS_SCRIPT:-$ROOT/scripts/peers/vector_scan.py}"
VENV="${VENV:-/tmp/heimdall-vector-peers/venv}"
OUT="${OUT:-/tmp/heimdall-vector-bench/$(date +%Y%m%d-%H%M%S)}"
SIZES="${SIZES:-10000 100000 1000000}"
QUERIES="${QUERIES:-200}"
LIBS="${LIBS:-numpy,faiss,simsimd,usearch}"
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q numpy faiss-cpu simsimd usearch threadpoolctl
fi

label() { case "$1" in 10000) echo 10k ;; 100000) echo 100k ;; 1000000) echo 1M ;; *) echo "unsupported size $1" >&2; exit 2 ;; esac; }

{
    echo "date: $(date)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores)"
    echo "swift: $(swift --version 2>&1 | head -1)"
} | tee "$OUT/machine.txt"

echo "== peers ($LIBS), uptime: $(uptime)" | tee -a "$OUT/load.txt"
for n in $SIZES; do
    for dtype in f32 f16 i8; do
        echo "  peers n=$n dtype=$dtype  load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
        "$VENV/bin/python" "$PEERS_SCRIPT" --n "$n" --d 384 --queries "$QUERIES" --dtype "$dtype" \
            --libs "$LIBS" --json > "$OUT/peer-$n-$dtype.json"
    done
done

filters=(--filter "read 1GiB")
for n in $SIZES; do
    filters+=(--filter "(scan|read) $(label "$n")x384 .*")
done
echo "== heimdall, uptime: $(uptime)" | tee -a "$OUT/load.txt"
swift package --package-path "$ROOT/Benchmarks" --allow-writing-to-directory "$OUT" \
    benchmark "${filters[@]}" --format jmh --path "$OUT" --no-progress > "$OUT/heimdall.log" 2>&1 \
    || { tail -40 "$OUT/heimdall.log"; exit 1; }
grep -h '^# kernels' "$OUT/heimdall.log" | head -1 | tee "$OUT/kernels.txt"
echo "== done, uptime: $(uptime)" | tee -a "$OUT/load.txt"

python3 "$ROOT/scripts/side_by_side.py" "$OUT" | tee "$OUT/table.md"
echo "results: $OUT"
