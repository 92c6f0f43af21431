#!/usr/bin/env bash
# The load generator's highest sustained rate with p99 under 50 ms (and no failure), on this machine, in cluster mode.
#
#   scripts/throughput.sh --silos N --artifact DIR [--shards 16] [--rates "100 200 400 800"] [--duration 15]
#                         [--verify] [--json FILE] [--no-build]
#
# Starts Redis and N silos (scripts/cluster.sh, store erased), publishes the artifact, warms every shard up, then
# runs the load at each rate in turn and stops at the first that misses the bar.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$OLDPWD
root=$(pwd)
silos=1 artifact="" shards=16 rates="100 200 400 800 1200 1600" duration=15 verify=0 json="" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --artifact) artifact=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --verify) verify=1; shift ;;
    --json) json=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "throughput.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$artifact" ] || { echo "throughput.sh: --artifact DIR is required" >&2; exit 2; }
work=$root/.run/throughput; mkdir -p "$work"
[ -n "$json" ] || json=$work/throughput-$(basename "$(dirname "$artifact")")-$silos.json
client() { dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" "$@"; }
trainer() { dotnet "$root/src/Trainer/bin/Release/net10.0/MovieRecommender.Trainer.dll" "$@"; }
build_args=(); [ "$build" = 1 ] || build_args=(--no-build)

trap 'scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true' EXIT
scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true
# Measured without telemetry export, whether or not a dashboard runs (the telemetry-overhead benchmark measures that).
scripts/cluster.sh start --silos "$silos" --fresh --no-dashboard "${build_args[@]}"
eval "$(scripts/cluster.sh env)"
[ "$build" = 0 ] || { dotnet build src/Client -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null; dotnet build src/Trainer -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null; }
echo "Publishing $artifact in $shards shards ..."
t0=$(date +%s.%N)
client publish "$artifact" --shards "$shards" --user-shards "$shards" > "$work/publish.log" 2>&1 || { tail "$work/publish.log" >&2; exit 1; }
publish_seconds=$(python3 -c "print(round($(date +%s.%N)-$t0,1))")
echo "Published in $publish_seconds s. Warm-up ..."
verify_args=(); [ "$verify" = 1 ] && verify_args=(--verify "$artifact")
client load --rps 50 --duration 5 --users 1-943 --quiet "${verify_args[@]}" > /dev/null 2>&1 || true

results=()
best=0
for rate in $rates; do
  out=$work/rate-$rate.json
  client load --rps "$rate" --duration "$duration" --users 1-943 --quiet --json "$out" "${verify_args[@]}" > /dev/null 2>&1 || true
  line=$(jq -c --argjson rate "$rate" '{rate:$rate, achievedRps, requests, failures, wrongResults, p50Ms, p95Ms, p99Ms}' "$out")
  echo "  $line"
  results+=("$line")
  if jq -e '.p99Ms < 50 and .failures == 0 and .wrongResults == 0' "$out" >/dev/null; then best=$rate; else break; fi
done
printf '%s\n' "${results[@]}" | jq -s --argjson silos "$silos" --argjson shards "$shards" --arg artifact "$(basename "$artifact")" \
  --argjson best "$best" --argjson publishSeconds "$publish_seconds" \
  '{silos:$silos, shards:$shards, artifact:$artifact, publishSeconds:$publishSeconds, highestRpsWithP99Under50Ms:$best, rates:.}' > "$json"
echo "Highest sustained rate with p99 < 50 ms and no failure: $best requests/s ($silos silo(s), $shards shards). Report: $json"
