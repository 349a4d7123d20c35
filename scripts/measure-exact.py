#!/usr/bin/env python3
"""Measures the exact cache end to end: compression ratio of stored realistic responses and
latency of a direct hit vs a miss vs calling the upstream directly.

Realistic bodies come from scripts/peers/micro.py (OpenAI chat.completion JSON whose text is
CPython docstring prose with markdown), served by a stdlib upstream on loopback. Heimdall
(`--heimdall`, a release build) runs in front of it with a fresh database. Every process this
script starts is stopped by PID. Usage:
    python3 scripts/measure-exact.py --heimdall .build/release/heimdall [--n 300] [--chars 2000]
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
import micro  # noqa: E402  (make_response, prose_paragraphs)

BODIES = []


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def setup(self):
        super().setup()
        # http.server writes headers and body separately: without NODELAY, Nagle + delayed ACK add 40 ms.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        req = json.loads(self.rfile.read(length))
        i = int(req["messages"][-1]["content"].split()[-1])
        body = BODIES[i % len(BODIES)]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def timed_post(conn, i, cache_key="bench"):
    body = json.dumps({"model": "openai/gpt-4o", "messages": [{"role": "user", "content": f"question number {i}"}]})
    t0 = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json", "x-bf-cache-key": cache_key})
    r = conn.getresponse()
    data = r.read()
    elapsed = (time.perf_counter() - t0) * 1e3
    return elapsed, r.getheader("x-heimdall-cache"), data


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--heimdall", required=True)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--chars", type=int, default=2000, help="assistant text length per response")
    a = ap.parse_args()

    rng = random.Random(42)
    paras = micro.prose_paragraphs()
    for _ in range(a.n):
        BODIES.append(micro.make_response(rng, paras, a.chars))  # pretty-printed JSON bytes, as the API sends

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    uport = upstream.server_address[1]
    tmp = tempfile.mkdtemp(prefix="heimdall-measure-")
    db = os.path.join(tmp, "m.sqlite")
    proc = subprocess.Popen([a.heimdall, "serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                             "--upstream", f"http://127.0.0.1:{uport}", "--db", db, "--log-level", "warning",
                             "--config", os.path.join(HERE, "..", "config", "heimdall.json")],
                            stderr=subprocess.PIPE, text=True)
    try:
        # --log-level warning hides the start-up line, so find the port via /proc.
        port = None
        for _ in range(200):
            out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
            ports = sorted(int(m) for m in re.findall(r"127\.0\.0\.1:(\d+)\s.*pid=%d," % proc.pid, out))
            if len(ports) >= 2:
                port = ports[0]
                break
            time.sleep(0.05)
        if port is None:
            raise SystemExit("heimdall did not start")
        # Listener order is not guaranteed: the proxy is the one answering /v1/... with x-heimdall-cache.
        for candidate in ports:
            c = http.client.HTTPConnection("127.0.0.1", candidate)
            c.request("GET", "/v1/none")
            r = c.getresponse(); r.read()
            if r.getheader("x-heimdall-cache"):
                port = candidate
                break

        direct = http.client.HTTPConnection("127.0.0.1", uport)
        proxy = http.client.HTTPConnection("127.0.0.1", port)
        for i in range(20):  # warm-up (different namespace, not counted)
            timed_post(proxy, i, cache_key="warmup")
            timed_post(proxy, i, cache_key="warmup")
        up, miss, hit = [], [], []
        for i in range(a.n):
            up.append(timed_post(direct, i)[0])
        for i in range(a.n):
            t, outcome, _ = timed_post(proxy, i)
            assert outcome == "miss", outcome
            miss.append(t)
        for i in range(a.n):
            t, outcome, _ = timed_post(proxy, i)
            assert outcome == "hit-direct", outcome
            hit.append(t)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        upstream.shutdown()
    con = sqlite3.connect(db)
    raw, stored, n = con.execute("select sum(raw_size), sum(stored_size), count(*) from entries where cache_key='bench'").fetchone()
    print(f"date {time.strftime('%Y-%m-%d %H:%M')}  load {os.getloadavg()[0]:.2f}  n={a.n}  content chars={a.chars}")
    print(f"stored: {n} entries, raw {raw} B, compressed {stored} B, ratio {raw / stored:.2f}x (mean raw {raw // n} B)")
    for name, xs in [("upstream direct", up), ("heimdall miss", miss), ("heimdall direct hit", hit)]:
        print(f"{name:20s} p50 {pct(xs, 50):.3f} ms  p90 {pct(xs, 90):.3f} ms  p99 {pct(xs, 99):.3f} ms")
    print(f"miss overhead vs upstream (p50): {pct(miss, 50) - pct(up, 50):.3f} ms")


if __name__ == "__main__":
    main()
