#!/usr/bin/env bash
# Rolling restart under load: Redis and 3 silos on loopback (scripts/cluster.sh, with ports of their own), ML-100K
# trained (once, cached under .run/rolling) and published, then the client's load generator at --rps recommendations a
# second, every answer checked against the exact top 10 of the version it reports, plus --ratings-rps ratings a second
# from users 1-50 (left out of the checked recommendations, whose answers they change). Meanwhile each silo in turn gets
# SIGTERM, drains (its /readyz, polled, must answer 503 from the start of the drain until it exits), exits, starts
# again, becomes ready (/readyz 200), and after --settle seconds the next one follows.
#
#   scripts/rolling-restart.sh [--json FILE] [--rps 500] [--ratings-rps 50] [--silos 3] [--shards 6] [--before 20]
#                              [--settle 15] [--after 20] [--duration S] [--drain-delay 5] [--data DIR] [--keep]
#                              [--no-build] [--markdown FILE]
#
# --json FILE: the report (default .run/rolling/rolling.json): requests, failed, wrong, partial, ratings, ratingsFailed,
# retries, p99Ms, per phase (before; drain-I from SIGTERM to exit and restart-I from exit to ready + settle, for each
# silo I; after) its requests, failed, wrong, ratings and p50/p99/max, per silo what its /readyz answered while it
# drained and how long the drain and the restart took, and the machine. --markdown FILE also writes the phase table as
# Markdown (it is printed either way). --duration: seconds of load (default: before + 60 per silo + after; the run fails
# if the restarts outlast it). --drain-delay: the silos' Serving:Shutdown:DrainDelay in seconds. --keep leaves the
# cluster running. Exit code 0 only when no request failed, no answer was wrong, every rating was recorded and every
# draining silo answered 503 on /readyz.
# The cluster is its own: Redis 127.0.0.1:6393, silo ports 11420+i, gateways 30310+i, HTTP 8390+i, Prometheus 9700+i,
# state .run/rolling/cluster (CLUSTER_* variables override, as for scripts/cluster.sh).
set -euo pipefail
if [ -n "${MOVIELENS_DIR:-}" ]; then MOVIELENS_DIR=$(realpath -m "$MOVIELENS_DIR"); fi
cd "$(dirname "$0")/.."
here=$OLDPWD
root=$(pwd)
work=$root/.run/rolling
usage() { sed -n '2,25p' "$0"; }
fail_usage() { echo "rolling-restart.sh: $1; see scripts/rolling-restart.sh --help" >&2; exit 2; }

json=$work/rolling.json markdown="" rps=500 ratings_rps=50 silos=3 shards=6 before=20 settle=15 after=20 duration=""
drain_delay=5 keep=0 build=1 data=${MOVIELENS_DIR:-$root/../shared/data/ml-100k}
need() { [ $# -ge 2 ] && [ -n "$2" ] || fail_usage "$1 expects a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --json) need "$@"; json=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --markdown) need "$@"; markdown=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --rps) need "$@"; rps=$2; shift 2 ;;
    --ratings-rps) need "$@"; ratings_rps=$2; shift 2 ;;
    --silos) need "$@"; silos=$2; shift 2 ;;
    --shards) need "$@"; shards=$2; shift 2 ;;
    --before) need "$@"; before=$2; shift 2 ;;
    --settle) need "$@"; settle=$2; shift 2 ;;
    --after) need "$@"; after=$2; shift 2 ;;
    --duration) need "$@"; duration=$2; shift 2 ;;
    --drain-delay) need "$@"; drain_delay=$2; shift 2 ;;
    --data) need "$@"; data=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail_usage "unknown argument '$1'" ;;
  esac
done
number() { [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || fail_usage "$1 expects a number of $3, not '$2'"; }
integer() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || fail_usage "$1 expects a whole number of $3 (1 or more), not '$2'"; }
number --rps "$rps" "requests a second"; number --ratings-rps "$ratings_rps" "ratings a second"
integer --silos "$silos" silos; integer --shards "$shards" shards
number --before "$before" seconds; number --settle "$settle" seconds; number --after "$after" seconds
number --drain-delay "$drain_delay" seconds
[ "$silos" -ge 2 ] || fail_usage "--silos is $silos: a rolling restart needs at least 2 silos (one serves while the other restarts)"
python3 -c "import sys; sys.exit(0 if float('$rps') > 0 else 1)" || fail_usage "--rps must be above 0"
[ -z "$duration" ] && duration=$(python3 -c "print(int($before + 60 * $silos + $after))")
number --duration "$duration" seconds
[ -d "$data" ] || { [ -d "$root/data/ml-100k" ] && data=$root/data/ml-100k; } || true
[ -f "$data/u.data" ] || fail_usage "no MovieLens 100K at '$data' (u.data missing): give --data DIR or MOVIELENS_DIR"
for tool in jq python3 curl; do command -v "$tool" >/dev/null || { echo "rolling-restart.sh: needs $tool" >&2; exit 1; }; done

