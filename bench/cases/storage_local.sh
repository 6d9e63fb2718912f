#!/usr/bin/env bash
# Local write throughput of saleslake's atomic publish path (temporary file, fsync, rename,
# directory fsync) beside plain writes of the same bytes, in the same run on the same disk:
# one 1 GiB file in 1 MiB appends, and 1,000 files of 64 KiB. The peer "plain write" neither
# fsyncs nor renames (fast, but a crash leaves partial files); "plain write + fsync" is durable
# but not atomic. Best of STORAGE_REPEAT (3) runs each.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
bench_bin=${STORAGE_BENCH_BIN:-$(dirname "$bin")/../bench/storage_bench}
out=${BENCH_OUT:-bench/out}
if [[ ! -x $bench_bin ]]; then
  echo "storage_local.sh: $bench_bin is not built (ninja storage_bench)" >&2
  exit 1
fi
scratch="$(realpath -m "$out")/storage_local.$$"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT
"$bench_bin" --dir "$scratch" --repeat "${STORAGE_REPEAT:-3}" \
  --big-bytes "${STORAGE_BIG_BYTES:-1073741824}" --small-files "${STORAGE_SMALL_FILES:-1000}"
