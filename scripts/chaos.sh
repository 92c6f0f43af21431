#!/usr/bin/env bash
# Chaos test of cluster mode: Redis and N silos on loopback (scripts/cluster.sh), the ML-100K model published, the
# client's load generator at a steady rate, one silo killed with kill -9 (and/or a new version published) mid-load.
#
#   scripts/chaos.sh [--silos 3] [--duration 60] [--kill-at 20] [--publish-at S] [--rps 100] [--json FILE]
#                    [--kill-silo 2] [--shards 6] [--restart-check] [--data DIR] [--keep] [--no-build]
#
# --kill-at 0 kills nothing; --publish-at S publishes a second version (trained with another seed) S seconds in;
# --restart-check afterwards kills every silo, starts them again on the kept store and checks that every user is
# served the active version's exact top 10 without a new publish. Reports requests, failures, wrong results
# (against the brute-force top K of the version each answer reports), recovery time (until every request of a
# second succeeds again) and p99 before/during/after, as a table and in --json (default .run/chaos/chaos.json).
# Exit code 0 when the targets hold: >= 99% success, no wrong result, recovery <= 30 s (kill); no failure and no
# mixed versions (publish alone).
set -euo pipefail
if [ -n "${MOVIELENS_DIR:-}" ]; then MOVIELENS_DIR=$(realpath -m "$MOVIELENS_DIR"); fi
cd "$(dirname "$0")/.."
here=$OLDPWD
root=$(pwd)
work=$root/.run/chaos
mkdir -p "$work/models"

silos=3 duration=60 kill_at=20 publish_at="" rps=100 json=$work/chaos.json kill_silo=2 shards=6
restart_check=0 keep=0 build=1 data=${MOVIELENS_DIR:-$root/../shared/data/ml-100k}
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill-at) kill_at=$2; shift 2 ;;
    --publish-at) publish_at=$2; shift 2 ;;
    --rps) rps=$2; shift 2 ;;
    --json) json=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --kill-silo) kill_silo=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --restart-check) restart_check=1; shift ;;
    --data) data=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown argument '$1'; see scripts/chaos.sh --help" >&2; exit 2 ;;
  esac
done
[ -d "$data" ] || data=$root/data/ml-100k