# A cluster of its own, apart from scripts/cluster.sh's and chaos.sh's (the environment may still choose).
export CLUSTER_STATE_DIR=${CLUSTER_STATE_DIR:-$work/cluster}
export CLUSTER_REDIS=${CLUSTER_REDIS:-127.0.0.1:6393}
export CLUSTER_SILO_BASE=${CLUSTER_SILO_BASE:-11420}
export CLUSTER_GATEWAY_BASE=${CLUSTER_GATEWAY_BASE:-30310}
export CLUSTER_HTTP_BASE=${CLUSTER_HTTP_BASE:-8390}
export CLUSTER_PROMETHEUS_BASE=${CLUSTER_PROMETHEUS_BASE:-9700}
# The silos cluster.sh starts inherit this: how long each drains on SIGTERM.
export Serving__Shutdown__DrainDelay=$(python3 -c "import datetime; print(datetime.timedelta(seconds=float($drain_delay)))")
mkdir -p "$work/models" "$(dirname "$json")"
rel() { realpath -m --relative-to="$root" "$1"; }
client() { COLUMNS=160 dotnet "$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll" "$@"; }
trainer() { dotnet "$root/src/Trainer/bin/Release/net10.0/MovieRecommender.Trainer.dll" "$@"; }
now() { date +%s.%N; }
since() { python3 -c "print(round($(now) - $started, 2))"; }

load_pid=""
cleanup() {
  local status=$?
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "Cluster kept running (--keep): CLUSTER_STATE_DIR=$CLUSTER_STATE_DIR scripts/cluster.sh stop"
  else scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then
  echo "Building ..."
  for p in Silo Client Trainer; do dotnet build "src/$p" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null; done
fi

# The artifact: trained once (seed 42), reused by later runs.
marker=$work/artifact-seed-42
if [ -f "$marker" ] && [ -d "$(cat "$marker")" ]; then artifact=$(cat "$marker")
else
  echo "Training on $data (seed 42) ..."
  trainer train --data "$data" --out "$work/models" --seed 42 > "$work/train.log" 2>&1 || { tail -n 20 "$work/train.log" >&2; exit 1; }
  realpath "$(tail -n 1 "$work/train.log")" > "$marker"
  artifact=$(cat "$marker")
fi

scripts/cluster.sh stop --no-build >/dev/null 2>&1 || true
scripts/cluster.sh start --silos "$silos" --fresh --no-build --no-dashboard
eval "$(scripts/cluster.sh env)"
echo "Publishing $(basename "$artifact") in $shards shards ..."
client publish "$artifact" --shards "$shards" --user-shards "$shards" > "$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
echo "Warm-up: every user against brute force ..."
client verify "$artifact" --k 10 | tr -s '\n' ' ' | sed 's/.*Version /Version /'; echo
http_port() { echo $((CLUSTER_HTTP_BASE + $1)); }
readyz() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(http_port "$1")/readyz" 2>/dev/null || true; }
for i in $(seq 1 "$silos"); do
  for _ in $(seq 1 120); do [ "$(readyz "$i")" = 200 ] && break; sleep 0.5; done
  [ "$(readyz "$i")" = 200 ] || { echo "rolling-restart.sh: silo $i is not ready (/readyz) after the publish" >&2; exit 1; }
done

echo "Load: $rps recommendations/s (users 51-943, verified) and $ratings_rps ratings/s (users 1-50) for $duration s; rolling restart of $silos silos from ${before} s ..."
rm -f "$work/load.json" "$work/outcomes.csv"
load_args=(load --rps "$rps" --duration "$duration" --k 10 --verify "$artifact" --users 51-943 --json "$work/load.json" --outcomes "$work/outcomes.csv")
python3 -c "import sys; sys.exit(0 if float('$ratings_rps') > 0 else 1)" && load_args+=(--ratings-rps "$ratings_rps" --rating-users 1-50)
client "${load_args[@]}" > "$work/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 1200); do grep -q "load: started" "$work/load.log" 2>/dev/null && break; kill -0 $load_pid 2>/dev/null || break; sleep 0.05; done
grep -q "load: started" "$work/load.log" || { cat "$work/load.log" >&2; exit 1; }
started=$(now)
load_avg_start=$(cut -d' ' -f1-3 /proc/loadavg)
sleep_until() { python3 -c "import time; time.sleep(max(0, $started + $1 - time.time()))"; }

events=$work/events.jsonl
: > "$events"
sleep_until "$before"
for i in $(seq 1 "$silos"); do
  pid=$(cat "$CLUSTER_STATE_DIR/silo-$i.pid")
  log=$CLUSTER_STATE_DIR/silo-$i.log
  cp "$log" "$work/silo-$i.before-restart.log"
  t_term=$(since)
  kill -TERM "$pid"
  echo "  $(printf '%6.1f' "$t_term") s  silo $i (pid $pid): SIGTERM"
  # /readyz while it drains: every answer until the process is gone (000: no answer, Kestrel closed).
  codes=()
  sleep 0.05
  while kill -0 "$pid" 2>/dev/null; do codes+=("$(readyz "$i")"); sleep 0.2; done
  t_exit=$(since)
  n503=0; n200=0; nother=0; first503=""
  for c in "${codes[@]}"; do
    case "$c" in 503) n503=$((n503 + 1)) ;; 200) n200=$((n200 + 1)) ;; *) nother=$((nother + 1)) ;; esac
  done
  moved=$(grep -m1 "shard(s) moved" "$log" | sed 's/^Silo draining: //' || true)
  drained=$(grep -m1 "^Silo drained" "$log" || true)
  echo "  $(printf '%6.1f' "$t_exit") s  silo $i exited; /readyz while draining: $n503 x 503, $n200 x 200, $nother x no answer; ${moved:-no shard moved}"
  cp "$log" "$work/silo-$i.drain.log"
  scripts/cluster.sh start-silo "$i" --no-build --no-dashboard > "$work/start-$i.log" 2>&1 || { cat "$work/start-$i.log" >&2; exit 1; }
  ready=""
  for _ in $(seq 1 600); do [ "$(readyz "$i")" = 200 ] && { ready=1; break; }; sleep 0.2; done
  [ -n "$ready" ] || { echo "rolling-restart.sh: silo $i did not become ready within 120 s after its restart; see $(rel "$CLUSTER_STATE_DIR/silo-$i.log")" >&2; exit 1; }
  t_ready=$(since)
  echo "  $(printf '%6.1f' "$t_ready") s  silo $i ready again (pid $(cat "$CLUSTER_STATE_DIR/silo-$i.pid"))"
  jq -nc --argjson silo "$i" --argjson term "$t_term" --argjson exit "$t_exit" --argjson ready "$t_ready" --argjson settle "$settle" \
    --argjson n503 "$n503" --argjson n200 "$n200" --argjson nother "$nother" --arg moved "$moved" --arg drained "$drained" \
    '{silo:$silo, sigtermAtSeconds:$term, exitedAtSeconds:$exit, readyAtSeconds:$ready, settleSeconds:$settle,
      drainSeconds:(($exit - $term) * 100 | round / 100), restartSeconds:(($ready - $exit) * 100 | round / 100),
      readyzWhileDraining:{answered503:$n503, answered200:$n200, noAnswer:$nother},
      drainedAs503:($n503 > 0 and $n200 == 0), shardsMoved:$moved, drainLine:$drained}' >> "$events"
  sleep "$settle"
