#!/usr/bin/env bash
# S3 throughput against moto on loopback, saleslake beside the AWS CLI (Debian's awscli) in the
# same run on the same server: upload and download of one 256 MiB file and of 1,000 files of
# 64 KiB. saleslake uses its `fs` tool (put, cp, cp -r); the AWS CLI `aws s3 cp` (--recursive for
# the small files), each with its default settings (the CLI: 10 threads, 8 MiB parts).
# Downloads are checked byte for byte. Best of S3_BENCH_REPEAT (1) runs each.
# Prints TSV rows: benchmark, metric, unit, saleslake value, peer name, peer value.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath -m "${SALESLAKE_BIN:-build/app/saleslake}")
out=${BENCH_OUT:-bench/out}
repeat=${S3_BENCH_REPEAT:-1}
big_mib=${S3_BENCH_BIG_MIB:-256}
small_files=${S3_BENCH_SMALL_FILES:-1000}
aws_cli=${AWS_CLI:-$(command -v /usr/bin/aws || command -v aws || true)}
if [[ ! -x $bin ]]; then echo "s3.sh: $bin is not built" >&2; exit 1; fi
if [[ -z $aws_cli ]]; then echo "s3.sh: the AWS CLI is missing (apt-get install awscli)" >&2; exit 1; fi
if ! python3 -c "import moto.server" 2>/dev/null; then
  echo "s3.sh: python3 cannot import moto.server" >&2; exit 1
fi

scratch="$(realpath -m "$out")/s3.$$"
mkdir -p "$scratch/small"
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$scratch/moto.log" 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true; wait $moto_pid 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1
export AWS_REGION=us-east-1 AWS_PAGER="" SALESLAKE_S3_ENDPOINT="http://127.0.0.1:$port"
aws() { "$aws_cli" --endpoint-url "http://127.0.0.1:$port" "$@"; }
aws s3 mb s3://bench >/dev/null

head -c $((big_mib << 20)) /dev/urandom >"$scratch/big.bin"
python3 - "$scratch/small" "$small_files" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(d, "part-%05d.bin" % i), "wb") as f:
        f.write(os.urandom(64 << 10))
PY
big_sum=$(sha256sum <"$scratch/big.bin" | cut -d' ' -f1)
small_sum=$(cd "$scratch/small" && cat $(ls) | sha256sum | cut -d' ' -f1)

# best_of N command...: the shortest wall time in seconds.
best_of() {
  local n=$1 best="" t0 t1 t
  shift
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [[ -z $best ]] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
  done
  echo "$best"
}
rate() { echo "scale=2; $1 / $2" | bc -l; }
check_big() { [[ $(sha256sum <"$1" | cut -d' ' -f1) == "$big_sum" ]] || { echo "s3.sh: $1 differs" >&2; exit 1; }; }
check_small() {
  [[ $(ls "$1" | wc -l) -eq $small_files ]] || { echo "s3.sh: $1 has the wrong file count" >&2; exit 1; }
  [[ $(cd "$1" && cat $(ls) | sha256sum | cut -d' ' -f1) == "$small_sum" ]] ||
    { echo "s3.sh: $1 differs" >&2; exit 1; }
}

big_mb=$(echo "$big_mib * 1048576 / 1000000" | bc -l)
small_mb=$(echo "$small_files * 65536 / 1000000" | bc -l)

ours_up=$(best_of "$repeat" "$bin" fs put --log-level warn "$scratch/big.bin" s3://bench/ours/big.bin)
aws_up=$(best_of "$repeat" aws s3 cp --quiet "$scratch/big.bin" s3://bench/aws/big.bin)
ours_down=$(best_of "$repeat" "$bin" fs cp --log-level warn s3://bench/ours/big.bin "$scratch/ours-big.bin")
aws_down=$(best_of "$repeat" aws s3 cp --quiet s3://bench/aws/big.bin "$scratch/aws-big.bin")
check_big "$scratch/ours-big.bin"
check_big "$scratch/aws-big.bin"
rm -f "$scratch/ours-big.bin" "$scratch/aws-big.bin"

ours_sup=$(best_of "$repeat" "$bin" fs cp -r --log-level warn "$scratch/small" s3://bench/ours/small)
aws_sup=$(best_of "$repeat" aws s3 cp --quiet --recursive "$scratch/small" s3://bench/aws/small)
ours_sdown=$(best_of "$repeat" "$bin" fs cp -r --log-level warn s3://bench/ours/small "$scratch/ours-small")
aws_sdown=$(best_of "$repeat" aws s3 cp --quiet --recursive s3://bench/aws/small "$scratch/aws-small")
check_small "$scratch/ours-small"
check_small "$scratch/aws-small"

printf 's3_put_%dMiB_moto\tthroughput\tMB/s\t%s\taws_cli\t%s\n' "$big_mib" \
  "$(rate "$big_mb" "$ours_up")" "$(rate "$big_mb" "$aws_up")"
printf 's3_get_%dMiB_moto\tthroughput\tMB/s\t%s\taws_cli\t%s\n' "$big_mib" \
  "$(rate "$big_mb" "$ours_down")" "$(rate "$big_mb" "$aws_down")"
printf 's3_put_%dx64KiB_moto\tobjects\tobjects/s\t%s\taws_cli\t%s\n' "$small_files" \
  "$(rate "$small_files" "$ours_sup")" "$(rate "$small_files" "$aws_sup")"
printf 's3_put_%dx64KiB_moto\tthroughput\tMB/s\t%s\taws_cli\t%s\n' "$small_files" \
  "$(rate "$small_mb" "$ours_sup")" "$(rate "$small_mb" "$aws_sup")"
printf 's3_get_%dx64KiB_moto\tobjects\tobjects/s\t%s\taws_cli\t%s\n' "$small_files" \
  "$(rate "$small_files" "$ours_sdown")" "$(rate "$small_files" "$aws_sdown")"
printf 's3_get_%dx64KiB_moto\tthroughput\tMB/s\t%s\taws_cli\t%s\n' "$small_files" \
  "$(rate "$small_mb" "$ours_sdown")" "$(rate "$small_mb" "$aws_sdown")"