client() { COLUMNS=160 dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" "$@"; }
trainer() { dotnet "$root/src/Trainer/bin/Release/net10.0/MovieRecommender.Trainer.dll" "$@"; }

if [ "$build" = 1 ]; then
  echo "Building ..."
  dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  dotnet build src/Client -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  dotnet build src/Trainer -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
fi

# The artifacts: trained once (seed 42, and 43 for the publish), reused by later runs.
artifact_for() {
  local seed=$1 marker=$work/artifact-seed-$1
  if [ -f "$marker" ] && [ -d "$(cat "$marker")" ]; then cat "$marker"; return; fi
  echo "Training on $data (seed $seed) ..." >&2
  trainer train --data "$data" --out "$work/models" --seed "$seed" > "$work/train-$seed.log" 2>&1 \
    || { tail -n 20 "$work/train-$seed.log" >&2; exit 1; }
  realpath "$(tail -n 1 "$work/train-$seed.log")" > "$marker"
  cat "$marker"
}
artifact_a=$(artifact_for 42)
artifact_b=""
[ -n "$publish_at" ] && artifact_b=$(artifact_for 43)

cleanup() { [ "$keep" = 1 ] || scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true; }
trap cleanup EXIT

scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true
scripts/cluster.sh start --silos "$silos" --fresh --no-build --no-dashboard
eval "$(scripts/cluster.sh env)"

echo "Publishing $(basename "$artifact_a") in $shards shards ..."
client publish "$artifact_a" --shards "$shards" --user-shards "$shards" > "$work/publish-a.log" 2>&1 || { cat "$work/publish-a.log" >&2; exit 1; }
echo "Warm-up: every user against brute force ..."
client verify "$artifact_a" --k 10 | tr -s '\n' ' ' | sed 's/.*Version /Version /'; echo

fault_at=""
if [ "$kill_at" != 0 ]; then fault_at=$kill_at; elif [ -n "$publish_at" ]; then fault_at=$publish_at; fi
verify_args=(--verify "$artifact_a")
[ -n "$artifact_b" ] && verify_args+=(--verify "$artifact_b")
load_args=(load --rps "$rps" --duration "$duration" --k 10 "${verify_args[@]}" --json "$json")
[ -n "$fault_at" ] && load_args+=(--fault-at "$fault_at")

echo "Load: $rps requests/s for $duration s$([ "$kill_at" != 0 ] && echo ", kill -9 of silo $kill_silo at ${kill_at} s")$([ -n "$publish_at" ] && echo ", publish of $(basename "$artifact_b") at ${publish_at} s") ..."
client "${load_args[@]}" > "$work/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 600); do grep -q "load: started" "$work/load.log" 2>/dev/null && break; kill -0 $load_pid 2>/dev/null || break; sleep 0.05; done
grep -q "load: started" "$work/load.log" || { cat "$work/load.log" >&2; exit 1; }
started=$(date +%s.%N)
at() { python3 -c "import time,sys; d=$started+$1-time.time(); time.sleep(max(0,d))"; }

killed_pid="" publish_seconds=""
if [ "$kill_at" != 0 ]; then
  ( at "$kill_at"; scripts/cluster.sh kill "$kill_silo" ) > "$work/kill.log" 2>&1 &
  kill_job=$!
fi
if [ -n "$publish_at" ]; then
  ( at "$publish_at"; s=$(date +%s.%N); client publish "$artifact_b" --shards "$shards" --user-shards "$shards" > "$work/publish-b.log" 2>&1;
    python3 -c "print(round($(date +%s.%N)-$s,2))" > "$work/publish-b.seconds" ) &
  publish_job=$!
fi
load_status=0
wait $load_pid || load_status=$?
[ -n "${kill_job:-}" ] && { wait "$kill_job" || true; cat "$work/kill.log"; }
[ -n "${publish_job:-}" ] && { wait "$publish_job" || true; publish_seconds=$(cat "$work/publish-b.seconds" 2>/dev/null || echo null); tail -n 2 "$work/publish-b.log"; }
sed -n '/load: started/,$p' "$work/load.log" | grep -v '^load: t=' || true
[ -f "$json" ] || { echo "chaos.sh: the load generator wrote no report (exit $load_status); see $work/load.log" >&2; exit 1; }

restart_json=null
if [ "$restart_check" = 1 ]; then
  active=$artifact_a; [ -n "$artifact_b" ] && active=$artifact_b
  echo "Full restart: kill -9 of every silo, start again on the kept store, no publish ..."
  for i in $(seq 1 "$silos"); do scripts/cluster.sh kill "$i" >/dev/null 2>&1 || true; done
  t0=$(date +%s.%N)
  scripts/cluster.sh start --silos "$silos" --no-build --no-dashboard
  verdict=$(client verify "$active" --k 10 | tr -s '\n' ' ' | sed 's/.*Version /Version /') && exact=true || exact=false
  t1=$(date +%s.%N)
  echo "$verdict"
  restart_json=$(jq -n --arg v "$(basename "$active")" --arg line "$verdict" --argjson exact $exact \
    --argjson s "$(python3 -c "print(round($t1-$t0,1))")" '{activeVersion:$v, exact:$exact, secondsToVerified:$s, verify:$line}')
fi

scenario=$(jq -n --argjson silos "$silos" --argjson duration "$duration" --argjson rps "$rps" --argjson shards "$shards" \
  --argjson killAt "${kill_at}" --argjson killSilo "$kill_silo" --argjson publishAt "${publish_at:-null}" \
  --argjson publishSeconds "${publish_seconds:-null}" --arg a "$(basename "$artifact_a")" --arg b "$(basename "${artifact_b:-none}")" \
  '{silos:$silos, durationSeconds:$duration, rps:$rps, shards:$shards, killAtSeconds:(if $killAt == 0 then null else $killAt end),
    killedSilo:(if $killAt == 0 then null else $killSilo end), publishAtSeconds:$publishAt, publishSeconds:$publishSeconds,
    versionBefore:$a, versionPublished:(if $b == "none" then null else $b end)}')
tmp=$(mktemp)
jq --argjson scenario "$scenario" --argjson restart "$restart_json" '. + {scenario:$scenario} + (if $restart == null then {} else {restart:$restart} end)' "$json" > "$tmp" && mv "$tmp" "$json"

# The verdict against the issue's targets.
ok=1
check() { if [ "$(jq -r "$1" "$json")" = true ]; then echo "  PASS $2"; else echo "  FAIL $2"; ok=0; fi; }
echo "Targets ($json):"
jq -r '"  requests \(.requests), failures \(.failures), wrongResults \(.wrongResults), mixedVersions \(.mixedVersions), recoverySeconds \(.recoverySeconds) (first attempts \(.firstAttemptRecoverySeconds)), p99 ms before/during/after \(.p99MsBefore)/\(.p99MsDuring)/\(.p99MsAfter), versions \(.versions)"' "$json"
check '.successRate >= 0.99' "at least 99% of requests succeed"
check '.wrongResults == 0' "no wrong result"
if [ "$kill_at" != 0 ]; then check '(.recoverySeconds // 0) <= 30' "back to 100% success within 30 s"; fi
if [ -n "$publish_at" ] && [ "$kill_at" = 0 ]; then
  check '.failures == 0' "no failure during the publish"
  check '.mixedVersions == 0 and .unverifiedVersions == 0' "no mixed versions"
  check '(.versions | length) == 2' "both versions served"
fi
[ "$restart_check" = 1 ] && check '.restart.exact' "after a full restart every user is served the active version exactly, without republishing"
[ "$ok" = 1 ]
