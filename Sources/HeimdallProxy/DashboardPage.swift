import Hummingbird

/// The admin dashboard (`GET /`): one self-contained page, no external scripts, styles or fonts
/// (the machines it runs on may have no internet). Its script polls `stats` every two seconds and
/// draws everything from that one document. Every number carries `data-stat="<path in /stats>"`,
/// which is how Tests/dashboard/check_dashboard.py compares what Chromium rendered with `/stats`.
enum DashboardPage {
    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Heimdall cache</title>
        <style>
          :root { --bg:#0f1419; --panel:#182029; --line:#2a3541; --text:#e6edf3; --dim:#8b98a5;
                  --direct:#3fb950; --semantic:#58a6ff; --miss:#d29922; --bypass:#8b98a5; --error:#f85149; --coalesced:#bc8cff; }
          * { box-sizing: border-box; }
          body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
          header { display:flex; align-items:baseline; gap:16px; padding:14px 20px; border-bottom:1px solid var(--line); }
          header h1 { font-size:18px; margin:0; }
          header .meta { color:var(--dim); font-size:12px; }
          #status { margin-left:auto; font-size:12px; color:var(--dim); }
          #status.bad { color:var(--error); }
          main { display:grid; grid-template-columns:repeat(12, 1fr); gap:14px; padding:16px 20px; }
          section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; min-width:0; }
          section h2 { font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 10px; font-weight:600; }
          .span3 { grid-column:span 3; } .span4 { grid-column:span 4; } .span5 { grid-column:span 5; }
          .span6 { grid-column:span 6; } .span7 { grid-column:span 7; } .span8 { grid-column:span 8; } .span12 { grid-column:span 12; }
          @media (max-width: 900px) { main > section { grid-column:span 12; } }
          .cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(130px, 1fr)); gap:10px; }
          .card { background:#10161d; border:1px solid var(--line); border-radius:6px; padding:8px 10px; }
          .card .label { color:var(--dim); font-size:11px; text-transform:uppercase; letter-spacing:.05em; }
          .card .value { font-size:22px; font-variant-numeric:tabular-nums; margin-top:2px; }
          table { width:100%; border-collapse:collapse; font-variant-numeric:tabular-nums; }
          th, td { text-align:right; padding:4px 6px; border-bottom:1px solid var(--line); white-space:nowrap; }
          th:first-child, td:first-child { text-align:left; overflow:hidden; text-overflow:ellipsis; max-width:220px; }
          th { color:var(--dim); font-weight:500; font-size:12px; }
          svg { width:100%; display:block; }
          svg text { fill:var(--dim); font-size:10px; }
          .legend { display:flex; gap:12px; flex-wrap:wrap; font-size:12px; color:var(--dim); margin-top:6px; }
          .legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
          .empty { color:var(--dim); font-style:italic; }
          #login { display:none; padding:20px; }
          #login input { background:#10161d; color:var(--text); border:1px solid var(--line); padding:6px 8px; border-radius:4px; width:320px; }
          #login button { padding:6px 12px; margin-left:6px; }
        </style>
        </head>
        <body>
        <header>
          <h1>Heimdall</h1>
          <span class="meta">version <span data-stat="version">–</span> · up <span id="uptime">–</span></span>
          <span id="status">connecting…</span>
        </header>
        <div id="login">
          <p>This admin listener needs its token (<code>admin_token</code>).</p>
          <input id="token" type="password" placeholder="admin token" autocomplete="off"><button id="save">Use token</button>
        </div>
        <main id="main">
          <section class="span12">
            <div class="cards">
              <div class="card"><div class="label">Requests</div><div class="value" data-stat="requests.total">–</div></div>
              <div class="card"><div class="label">Hit rate</div><div class="value" data-stat="hit_rate" data-format="percent">–</div></div>
              <div class="card"><div class="label">Direct hits</div><div class="value" data-stat="requests.hit_direct">–</div></div>
              <div class="card"><div class="label">Semantic hits</div><div class="value" data-stat="requests.hit_semantic">–</div></div>
              <div class="card"><div class="label">Misses</div><div class="value" data-stat="requests.miss">–</div></div>
              <div class="card"><div class="label">Coalesced</div><div class="value" data-stat="requests.coalesced">–</div></div>
              <div class="card"><div class="label">Bypass</div><div class="value" data-stat="requests.bypass">–</div></div>
              <div class="card"><div class="label">Errors</div><div class="value" data-stat="requests.error">–</div></div>
              <div class="card"><div class="label">Upstream calls saved</div><div class="value" data-stat="saved.upstream_calls">–</div></div>
              <div class="card"><div class="label">Tokens saved</div><div class="value" data-stat="saved.total_tokens">–</div></div>
            </div>
          </section>
          <section class="span8">
            <h2>Hit rate over time <span class="meta" id="interval"></span></h2>
            <svg id="timeline" viewBox="0 0 800 200" preserveAspectRatio="none" height="200"></svg>
            <div class="legend"><span><i style="background:var(--direct)"></i>hit rate per interval</span>
              <span><i style="background:#2a3541"></i>requests per interval</span></div>
          </section>
          <section class="span4">
            <h2>Requests by outcome</h2>
            <div id="outcomes"></div>
          </section>
          <section class="span7">
            <h2>Latency (ms)</h2>
            <table>
              <thead><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead>
              <tbody id="latency"></tbody>
            </table>
          </section>
          <section class="span5">
            <h2>Semantic hit similarity</h2>
            <svg id="similarity" viewBox="0 0 500 170" height="170"></svg>
            <div class="legend">hits <span data-stat="similarity.count">–</span> · mean
              <span data-stat="similarity.mean" data-format="fixed4">–</span> · min
              <span data-stat="similarity.min" data-format="fixed4">–</span></div>
          </section>
          <section class="span4">
            <h2>Storage</h2>
            <table><tbody>
              <tr><td>entries</td><td data-stat="store.entries">–</td></tr>
              <tr><td>database bytes</td><td data-stat="store.database_bytes">–</td></tr>
              <tr><td>raw bytes</td><td data-stat="store.raw_bytes">–</td></tr>
              <tr><td>compressed bytes</td><td data-stat="store.compressed_bytes">–</td></tr>
              <tr><td>compression ratio</td><td data-stat="store.compression_ratio" data-format="ratio">–</td></tr>
              <tr><td>evictions</td><td data-stat="store.evictions">–</td></tr>
              <tr><td>expirations</td><td data-stat="store.expirations">–</td></tr>
              <tr><td>upstream bytes saved</td><td data-stat="saved.upstream_bytes">–</td></tr>
              <tr><td>prompt / completion tokens saved</td><td><span data-stat="saved.prompt_tokens">–</span> /
                <span data-stat="saved.completion_tokens">–</span></td></tr>
            </tbody></table>
          </section>
          <section class="span4">
            <h2>Top cache keys</h2>
            <table><thead><tr><th>key</th><th>requests</th><th>hit rate</th><th>entries</th></tr></thead><tbody id="keys"></tbody></table>
          </section>
          <section class="span4">
            <h2>Top models</h2>
            <table><thead><tr><th>model</th><th>requests</th><th>hit rate</th><th>entries</th></tr></thead><tbody id="models"></tbody></table>
          </section>
        </main>
        <script>
        "use strict";
        const COLORS = { hit_direct: "var(--direct)", hit_semantic: "var(--semantic)", miss: "var(--miss)",
                         coalesced: "var(--coalesced)", bypass: "var(--bypass)", error: "var(--error)" };
        const OUTCOMES = ["hit_direct", "hit_semantic", "coalesced", "miss", "bypass", "error"];
        const LATENCY_ROWS = ["hit", "hit_direct", "hit_semantic", "coalesced", "miss", "bypass", "error", "upstream", "embedding"];
        const SVG = "http://www.w3.org/2000/svg";

        function token() {
          const m = location.hash.match(/token=([^&]+)/);
          if (m) { sessionStorage.setItem("heimdall-admin-token", decodeURIComponent(m[1])); history.replaceState(null, "", location.pathname); }
          return sessionStorage.getItem("heimdall-admin-token");
        }
        function lookup(obj, path) { return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj); }
        // The formats the dashboard check reproduces: integers as-is, rates as percentages with one decimal.
        function format(value, kind) {
          if (value === undefined || value === null) return "–";
          switch (kind) {
            case "percent": return (value * 100).toFixed(1) + "%";
            case "ms": return value.toFixed(3);
            case "fixed4": return value.toFixed(4);
            case "ratio": return value.toFixed(2) + "×";
            default: return String(value);
          }
        }
        function el(tag, attrs, text) {
          const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
          if (text !== undefined) node.textContent = text;
          return node;
        }
        function cell(stat, value, kind) {
          const td = el("td", { "data-stat": stat }, format(value, kind));
          if (kind) td.setAttribute("data-format", kind);
          return td;
        }
        function duration(seconds) {
          const s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
          return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + (s % 60) + "s";
        }

        function render(stats) {
          for (const node of document.querySelectorAll("[data-stat]")) {
            if (node.closest("tbody#latency, tbody#keys, tbody#models, #outcomes, svg")) continue;
            node.textContent = format(lookup(stats, node.dataset.stat), node.dataset.format);
          }
          document.getElementById("uptime").textContent = duration(stats.uptime_seconds);
          renderOutcomes(stats);
          renderLatency(stats);
          renderTimeline(stats.timeline);
          renderSimilarity(stats.similarity);
          renderBreakdown("keys", "by_cache_key", stats.by_cache_key);
          renderBreakdown("models", "by_model", stats.by_model);
        }

        function renderOutcomes(stats) {
          const box = document.getElementById("outcomes");
          box.replaceChildren();
          const max = Math.max(1, ...OUTCOMES.map(o => stats.requests[o]));
          for (const o of OUTCOMES) {
            const n = stats.requests[o];
            const row = el("div", { style: "display:flex;align-items:center;gap:8px;margin:5px 0" });
            row.append(el("span", { style: "width:90px;color:var(--dim)" }, o.replace("_", " ")));
            const bar = el("span", { style: "flex:1;background:#10161d;border-radius:3px;height:14px" });
            bar.append(el("span", { style: `display:block;height:14px;border-radius:3px;width:${(n / max * 100).toFixed(1)}%;background:${COLORS[o]}` }));
            row.append(bar, el("span", { "data-stat": "requests." + o, style: "width:56px;text-align:right" }, String(n)));
            box.append(row);
          }
        }

        function renderLatency(stats) {
          const body = document.getElementById("latency");
          body.replaceChildren();
          for (const name of LATENCY_ROWS) {
            const l = stats.latency_ms[name], base = "latency_ms." + name;
            const tr = el("tr");
            tr.append(el("td", {}, name.replace("_", " ")), cell(base + ".count", l.count));
            for (const p of ["p50", "p90", "p99", "max"]) tr.append(cell(base + "." + p, l[p], "ms"));
            body.append(tr);
          }
        }

        function renderTimeline(timeline) {
          const svg = document.getElementById("timeline");
          svg.replaceChildren();
          document.getElementById("interval").textContent = `(per ${timeline.interval_seconds}s)`;
          const points = timeline.points;
          if (!points.length) { svg.append(el("svg:text", { x: 10, y: 100 }, "no requests yet")); return; }
          const W = 800, H = 200, top = 8, bottom = 18, left = 30;
          // At least a five-minute window, ending with the latest interval.
          const step = timeline.interval_seconds, t1 = points[points.length - 1].t + step;
          const t0 = Math.min(points[0].t, t1 - 30 * step);
          const slot = (W - left - 10) / ((t1 - t0) / step);
          const x = t => left + (t - t0) / step * slot;
          const y = r => top + (1 - r) * (H - top - bottom);
          const maxReq = Math.max(...points.map(p => p.requests));
          const barW = Math.max(2, slot - 2);
          for (const p of points) {
            const h = p.requests / maxReq * (H - top - bottom);
            svg.append(el("svg:rect", { x: x(p.t), y: H - bottom - h, width: barW, height: h, fill: "#2a3541" }));
          }
          for (const r of [0, 0.5, 1]) {
            svg.append(el("svg:line", { x1: left, x2: W, y1: y(r), y2: y(r), stroke: "#2a3541", "stroke-dasharray": "3 3" }));
            svg.append(el("svg:text", { x: 0, y: y(r) + 3 }, (r * 100) + "%"));
          }
          const rated = points.filter(p => p.lookups > 0);
          if (rated.length) {
            const d = rated.map((p, i) => (i ? "L" : "M") + (x(p.t) + barW / 2).toFixed(1) + " " + y(p.hits / p.lookups).toFixed(1)).join(" ");
            svg.append(el("svg:path", { d, fill: "none", stroke: "var(--direct)", "stroke-width": 2 }));
            for (const p of rated) svg.append(el("svg:circle", { cx: x(p.t) + barW / 2, cy: y(p.hits / p.lookups), r: 2.5, fill: "var(--direct)" }));
          }
          const when = t => new Date(t * 1000).toLocaleTimeString();
          svg.append(el("svg:text", { x: left, y: H - 4 }, when(t0)));
          svg.append(el("svg:text", { x: W - 60, y: H - 4 }, when(t1)));
        }

        function renderSimilarity(sim) {
          const svg = document.getElementById("similarity");
          svg.replaceChildren();
          const W = 500, H = 170, bottom = 34, n = sim.buckets.length, w = (W - 10) / n;
          const max = Math.max(1, ...sim.buckets.map(b => b.count));
          sim.buckets.forEach((b, i) => {
            const h = b.count / max * (H - bottom - 14);
            svg.append(el("svg:rect", { x: 5 + i * w, y: H - bottom - h, width: w - 3, height: h, fill: "var(--semantic)",
                                        "data-stat": `similarity.buckets.${i}.count`, "data-value": b.count }));
            if (b.count) svg.append(el("svg:text", { x: 5 + i * w + 2, y: H - bottom - h - 3 }, String(b.count)));
            svg.append(el("svg:text", { x: 5 + i * w, y: H - bottom + 12 + (i % 2) * 11 }, "≤" + b.le));
          });
        }

        function renderBreakdown(id, key, rows) {
          const body = document.getElementById(id);
          body.replaceChildren();
          if (!rows.length) { body.append(el("tr", {}, "")); body.firstChild.append(el("td", { class: "empty", colspan: 4 }, "none yet")); return; }
          rows.slice(0, 10).forEach((r, i) => {
            const base = `${key}.${i}`, tr = el("tr");
            tr.append(el("td", { "data-stat": base + ".name", title: r.name }, r.name), cell(base + ".requests.total", r.requests.total),
                      cell(base + ".hit_rate", r.hit_rate, "percent"), cell(base + ".entries", r.entries));
            body.append(tr);
          });
        }

        async function poll() {
          const status = document.getElementById("status");
          try {
            const headers = {};
            const t = token();
            if (t) headers["Authorization"] = "Bearer " + t;
            const response = await fetch("stats", { headers, cache: "no-store" });
            if (response.status === 401) {
              document.getElementById("login").style.display = "block";
              status.textContent = "admin token needed"; status.className = "bad";
              return;
            }
            if (!response.ok) throw new Error("HTTP " + response.status);
            const stats = await response.json();
            render(stats);
            document.body.dataset.rendered = "true";
            status.textContent = "updated " + new Date().toLocaleTimeString(); status.className = "";
          } catch (e) {
            status.textContent = "cannot reach /stats: " + e.message; status.className = "bad";
          }
        }
        document.getElementById("save").addEventListener("click", () => {
          sessionStorage.setItem("heimdall-admin-token", document.getElementById("token").value);
          document.getElementById("login").style.display = "none";
          poll();
        });
        poll();
        setInterval(poll, 2000);
        </script>
        </body>
        </html>
        """#
}
