#!/usr/bin/env bash
# `saleslake query` against DuckDB (1 and 2 threads) over the same main layer: a lake of RECORDS
# generated sales (extract + transform, sale dates over 100 days), then seven ad-hoc full-scan
# queries — total sales, per brand, per category, per store (with profit), top 10 products, one
# month by brand (partition-pruned) and sales per day — and two joins of sales with the
# store_sales seed table on (store_name, store_location), its grain (per store name; and the
# joined rows counted). Ours: a fresh `saleslake query` process per run,
# timed by the engine's own clock (elapsed_ms: planning, footers, scan, aggregation; not process
# start or table discovery); DuckDB: the query only, in one process over read_parquet with hive
# partitioning. Best of RUNS (default 3) each. Results are compared (numbers to 1e-9 relative,
# sums to the paisa): a query whose results differ is reported as "<name>:DIFFERENT".
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), RUNS (3), LAKE (a lake to use instead of building one: its main/sales must
#   hold sales of October 2026, as the generator's 100 days before 2026-11-26 do). The catalog of
#   the run is kept in BENCH_OUT, so a given LAKE is only read.
# Then the full-scan aggregate (sales per brand) over a lake of FULLSCAN_RECORDS (10000000; 0
# skips it; FULLSCAN_LAKE to use a built one): the WHOLE `saleslake query` process (start, catalog,
# plan, scan, print), timed from outside, at --threads 1 and 2, beside DuckDB threads=1 and 2 (the
# query only, in its process), best of RUNS; and the peak RSS of each (/usr/bin/time; DuckDB's
# is its node process's).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
runs=${RUNS:-3}
mkdir -p "$out"

# Builds (once) a lake of $1 generated sales at $2.
build_lake() {
  local n=$1 dir=$2
  [[ -f $dir/.complete ]] && return
  rm -rf "$dir"
  local input="$out/query-sales-$n.ndjson"
  "$bin" generate --records "$n" --seed 7 --format ndjson --now 2026-11-26T09:00:00 >"$input"
  "$bin" extract --from "$input" --lake "$dir" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
  "$bin" transform --lake "$dir" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
  rm -f "$input"
  touch "$dir/.complete"
}

lake=${LAKE:-$out/query-lake-$records}
catalog="$out/query-catalog-$records.db"
rm -f "$catalog"
[[ -z ${LAKE:-} ]] && build_lake "$records" "$lake"

queries="$out/query-queries.json"
cat >"$queries" <<'JSON'
{
  "total_sales": {"sql": "SELECT SUM(total) FROM sales"},
  "per_brand": {"sql": "SELECT brand, SUM(total) FROM sales GROUP BY brand ORDER BY 2 DESC, 1"},
  "per_category": {"sql": "SELECT category, SUM(total) FROM sales GROUP BY category ORDER BY 2 DESC, 1"},
  "per_store": {"sql": "SELECT store_id, store_name, store_location, SUM(total) AS sales, SUM((mrp - retail_price) * quantity) AS profit FROM sales GROUP BY 1, 2, 3 ORDER BY sales DESC, 1, 2, 3"},
  "top10_products": {"sql": "SELECT product_id, product_name, SUM(quantity) AS units, SUM(total) AS sales FROM sales GROUP BY 1, 2 ORDER BY units DESC, product_id LIMIT 10"},
  "month_by_brand": {"sql": "SELECT brand, SUM(total) FROM sales WHERE year = 2026 AND month = 10 GROUP BY brand ORDER BY 2 DESC, 1"},
  "per_day": {"sql": "SELECT date(timestamp) AS d, SUM(total) FROM sales GROUP BY d ORDER BY d",
              "duckdb": "SELECT CAST(timestamp AS DATE)::VARCHAR AS d, SUM(total) FROM sales GROUP BY d ORDER BY d"},
  "join_store": {"sql": "SELECT t.store_name, SUM(s.total) FROM sales s JOIN store_sales t ON s.store_name = t.store_name AND s.store_location = t.store_location GROUP BY 1 ORDER BY 1"},
  "join_rows": {"sql": "SELECT count(*), SUM(s.quantity) FROM sales s JOIN store_sales t ON s.store_name = t.store_name AND s.store_location = t.store_location"}
}
JSON

ours="$out/query-ours.json"
# The first call crawls the lake into the run's catalog (not timed: elapsed_ms is the query's).
"$bin" query --lake "$lake" --catalog "$catalog" --log-level warn "SELECT 1" >/dev/null
python3 - "$bin" "$lake" "$queries" "$runs" "$catalog" >"$ours" <<'PY'
import json, subprocess, sys
bin, lake, queries, runs = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), int(sys.argv[4])
catalog = sys.argv[5]
out = {}
for name, q in queries.items():
    best, rows = None, None
    for _ in range(runs):
        r = subprocess.run([bin, "query", "--lake", lake, "--catalog", catalog, "--format", "json", "--max-rows", "0",
                            "--log-level", "warn", q["sql"]], capture_output=True, text=True, check=True)
        doc = json.loads(r.stdout)
        best = doc["elapsed_ms"] if best is None else min(best, doc["elapsed_ms"])
        rows = doc["rows"]
    out[name] = {"ms": best, "rows": rows}
