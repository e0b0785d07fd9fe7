#!/usr/bin/env bash
# Dashboard benchmark: berth vs `docker stats` on a private engine with 50 and 200
# running containers. `npm run bench` runs this; see bench/README.md.
#
# usage: bash bench/dashboard.sh [options of bench/dashboard.mjs]
#   BENCH_NO_BUILD=1   use the dist/ that is there instead of running `npm run build`
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "bench: needs root (it starts a private dockerd); run it as root" >&2
  exit 1
fi
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  echo "bench: building dist/ (npm run build)"
  npm run --silent build
fi
exec node bench/dashboard.mjs "$@"
