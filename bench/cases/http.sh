#!/usr/bin/env bash
# The HTTP server under hostile load, on `saleslake api` (serve runs the same server): the latency
# of GET /healthz while 256 slowloris connections are open (each sends one header line every 2 s
# and never finishes its request; one that the server closes reconnects), over DURATION; then wrk
# at 64 connections on /healthz and on a 100-record /v1/sales call, with its timeout count.
# Goals: /healthz answered within 1 s under slowloris, and no wrk timeout.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
#   DURATION (10s): each wrk run; the slowloris probe lasts 15 s (past the 10 s head deadline).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${SALESLAKE_BIN:-build/app/saleslake}
out=${BENCH_OUT:-bench/out}
duration=${DURATION:-10s}
mkdir -p "$out"

"$bin" api --listen 127.0.0.1:0 --log-level warn >"$out/http.stdout" 2>"$out/http.stderr" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'serving http://[^ ]*' "$out/http.stdout" 2>/dev/null | sed 's/serving //' || true)
  [[ -n $url ]] && break
  sleep 0.1
done
[[ -n $url ]] || { echo "api did not start: $(cat "$out/http.stderr")" >&2; exit 1; }

slowloris=$(python3 - "$url" <<'PY'
import http.client, json, socket, sys, threading, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
host, port = u.hostname, u.port
stop = threading.Event()

def attacker_socket():
    s = socket.create_connection((host, port), timeout=5)
    s.setblocking(False)
    s.send(f"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\nX-Pad: 0\r\n".encode())
    return s

socks = [None] * 256
def attack():
    while not stop.is_set():
        for i in range(len(socks)):
            try:
                if socks[i] is None:
                    socks[i] = attacker_socket()
                else:
                    try:
                        if socks[i].recv(4096) == b"":
                            raise OSError("closed")
                    except BlockingIOError:
                        pass
                    socks[i].send(b"X-Pad: 1\r\n")
            except OSError:
                try:
                    socks[i] and socks[i].close()
                except OSError:
                    pass
                socks[i] = None
        stop.wait(2)

t = threading.Thread(target=attack, daemon=True)
t.start()
time.sleep(3)  # every attacker connected and sending
lat, failed = [], 0
end = time.time() + 15
while time.time() < end:
    t0 = time.perf_counter()
    try:
        c = http.client.HTTPConnection(host, port, timeout=10)
        c.request("GET", "/healthz")
        r = c.getresponse(); r.read(); c.close()
        if r.status != 200:
            failed += 1
        lat.append((time.perf_counter() - t0) * 1000)
    except Exception:
        failed += 1
        lat.append((time.perf_counter() - t0) * 1000)
    time.sleep(0.25)
stop.set()
lat.sort()
print(json.dumps({"p50": lat[len(lat) // 2], "max": lat[-1], "probes": len(lat), "failed": failed}))
PY
)

wrk_run() {  # URL -> "requests/s timeouts errors"
  local o
  o=$(wrk -t2 -c64 -d"$duration" --timeout 5s "$1")
  local rate timeouts=0 errors=0
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$o")
  if grep -q 'Socket errors' <<<"$o"; then
    timeouts=$(awk '/Socket errors/ {gsub(",", ""); print $NF}' <<<"$o")
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8}' <<<"$o")
  fi
  if grep -q 'Non-2xx' <<<"$o"; then errors=$((errors + $(awk '/Non-2xx/ {print $NF}' <<<"$o"))); fi
  echo "$rate $timeouts $errors"
}
sleep 11  # the slowloris connections are gone (head deadline)
read -r h_rate h_timeouts h_errors < <(wrk_run "$url/healthz")
read -r s_rate s_timeouts s_errors < <(wrk_run "$url/v1/sales?records=100&seed=1")

python3 - "$slowloris" "$h_rate" "$h_timeouts" "$h_errors" "$s_rate" "$s_timeouts" "$s_errors" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
h_rate, h_to, h_err, s_rate, s_to, s_err = sys.argv[2:8]
b = "http (api)"
print(f"{b}\t/healthz under 256 slowloris p50\tms\t{s['p50']:.1f}\tgoal\t1000")
print(f"{b}\t/healthz under 256 slowloris max ({s['failed']}/{s['probes']} probes failed)\tms\t{s['max']:.1f}\tgoal\t1000")
print(f"{b}\twrk /healthz (64 conn)\treq/s\t{float(h_rate):.0f}\ttimeouts\t{h_to}")
print(f"{b}\twrk /healthz (64 conn) errors\tcount\t{h_err}\t\t")
print(f"{b}\twrk /v1/sales 100 records (64 conn)\treq/s\t{float(s_rate):.0f}\ttimeouts\t{s_to}")
print(f"{b}\twrk /v1/sales 100 records (64 conn) errors\tcount\t{s_err}\t\t")
PY