done
t_done=$(since)
load_status=0
python3 -c "import sys; sys.exit(0 if $t_done <= $duration else 1)" || { echo "rolling-restart.sh: the restarts ended at ${t_done} s, after the load's $duration s: give a longer --duration" >&2; exit 1; }
echo "  $(printf '%6.1f' "$t_done") s  every silo restarted; load runs on to $duration s ..."
wait "$load_pid" || load_status=$?
load_pid=""
load_avg_end=$(cut -d' ' -f1-3 /proc/loadavg)
sed -n '/load: started/,$p' "$work/load.log" | grep -v '^load: t=' || true
[ -f "$work/load.json" ] && [ -f "$work/outcomes.csv" ] || { echo "rolling-restart.sh: the load generator wrote no report (exit $load_status); see $(rel "$work/load.log")" >&2; exit 1; }

# The report: phases cut out of every request's outcome.
python3 - "$work/outcomes.csv" "$events" "$work/load.json" "$json" "$markdown" <<PY
import csv, json, math, sys, platform, os
outcomes, events_path, load_path, out, markdown = sys.argv[1:6]
rows = list(csv.DictReader(open(outcomes)))
events = [json.loads(l) for l in open(events_path) if l.strip()]
load = json.load(open(load_path))
def pct(values, p):
    if not values: return None
    s = sorted(values); return round(s[min(len(s) - 1, max(0, math.ceil(p * len(s)) - 1))], 1)
bounds = [("before", 0.0, events[0]["sigtermAtSeconds"])]
for e in events:
    bounds.append((f"drain-{e['silo']}", e["sigtermAtSeconds"], e["exitedAtSeconds"]))
    bounds.append((f"restart-{e['silo']}", e["exitedAtSeconds"], e["readyAtSeconds"] + e["settleSeconds"]))
