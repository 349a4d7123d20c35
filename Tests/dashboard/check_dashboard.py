#!/usr/bin/env python3
"""The admin dashboard in a real browser.

Starts an OpenAI-compatible upstream (Python stdlib), runs `heimdall serve` in front of it on
loopback, sends a scripted mix of requests (misses, direct and semantic hits, bypasses, an error,
two cache keys, two models), reads GET /stats, then loads the dashboard (GET /) in headless
Chromium and checks that every number it rendered (each element with data-stat="<path>") equals
/stats, formatted the way the page formats it. Saves a screenshot (default docs/dashboard.png).
Stops what it started by PID. Prints 'N passed, N failed' and exits non-zero on any failure;
exits 2 when no Chromium is installed.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CALLS = {"n": 0}


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._json(200, {"object": "list", "data": [{"id": "openai/gpt-4o-mini", "object": "model"}]})

    def do_POST(self):
        CALLS["n"] += 1
        length = int(self.headers.get("content-length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        text = req.get("messages", [{}])[-1].get("content", "")
        if "fail" in text:
            return self._json(503, {"error": {"message": "upstream overloaded", "type": "server_error"}})
        words = len(text.split())
        self._json(200, {
            "id": f"chatcmpl-{CALLS['n']}", "object": "chat.completion", "created": 1764000000, "model": req.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": f"Answer to: {text} " * 8}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5 + words, "completion_tokens": 40 + words, "total_tokens": 45 + 2 * words},
        })


def request(url, body=None, headers=None, method=None):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"))
    req.add_header("content-type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def chat(proxy, text, model="openai/gpt-4o-mini", key=None):
    headers = {"x-bf-cache-key": key} if key else {}
    return request(proxy + "/v1/chat/completions", {"model": model, "messages": [{"role": "user", "content": text}]}, headers)


class StatElements(HTMLParser):
    """Collects (data-stat, data-format, text) of every element carrying data-stat."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.found = []
        self.rendered = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and a.get("data-rendered") == "true":
            self.rendered = True
        if tag in ("meta", "link", "input", "br", "img"):
            return
        entry = [a.get("data-stat"), a.get("data-format"), a.get("data-value"), ""]
        self.stack.append((tag, entry))

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if a.get("data-stat"):
            self.found.append((a["data-stat"], a.get("data-format"), a.get("data-value"), None))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, entry = self.stack.pop()
            if entry[0]:
                self.found.append((entry[0], entry[1], entry[2], entry[3]))
            if self.stack:
                self.stack[-1][1][3] += entry[3]
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1][3] += data


