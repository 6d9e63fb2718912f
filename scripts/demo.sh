#!/usr/bin/env bash
# The demo: for now the generator API on 127.0.0.1 plus a sample call.
set -euo pipefail
bin=${1:-build/app/saleslake}
listen=${SALESLAKE_LISTEN:-127.0.0.1:8080}
"$bin" api --listen "$listen" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -fsS "http://$listen/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "saleslake api is serving on http://$listen  (try: curl 'http://$listen/v1/sales?records=3&seed=1')"
curl -fsS "http://$listen/v1/sales?records=2&seed=42"; echo
echo "Ctrl-C to stop."
wait $pid
