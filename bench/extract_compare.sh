#!/usr/bin/env bash
# The body of bench/cases/extract.sh and extract_10m.sh: `saleslake extract --from FILE` at
# --threads 1 and 2 against DuckDB's COPY (SELECT * FROM read_json(...)) TO ... (FORMAT parquet,
# snappy) at threads=1 and 2 (bench/peers/duckdb_extract.mjs), on the same generated records, and
# (NDJSON only) simdjson On-Demand alone over the same file as the floor of parsing
# (bench/simdjson_floor.cc, one thread). Rows/s by wall time: ours for the whole command (hash the
# batch, split, type, write raw Parquet, commit; a fresh lake each run), DuckDB's for the COPY
# statement alone, the floor for its parse loop alone. CPU seconds (user + system, all threads):
# ours for the whole command, DuckDB's for the COPY alone (load on the machine moves wall time far
# more than CPU time). Peak RSS of each process (/usr/bin/time -v; DuckDB's includes its node
# host). Each figure is the best of RUNS runs, all in this run.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   bench/extract_compare.sh RECORDS RUNS SHAPE...   (SHAPE: ndjson or array)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
floor_bin=${SIMDJSON_FLOOR_BIN:-$(dirname "$bin")/../bench/simdjson_floor}
out=${BENCH_OUT:-bench/out}
records=$1
runs=$2
shift 2
mkdir -p "$out"
[[ -x /usr/bin/time ]] || { echo "extract bench: needs /usr/bin/time (scripts/install-deps.sh --bench)" >&2; exit 1; }

name=$(python3 -c "n=$records; print(f'{n//1000000}m' if n % 1000000 == 0 else f'{n//1000}k')")
rss_of() { awk '/Maximum resident set size/ {print $NF}' "$1"; }
cpu_of() { awk '/User time|System time/ {s += $NF} END {print s}' "$1"; }
wall_of() { awk '/Elapsed \(wall clock\)/ {print $NF}' "$1" |
  python3 -c 'import sys; p=sys.stdin.read().strip().split(":"); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))'; }
# The best of several "seconds rss cpu_seconds" lines: the fastest run and its RSS, then the least
# CPU time of any run.
best() { sort -g | awk 'NR == 1 {w = $1; r = $2; c = $3} $3 < c {c = $3} END {print w, r, c}'; }
rate() { python3 -c "print(round($records / $1))"; }
times="$out/extract-time.txt"
lake="$out/extract-lake"

for shape in "$@"; do
  if [[ $shape == ndjson ]]; then input="$out/extract-$records.ndjson"; fmt=ndjson; else input="$out/extract-$records.json"; fmt=json; fi
  if [[ ! -s $input ]]; then
    "$bin" generate --records "$records" --seed 7 --now 2026-11-26T09:00:00 --format "$fmt" >"$input.tmp"
    mv "$input.tmp" "$input"
  fi
  cat "$input" >/dev/null  # in the page cache for every contender alike
  declare -A ours=() peer=()
  for threads in 1 2; do
    ours[$threads]=$(for _ in $(seq "$runs"); do
      rm -rf "$lake"
      /usr/bin/time -v "$bin" extract --from "$input" --lake "$lake" --threads "$threads" \
        --now 2026-11-26T10:00:00Z --log-level warn >/dev/null 2>"$times"
      echo "$(wall_of "$times") $(rss_of "$times") $(cpu_of "$times")"
    done | best)
    raw_bytes=$(find "$lake/raw" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')
    rm -rf "$lake"
    peer[$threads]=$(for _ in $(seq "$runs"); do
      seconds=$(/usr/bin/time -v node bench/peers/duckdb_extract.mjs "$input" \
        "$out/extract-duckdb.parquet" "$shape" "$threads" 2>"$times" |
        python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["seconds"], r["cpu_seconds"])')
      read -r wall cpu <<<"$seconds"
      echo "$wall $(rss_of "$times") $cpu"
    done | best)
  done
  peer_bytes=$(stat -c %s "$out/extract-duckdb.parquet")
  rm -f "$out/extract-duckdb.parquet" "$times"

  for threads in 1 2; do
    read -r s rss cpu <<<"${ours[$threads]}"
    read -r ps prss pcpu <<<"${peer[$threads]}"
    printf 'extract_%s_%s_threads%s\trows_per_second\trows/s\t%s\tduckdb_threads%s\t%s\n' \
      "$shape" "$name" "$threads" "$(rate "$s")" "$threads" "$(rate "$ps")"
    printf 'extract_%s_%s_threads%s\tcpu_seconds\ts\t%s\tduckdb_threads%s\t%s\n' \
      "$shape" "$name" "$threads" "$cpu" "$threads" "$pcpu"
    printf 'extract_%s_%s_threads%s\tpeak_rss\tKiB\t%s\tduckdb_threads%s\t%s\n' \
      "$shape" "$name" "$threads" "$rss" "$threads" "$prss"
  done
  read -r s1 _ <<<"${ours[1]}"
  read -r s2 _ <<<"${ours[2]}"
  read -r ps1 _ <<<"${peer[1]}"
  printf 'extract_%s_%s_threads2\trows_per_second\trows/s\t%s\tsaleslake_threads1\t%s\n' \
    "$shape" "$name" "$(rate "$s2")" "$(rate "$s1")"
  printf 'extract_%s_%s_threads2\trows_per_second\trows/s\t%s\tduckdb_threads1\t%s\n' \
    "$shape" "$name" "$(rate "$s2")" "$(rate "$ps1")"
  if [[ $shape == ndjson ]]; then
    floor=$("$floor_bin" "$input" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
    printf 'extract_%s_%s_threads1\trows_per_second\trows/s\t%s\tsimdjson_alone\t%s\n' \
      "$shape" "$name" "$(rate "$s1")" "$(rate "$floor")"
  fi
  printf 'extract_%s_%s\tfile_bytes\tbytes\t%s\tduckdb\t%s\n' "$shape" "$name" "$raw_bytes" "$peer_bytes"
done
