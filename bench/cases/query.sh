#!/usr/bin/env bash
# `saleslake query` against DuckDB (1 and 2 threads) over the same main layer: a lake of RECORDS
# generated sales (extract + transform, sale dates over 100 days), then seven ad-hoc full-scan
# queries — total sales, per brand, per category, per store (with profit), top 10 products, one
# month by brand (partition-pruned) and sales per day — and two joins of sales with the
# store_sales seed table (per store name; and the joined rows counted). Ours: a fresh `saleslake query` process per run,
# timed by the engine's own clock (elapsed_ms: planning, footers, scan, aggregation; not process
# start or table discovery); DuckDB: the query only, in one process over read_parquet with hive
# partitioning. Best of RUNS (default 3) each. Results are compared (numbers to 1e-9 relative,
# sums to the paisa): a query whose results differ is reported as "<name>:DIFFERENT".
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), RUNS (3), LAKE (a lake to use instead of building one: its main/sales must
#   hold sales of October 2026, as the generator's 100 days before 2026-11-26 do). The catalog of
#   the run is kept in BENCH_OUT, so a given LAKE is only read.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
runs=${RUNS:-3}
mkdir -p "$out"

lake=${LAKE:-$out/query-lake-$records}
catalog="$out/query-catalog-$records.db"
rm -f "$catalog"
if [[ -z ${LAKE:-} && ! -f $lake/.complete ]]; then
  rm -rf "$lake"
  input="$out/query-sales-$records.ndjson"
  "$bin" generate --records "$records" --seed 7 --format ndjson --now 2026-11-26T09:00:00 >"$input"
  "$bin" extract --from "$input" --lake "$lake" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
  "$bin" transform --lake "$lake" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
  rm -f "$input"
  touch "$lake/.complete"
fi

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
  "join_store": {"sql": "SELECT t.store_name, SUM(s.total) FROM sales s JOIN store_sales t ON s.store_id = t.store_id GROUP BY 1 ORDER BY 1"},
  "join_rows": {"sql": "SELECT count(*), SUM(s.quantity) FROM sales s JOIN store_sales t ON s.store_id = t.store_id"}
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
