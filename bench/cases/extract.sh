#!/usr/bin/env bash
# `saleslake extract --from FILE` (one thread: hash, split, type, write raw Parquet with snappy,
# commit) against DuckDB's COPY (SELECT * FROM read_json(...)) TO ... (FORMAT parquet, snappy) at
# 1 and 2 threads, on the same 1M-record files: NDJSON and one JSON array. Rows/s by wall time:
# ours for the whole command (a fresh lake each run), DuckDB's for the COPY statement alone. Each
# figure is the best of RUNS runs (default 3), all in this run on this machine.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
runs=${RUNS:-3}
mkdir -p "$out"

best() { sort -g | head -1; }

for shape in ndjson array; do
  if [[ $shape == ndjson ]]; then input="$out/extract-$records.ndjson"; fmt=ndjson; else input="$out/extract-$records.json"; fmt=json; fi
  if [[ ! -s $input ]]; then
    "$bin" generate --records "$records" --seed 7 --now 2026-11-26T09:00:00 --format "$fmt" >"$input.tmp"
    mv "$input.tmp" "$input"
  fi
  lake="$out/extract-lake"
  ours=$(for _ in $(seq "$runs"); do
    rm -rf "$lake"
    start=$(date +%s.%N)
    "$bin" extract --from "$input" --lake "$lake" --now 2026-11-26T10:00:00Z --log-level warn >/dev/null
    end=$(date +%s.%N)
    python3 -c "print($end - $start)"
  done | best)
  rows=$(python3 -c "print(round($records / $ours))")
  raw_bytes=$(find "$lake/raw" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')
  rm -rf "$lake"
  for threads in 1 2; do
    peer=$(for _ in $(seq "$runs"); do
      node bench/peers/duckdb_extract.mjs "$input" "$out/extract-duckdb.parquet" "$shape" "$threads" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'
    done | best)
    peer_rows=$(python3 -c "print(round($records / $peer))")
    printf 'extract_%s_1m\trows_per_second\trows/s\t%s\tduckdb_threads%s\t%s\n' "$shape" "$rows" "$threads" "$peer_rows"
  done
  peer_bytes=$(stat -c %s "$out/extract-duckdb.parquet")
  printf 'extract_%s_1m\tfile_bytes\tbytes\t%s\tduckdb_threads2\t%s\n' "$shape" "$raw_bytes" "$peer_bytes"
  rm -f "$out/extract-duckdb.parquet"
done
