#!/usr/bin/env bash
# `saleslake extract --from FILE` at --threads 1 and 2 beside DuckDB's read_json COPY to Parquet
# at threads=1 and 2, rows/s and peak RSS, on 1M records as NDJSON and as one JSON array, with
# simdjson alone as the floor of parsing (see bench/extract_compare.sh).
#   RECORDS (1000000), RUNS (3).
set -euo pipefail
exec "$(dirname "$0")/../extract_compare.sh" "${RECORDS:-1000000}" "${RUNS:-3}" ndjson array
