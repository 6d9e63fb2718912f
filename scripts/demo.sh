#!/usr/bin/env bash
# The demo: `saleslake up` — the generator API in the process, a first run of 20 x 10,000 sales
# (extract -> transform -> crawl) into ./lake, the dashboard on http://127.0.0.1:8000/, and one
# more run every minute until Ctrl-C. SALESLAKE_LAKE / SALESLAKE_LISTEN change where.
set -euo pipefail
bin=${1:-build/app/saleslake}
exec "$bin" up --lake "${SALESLAKE_LAKE:-./lake}" --listen "${SALESLAKE_LISTEN:-127.0.0.1:8000}"
