#!/usr/bin/env bash
# `saleslake serve` over a big lake (RECORDS sales, default 10,000,000, over 100 days): the
# latency of each dashboard API call (p50/p99 of N sequential calls on one kept-alive connection,
# after a warm-up) beside DuckDB computing the same numbers from main/sales at 1 thread (the best of
# RUNS); requests/s under wrk (16 connections, 2 threads, DURATION) on the summary endpoint and on
# the Overview page, with their error counts; and the Overview's first load in chromium (ms, bytes
# transferred), whose screenshot is kept as BENCH_OUT/overview.png.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (10000000), BATCHES (10), N (300), RUNS (3), DURATION (10s), LAKE (a lake to use
#   instead of building one; it is only read, as the dashboard endpoints never crawl).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-10000000}
batches=${BATCHES:-10}
n=${N:-300}
runs=${RUNS:-3}
duration=${DURATION:-10s}
mkdir -p "$out"

lake=${LAKE:-$out/serve-lake-$records}
if [[ -z ${LAKE:-} && ! -f $lake/.complete ]]; then
  rm -rf "$lake"
  per=$((records / batches))
  for b in $(seq 1 "$batches"); do
    "$bin" generate --records "$per" --seed "$b" --now 2026-11-26T09:00:00 --days 100 --dirty 0.01 \
      --format ndjson >"$out/serve-batch.ndjson"
    "$bin" extract --from "$out/serve-batch.ndjson" --lake "$lake" --now 2026-11-26T10:00:00Z \
      --log-level warn >/dev/null
    "$bin" transform --lake "$lake" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
  done
  rm -f "$out/serve-batch.ndjson"
  touch "$lake/.complete"
fi

"$bin" serve --lake "$lake" --listen 127.0.0.1:0 --log-level warn >"$out/serve.stdout" 2>"$out/serve.stderr" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
url=""
for _ in $(seq 600); do
  url=$(grep -o 'dashboard at http://[^/ ]*' "$out/serve.stdout" 2>/dev/null | sed 's/dashboard at //' || true)
  [[ -n $url ]] && break
  sleep 0.1
done
[[ -n $url ]] || { echo "serve did not start: $(cat "$out/serve.stderr")" >&2; exit 1; }

