#!/usr/bin/env bash
# `saleslake transform --workers N` (N = 1, 2, 3 local worker processes, one core each, the
# PostgreSQL commit log) beside the one-process `transform --threads 1` (embedded commit log),
# rows/s over the same raw batches (RECORDS records, 1% dirty, 100 days, in BATCHES batches) of a
# local lake, best of RUNS runs. The figures are of the machine at hand: more workers than free
# cores only add coordination. Needs PostgreSQL's server binaries (postgresql-15): started here
# as the tests start it (initdb into a temporary directory, pg_ctl on a free loopback port, as
# `nobody` under root); without them it prints a message on stderr and no rows.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   RECORDS (400000), BATCHES (8), RUNS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${SALESLAKE_BIN:-build/app/saleslake}")
out=$(realpath -m "${BENCH_OUT:-bench/out}")
records=${RECORDS:-400000}
batches=${BATCHES:-8}
runs=${RUNS:-2}
mkdir -p "$out"
export SALESLAKE_LOG_LEVEL=warn  # the workers' too (they inherit the environment)

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z $pgbin || ! -x $pgbin/pg_ctl ]]; then
  echo "bench scale_out: skipped, PostgreSQL server binaries not found under /usr/lib/postgresql (install postgresql-15)" >&2
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sl-scale-XXXXXX")  # `nobody` must reach the server's directory
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chmod 711 "$work"
  as_pg=(runuser -u nobody --)
fi
pgdir="$work/pg"
mkdir -p "$pgdir"
[[ ${#as_pg[@]} -gt 0 ]] && chown nobody "$pgdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U saleslake --auth=trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now=2026-11-26T10:00:00Z
per=$((records / batches))
for b in $(seq "$batches"); do
  "$bin" generate --records "$per" --seed "$((500 + b))" --now 2026-11-26T09:00:00 --days 100 \
    --format ndjson --dirty 0.01 --out "$work/batch$b.ndjson"
done

# A fresh lake with the raw batches, its log embedded ("") or in schema $2 of the server.
land() {
  local lake=$1 log=$2
  rm -rf "$lake"
  if [[ -n $log ]]; then
    "$bin" commit-log migrate --commit-log "$log" --log-level warn >/dev/null
  fi
  for b in $(seq "$batches"); do
    SALESLAKE_COMMIT_LOG=$log "$bin" extract --from "$work/batch$b.ndjson" --lake "$lake" \
      --now "$now" --log-level warn >/dev/null
  done
}
seconds() { python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$@"; }
best() { sort -g | head -1; }
rate() { python3 -c "import sys; print(round(int(sys.argv[1]) / float(sys.argv[2])))" "$records" "$1"; }

one=$(for r in $(seq "$runs"); do
  land "$work/one" ""
  start=$(date +%s.%N)
  "$bin" transform --lake "$work/one" --now "$now" --threads 1 --log-level warn >/dev/null
  seconds "$start" "$(date +%s.%N)"
done | best)

for n in 1 2 3; do
  t=$(for r in $(seq "$runs"); do
    log="postgresql://saleslake@127.0.0.1:$port/postgres?schema=w${n}r${r}"
    land "$work/w$n" "$log"
    start=$(date +%s.%N)
    SALESLAKE_COMMIT_LOG=$log "$bin" transform --workers "$n" --lake "$work/w$n" --now "$now" \
      --log-level warn >/dev/null
    seconds "$start" "$(date +%s.%N)"
  done | best)
  printf 'transform_workers_%s\tthroughput\trows/s\t%s\ttransform_one_process_threads1\t%s\n' \
    "$n" "$(rate "$t")" "$(rate "$one")"
done
printf 'transform_workers\tcores_on_machine\tcores\t%s\t\t\n' "$(nproc)"
