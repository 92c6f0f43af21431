#!/usr/bin/env bash
# The HTTP door's benchmark: one silo, the highest sustained rate at p99 < 50 ms over HTTP (autocannon, from npm)
# beside the Orleans client's own load generator, on ML-100K and on a generated 1M catalogue. Both doors climb one
# ladder of concurrency (autocannon connections, `load --callers`), closed loops timed from when a request is sent.
#
#   scripts/http-bench.sh [--data DIR] [--artifact DIR] [--movies 1000000] [--shards 4] [--duration 15]
#                         [--concurrency 4 8 16 32 64 128 256] [--json bench/results/http-ml100k.json] [--no-build]
#
# Installs what it needs when missing (scripts/install-autocannon.sh): Node.js and npm (Debian's packages, apt-get),
# and autocannon (npm, pinned) into .run/tools/autocannon. Then runs `benchmarks http` (bench/Benchmarks/Http), which prints the table and writes
# bench/results/http-ml100k.json and http-1m.json. ML-100K comes from --data, MOVIELENS_DIR or ../shared/data/ml-100k
# (trained once, kept in the benchmark's temp folder); --movies 0 skips the 1M catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.run/tools/autocannon
scripts/install-autocannon.sh

args=(--autocannon "$tools")
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ "$build" = 0 ] || args+=(--build)
[ "$build" = 0 ] || dotnet build bench/Benchmarks -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
exec dotnet bench/Benchmarks/bin/Release/net10.0/MovieRecommender.Benchmarks.dll http "${args[@]}"
