#!/usr/bin/env bash
# The generator API over loopback: latency of one 10k-record call (p50, p99 over sequential calls
# on a kept-alive connection), and throughput under wrk at 16 connections. Peer, same run: the
# original Lambda handler re-created with Faker behind Python's http.server (bench/peers).
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   API_CALLS (200) sequential calls, PEER_CALLS (5) peer calls, WRK_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
calls=${API_CALLS:-200}
peer_calls=${PEER_CALLS:-5}
wrk_seconds=${WRK_SECONDS:-10}
catalogs=../shared/testdata/seed-catalogs
mkdir -p "$out"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts saleslake api on a free port; sets api_url and api_pid. (Not run in a $(...) subshell,
# so that the EXIT trap knows the pid.)
start_api() {
  local log=$1
  "$bin" api --listen 127.0.0.1:0 >"$log.stdout" 2>"$log.stderr" &
  api_pid=$!
  pids+=("$api_pid")
  for _ in $(seq 100); do
    api_url=$(grep -o 'http://[0-9.]*:[0-9]*' "$log.stdout" 2>/dev/null || true)
    [[ -n $api_url ]] && return
    sleep 0.05
  done
  echo "api.sh: saleslake api did not start; see $log.stderr" >&2
  exit 1
}

# time_total of each call, seconds, one per line; all calls on one curl process (keep-alive).
time_calls() {
  local base=$1 n=$2 header=${3:-}
  local config="$out/api_curl.cfg"
  : >"$config"
  for i in $(seq "$n"); do
    printf 'url = "%s&seed=%d"\noutput = "/dev/null"\n' "$base" "$i" >>"$config"
  done
  if [[ -n $header ]]; then
    curl -sS --fail -K "$config" -H "$header" -w '%{time_total}\n'
  else
    curl -sS --fail -K "$config" -w '%{time_total}\n'
  fi
}

# CPU time (user + system) a process has used so far, in milliseconds. Unlike latency, it does not
# grow when other work competes for the cores.
cpu_ms() {
  python3 -c '
import os, sys
f = open("/proc/%s/stat" % sys.argv[1]).read().rsplit(")", 1)[1].split()
print((int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK"))' "$1"
}

# p50 / p99 in milliseconds of the seconds read from stdin.
percentile_ms() {
  python3 -c '
import sys
q = float(sys.argv[1])
xs = sorted(float(l) for l in sys.stdin if l.strip())
i = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
print("%.2f" % (xs[i] * 1000))' "$1"
}

start_api "$out/api"
url=$api_url
curl -sS --fail -o /dev/null "$url/v1/sales?records=10000"  # warm-up
cpu_before=$(cpu_ms "$api_pid")
time_calls "$url/v1/sales?records=10000" "$calls" >"$out/api_latency.txt"
cpu_per_call=$(python3 -c "print('%.2f' % (($(cpu_ms "$api_pid") - $cpu_before) / $calls))")
p50=$(percentile_ms 0.5 <"$out/api_latency.txt")
p99=$(percentile_ms 0.99 <"$out/api_latency.txt")
time_calls "$url/v1/sales?records=10000" "$calls" "Accept-Encoding: gzip" >"$out/api_latency_gzip.txt"
gz50=$(percentile_ms 0.5 <"$out/api_latency_gzip.txt")

wrk -t2 -c16 -d"${wrk_seconds}s" --timeout 10s "$url/v1/sales?records=10000" >"$out/api_wrk.txt"
rps=$(awk '/^Requests\/sec:/ {print $2}' "$out/api_wrk.txt")
socket_errors=$(awk -F'[ ,]+' '/Socket errors:/ {print $4 + $6 + $8 + $10}' "$out/api_wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out/api_wrk.txt")
errors=$(( ${socket_errors:-0} + ${non2xx:-0} ))
records_per_s=$(python3 -c "print('%.0f' % (float('$rps') * 10000))")

# The peer: one Python process, Faker's records, the whole body built before it is sent.
peer_name=python-faker-http.server
peer_p50=""
peer_rps=""
peer_cpu=""
if /usr/bin/python3 -c 'import faker' 2>/dev/null && [[ -f $catalogs/products.json ]]; then
  peer_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 bench/peers/seed_faker_api.py --products "$catalogs/products.json" \
    --stores "$catalogs/stores.json" --port "$peer_port" &
  pids+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$peer_port/?records=1" && break; sleep 0.1; done
  peer_pid=${pids[-1]}
  peer_cpu_before=$(cpu_ms "$peer_pid")
  time_calls "http://127.0.0.1:$peer_port/?records=10000" "$peer_calls" >"$out/api_peer_latency.txt"
  peer_cpu=$(python3 -c "print('%.2f' % (($(cpu_ms "$peer_pid") - $peer_cpu_before) / $peer_calls))")
  peer_p50=$(percentile_ms 0.5 <"$out/api_peer_latency.txt")
  # http.server answers one call at a time: its throughput is the inverse of its latency.
  peer_rps=$(python3 -c "print('%.0f' % (10000 / ($peer_p50 / 1000)))")
else
  echo "api.sh: peer skipped (needs /usr/bin/python3 with python3-fake-factory and $catalogs)" >&2
fi

printf 'api\tp50 one 10k-record call (%s sequential, keep-alive)\tms\t%s\t%s\t%s\n' "$calls" "$p50" "$peer_name" "$peer_p50"
printf 'api\tp99 one 10k-record call\tms\t%s\t\t\n' "$p99"
printf 'api\tserver CPU time per 10k-record call\tms\t%s\t%s\t%s\n' "$cpu_per_call" "$peer_name" "$peer_cpu"
printf 'api\tp50 one 10k-record call, gzip\tms\t%s\t\t\n' "$gz50"
printf 'api\twrk 16 connections %ss, 10k-record calls\trequests/s\t%s\t\t\n' "$wrk_seconds" "$rps"
printf 'api\twrk 16 connections, records served\trecords/s\t%s\t%s (sequential)\t%s\n' "$records_per_s" "$peer_name" "$peer_rps"
printf 'api\twrk errors (socket + non-2xx)\tcount\t%s\t\t\n' "$errors"