# The calls the Overview makes (month to date, the default), the whole range, and a filtered view;
# each with the DuckDB query that gives the same numbers from main/sales.
calls="$out/serve-calls.json"
cat >"$calls" <<'JSON'
{
  "summary_mtd": {"path": "/api/v1/summary",
    "sql": "SELECT sum(total) FILTER (WHERE d >= DATE '2026-11-01'), count(*) FILTER (WHERE d >= DATE '2026-11-01'), sum(quantity) FILTER (WHERE d >= DATE '2026-11-01'), sum((mrp - retail_price) * quantity) FILTER (WHERE d >= DATE '2026-11-01'), sum(total) FILTER (WHERE d < DATE '2026-10-27'), count(*) FILTER (WHERE d < DATE '2026-10-27') FROM sales WHERE d BETWEEN DATE '2026-10-01' AND DATE '2026-11-26' AND (d >= DATE '2026-11-01' OR d <= DATE '2026-10-26')"},
  "summary_all": {"path": "/api/v1/summary?range=all",
    "sql": "SELECT sum(total), count(*), sum(quantity), sum((mrp - retail_price) * quantity) FROM sales"},
  "timeseries_all": {"path": "/api/v1/timeseries?range=all",
    "sql": "SELECT d, sum(total), count(*), sum(quantity), sum((mrp - retail_price) * quantity) FROM sales GROUP BY d ORDER BY d"},
  "by_brand_all": {"path": "/api/v1/breakdowns?by=brand&range=all",
    "sql": "SELECT brand, sum(total), count(*), sum(quantity) FROM sales GROUP BY brand ORDER BY 2 DESC"},
  "by_store_all": {"path": "/api/v1/breakdowns?by=store&range=all",
    "sql": "SELECT store_id, any_value(store_name), any_value(store_location), sum(total), count(*) FROM sales GROUP BY store_id ORDER BY 4 DESC"},
  "top_products_all": {"path": "/api/v1/top-products?range=all&limit=10",
    "sql": "SELECT product_id, any_value(product_name), sum(quantity), sum(total) FROM sales GROUP BY product_id ORDER BY 4 DESC LIMIT 10"},
  "summary_filtered": {"path": "/api/v1/summary?range=last30&brand=Samsung&city=Mumbai",
    "sql": "SELECT sum(total), count(*), sum(quantity) FROM sales WHERE brand = 'Samsung' AND store_location = 'Mumbai' AND d BETWEEN DATE '2026-10-28' AND DATE '2026-11-26'"}
}
JSON
python3 - "$url" "$calls" "$n" >"$out/serve-latency.json" <<'PY'
import http.client, json, sys, time, urllib.parse
url, calls, n = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port)
out = {}
for name, c in calls.items():
    times = []
    for i in range(n + 20):
        t0 = time.perf_counter()
        conn.request("GET", c["path"], headers={"Accept-Encoding": "gzip"})
        r = conn.getresponse(); body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200: raise SystemExit(f"{c['path']}: {r.status} {body[:200]}")
        if i >= 20: times.append(dt)
    times.sort()
    out[name] = {"p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99) - 1], "bytes": len(body)}
print(json.dumps(out))
PY

# DuckDB over main/sales with the business day as a column (the lake's partition).
python3 - "$calls" >"$out/serve-duckdb-queries.json" <<'PY'
import json, sys
calls = json.load(open(sys.argv[1]))
day = "(SELECT *, make_date(year::INT, month::INT, day::INT) AS d FROM sales) sales"
print(json.dumps({k: {"sql": v["sql"].replace("FROM sales", "FROM " + day)} for k, v in calls.items()}))
PY
node bench/peers/duckdb_query.mjs "$lake" 1 "$out/serve-duckdb-queries.json" "$runs" \
  >"$out/serve-duckdb.json" 2>"$out/serve-duckdb.stderr" || true

wrk_rate() {  # URL -> "requests/s errors"
  local o
  o=$(wrk -t2 -c16 -d"$duration" --timeout 5s -H 'Accept-Encoding: gzip' "$1")
  local rate errors=0
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$o")
  if grep -q 'Non-2xx' <<<"$o"; then errors=$(awk '/Non-2xx/ {print $NF}' <<<"$o"); fi
  errors=$((errors + $(awk '/Socket errors/ {for (i = 3; i <= NF; i++) s += $i} END {print s + 0}' <<<"$o")))
  echo "$rate $errors"
}
read -r sum_rate sum_errors < <(wrk_rate "$url/api/v1/summary")
read -r page_rate page_errors < <(wrk_rate "$url/")

load=$(node bench/peers/chromium_first_load.mjs "$url/" "$out/overview.png" "$runs")

python3 - "$out/serve-latency.json" "$out/serve-duckdb.json" "$sum_rate" "$sum_errors" "$page_rate" \
  "$page_errors" "$load" "$records" <<'PY'
import json, sys
lat = json.load(open(sys.argv[1]))
try:
    duck = json.load(open(sys.argv[2]))
except Exception:
    duck = {}
sum_rate, sum_err, page_rate, page_err, load, records = sys.argv[3:9]
load = json.loads(load)
b = f"serve ({int(records) // 1000000}M sales)"
for name, v in lat.items():
    peer = duck.get(name, {}).get("ms")
    print(f"{b}\t{name} p50\tms\t{v['p50']:.3f}\tduckdb-1thread\t{'' if peer is None else f'{peer:.1f}'}")
    print(f"{b}\t{name} p99\tms\t{v['p99']:.3f}\t\t")
print(f"{b}\twrk summary (16 conn)\treq/s\t{float(sum_rate):.0f}\terrors\t{sum_err}")
print(f"{b}\twrk Overview page (16 conn)\treq/s\t{float(page_rate):.0f}\terrors\t{page_err}")
print(f"{b}\tOverview first load (chromium)\tms\t{load['ms']:.0f}\t\t")
print(f"{b}\tOverview first load transferred\tbytes\t{load['bytes']}\trequests\t{load['requests']}")
PY
