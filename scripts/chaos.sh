#!/usr/bin/env bash
# Chaos test of cluster mode: Redis and N silos on loopback (scripts/cluster.sh), the ML-100K model published, the
# client's load generator at a steady rate, one silo killed with kill -9 (and/or a new version published) mid-load.
#
#   scripts/chaos.sh [--silos 3] [--duration 60] [--kill-at 20] [--publish-at S] [--rps 100] [--json FILE]
#                    [--kill-silo 2] [--shards 6] [--restart-check] [--data DIR] [--keep] [--no-build]
#                    [--redis-outage-at S [--redis-outage-seconds 10] [--redis-outage-signal KILL|STOP]]
#
# --redis-outage-at S (use with --kill-at 0): before the load, user 1 rates three movies (5 stars) and the load
# leaves user 1 out; S seconds in, redis-server is killed with SIGKILL (or frozen with SIGSTOP) and, after
# --redis-outage-seconds, started again on the same port and data dir (its append-only file) or thawed. Two
# seconds into the outage a publish of a second version starts (its exit code, last line and duration are
# reported; the active version must keep serving). After the load: a publish of that version again (must succeed),
# then user 1's ratings must be in export-ratings and out of user 1's recommendations.
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
outage_at="" outage_seconds=10 outage_signal=KILL
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
    --redis-outage-at) outage_at=$2; shift 2 ;;
    --redis-outage-seconds) outage_seconds=$2; shift 2 ;;
    --redis-outage-signal) outage_signal=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown argument '$1'; see scripts/chaos.sh --help" >&2; exit 2 ;;
  esac
done
[ -d "$data" ] || data=$root/data/ml-100k
if [ -n "$outage_at" ]; then
  [[ "$outage_at" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "chaos.sh: --redis-outage-at expects seconds, not '$outage_at'" >&2; exit 2; }
  [[ "$outage_seconds" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "chaos.sh: --redis-outage-seconds expects seconds, not '$outage_seconds'" >&2; exit 2; }
  case "$outage_signal" in KILL|STOP) ;; *) echo "chaos.sh: --redis-outage-signal expects KILL or STOP, not '$outage_signal'" >&2; exit 2 ;; esac
  [ "$kill_at" = 0 ] || { echo "chaos.sh: --redis-outage-at goes with --kill-at 0 (one fault at a time)" >&2; exit 2; }
  [ -z "$publish_at" ] || { echo "chaos.sh: --redis-outage-at publishes during the outage itself; leave out --publish-at" >&2; exit 2; }
fi

# A cluster of its own, apart from scripts/cluster.sh's defaults (the environment may still choose).
export CLUSTER_STATE_DIR=${CLUSTER_STATE_DIR:-$work/cluster}
export CLUSTER_REDIS=${CLUSTER_REDIS:-127.0.0.1:6392}
export CLUSTER_SILO_BASE=${CLUSTER_SILO_BASE:-11320}
export CLUSTER_GATEWAY_BASE=${CLUSTER_GATEWAY_BASE:-30210}
export CLUSTER_PROMETHEUS_BASE=${CLUSTER_PROMETHEUS_BASE:-9600}
export CLUSTER_HTTP_BASE=${CLUSTER_HTTP_BASE:-8290}
rel() { realpath -m --relative-to="$root" "$1"; }

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
if [ -n "$publish_at" ] || [ -n "$outage_at" ]; then artifact_b=$(artifact_for 43); fi

cleanup() { [ "$keep" = 1 ] || scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true; }
trap cleanup EXIT

scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true
scripts/cluster.sh start --silos "$silos" --fresh --no-build --no-dashboard
eval "$(scripts/cluster.sh env)"

echo "Publishing $(basename "$artifact_a") in $shards shards ..."
client publish "$artifact_a" --shards "$shards" --user-shards "$shards" > "$work/publish-a.log" 2>&1 || { cat "$work/publish-a.log" >&2; exit 1; }
echo "Warm-up: every user against brute force ..."
client verify "$artifact_a" --k 10 | tr -s '\n' ' ' | sed 's/.*Version /Version /'; echo

