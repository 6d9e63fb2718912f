#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD/fuzz for SECONDS each, seeded with its corpus directory.
#   scripts/run-fuzzers.sh build-fuzz 60
set -euo pipefail
build=${1:?build dir}; secs=${2:-60}
cd "$(dirname "$0")/.."
shopt -s nullglob
targets=("$build"/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then echo "fuzz: no fuzz targets yet"; exit 0; fi
for t in "${targets[@]}"; do
  [[ -f $t && -x $t ]] || continue  # the targets' logs live beside them
  name=$(basename "$t")
  work="$build/fuzz/corpus-$name"; mkdir -p "$work"
  seeds=()
  [[ -d "fuzz/corpus/$name" ]] && seeds+=("fuzz/corpus/$name")
  [[ -x "fuzz/seeds-$name.sh" ]] && seeds+=($("fuzz/seeds-$name.sh"))
  echo "fuzz: $name for ${secs}s"
  log="$build/fuzz/$name.log"
  if ! "$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      "$work" "${seeds[@]}" >"$log" 2>&1; then
    tail -n 60 "$log"; echo "fuzz: $name FAILED (crash input saved in the working directory)"; exit 1
  fi
  grep -E "^stat::number_of_executed_units" "$log" || true
done
echo "fuzz: ok"