print(json.dumps(out))
PY

for threads in 1 2; do
  node bench/peers/duckdb_query.mjs "$lake" "$threads" "$queries" "$runs" >"$out/query-duckdb-$threads.json"
done

python3 - "$ours" "$out/query-duckdb-1.json" "$out/query-duckdb-2.json" "$records" <<'PY'
import json, sys
from decimal import Decimal
ours = json.load(open(sys.argv[1]))
peers = {"duckdb-1thread": json.load(open(sys.argv[2])), "duckdb-2thread": json.load(open(sys.argv[3]))}
records = sys.argv[4]
def same(a, b):
    if a is None or b is None: return a is None and b is None
    try:
        x, y = Decimal(str(a)), Decimal(str(b))
    except Exception:
        return str(a) == str(b)
    if x == y: return True
    # sums print their exact paise from either side; other reals (none here) to 1e-9
    return abs(x - y) <= Decimal("1e-9") * max(1, abs(x), abs(y))
for peer, res in peers.items():
    for name, o in ours.items():
        p = res[name]
        ok = len(o["rows"]) == len(p["rows"]) and all(
            len(r) == len(s) and all(same(a, b) for a, b in zip(r, s)) for r, s in zip(o["rows"], p["rows"]))
        if not ok:
            print(f"query.sh: {name}: results differ from {peer}", file=sys.stderr)
        metric = f"{name}@{records}" + ("" if ok else ":DIFFERENT")
        print(f"query\t{metric}\tms\t{o['ms']:.1f}\t{peer}\t{p['ms']:.1f}")
PY

# The full-scan aggregate at FULLSCAN_RECORDS: whole processes, with peak RSS.
full=${FULLSCAN_RECORDS:-10000000}
((full > 0)) || exit 0
full_lake=${FULLSCAN_LAKE:-$out/query-lake-$full}
[[ -z ${FULLSCAN_LAKE:-} ]] && build_lake "$full" "$full_lake"
full_catalog="$out/query-catalog-$full.db"
rm -f "$full_catalog"
"$bin" query --lake "$full_lake" --catalog "$full_catalog" --log-level warn "SELECT 1" >/dev/null
full_queries="$out/query-fullscan.json"
cat >"$full_queries" <<'JSON'
{"fullscan_per_brand": {"sql": "SELECT brand, SUM(total) FROM sales GROUP BY brand ORDER BY 2 DESC, 1"}}
JSON
python3 - "$bin" "$full_lake" "$full_catalog" "$full_queries" "$runs" "$full" "$out" <<'PY'
import json, os, sys, tempfile, time
from decimal import Decimal
bin, lake, catalog, queries, runs, full, out = sys.argv[1:8]
queries, runs = json.load(open(queries)), int(runs)
os.environ.setdefault("PATH", "/usr/bin:/bin")
def run(args):
    # The process alone: spawned directly, its wall time and peak RSS (wait4's rusage, KiB).
    with tempfile.TemporaryFile() as stdout:
        start = time.perf_counter()
        pid = os.posix_spawn(args[0], args, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, stdout.fileno(), 1)])
        _, status, usage = os.wait4(pid, 0)
        ms = (time.perf_counter() - start) * 1000
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"query.sh: {args} failed")
        stdout.seek(0)
        return ms, usage.ru_maxrss, stdout.read()
for threads in (1, 2):
    # DuckDB, then ours right after it: the two sides of a figure see the same machine load.
    ms, kib, text = run(["/usr/bin/env", "node", "bench/peers/duckdb_query.mjs", lake, str(threads),
                         sys.argv[4], str(runs)])
    peers, peer_rss = json.loads(text), kib
    for name, q in queries.items():
        best, rss, rows = None, 0, None
        for _ in range(runs):
            ms, kib, text = run([bin, "query", "--lake", lake, "--catalog", catalog, "--threads", str(threads),
                                 "--format", "json", "--max-rows", "0", "--log-level", "warn", q["sql"]])
            best = ms if best is None else min(best, ms)
            rss = max(rss, kib)
            rows = json.loads(text)["rows"]
        peer = peers[name]
        ok = len(rows) == len(peer["rows"]) and all(
            len(a) == len(b) and all(str(x) == str(y) or Decimal(str(x)) == Decimal(str(y)) for x, y in zip(a, b))
            for a, b in zip(rows, peer["rows"]))
        if not ok:
            print(f"query.sh: {name}: results differ from duckdb-{threads}thread", file=sys.stderr)
        metric = f"{name}@{full}:process:threads{threads}" + ("" if ok else ":DIFFERENT")
        print(f"query\t{metric}\tms\t{best:.1f}\tduckdb-{threads}thread(query only)\t{peer['ms']:.1f}")
        print(f"query\t{name}@{full}:peak_rss:threads{threads}\tMiB\t{rss / 1024:.1f}\t"
              f"duckdb-{threads}thread(node process)\t{peer_rss / 1024:.1f}")
PY
