#!/usr/bin/env python3
"""Contract check with the official OpenAI Python SDK.

Starts an independent OpenAI-compatible upstream (Python stdlib, not Heimdall's own mock),
runs `heimdall serve` in front of it on loopback, points the SDK's base_url at Heimdall and
checks what docs/behaviour.md promises: cached repeats with Bifrost's cache_debug, one upstream call,
streaming relayed, errors relayed as SDK exceptions, passthrough routes. Stops what it started
by PID. Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai

CALLS = Counter()


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
        CALLS[self.path] += 1
        if self.path == "/v1/models":
            return self._json(200, {"object": "list", "data": [{"id": "openai/gpt-4o-mini", "object": "model", "created": 0, "owned_by": "openai"}]})
        self._json(404, {"error": {"message": "no such route", "type": "invalid_request_error"}})

    def do_POST(self):
        CALLS[self.path] += 1
        length = int(self.headers.get("content-length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        n = sum(CALLS.values())
        if self.path == "/v1/chat/completions":
            text = req["messages"][-1]["content"]
            if "rate-limit" in text:
                self.send_response(429)
                body = json.dumps({"error": {"message": "slow down", "type": "rate_limit_error", "code": "rate_limit"}}).encode()
                self.send_header("content-type", "application/json")
                self.send_header("retry-after", "1")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            answer = f"Answer {n} to: {text}"
            if req.get("stream"):
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                words = answer.split(" ")
                for i, word in enumerate(words):
                    chunk = {"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 0, "model": req["model"],
                             "choices": [{"index": 0, "delta": {"content": (" " if i else "") + word}, "finish_reason": None}]}
                    self._chunk(f"data: {json.dumps(chunk)}\n\n")
                    time.sleep(0.01)
                final = {"id": f"chatcmpl-{n}", "object": "chat.completion.chunk", "created": 0, "model": req["model"],
                         "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self._chunk(f"data: {json.dumps(final)}\n\n")
                self._chunk("data: [DONE]\n\n")
                self._chunk("")
                return
            return self._json(200, {
                "id": f"chatcmpl-{n}", "object": "chat.completion", "created": 1764000000, "model": req["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21},
            })
        if self.path == "/v1/embeddings":
            inputs = req["input"] if isinstance(req["input"], list) else [req["input"]]
            return self._json(200, {"object": "list", "model": req["model"], "usage": {"prompt_tokens": 2, "total_tokens": 2},
                                    "data": [{"object": "embedding", "index": i, "embedding": [0.1 * (i + 1), 0.2, 0.3]} for i in range(len(inputs))]})
        self._json(404, {"error": {"message": "no such route", "type": "invalid_request_error"}})

    def _chunk(self, text):
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + (f"  ({detail})" if detail and not condition else ""), flush=True)


def debug_of(completion):
    return ((completion.model_extra or {}).get("extra_fields") or {}).get("cache_debug")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--heimdall", required=True)
    args = ap.parse_args()

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    upstream_url = f"http://127.0.0.1:{upstream.server_address[1]}"

    tmp = tempfile.mkdtemp(prefix="heimdall-sdk-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMDALL_")}
    proc = subprocess.Popen(
        [args.heimdall, "serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--upstream", upstream_url,
         "--db", os.path.join(tmp, "h.sqlite"), "--config", os.path.join(os.path.dirname(__file__), "..", "..", "config", "heimdall.json")],
        stderr=subprocess.PIPE, text=True, env=env)
    proxy_url = None
    deadline = time.time() + 60
    lines = []
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"proxy=(http://[0-9.:]+)", line)
        if m:
            proxy_url = m.group(1)
            break
    if not proxy_url:
        proc.kill()
        print("heimdall did not start:\n" + "".join(lines))
        print("0 passed, 1 failed")
        sys.exit(1)
    log_lines = []
    threading.Thread(target=lambda: log_lines.extend(proc.stderr), daemon=True).start()

    try:
        client = openai.OpenAI(base_url=proxy_url + "/v1", api_key="sk-sdk-check-secret", max_retries=0, timeout=30)
        messages = [{"role": "user", "content": "What is the capital of France?"}]
        first = client.chat.completions.create(model="openai/gpt-4o-mini", messages=messages, temperature=0.2)
        raw = client.chat.completions.with_raw_response.create(model="openai/gpt-4o-mini", messages=messages, temperature=0.2)
        second = raw.parse()
        d1, d2 = debug_of(first), debug_of(second)
        check("miss carries cache_debug", d1 and d1.get("cache_hit") is False and d1.get("cache_id"), d1)
        check("repeat is a direct hit", d2 and d2.get("cache_hit") is True and d2.get("hit_type") == "direct", d2)
        check("hit serves the stored entry", d2 and d1 and d2.get("cache_id") == d1.get("cache_id"))
        check("requested provider/model split", d2 and d2.get("requested_provider") == "openai" and d2.get("requested_model") == "gpt-4o-mini", d2)
        check("x-heimdall-cache header", raw.headers.get("x-heimdall-cache") == "hit-direct", raw.headers.get("x-heimdall-cache"))
        check("same answer text", first.choices[0].message.content == second.choices[0].message.content)
        check("upstream called once", CALLS["/v1/chat/completions"] == 1, CALLS)

        other = client.chat.completions.create(model="openai/gpt-4o-mini", messages=messages, temperature=0.9)
        check("other temperature misses", debug_of(other)["cache_hit"] is False)

        chunks = list(client.chat.completions.create(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "stream it"}], stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        check("streaming through the proxy", text.endswith("to: stream it") and len(chunks) > 3, text)
        miss_debug = [debug_of(c) for c in chunks if debug_of(c)]
        check("stream miss: cache_debug on the last chunk only", len(miss_debug) == 1 and debug_of(chunks[-1]) and debug_of(chunks[-1])["cache_hit"] is False, miss_debug)
        streamed_calls = CALLS["/v1/chat/completions"]
        replay = list(client.chat.completions.create(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "stream it"}], stream=True))
        replay_text = "".join(c.choices[0].delta.content or "" for c in replay if c.choices)
        check("stream replayed from the cache with identical text", replay_text == text and CALLS["/v1/chat/completions"] == streamed_calls, replay_text)
        hit = debug_of(replay[-1]) if replay else None
        check("stream replay: cache_debug direct hit on the last chunk", hit and hit["cache_hit"] is True and hit["hit_type"] == "direct" and hit["cache_id"] == miss_debug[-1]["cache_id"], hit)
        check("stream replay: same chunks", [c.id for c in replay] == [c.id for c in chunks] and len(replay) == len(chunks))

        try:
            client.chat.completions.create(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "rate-limit me"}])
            check("429 raises RateLimitError", False, "no exception")
        except openai.RateLimitError as e:
            check("429 raises RateLimitError", e.status_code == 429 and "slow down" in str(e))
        before = CALLS["/v1/chat/completions"]
        try:
            client.chat.completions.create(model="openai/gpt-4o-mini", messages=[{"role": "user", "content": "rate-limit me"}])
        except openai.RateLimitError:
            pass
        check("errors are not cached", CALLS["/v1/chat/completions"] == before + 1)

        e1 = client.embeddings.create(model="openai/text-embedding-3-small", input=["hello", "world"])
        e2 = client.embeddings.create(model="openai/text-embedding-3-small", input=["hello", "world"])
        check("embeddings cached", CALLS["/v1/embeddings"] == 1 and e1.data[1].embedding == e2.data[1].embedding)

        models = client.models.list()
        check("models pass through", [m.id for m in models.data] == ["openai/gpt-4o-mini"])

        other_key = openai.OpenAI(base_url=proxy_url + "/v1", api_key="sk-someone-else", max_retries=0)
        d3 = debug_of(other_key.chat.completions.create(model="openai/gpt-4o-mini", messages=messages, temperature=0.2))
        check("another credential does not see the entry", d3["cache_hit"] is False, d3)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -9
        upstream.shutdown()
    check("graceful exit on SIGTERM", code == 0, code)
    time.sleep(0.1)
    log = "".join(log_lines)
    check("one log line per request", log.count("request") >= 10, log[-500:])
    check("secrets never logged", "sk-sdk-check-secret" not in log and "sk-someone-else" not in log)
    with open(os.path.join(tmp, "h.sqlite"), "rb") as f:
        check("secrets never stored", b"sk-sdk-check-secret" not in f.read())

    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
