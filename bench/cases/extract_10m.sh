#!/usr/bin/env bash
# `saleslake extract --from FILE` of 10M NDJSON records at --threads 1 and 2 beside DuckDB's
# read_json COPY to Parquet at threads=1 and 2, rows/s and peak RSS, with simdjson alone as the
# floor of parsing (see bench/extract_compare.sh).
#   RECORDS (10000000), RUNS (2).
set -euo pipefail
exec "$(dirname "$0")/../extract_compare.sh" "${RECORDS:-10000000}" "${RUNS:-2}" ndjson