rated_user=1 rated_movies=()
if [ -n "$outage_at" ]; then
  # Three movies user 1 has not seen (its current top 3), rated 5 before the outage; the load leaves user 1 out,
  # since its answers now fold these ratings in and no longer equal the artifact's brute force.
  mapfile -t rated_movies < <(client recommend "$rated_user" -k 3 --json | jq -r '.items[].id' | head -n 3)
  [ ${#rated_movies[@]} -eq 3 ] || { echo "chaos.sh: could not read user $rated_user's top 3 (recommend --json)" >&2; client recommend "$rated_user" -k 3 --json >&2; exit 1; }
  for m in "${rated_movies[@]}"; do client rate "$rated_user" "$m" 5 > "$work/rate.log" 2>&1 || { cat "$work/rate.log" >&2; exit 1; }; done
  echo "User $rated_user rated ${rated_movies[*]} 5 stars before the outage."
  sleep 2   # past Redis' append-only fsync (every second)
fi

fault_at=""
if [ "$kill_at" != 0 ]; then fault_at=$kill_at; elif [ -n "$publish_at" ]; then fault_at=$publish_at; elif [ -n "$outage_at" ]; then fault_at=$outage_at; fi
verify_args=(--verify "$artifact_a")
[ -n "$artifact_b" ] && verify_args+=(--verify "$artifact_b")
load_args=(load --rps "$rps" --duration "$duration" --k 10 "${verify_args[@]}" --json "$json")
[ -n "$outage_at" ] && load_args+=(--users "2-943")
[ -n "$fault_at" ] && load_args+=(--fault-at "$fault_at")

echo "Load: $rps requests/s for $duration s$([ "$kill_at" != 0 ] && echo ", kill -9 of silo $kill_silo at ${kill_at} s")$([ -n "$publish_at" ] && echo ", publish of $(basename "$artifact_b") at ${publish_at} s") ..."
client "${load_args[@]}" > "$work/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 600); do grep -q "load: started" "$work/load.log" 2>/dev/null && break; kill -0 $load_pid 2>/dev/null || break; sleep 0.05; done
grep -q "load: started" "$work/load.log" || { cat "$work/load.log" >&2; exit 1; }
started=$(date +%s.%N)
load_avg_start=$(cut -d' ' -f1-3 /proc/loadavg)
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
if [ -n "$outage_at" ]; then
  redis_port=${CLUSTER_REDIS##*:}
  ( at "$outage_at"
    pid=$(cat "$CLUSTER_STATE_DIR/redis.pid")
    if [ "$outage_signal" = KILL ]; then kill -KILL "$pid"; else kill -STOP "$pid"; fi
    echo "redis-server (pid $pid) $([ "$outage_signal" = KILL ] && echo killed with SIGKILL || echo stopped with SIGSTOP) at $(python3 -c "print(round($(date +%s.%N)-$started,2))") s"
    at "$(python3 -c "print($outage_at+$outage_seconds)")"
    if [ "$outage_signal" = KILL ]; then
      # Same port, same data dir: it reloads its append-only file.
      scripts/cluster.sh start --silos 0 --no-build --no-dashboard 2>&1 | grep -i redis
    else kill -CONT "$pid"; fi
    for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
    echo "redis-server answers again at $(python3 -c "print(round($(date +%s.%N)-$started,2))") s ($(redis-cli -p "$redis_port" dbsize) keys)"
  ) > "$work/outage.log" 2>&1 &
  outage_job=$!
  ( at "$(python3 -c "print($outage_at+2)")"; s=$(date +%s.%N)
    echo "started at $(python3 -c "print(round($s-$started,2))") s" > "$work/publish-outage.when"
    code=0; timeout 120 env COLUMNS=160 dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" publish "$artifact_b" \
      --shards "$shards" --user-shards "$shards" > "$work/publish-outage.log" 2>&1 || code=$?
    echo "$code" > "$work/publish-outage.code"
    python3 -c "print(round($(date +%s.%N)-$s,2))" > "$work/publish-outage.seconds" ) &
  publish_outage_job=$!
fi
load_status=0
wait $load_pid || load_status=$?
load_avg_end=$(cut -d' ' -f1-3 /proc/loadavg)
[ -n "${kill_job:-}" ] && { wait "$kill_job" || true; cat "$work/kill.log"; }
[ -n "${publish_job:-}" ] && { wait "$publish_job" || true; publish_seconds=$(cat "$work/publish-b.seconds" 2>/dev/null || echo null); tail -n 2 "$work/publish-b.log"; }
sed -n '/load: started/,$p' "$work/load.log" | grep -v '^load: t=' || true
[ -f "$json" ] || { echo "chaos.sh: the load generator wrote no report (exit $load_status); see $work/load.log" >&2; exit 1; }

outage_json=null
if [ -n "$outage_at" ]; then
  wait "$outage_job" || true; wait "$publish_outage_job" || true
  cat "$work/outage.log"
  p_code=$(cat "$work/publish-outage.code"); p_secs=$(cat "$work/publish-outage.seconds")
  p_line=$(grep -v '^[[:space:]]*$' "$work/publish-outage.log" | tail -n 1 | sed "s|$root/||g")
  p_lines=$(grep -c . "$work/publish-outage.log" || true)
  p_trace=$(grep -cE '^\s+at [A-Za-z]|Unhandled exception' "$work/publish-outage.log" || true)
  echo "Publish during the outage: exit $p_code after $p_secs s: $p_line"
  active_line=$(client active 2>&1 | grep -m1 -i version | sed 's/[[:space:]]\+/ /g' || true)
  # The silos: still running? What did they log about the store?
  alive=0; for f in "$CLUSTER_STATE_DIR"/silo-*.pid; do kill -0 "$(cat "$f")" 2>/dev/null && alive=$((alive + 1)); done
  # Which Redis calls failed on the silos: grain storage (on a request's path, had any grain read or written its
  # state) or membership (IAmAlive, table reads: background, off the request path).
  storage_failures=$(cat "$CLUSTER_STATE_DIR"/silo-*.log | grep -cE 'grain state for' || true)
  membership_failures=$(cat "$CLUSTER_STATE_DIR"/silo-*.log | grep -cE 'at Orleans\.Clustering\.Redis\.RedisMembershipTable\.[A-Za-z]+Async' || true)
  echo "Silos alive after the outage: $alive of $silos; failed Redis calls logged by the silos: grain storage $storage_failures, membership table $membership_failures"
  echo "Publish after the recovery ..."
  s=$(date +%s.%N); a_code=0
  timeout 180 env COLUMNS=160 dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" publish "$artifact_b" \
    --shards "$shards" --user-shards "$shards" > "$work/publish-after.log" 2>&1 || a_code=$?
  a_secs=$(python3 -c "print(round($(date +%s.%N)-$s,2))")
  a_line=$(grep -v '^[[:space:]]*$' "$work/publish-after.log" | tail -n 1 | sed "s|$root/||g")
  echo "  exit $a_code after $a_secs s: $a_line"
  # Every user but the rater (whose answers fold in its ratings) against version B's brute force.
  client load --rps 200 --duration 5 --k 10 --users 2-943 --verify "$artifact_b" --quiet --json "$work/after-publish.json" > /dev/null 2>&1 || true
  verdict_b=$(jq -r '"\(.requests) requests to users 2-943 after it: \(.failures) failures, \(.wrongResults) wrong results, versions \(.versions | tojson)"' "$work/after-publish.json" 2>/dev/null || echo "no load report")
  jq -e --arg b "$(basename "$artifact_b")" '.failures == 0 and .wrongResults == 0 and (.versions | keys) == [$b]' "$work/after-publish.json" > /dev/null 2>&1 && exact_b=true || exact_b=false
  echo "  $verdict_b"
  client export-ratings --out "$work/ratings.csv" > "$work/export.log" 2>&1 || true
  kept=0; excluded=0
  rec=$(client recommend "$rated_user" -k 50 --json 2>/dev/null | jq -r '.items[].id' || true)
  for m in "${rated_movies[@]}"; do
    grep -qE "^$rated_user,$m,5" "$work/ratings.csv" 2>/dev/null && kept=$((kept + 1))
    grep -qx "$m" <<< "$rec" || excluded=$((excluded + 1))
  done
  echo "Ratings of user $rated_user recorded before the outage: $kept of ${#rated_movies[@]} in export-ratings; $excluded of ${#rated_movies[@]} out of its top 50."
  # The load's "during" phase is the fault plus max(recovery, 5 s); the outage's own window, from the per-second buckets:
  window=$(jq -c --argjson a "$outage_at" --argjson b "$(python3 -c "print($outage_at+$outage_seconds)")" \
    '[.buckets[] | select(.second >= ($a|floor) and .second < ($b|ceil))] | {requests:(map(.requests)|add), failures:(map(.failures)|add),
      p99MsWorstSecond:(map(.p99Ms)|max), p50MsWorstSecond:(map(.p50Ms)|max)}' "$json")
  outage_json=$(jq -n --argjson window "$window" --arg signal "$outage_signal" --argjson at "$outage_at" --argjson secs "$outage_seconds" \
    --arg outageLog "$(sed "s|$root/||g" "$work/outage.log")" --arg pWhen "$(cat "$work/publish-outage.when")" \
    --argjson pCode "$p_code" --argjson pSecs "$p_secs" --arg pLine "$p_line" --argjson pLines "$p_lines" --argjson pTrace "$p_trace" \
    --arg active "$active_line" --argjson alive "$alive" --argjson storageFailures "$storage_failures" --argjson membershipFailures "$membership_failures" \
    --argjson aCode "$a_code" --argjson aSecs "$a_secs" --arg aLine "$a_line" --argjson exactB "$exact_b" --arg verifyB "$verdict_b" \
    --argjson user "$rated_user" --arg movies "${rated_movies[*]}" --argjson kept "$kept" --argjson excluded "$excluded" \
    '{signal:$signal, atSeconds:$at, seconds:$secs, outageWindow:$window, events:($outageLog | split("\n") | map(select(length > 0))),
      publishDuringOutage:{when:$pWhen, exitCode:$pCode, seconds:$pSecs, lastLine:$pLine, outputLines:$pLines, stackTraceLines:$pTrace},
      activeAfterLoad:$active, silosAliveAfter:$alive, siloLogFailedGrainStorageCalls:$storageFailures, siloLogFailedMembershipTableCalls:$membershipFailures,
      publishAfterRecovery:{exitCode:$aCode, seconds:$aSecs, lastLine:$aLine, verifiedExact:$exactB, verify:$verifyB},
      ratings:{user:$user, movies:($movies | split(" ")), rating:5, inExport:$kept, excludedFromTop50:$excluded,
               kept:($kept == ($movies | split(" ") | length))}}')
fi

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
  --argjson publishSeconds "${publish_seconds:-null}" --argjson outage "$outage_json" --arg la0 "$load_avg_start" --arg la1 "$load_avg_end" --arg cpus "$(nproc)" --arg a "$(basename "$artifact_a")" --arg b "$(basename "${artifact_b:-none}")" \
  '{silos:$silos, durationSeconds:$duration, rps:$rps, shards:$shards, killAtSeconds:(if $killAt == 0 then null else $killAt end),
    killedSilo:(if $killAt == 0 then null else $killSilo end), publishAtSeconds:$publishAt, publishSeconds:$publishSeconds,
    versionBefore:$a, versionPublished:(if $b == "none" then null else $b end), cpus:($cpus|tonumber),
    loadAverageAtLoadStart:$la0, loadAverageAtLoadEnd:$la1} + (if $outage == null then {} else {redisOutage:$outage} end)')
tmp=$(mktemp)
jq --argjson scenario "$scenario" --argjson restart "$restart_json" '. + {scenario:$scenario} + (if $restart == null then {} else {restart:$restart} end)' "$json" > "$tmp" && mv "$tmp" "$json"

# The verdict against the issue's targets.
ok=1
check() { if [ "$(jq -r "$1" "$json")" = true ]; then echo "  PASS $2"; else echo "  FAIL $2"; ok=0; fi; }
echo "Targets ($(rel "$json")):"
jq -r '"  requests \(.requests), failures \(.failures), wrongResults \(.wrongResults), mixedVersions \(.mixedVersions), recoverySeconds \(.recoverySeconds) (first attempts \(.firstAttemptRecoverySeconds)), p99 ms before/during/after \(.p99MsBefore)/\(.p99MsDuring)/\(.p99MsAfter), versions \(.versions)"' "$json"
check '.successRate >= 0.99' "at least 99% of requests succeed"
check '.wrongResults == 0' "no wrong result"
if [ "$kill_at" != 0 ]; then check '(.recoverySeconds // 0) <= 30' "back to 100% success within 30 s"; fi
if [ -n "$publish_at" ] && [ "$kill_at" = 0 ]; then
  check '.failures == 0' "no failure during the publish"
  check '.mixedVersions == 0 and .unverifiedVersions == 0' "no mixed versions"
  check '(.versions | length) == 2' "both versions served"
fi
if [ -n "$outage_at" ]; then
  check '.failures == 0' "no failure while Redis is down (activated grains answer without it)"
  if [ "$outage_signal" = KILL ]; then
    check '.scenario.redisOutage.publishDuringOutage.exitCode != 0 and .scenario.redisOutage.publishDuringOutage.exitCode != 124' "the publish during the outage fails (not hangs)"
    check '.scenario.redisOutage.publishDuringOutage.stackTraceLines == 0 and .scenario.redisOutage.publishDuringOutage.outputLines <= 3' "with a short message, no stack trace"
    check "(.versions | keys) == [\"$(basename "$artifact_a")\"]" "the active version kept serving during the outage (only it was served)"
  else
    # A frozen Redis accepts connections and answers nothing: the publish waits (the client's start allows 15 s)
    # and either fails in one line or completes once Redis is thawed.
    check '.scenario.redisOutage.publishDuringOutage.exitCode != 124 and .scenario.redisOutage.publishDuringOutage.stackTraceLines == 0' "the publish during the freeze ends (fails in one line, or completes once Redis is back), no hang"
    check '.mixedVersions == 0' "no mixed versions"
  fi
  check '.scenario.redisOutage.publishAfterRecovery.exitCode == 0 and .scenario.redisOutage.publishAfterRecovery.verifiedExact' "a publish after the recovery succeeds and serves exactly"
  check '.scenario.redisOutage.ratings.kept and .scenario.redisOutage.ratings.excludedFromTop50 == 3' "ratings recorded before the outage are kept (exported, excluded from recommendations)"
  check '.scenario.redisOutage.silosAliveAfter == .scenario.silos' "every silo survives the outage"
fi
[ "$restart_check" = 1 ] && check '.restart.exact' "after a full restart every user is served the active version exactly, without republishing"
[ "$ok" = 1 ]
