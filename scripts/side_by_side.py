#!/usr/bin/env python3
"""Merges the peer script's JSON results and the ordo-one JMH export into one markdown table.

Usage: side_by_side.py RESULTS_DIR   (as written by bench-vs-peers.sh)
"""
import glob
import json
import os
import sys

LABEL = {10000: "10k", 100000: "100k", 1000000: "1M"}
PRECISION = {"f32": "f32", "f16": "f16", "i8": "int8"}
BYTES_PER_ROW = {"f32": 384 * 4, "f16": 384 * 2, "int8": 384 + 4}  # int8 reads codes + one scale


def load_heimdall(out):
    """benchmark name -> {'mean_us', 'p50_us', 'rate_mean', 'rate_p50'} (rate in GB/s)."""
    path = glob.glob(os.path.join(out, "*.jmh.json"))
    if not path:
        sys.exit(f"no JMH export in {out}")
    result = {}
    for element in json.load(open(path[0])):
        name = element["benchmark"].split(".")[-1].replace("_", " ")
        metrics = element["secondaryMetrics"]
        wall = metrics["Time (wall clock)"]
        rate_key = "scan MB/s" if name.startswith("scan") else "read MB/s"
        rate = metrics.get(rate_key, {})
        result[name] = {
            "mean_us": wall["score"],
            "p50_us": wall["scorePercentiles"]["50.0"],
            "rate_p50": rate.get("scorePercentiles", {}).get("50.0", 0) / 1000,
        }
    return result


def main():
    out = sys.argv[1]
    ours = load_heimdall(out)
    peers = {}
    libs = []
    for path in sorted(glob.glob(os.path.join(out, "peer-*.json"))):
        data = json.load(open(path))
        n, dtype = data["params"]["n"], data["params"]["dtype"]
        peers[(n, dtype)] = data
        for r in data["results"]:
            if r["lib"] not in libs:
                libs.append(r["lib"])

    order = ["numpy", "faiss", "simsimd", "usearch", "usearch_index"]
    libs.sort(key=lambda lib: order.index(lib) if lib in order else len(order))
    print(f"\n{open(os.path.join(out, 'machine.txt')).read().strip()}")
    kernels = os.path.join(out, "kernels.txt")
    if os.path.exists(kernels):
        print(open(kernels).read().strip())
    gib = ours.get("read 1GiB")
    if gib:
        print(f"Heimdall probe, 1 thread, 1 GiB read: {gib['rate_p50']:.1f} GB/s (p50)")
    print("\nµs per query, mean (effective GB/s = matrix bytes / mean time); Heimdall also p50.")
    print("'read' = single-thread read of the same number of bytes, p50, in the Heimdall run;"
          " 'peer membw' = the peer script's C probe, 1 GiB / matrix-size, best.\n")
    header = ["n × 384", "dtype", "MB"] + [f"{lib} µs (GB/s)" for lib in libs] + [
        "Heimdall µs mean (GB/s)", "Heimdall p50 µs", "vs faiss", "read GB/s", "scan/read (p50)",
        "peer membw GB/s", "load start→end"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for (n, dtype), data in sorted(peers.items(), key=lambda kv: (kv[0][0], ["f32", "f16", "i8"].index(kv[0][1]))):
        precision = PRECISION[dtype]
        mb = data["params"]["matrix_bytes"] / 1e6
        by_lib = {r["lib"]: r for r in data["results"]}
        cells = [f"{n:,}", dtype, f"{mb:.1f}"]
        for lib in libs:
            r = by_lib.get(lib)
            cells.append(f"{r['us_mean']:,.0f} ({r['eff_GBps']:.1f})" if r else "n/a")
        scan = ours.get(f"scan {LABEL[n]}x384 {precision}")
        read = ours.get(f"read {LABEL[n]}x384 {precision} bytes")
        if scan:
            our_bytes = BYTES_PER_ROW[precision] * n
            cells.append(f"{scan['mean_us']:,.0f} ({our_bytes / scan['mean_us'] / 1e3:.1f})")
            cells.append(f"{scan['p50_us']:,.0f}")
            faiss = by_lib.get("faiss")
            cells.append(f"{faiss['us_mean'] / scan['mean_us']:.2f}×" if faiss else "n/a")
        else:
            cells += ["n/a"] * 3
        if read and scan:
            cells.append(f"{read['rate_p50']:.1f}")
            cells.append(f"{scan['rate_p50'] / read['rate_p50']:.2f}")
        else:
            cells += ["n/a", "n/a"]
        membw = data.get("membw", {})
        cells.append(f"{membw.get('c_1GiB_best_GBps', 0):.1f} / {membw.get('c_matrix_size_best_GBps', 0):.1f}")
        host = data["host"]
        cells.append(f"{host['loadavg_start'][0]:.2f}→{host['loadavg_end'][0]:.2f}")
        print("| " + " | ".join(cells) + " |")
    print()
    f32_faiss = {n: d for (n, dt), d in peers.items() if dt == "f32"}
    for n, data in sorted(f32_faiss.items()):
        faiss = next((r for r in data["results"] if r["lib"] == "faiss"), None)
        int8 = ours.get(f"scan {LABEL[n]}x384 int8")
        if faiss and int8:
            print(f"int8 scan vs faiss f32 at {LABEL[n]}: {faiss['us_mean'] / int8['mean_us']:.1f}× faster (target ≥ 3×)")


if __name__ == "__main__":
    main()
