#!/usr/bin/env bash
# `saleslake crawl` over a lake built by the pipeline (RECORDS sales over 100 days, 1% dirty, extracted in
# BATCHES batches and transformed): a full crawl into a fresh catalog, an incremental crawl with
# nothing new, and an incremental crawl after one more batch (10,000 records) was extracted and
# transformed. The peer reads every footer of the same files with DuckDB's parquet_metadata() at
# 1 and 2 threads (no catalog written). Times by wall clock, best of RUNS runs, all in this run.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), BATCHES (10), RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
batches=${BATCHES:-10}
runs=${RUNS:-3}
mkdir -p "$out"
now=2026-11-26T10:00:00Z
label=$(python3 -c "r=$records; print(f'{r//1000000}m' if r % 1000000 == 0 else f'{r//1000}k')")

best() { sort -g | head -1; }
seconds() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$@"; }

lake="$out/crawl-lake-$records"
if [[ ! -f $lake/.built ]]; then
  rm -rf "$lake"
  per=$((records / batches))
  for b in $(seq "$batches"); do
    "$bin" generate --records "$per" --seed "$b" --now 2026-11-26T09:00:00 --days 100 \
      --format ndjson --dirty 0.01 --out "$out/crawl-batch.ndjson"
    "$bin" extract --from "$out/crawl-batch.ndjson" --lake "$lake" --now "$now" --log-level warn >/dev/null
    "$bin" transform --lake "$lake" --now "$now" --log-level warn >/dev/null
  done
  rm -f "$out/crawl-batch.ndjson"
  touch "$lake/.built"
fi
files=$(find "$lake" -name '*.parquet' -not -path '*/_*' -not -path '*/.*' | wc -l)

catalog="$out/crawl-catalog.db"
full=$(for _ in $(seq "$runs"); do
  rm -f "$catalog" "$catalog-wal" "$catalog-shm"
  start=$(date +%s.%N)
  "$bin" crawl --lake "$lake" --catalog "$catalog" --log-level warn >/dev/null
  seconds "$start" "$(date +%s.%N)"
done | best)
same=$(for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" crawl --lake "$lake" --catalog "$catalog" --log-level warn >/dev/null
  seconds "$start" "$(date +%s.%N)"
done | best)
# One more batch on a copy of the lake, then the incremental crawl of what it changed.
copy="$out/crawl-lake-copy"
rm -rf "$copy" && cp -a "$lake" "$copy"
"$bin" generate --records 10000 --seed 999 --now 2026-11-26T09:30:00 --days 100 --format ndjson \
  --out "$out/crawl-extra.ndjson"
"$bin" extract --from "$out/crawl-extra.ndjson" --lake "$copy" --now "$now" --log-level warn >/dev/null
"$bin" transform --lake "$copy" --now "$now" --log-level warn >/dev/null
cp "$catalog" "$out/crawl-catalog-base.db"
incr=$(for _ in $(seq "$runs"); do
  cp "$out/crawl-catalog-base.db" "$catalog"
  rm -f "$catalog-wal" "$catalog-shm"
  start=$(date +%s.%N)
  "$bin" crawl --lake "$copy" --catalog "$catalog" --log-level warn --format json >"$out/crawl-incr.json"
  seconds "$start" "$(date +%s.%N)"
done | best)
read_after=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files_read"])' "$out/crawl-incr.json")
rm -rf "$copy" "$out/crawl-extra.ndjson" "$out/crawl-catalog-base.db" "$out/crawl-incr.json"

for threads in 1 2; do
  peer=$(for _ in $(seq "$runs"); do
    node bench/peers/duckdb_footers.mjs "$lake" "$threads" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'
  done | best)
  printf 'crawl_full_%s\tseconds\ts\t%s\tduckdb_parquet_metadata_threads%s\t%s\n' "$label" "$full" "$threads" "$peer"
done
printf 'crawl_full_%s\tfiles\tfiles\t%s\t\t\n' "$label" "$files"
printf 'crawl_unchanged_%s\tseconds\ts\t%s\t\t\n' "$label" "$same"
printf 'crawl_after_batch_%s\tseconds\ts\t%s\t\t\n' "$label" "$incr"
printf 'crawl_after_batch_%s\tfooters_read\tfiles\t%s\t\t\n' "$label" "$read_after"
