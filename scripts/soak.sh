#!/usr/bin/env bash
# Soak test: ONE silo in cluster mode (its own Redis, ports and state, apart from scripts/cluster.sh's defaults),
# the ML-100K model published, the client's load generator at a steady rate for N minutes, one 60 s load per minute
# back to back. After each minute: the silo's RSS (/proc/PID/status VmRSS) and that minute's p50/p99/failures.
#
#   scripts/soak.sh [--minutes 20] [--rps 2000|auto] [--warmup 60] [--shards 16] [--artifact DIR] [--data DIR]
#                   [--probe-rates "250 500 1000 1500 2000 3000 4000"] [--json bench/results/soak-ml100k.json] [--no-build]
#
# --rps auto: first the highest sustained rate on this silo now (10 s at each probe rate, the highest with p99 under
# 50 ms and no failure, as scripts/throughput.sh), then the soak at half of it.
# Targets (issue 11), start = the first minute after the warm-up, end = the last minute:
#   RSS growth under 10% (end RSS < 1.10 x start RSS) and p99 within 1.5x (end p99 <= 1.5 x start p99).
# Prints the per-minute table and the verdict, writes the JSON (relative paths only); exit 0 when both hold.
# Ports (override with the environment): Redis 127.0.0.1:6391, silo 11221, gateway 30111, HTTP 8391, metrics 9501;
# state under .run/soak.
set -euo pipefail
if [ -n "${MOVIELENS_DIR:-}" ]; then MOVIELENS_DIR=$(realpath -m "$MOVIELENS_DIR"); fi
cd "$(dirname "$0")/.."
here=$OLDPWD
root=$(pwd)
work=$root/.run/soak
mkdir -p "$work"

minutes=20 rps=2000 warmup=60 probe_rates="250 500 1000 1500 2000 3000 4000" shards=16 artifact="" json=$root/bench/results/soak-ml100k.json build=1
data=${MOVIELENS_DIR:-$root/../shared/data/ml-100k}
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --rps) rps=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --probe-rates) probe_rates=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --artifact) artifact=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --data) data=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --json) json=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1'; see scripts/soak.sh --help" >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[1-9][0-9]*$ ]] || { echo "soak.sh: --minutes expects a positive whole number, not '$minutes'" >&2; exit 2; }
[[ "$rps" =~ ^[1-9][0-9]*$ ]] || [ "$rps" = auto ] || { echo "soak.sh: --rps expects a positive whole number, not '$rps'" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "soak.sh: --warmup expects seconds (a whole number), not '$warmup'" >&2; exit 2; }
[ -d "$data" ] || data=$root/data/ml-100k
# One soak at a time: a second one would share (and stop) the first one's cluster.
exec 9> "$work/lock"
flock -n 9 || { echo "soak.sh: another soak runs (lock $work/lock)" >&2; exit 1; }

export CLUSTER_STATE_DIR=${CLUSTER_STATE_DIR:-$work/cluster}
export CLUSTER_REDIS=${CLUSTER_REDIS:-127.0.0.1:6391}
export CLUSTER_SILO_BASE=${CLUSTER_SILO_BASE:-11220}
export CLUSTER_GATEWAY_BASE=${CLUSTER_GATEWAY_BASE:-30110}
export CLUSTER_PROMETHEUS_BASE=${CLUSTER_PROMETHEUS_BASE:-9500}
export CLUSTER_HTTP_BASE=${CLUSTER_HTTP_BASE:-8390}

