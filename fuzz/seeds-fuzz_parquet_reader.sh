#!/usr/bin/env bash
# Extra seed directories for fuzz_parquet_reader: the parquet-testing files (only those under
# 100 KB: big seeds make every execution slow, and the small ones cover every feature) and our
# broken corpus, when present.
set -euo pipefail
cd "$(dirname "$0")/.."
testing=../shared/testdata/parquet-testing
if [[ -d "$testing" ]]; then
  seeds="${TMPDIR:-/tmp}/saleslake-fuzz-parquet-seeds"
  mkdir -p "$seeds"
  find "$testing" -maxdepth 1 -name '*.parquet' -size -100k -exec cp -f {} "$seeds/" \;
  echo "$seeds"
fi
[[ -d tests/parquet/broken ]] && echo tests/parquet/broken
exit 0
