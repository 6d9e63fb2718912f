#!/usr/bin/env bash
# `saleslake parquet convert` (one thread) against DuckDB's COPY ... TO (FORMAT parquet) at 1 and
# 2 threads, on the same 1M-record NDJSON sales file, for snappy and zstd: rows/s, output bytes
# and peak RSS (/usr/bin/time -v; DuckDB's includes its node host), and CPU seconds of the whole
# process (user + system; DuckDB's includes node). Rows/s is by wall time: ours for the whole
# command, DuckDB's for the COPY statement alone. Each figure is the best of RUNS runs (default 3),
# all in this run on this machine.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (1000000), RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
records=${RECORDS:-1000000}
runs=${RUNS:-3}
mkdir -p "$out"
[[ -x /usr/bin/time ]] || { echo "parquet_write.sh: needs /usr/bin/time (scripts/install-deps.sh --bench)" >&2; exit 1; }

input="$out/sales-$records.ndjson"
if [[ ! -s $input ]]; then
  "$bin" generate --records "$records" --seed 7 --format ndjson >"$input.tmp"
  mv "$input.tmp" "$input"
fi

# Runs a command under /usr/bin/time -v; prints "wall_seconds peak_rss_kb cpu_seconds".
timed() {
  local log="$out/parquet_write_time.txt"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" >"$out/parquet_write_stdout.txt" 2>"$log"
  end=$(date +%s.%N)
  awk -v wall="$(python3 -c "print($end - $start)")" '
       /User time \(seconds\)/ {u = $NF} /System time \(seconds\)/ {s = $NF}
       /Maximum resident set size/ {r = $NF}
       END {print wall, r, u + s}' "$log"
}

best() { sort -g | head -1; }

for codec in snappy zstd; do
  ours="$out/convert-$codec.parquet"
  ours_times=() ours_rss=() ours_cpu=()
  for _ in $(seq "$runs"); do
    read -r s rss cpu < <(timed "$bin" parquet convert "$input" "$ours" --compression "$codec")
    ours_times+=("$s"); ours_rss+=("$rss"); ours_cpu+=("$cpu")
  done
  ours_s=$(printf '%s\n' "${ours_times[@]}" | best)
  ours_kb=$(printf '%s\n' "${ours_rss[@]}" | best)
  ours_cpu_s=$(printf '%s\n' "${ours_cpu[@]}" | best)
  ours_rate=$(python3 -c "print('%.0f' % ($records / $ours_s))")
  ours_bytes=$(stat -c %s "$ours")
  for threads in 1 2; do
    peer="$out/duckdb-$codec-$threads.parquet"
    peer_times=() peer_rss=() peer_cpu=()
    for _ in $(seq "$runs"); do
      read -r _wall rss cpu < <(timed node bench/peers/duckdb_parquet_write.mjs "$input" "$peer" "$codec" "$threads")
      peer_cpu+=("$cpu")
      peer_times+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$out/parquet_write_stdout.txt")")
      peer_rss+=("$rss")
    done
    peer_s=$(printf '%s\n' "${peer_times[@]}" | best)
    peer_kb=$(printf '%s\n' "${peer_rss[@]}" | best)
    peer_cpu_s=$(printf '%s\n' "${peer_cpu[@]}" | best)
    peer_rate=$(python3 -c "print('%.0f' % ($records / $peer_s))")
    name="duckdb-${threads}thread"
    printf 'parquet_write\tconvert_%s\trows/s\t%s\t%s\t%s\n' "$codec" "$ours_rate" "$name" "$peer_rate"
    printf 'parquet_write\toutput_%s\tbytes\t%s\t%s\t%s\n' "$codec" "$ours_bytes" "$name" "$(stat -c %s "$peer")"
    printf 'parquet_write\tpeak_rss_%s\tKiB\t%s\t%s\t%s\n' "$codec" "$ours_kb" "$name" "$peer_kb"
    printf 'parquet_write\tcpu_%s\tseconds\t%s\t%s\t%s\n' "$codec" "$ours_cpu_s" "$name" "$peer_cpu_s"
    # Rows per CPU second of the whole process: stable when the machine is shared (wall time is
    # not), and fair to the 2-thread peer.
    printf 'parquet_write\tconvert_%s_per_cpu\trows/s\t%s\t%s\t%s\n' "$codec" \
      "$(python3 -c "print('%.0f' % ($records / $ours_cpu_s))")" "$name" \
      "$(python3 -c "print('%.0f' % ($records / $peer_cpu_s))")"
  done
done
