#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD/fuzz for SECONDS each, seeded with its corpus directory,
# FUZZ_JOBS targets at a time (default: the machine's cores).
#   scripts/run-fuzzers.sh build-asan 60
set -euo pipefail
build=${1:?build dir}; secs=${2:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
cd "$(dirname "$0")/.."
shopt -s nullglob
targets=("$build"/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then echo "fuzz: no fuzz targets yet"; exit 0; fi

# One target; its log lives beside it. Exit status: the fuzzer's.
fuzz_one() {
  local t=$1 name work log
  name=$(basename "$t")
  work="$build/fuzz/corpus-$name"; mkdir -p "$work"
  local seeds=()
  [[ -d "fuzz/corpus/$name" ]] && seeds+=("fuzz/corpus/$name")
  [[ -x "fuzz/seeds-$name.sh" ]] && seeds+=($("fuzz/seeds-$name.sh"))
  log="$build/fuzz/$name.log"
  "$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    "$work" "${seeds[@]}" >"$log" 2>&1
}

declare -A running=()  # pid -> target
failed=()
reap() {  # waits for one target to end and reports it
  local pid status=0
  wait -n -p pid "${!running[@]}" || status=$?
  local t=${running[$pid]} name
  name=$(basename "$t")
  unset "running[$pid]"
  if ((status != 0)); then
    tail -n 60 "$build/fuzz/$name.log"
    echo "fuzz: $name FAILED (crash input saved in the working directory)"
    failed+=("$name")
  else
    echo "fuzz: $name done: $(grep -E '^stat::number_of_executed_units' "$build/fuzz/$name.log" || true)"
  fi
}
for t in "${targets[@]}"; do
  [[ -f $t && -x $t ]] || continue  # the targets' logs live beside them
  while ((${#running[@]} >= jobs)); do reap; done
  echo "fuzz: $(basename "$t") for ${secs}s"
  fuzz_one "$t" &
  running[$!]=$t
done
while ((${#running[@]} > 0)); do reap; done
if ((${#failed[@]} > 0)); then echo "fuzz: failed: ${failed[*]}"; exit 1; fi
echo "fuzz: ok"