bounds.append(("after", events[-1]["readyAtSeconds"] + events[-1]["settleSeconds"], float("inf")))
def summary(rs):
    rec = [r for r in rs if r["kind"] == "r"]; rat = [r for r in rs if r["kind"] == "t"]
    lat = [float(r["latencyMs"]) for r in rec]
    return {"requests": len(rec), "failed": sum(1 for r in rec if r["ok"] == "0" and r["wrong"] == "0"),
            "wrong": sum(1 for r in rec if r["wrong"] == "1"), "retried": sum(1 for r in rec if int(r["attempts"]) > 1),
            "p50Ms": pct(lat, .5), "p99Ms": pct(lat, .99), "maxMs": round(max(lat), 1) if lat else None,
            "ratings": len(rat), "ratingsFailed": sum(1 for r in rat if r["ok"] == "0"),
            "ratingP99Ms": pct([float(r["latencyMs"]) for r in rat], .99)}
phases = []
for name, a, b in bounds:
    p = {"name": name, "fromSeconds": round(a, 2), "toSeconds": None if b == float("inf") else round(b, 2)}
    p.update(summary([r for r in rows if a <= float(r["dueSeconds"]) < b])); phases.append(p)
total = summary(rows)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
ratings = load.get("ratings") or {}
report = {"requests": total["requests"], "failed": total["failed"], "wrong": total["wrong"],
          "partial": load.get("partialAnswers", 0), "retried": total["retried"],
          "ratings": total["ratings"], "ratingsFailed": total["ratingsFailed"],
          "p50Ms": total["p50Ms"], "p99Ms": total["p99Ms"], "maxMs": total["maxMs"], "ratingP99Ms": total["ratingP99Ms"],
          "versions": load.get("versions"), "mixedVersions": load.get("mixedVersions"),
          "phases": phases, "silos": events,
          "settings": {"silos": $silos, "rps": float("$rps"), "ratingsRps": float("$ratings_rps"), "durationSeconds": float("$duration"),
                       "shards": $shards, "drainDelaySeconds": float("$drain_delay"), "settleSeconds": float("$settle"),
                       "verifiedUsers": "51-943", "ratingUsers": "1-50"},
          "machine": {"cpu": cpu, "cpus": os.cpu_count(), "loadAverageAtStart": "$load_avg_start", "loadAverageAtEnd": "$load_avg_end"},
          "firstErrors": (load.get("firstErrors") or [])[:10] + (ratings.get("firstErrors") or [])[:10]}
json.dump(report, open(out, "w"), indent=2)
def f(v): return "-" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
lines = ["| phase | seconds | requests | failed | wrong | p50 ms | p99 ms | max ms | ratings | ratings failed |",
         "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for p in phases:
    span = f"{p['fromSeconds']:.1f}-" + ("end" if p["toSeconds"] is None else f"{p['toSeconds']:.1f}")
    lines.append(f"| {p['name']} | {span} | {p['requests']} | {p['failed']} | {p['wrong']} | {f(p['p50Ms'])} | {f(p['p99Ms'])} | {f(p['maxMs'])} | {p['ratings']} | {p['ratingsFailed']} |")
lines.append(f"| **all** | 0-end | {total['requests']} | {total['failed']} | {total['wrong']} | {f(total['p50Ms'])} | {f(total['p99Ms'])} | {f(total['maxMs'])} | {total['ratings']} | {total['ratingsFailed']} |")
silo_lines = ["| silo | SIGTERM at s | drain s | /readyz while draining | restart to ready s | shards moved |", "| ---: | ---: | ---: | --- | ---: | --- |"]
for e in events:
    z = e["readyzWhileDraining"]
    silo_lines.append(f"| {e['silo']} | {e['sigtermAtSeconds']:.1f} | {e['drainSeconds']:.1f} | {z['answered503']} x 503, {z['answered200']} x 200, {z['noAnswer']} x none | {e['restartSeconds']:.1f} | {e['shardsMoved'] or '-'} |")
text = "\n".join(lines) + "\n\n" + "\n".join(silo_lines) + f"\n\n{cpu}, {os.cpu_count()} CPUs; load average {report['machine']['loadAverageAtStart']} at the start.\n"
print(text)
if markdown: open(markdown, "w").write(text)
PY

ok=1
check() { if [ "$(jq -r "$1" "$json")" = true ]; then echo "  PASS $2"; else echo "  FAIL $2"; ok=0; fi; }
echo "Targets ($(rel "$json")):"
check '.failed == 0' "no request failed ($(jq -r .requests "$json") requests)"
check '.wrong == 0' "no wrong answer"
check '.ratingsFailed == 0' "every rating recorded ($(jq -r .ratings "$json") ratings)"
check "(.silos | length) == $silos and all(.silos[]; .drainedAs503)" "every draining silo answered 503 on /readyz (and never 200) until it exited"
jq -r '.firstErrors[]?' "$json" | head -n 5 | sed 's/^/  /'
[ "$ok" = 1 ]