def lookup(stats, path):
    value = stats
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def fixed(value, digits):
    """JavaScript's Number.prototype.toFixed: exact binary value, ties away from zero."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def formatted(value, kind):
    if kind == "percent":
        return fixed(value * 100, 1) + "%"
    if kind == "ms":
        return fixed(value, 3)
    if kind == "fixed4":
        return fixed(value, 4)
    if kind == "ratio":
        return fixed(value, 2) + "×"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, *args):
    profile = tempfile.mkdtemp(prefix="heimdall-chromium-")
    try:
        return subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--hide-scrollbars", f"--user-data-dir={profile}", "--virtual-time-budget=8000", *args],
            capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + (f"  ({detail})" if detail and not condition else ""), flush=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--heimdall", required=True)
    ap.add_argument("--screenshot", default=os.path.join(root, "docs", "dashboard.png"))
    ap.add_argument("--waves", type=int, default=1,
                    help="send the mix this many times, 10 s apart, so the hit-rate chart has several points")
    args = ap.parse_args()
    browser = find_chromium()
    if not browser:
        print("chromium not installed: dashboard check skipped")
        sys.exit(2)

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="heimdall-dashboard-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMDALL_")}
    env.update({"HEIMDALL_EMBEDDER": "hashed", "HEIMDALL_THRESHOLD": "0.8"})
    proc = subprocess.Popen(
        [args.heimdall, "serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
         "--upstream", f"http://127.0.0.1:{upstream.server_address[1]}", "--db", os.path.join(tmp, "h.sqlite"),
         "--config", os.path.join(root, "config", "heimdall.json")],
        stderr=subprocess.PIPE, text=True, env=env)
    proxy = admin = None
    deadline = time.time() + 60
    lines = []
    while time.time() < deadline and not (proxy and admin):
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        a, p = re.search(r"admin=(http://[0-9.:]+)", line), re.search(r"proxy=(http://[0-9.:]+)", line)
        if a and p:
            admin, proxy = a.group(1), p.group(1)
    if not proxy:
        proc.kill()
        print("heimdall did not start:\n" + "".join(lines))
        print("0 passed, 1 failed")
        sys.exit(1)
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()

    try:
        # A scripted mix: two keys, two models, every outcome but coalesced. Later waves repeat
        # earlier prompts, so the hit rate climbs from wave to wave.
        for wave in range(args.waves):
            if wave:
                time.sleep(10)
            for _ in range(3):
                chat(proxy, "What is the capital of France?")
            chat(proxy, "What is the capital of France? please")
            chat(proxy, f"Tell me about the history of the Roman Empire {wave}")
            chat(proxy, f"Tell me about the history of the Roman Empire {wave}")
            chat(proxy, f"Tell me about the history of the Roman Empire {wave}, please")
            for i in range(4):
                chat(proxy, f"Summarise ticket {i % 2}", key="support-bot")
            chat(proxy, "How do I bake sourdough?", model="anthropic/claude-3-5-haiku")
            chat(proxy, "How do I bake sourdough?", model="anthropic/claude-3-5-haiku")
            chat(proxy, "this will fail upstream")
            request(proxy + "/v1/models")
            request(proxy + "/v1/chat/completions", b'{"model": "m", "messages": [}')
        status, _, body = request(admin + "/stats")
        stats = json.loads(body)
        check("/stats answered", status == 200, status)
        check("the mix has direct and semantic hits", stats["requests"]["hit_direct"] > 0 and stats["requests"]["hit_semantic"] > 0,
              stats["requests"])

        run = chromium(browser, "--dump-dom", admin + "/")
        parser = StatElements()
        parser.feed(run.stdout)
        check("chromium rendered the page", run.returncode == 0 and parser.rendered, run.stderr[-800:])
        compared = mismatched = 0
        seen_paths = set()
        for path, kind, data_value, text in parser.found:
            try:
                expected = lookup(stats, path)
            except (KeyError, IndexError, ValueError):
                check(f"{path} exists in /stats", False)
                continue
            seen_paths.add(path)
            compared += 1
            # Bars carry their number in data-value; everything else shows it as text.
            shown = data_value if data_value is not None else (text or "").strip()
            want = str(expected) if data_value is not None else formatted(expected, kind)
            if shown != want:
                mismatched += 1
                check(f"{path} rendered as in /stats", False, f"page {shown!r}, /stats {want!r}")
        check(f"{compared} rendered numbers equal /stats", compared >= 60 and mismatched == 0, f"{mismatched} differ")
        for path in ["requests.total", "hit_rate", "requests.hit_semantic", "latency_ms.hit.p50", "latency_ms.miss.p99",
                     "latency_ms.upstream.p90", "similarity.count", "store.entries", "store.compressed_bytes",
                     "saved.total_tokens", "by_cache_key.0.name", "by_model.0.requests.total", "similarity.buckets.16.count"]:
            check(f"dashboard shows {path}", path in seen_paths)

        if args.screenshot:
            shot = chromium(browser, "--window-size=1400,1250", f"--screenshot={args.screenshot}", admin + "/")
            check("screenshot saved", shot.returncode == 0 and os.path.getsize(args.screenshot) > 10000, shot.stderr[-400:])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        upstream.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)

    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
