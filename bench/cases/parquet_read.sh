#!/usr/bin/env bash
# Full scan of every column of one 1M-row sales Parquet file (written by `saleslake parquet
# convert`, snappy, from the same NDJSON as parquet_write.sh): saleslake's reader (bench/
# parquet_scan: open, read and decode every column chunk into column vectors, no formatting)
# against DuckDB (min and max of every column, so that every page is decoded) at 1 and 2 threads.
# Rows/s is by the scan's own clock (ours: open + decode; DuckDB's: the query); peak RSS is the
# whole process's (/usr/bin/time -v; DuckDB's includes its node host). Each figure is the best of
# RUNS runs (default 5), all in this run on this machine. parquet_scan keeps dictionary-encoded
# strings as dictionary indices, as DuckDB does; the `plain` row decodes one view per value.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), RUNS (5), SCAN_BIN (build/bench/parquet_scan).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
scan=${SCAN_BIN:-$(dirname "$(dirname "$bin")")/bench/parquet_scan}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
runs=${RUNS:-5}
mkdir -p "$out"
[[ -x /usr/bin/time ]] || { echo "parquet_read.sh: needs /usr/bin/time (scripts/install-deps.sh --bench)" >&2; exit 1; }
[[ -x $scan ]] || { echo "parquet_read.sh: build the parquet_scan target first ($scan)" >&2; exit 1; }

input="$out/sales-$records.ndjson"
if [[ ! -s $input ]]; then
  "$bin" generate --records "$records" --seed 7 --format ndjson >"$input.tmp"
  mv "$input.tmp" "$input"
fi
file="$out/sales-$records.parquet"
if [[ ! -s $file || $input -nt $file ]]; then
  "$bin" parquet convert "$input" "$file" >/dev/null
fi

# Runs a command under /usr/bin/time -v; prints "reported_seconds peak_rss_kb", the seconds being
# the "seconds" field of the command's JSON output.
timed() {
  local log="$out/parquet_read_time.txt" stdout="$out/parquet_read_stdout.txt"
  /usr/bin/time -v "$@" >"$stdout" 2>"$log"
  local seconds rss
  seconds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$stdout")
  rss=$(awk '/Maximum resident set size/ {print $NF}' "$log")
  echo "$seconds $rss"
}

# Best (lowest) seconds and RSS of RUNS runs of a command: prints "rows_per_second peak_rss_kb".
best_of() {
  local times=() rsses=()
  for _ in $(seq "$runs"); do
    read -r s rss < <(timed "$@")
    times+=("$s"); rsses+=("$rss")
  done
  local s rss
  s=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  rss=$(printf '%s\n' "${rsses[@]}" | sort -g | head -1)
  echo "$(python3 -c "print('%.0f' % ($records / $s))") $rss"
}

read -r ours_rate ours_rss < <(best_of "$scan" "$file")
read -r plain_rate plain_rss < <(best_of "$scan" "$file" --plain)
for threads in 1 2; do
  read -r peer_rate peer_rss < <(best_of node bench/peers/duckdb_parquet_scan.mjs "$file" "$threads")
  name="duckdb-${threads}thread"
  printf 'parquet_read\tfull_scan\trows/s\t%s\t%s\t%s\n' "$ours_rate" "$name" "$peer_rate"
  printf 'parquet_read\tfull_scan_plain\trows/s\t%s\t%s\t%s\n' "$plain_rate" "$name" "$peer_rate"
  printf 'parquet_read\tpeak_rss\tKiB\t%s\t%s\t%s\n' "$ours_rss" "$name" "$peer_rss"
done
