#!/usr/bin/env bash
# Installs everything saleslake needs to build, test and benchmark: Debian bookworm packages and
# npm packages (into web/node_modules and tests/node_modules). Idempotent, and quick when all is present.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also the benchmark peers (Faker, awscli)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-14 libclang-rt-14-dev clang-format
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev libsimdjson-dev libfmt-dev libspdlog-dev
  libcli11-dev libsqlite3-dev sqlite3 openssl libsnappy-dev libzstd-dev zlib1g-dev libdeflate-dev liblz4-dev libxxhash-dev
  prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3-botocore wrk curl ca-certificates chromium ccache
  postgresql-15 postgresql-client-15 libpq-dev python3-psycopg2 libpostgresql-jdbc-java default-jdk-headless
)
if [[ "${1:-}" == "--bench" ]]; then
  APT_PACKAGES+=(python3-fake-factory awscli hyperfine time)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages. web/: the dashboard's chart library, embedded into the binary at build time.
if [[ -f web/package.json ]]; then
  if [[ ! -d web/node_modules || web/package.json -nt web/node_modules/.installed ]]; then
    (cd web && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
fi
# tests/: test oracles, peers and the browser driver, never runtime dependencies of the binary.
if [[ -f tests/package.json ]]; then
  if [[ ! -d tests/node_modules || tests/package.json -nt tests/node_modules/.installed ]]; then
    (cd tests && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
  fi
fi
echo "install-deps: ok"