client() { COLUMNS=160 dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" "$@"; }
trainer() { dotnet "$root/src/Trainer/bin/Release/net10.0/MovieRecommender.Trainer.dll" "$@"; }
rel() { realpath -m --relative-to="$root" "$1"; }

if [ "$build" = 1 ]; then
  echo "Building ..."
  for p in Silo Client Trainer; do dotnet build "src/$p" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null; done
fi

if [ -z "$artifact" ]; then
  # The chaos script's cached seed-42 model when there is one, else one trained here (once).
  marker=$root/.run/chaos/artifact-seed-42
  if [ -f "$marker" ] && [ -d "$(cat "$marker")" ]; then artifact=$(cat "$marker")
  elif [ -f "$work/artifact" ] && [ -d "$(cat "$work/artifact")" ]; then artifact=$(cat "$work/artifact")
  else
    echo "Training on $data (seed 42) ..."
    mkdir -p "$work/models"
    trainer train --data "$data" --out "$work/models" --seed 42 > "$work/train.log" 2>&1 || { tail -n 20 "$work/train.log" >&2; exit 1; }
    realpath "$(tail -n 1 "$work/train.log")" > "$work/artifact"
    artifact=$(cat "$work/artifact")
  fi
fi

cleanup() { scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true
scripts/cluster.sh start --silos 1 --fresh --no-build --no-dashboard
eval "$(scripts/cluster.sh env)"
pid=$(cat "$CLUSTER_STATE_DIR/silo-1.pid")
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }

echo "Publishing $(basename "$artifact") in $shards shards ..."
client publish "$artifact" --shards "$shards" --user-shards "$shards" > "$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
rss_published=$(rss_mb)
probe_json=null
if [ "$rps" = auto ]; then
  echo "Probing the highest sustained rate (10 s each, p99 < 50 ms, no failure; load average $(cut -d' ' -f1-3 /proc/loadavg)) ..."
  client load --rps 200 --duration 10 --users 1-943 --quiet > /dev/null 2>&1 || true
  best=0 probes=()
  for r in $probe_rates; do
    client load --rps "$r" --duration 10 --users 1-943 --quiet --json "$work/probe-$r.json" > /dev/null 2>&1 || true
    line=$(jq -c --argjson rate "$r" '{rate:$rate, achievedRps, failures, p50Ms, p99Ms}' "$work/probe-$r.json")
    echo "  $line"; probes+=("$line")
    if jq -e '.p99Ms < 50 and .failures == 0' "$work/probe-$r.json" > /dev/null; then best=$r; else break; fi
  done
  rps=$(( best / 2 )); [ "$rps" -ge 100 ] || rps=100
  probe_json=$(printf '%s\n' "${probes[@]}" | jq -s --argjson best "$best" '{highestSustainedRps:$best, rates:.}')
  echo "Highest sustained: $best requests/s; soak at $rps."
fi
if [ "$warmup" -gt 0 ]; then
  echo "Warm-up: $rps requests/s for $warmup s ..."
  client load --rps "$rps" --duration "$warmup" --users 1-943 --quiet --json "$work/warmup.json" > /dev/null 2>&1 || true
fi
rss_warm=$(rss_mb)
echo "RSS after publish $rss_published MB, after warm-up $rss_warm MB. Soak: $minutes x 60 s at $rps requests/s (load average $(cut -d' ' -f1-3 /proc/loadavg)) ..."
printf '%6s %10s %9s %9s %9s %9s %9s %14s\n' minute rss_mb requests failures rps p50_ms p99_ms load_avg_1m
rows=()
t_start=$(date +%s)
for m in $(seq 1 "$minutes"); do
  kill -0 "$pid" 2>/dev/null || { echo "soak.sh: the silo (pid $pid) died in minute $m; see $(rel "$CLUSTER_STATE_DIR/silo-1.log")" >&2; exit 1; }
  out=$work/minute-$m.json
  rm -f "$out"
  client load --rps "$rps" --duration 60 --users 1-943 --quiet --json "$out" > "$work/minute-$m.log" 2>&1 || true
  [ -f "$out" ] || { echo "soak.sh: minute $m wrote no report; see $(rel "$work/minute-$m.log")" >&2; tail -n 5 "$work/minute-$m.log" >&2; exit 1; }
  rss=$(rss_mb)
  load=$(cut -d' ' -f1 /proc/loadavg)
  row=$(jq -c --argjson m "$m" --argjson rss "$rss" --argjson load "$load" --argjson t "$(( $(date +%s) - t_start ))" \
    '{minute:$m, elapsedSeconds:$t, rssMb:$rss, requests, failures, achievedRps, p50Ms, p99Ms, loadAverage1m:$load}' "$out")
  rows+=("$row")
  echo "$row" | jq -r '[.minute, .rssMb, .requests, .failures, (.achievedRps|floor), .p50Ms, .p99Ms, .loadAverage1m] | @tsv' \
    | awk -F'\t' '{ printf "%6s %10s %9s %9s %9s %9.2f %9.2f %14s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
done

printf '%s\n' "${rows[@]}" | jq -s --argjson rps "$rps" --argjson minutes "$minutes" --argjson warmup "$warmup" \
  --argjson shards "$shards" --arg artifact "$(basename "$artifact")" --argjson rssPublished "$rss_published" \
  --argjson rssWarm "$rss_warm" --argjson probe "$probe_json" --arg cpus "$(nproc)" --arg host "$(uname -sr)" \
  '. as $m | ($m[0]) as $s | ($m[-1]) as $e |
   {scenario:{silos:1, shards:$shards, artifact:$artifact, rps:$rps, minutes:$minutes, warmupSeconds:$warmup,
              minuteLoad:"client load --rps R --duration 60 --users 1-943, back to back", cpus:($cpus|tonumber), os:$host, rateProbe:$probe},
    rssMbAfterPublish:$rssPublished, rssMbAfterWarmup:$rssWarm,
    start:{minute:$s.minute, rssMb:$s.rssMb, p50Ms:$s.p50Ms, p99Ms:$s.p99Ms},
    end:{minute:$e.minute, rssMb:$e.rssMb, p50Ms:$e.p50Ms, p99Ms:$e.p99Ms},
    rssGrowth:(($e.rssMb / $s.rssMb - 1) * 1000 | round / 1000),
    p99Ratio:(($e.p99Ms / $s.p99Ms) * 100 | round / 100),
    rssMbMax:([$m[].rssMb] | max), p99MsMax:([$m[].p99Ms] | max), p99MsMedian:([$m[].p99Ms] | sort | .[length/2|floor]),
    requests:([$m[].requests] | add), failures:([$m[].failures] | add),
    targets:{rssGrowthUnder10Percent:(if $e.rssMb < 1.10 * $s.rssMb then "PASS" else "FAIL" end),
             p99Within1_5x:(if $e.p99Ms <= 1.5 * $s.p99Ms then "PASS" else "FAIL" end)},
    minutesDetail:$m}' > "$json"
echo
jq -r '"start (minute \(.start.minute)): RSS \(.start.rssMb) MB, p99 \(.start.p99Ms) ms; end (minute \(.end.minute)): RSS \(.end.rssMb) MB, p99 \(.end.p99Ms) ms",
       "  \(.targets.rssGrowthUnder10Percent) RSS growth under 10% after warm-up (\(.rssGrowth * 100 | . * 10 | round / 10)%)",
       "  \(.targets.p99Within1_5x) p99 within 1.5x (\(.p99Ratio)x)",
       "requests \(.requests), failures \(.failures). Report: "' "$json" | sed "\$s|\$|$(rel "$json")|"
jq -e '.targets.rssGrowthUnder10Percent == "PASS" and .targets.p99Within1_5x == "PASS"' "$json" > /dev/null
