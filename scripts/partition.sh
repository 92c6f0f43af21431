#!/usr/bin/env bash
# Network partitions between real hosts: each silo, Redis and the load generator in a Linux network namespace of
# its own (its own address, 10.77.0.0/24), joined by veth pairs on a bridge that itself sits in a namespace, so
# nothing of the harness touches the machine's own network. Under load (every answer checked against the exact
# top 10 of the version it reports), each scenario cuts links for --cut-seconds, heals them, and measures.
#
#   scripts/partition.sh [--json FILE] [--scenarios LIST] [--cut-seconds 30] [--rps 200] [--before 10] [--after 30]
#                        [--artifact DIR | --data DIR] [--no-build] [--keep-logs] [--doc FILE]
#
# --doc FILE puts the table (as markdown, with the command, commit and machine) between the
# '<!-- partition:begin -->' and '<!-- partition:end -->' lines of FILE (docs/cluster.md).
#
# Scenarios (--scenarios, comma-separated; default all four, in this order):
#   isolate-silo       silo 3 cut off from everything (its cable pulled: the bridge port goes down)
#   silo-redis         silo 3 cut off from Redis only (both ways), still reaching the other silos and the client
#   gateway-client     silo 1 cut off from the load generator, whose gateway list holds every silo
#   split-2-1          silos 1 and 2 cut off from silo 3, every silo still reaching Redis and the client
# A cut between two hosts is a blackhole route on each side; dropped, not refused, as a broken network drops.
# Like a service manager (systemd's Restart=always), the harness starts again a silo that exits (Orleans ends a
# silo that finds itself declared dead), and between scenarios waits until all three serve.
#
# Per scenario the report holds requests, wrong (must be 0), failed (no answer after the client's retries),
# partial (answered by fewer than every shard, marked so), longestWaitMs, recoverySeconds (from the heal until
# every answer is complete again), duplicateActivations (pairs of activations of one shard whose answers
# interleaved in time: the silos log each activation's first and last answer every second) and the restarts.
# Exit code: 0 when every scenario had 0 wrong, 0 duplicate activations and recovery within 30 s; 3 when the
# machine refuses network namespaces (not root, or no 'ip netns'); 1 otherwise. Needs root, iproute2,
# redis-server (scripts/install-redis.sh) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$OLDPWD
root=$(pwd)
work=$root/.run/partition

json=$work/partition.json scenarios="isolate-silo,silo-redis,gateway-client,split-2-1" cut=30 rps=200 before=10 after=30
artifact="" data=${MOVIELENS_DIR:-$root/../shared/data/ml-100k} build=1 keep_logs=0 doc=""
command_line="scripts/partition.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --cut-seconds) cut=$2; shift 2 ;;
    --rps) rps=$2; shift 2 ;;
    --before) before=$2; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --artifact) artifact=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --data) data=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    --keep-logs) keep_logs=1; shift ;;
    --doc) doc=$(cd "$here" && realpath -m "$2"); shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "partition.sh: unknown argument '$1'; see scripts/partition.sh --help" >&2; exit 2 ;;
  esac
done
for pair in "cut-seconds:$cut" "rps:$rps" "before:$before" "after:$after"; do
  [[ "${pair#*:}" =~ ^[0-9]+$ ]] && [ "${pair#*:}" -gt 0 ] \
    || { echo "partition.sh: --${pair%%:*} expects a whole number of at least 1, not '${pair#*:}'" >&2; exit 2; }
done
IFS=, read -r -a scenario_list <<< "$scenarios"
for s in "${scenario_list[@]}"; do
  case "$s" in isolate-silo|silo-redis|gateway-client|split-2-1) ;;
    *) echo "partition.sh: unknown scenario '$s'; expected isolate-silo, silo-redis, gateway-client or split-2-1" >&2; exit 2 ;;
  esac
done
[ -z "$doc" ] || grep -q '<!-- partition:begin -->' "$doc" 2> /dev/null || { echo "partition.sh: --doc $doc has no '<!-- partition:begin -->' line to put the table after" >&2; exit 2; }
[ -z "$artifact" ] || [ -f "$artifact/manifest.json" ] || { echo "partition.sh: --artifact $artifact holds no manifest.json (a trained model folder is expected)" >&2; exit 2; }

# Network namespaces need root and iproute2; say so plainly rather than fail half-way.
refuse() { echo "partition.sh: this machine refuses network namespaces ($1); no partition can be run here." >&2; exit 3; }
[ "$(id -u)" = 0 ] || refuse "not root"
command -v ip > /dev/null || refuse "no 'ip' command (iproute2)"
probe=mrprobe$$
ip netns add "$probe" 2> /dev/null || refuse "'ip netns add' failed"
ip netns del "$probe"
command -v redis-server > /dev/null || bash scripts/install-redis.sh
# The report is written by python3: Debian's python3 where a bare machine lacks it.
command -v python3 > /dev/null || { echo "partition.sh: installing python3 for the report ..."; apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 > /dev/null; }

mkdir -p "$work" "$(dirname "$json")"
run=$work/run-$$
rm -rf "$run"; mkdir -p "$run"
silo_dll=$root/src/Silo/bin/Release/net10.0/MovieRecommender.Silo.dll
client_dll=$root/src/Client/bin/Release/net10.0/MovieRecommender.Client.dll
if [ "$build" = 1 ]; then
  echo "Building ..."
  for p in Silo Client Trainer; do dotnet build "src/$p" -c Release -nologo -clp:ErrorsOnly -v quiet > /dev/null; done
fi
if [ -z "$artifact" ]; then
  marker=$work/artifact
  if [ -f "$marker" ] && [ -d "$(cat "$marker")" ]; then artifact=$(cat "$marker")
  else
    echo "Training on $data ..."
    dotnet "$root/src/Trainer/bin/Release/net10.0/MovieRecommender.Trainer.dll" train --data "$data" --out "$work/models" > "$run/train.log" 2>&1 \
      || { tail -n 20 "$run/train.log" >&2; exit 1; }
    artifact=$(realpath "$(tail -n 1 "$run/train.log")"); echo "$artifact" > "$marker"
  fi
fi

# The hosts: a namespace each, named after this run so that two runs never meet.
tag=$$
sw=mr$tag-sw
hosts=(redis s1 s2 s3 load)
declare -A ip_of=([redis]=10.77.0.2 [s1]=10.77.0.11 [s2]=10.77.0.12 [s3]=10.77.0.13 [load]=10.77.0.20)
ns() { echo "mr$tag-$1"; }
port() { echo "v$tag$1"; }   # the host's port on the bridge (in the switch namespace)
declare -A pid_of=()
load_pid=""

cleanup() {
  local status=$?
  for p in "${pid_of[@]}" $load_pid; do kill -TERM "$p" 2> /dev/null || true; done
  for _ in $(seq 1 40); do
    local alive=0
    for p in "${pid_of[@]}" $load_pid; do kill -0 "$p" 2> /dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.25
  done
  for p in "${pid_of[@]}" $load_pid; do kill -KILL "$p" 2> /dev/null || true; done
  for h in "${hosts[@]}"; do ip netns del "$(ns "$h")" 2> /dev/null || true; done
  ip netns del "$sw" 2> /dev/null || true
  [ "$keep_logs" = 1 ] || [ $status != 0 ] || rm -rf "$run"
  [ $status = 0 ] || echo "partition.sh: logs kept in $(realpath --relative-to="$root" "$run")" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$sw"
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up
for h in "${hosts[@]}"; do
  ip netns add "$(ns "$h")"
  ip -n "$sw" link add "$(port "$h")" type veth peer name eth0 netns "$(ns "$h")"
  ip -n "$sw" link set "$(port "$h")" master br0 up
  ip -n "$(ns "$h")" addr add "${ip_of[$h]}/24" dev eth0
  ip -n "$(ns "$h")" link set eth0 up
  ip -n "$(ns "$h")" link set lo up
done
echo "Hosts: redis ${ip_of[redis]}, silos ${ip_of[s1]} ${ip_of[s2]} ${ip_of[s3]}, load generator ${ip_of[load]} (namespaces mr$tag-*)"

isolate() { ip -n "$sw" link set "$(port "$1")" "$2"; }   # down: its cable pulled; up: back
cut_pair() { ip -n "$(ns "$1")" route "$3" blackhole "${ip_of[$2]}/32"; ip -n "$(ns "$2")" route "$3" blackhole "${ip_of[$1]}/32"; }
# links SCENARIO cut|heal: the scenario's links, cut or healed.
links() {
  local route=add link=down
  [ "$2" = cut ] || { route=del; link=up; }
  case "$1" in
    isolate-silo) isolate s3 $link ;;
    silo-redis) cut_pair s3 redis $route ;;
    gateway-client) cut_pair s1 load $route ;;
    split-2-1) cut_pair s1 s3 $route; cut_pair s2 s3 $route ;;
  esac
  echo "$EPOCHREALTIME $2" >> "$run/$1.events"
}

redis_addr=${ip_of[redis]}:6379
# Protected mode off: it would refuse the silos (no password), and only the harness's namespaces reach it.
ip netns exec "$(ns redis)" redis-server --bind "${ip_of[redis]}" --port 6379 --protected-mode no --dir "$run" --save "" --appendonly no \
  --logfile "$run/redis.log" > /dev/null 2>&1 &
pid_of[redis]=$!
for _ in $(seq 1 50); do ip netns exec "$(ns redis)" redis-cli -h "${ip_of[redis]}" ping 2> /dev/null | grep -q PONG && break; sleep 0.1; done

restarts=0
start_silo() {
  local h=$1
  # Started from a subshell that leaves at once, so that bash does not report a silo that Orleans aborts (declared dead).
  ( ip netns exec "$(ns "$h")" env Cluster__Mode=redis Cluster__Redis="$redis_addr" Cluster__AdvertisedAddress="${ip_of[$h]}" \
      Cluster__SiloPort=11111 Cluster__GatewayPort=30000 Http__Host=127.0.0.1 Http__Port=8080 \
      Telemetry__PrometheusHost=127.0.0.1 Telemetry__PrometheusPort=9400 Serving__Shards__AnswerLogInterval=00:00:01 \
      dotnet "$silo_dll" >> "$run/$h.log" 2>&1 &
    echo $! > "$run/$h.pid" )
  pid_of[$h]=$(cat "$run/$h.pid")
  echo "$EPOCHREALTIME start $h pid ${pid_of[$h]}" >> "$run/events.log"
}
ready_count() { grep -c "Silo ready" "$run/$1.log" 2> /dev/null || true; }
# Until silo $1 is ready after its latest start; one that exits while starting (its peers still count it dead, or it
# cannot reach Redis yet) is started again, up to 10 times.
wait_ready() {
  local h=$1 tries=0
  for _ in $(seq 1 480); do
    [ "$(ready_count "$h")" -ge "${starts[$h]}" ] && return 0
    if ! kill -0 "${pid_of[$h]}" 2> /dev/null; then
      tries=$((tries + 1))
      [ $tries -le 10 ] || { echo "partition.sh: silo $h exited while starting, 10 times:" >&2; tail -n 20 "$run/$h.log" >&2; exit 1; }
      restarts=$((restarts + 1)); starts[$h]=$((starts[$h] + 1)); start_silo "$h"
    fi
    sleep 0.25
  done
  echo "partition.sh: silo $h was not ready in 120 s; see $run/$h.log" >&2; exit 1
}
declare -A starts=([s1]=0 [s2]=0 [s3]=0)
for h in s1 s2 s3; do start_silo "$h"; starts[$h]=1; done
for h in s1 s2 s3; do wait_ready "$h"; done
# A silo that exits is started again, as a service manager would (Orleans ends a silo declared dead).
supervise() {
  for h in s1 s2 s3; do
    if ! kill -0 "${pid_of[$h]}" 2> /dev/null; then
      echo "  silo $h exited; starting it again"
      restarts=$((restarts + 1)); starts[$h]=$((starts[$h] + 1)); start_silo "$h"
    fi
  done
}
all_ready() { supervise; for h in s1 s2 s3; do wait_ready "$h"; done; }

client() { ip netns exec "$(ns load)" env Cluster__Mode=redis Cluster__Redis="$redis_addr" COLUMNS=160 dotnet "$client_dll" "$@"; }
echo "Publishing $(basename "$artifact") in 3 + 3 shards ..."
client publish "$artifact" --shards 3 --user-shards 3 > "$run/publish.log" 2>&1 || { cat "$run/publish.log" >&2; exit 1; }

# Waits until every shard answers every request again, with all three silos up: the next scenario starts clean.
settle() {
  all_ready
  for _ in $(seq 1 60); do
    client load --rps 50 --duration 2 --k 10 --verify "$artifact" --retries 0 --quiet --json "$run/settle.json" > /dev/null 2>&1 || true
    python3 -c "import json,sys; r=json.load(open('$run/settle.json')); sys.exit(0 if r['requests']>0 and r['failures']==0 and r['partialAnswers']==0 else 1)" 2> /dev/null && return 0
    supervise
  done
  echo "partition.sh: the cluster did not serve complete answers again within 3 minutes" >&2; exit 1
}

declare -a rows=()
for scenario in "${scenario_list[@]}"; do
  settle
  duration=$((before + cut + after))
  echo "Scenario $scenario: $rps requests/s for $duration s, cut at ${before} s for ${cut} s ..."
  restarts=0
  : > "$run/$scenario.events"
  # Open loop with room for every request in flight: one stuck on the cut silo must not hold back the next.
  # A client that could not connect (a busy machine) is started again, twice at most.
  for attempt in 1 2 3; do
    ip netns exec "$(ns load)" env Cluster__Mode=redis Cluster__Redis="$redis_addr" COLUMNS=160 dotnet "$client_dll" \
      load --rps "$rps" --duration "$duration" --k 10 --verify "$artifact" --fault-at "$before" --concurrency 10000 --quiet --json "$run/$scenario.json" \
      > "$run/$scenario.load.log" 2>&1 &
    load_pid=$!
    for _ in $(seq 1 1200); do grep -q "load: started" "$run/$scenario.load.log" 2> /dev/null && break; kill -0 $load_pid 2> /dev/null || break; sleep 0.05; done
    grep -q "load: started" "$run/$scenario.load.log" && break
    wait $load_pid 2> /dev/null || true
    [ $attempt -lt 3 ] || { cat "$run/$scenario.load.log" >&2; exit 1; }
    echo "  the load generator did not start ($(tail -n 1 "$run/$scenario.load.log")); again"
  done
  wall_start=$EPOCHREALTIME
  started_us=${EPOCHREALTIME/./}
  # Sleeps until $1 seconds into the load (bash only: a busy machine must not stretch the cut).
  at() {
    local left=$((started_us + $1 * 1000000 - ${EPOCHREALTIME/./}))
    if [ $left -gt 0 ]; then sleep "$((left / 1000000)).$(printf %06d $((left % 1000000)))"; fi
  }
  at "$before"
  links "$scenario" cut
  # While cut (and after), a silo that ended itself is started again; it only joins once it can reach the others.
  for second in $(seq 1 "$cut"); do at "$((before + second))"; supervise; done
  links "$scenario" heal
  while kill -0 $load_pid 2> /dev/null; do sleep 1; supervise; done
  wait $load_pid || true
  load_pid=""
  [ -f "$run/$scenario.json" ] || { echo "partition.sh: the load generator wrote no report; see $run/$scenario.load.log" >&2; exit 1; }
  # The scenario's wall-clock window, to the next one's start: a duplicate that begins after the heal counts here too.
  rows+=("$scenario $wall_start $(( ${EPOCHREALTIME%.*} - ${wall_start%.*} + 1 )) $restarts")
done

# The report: the load generator's JSON per scenario, the heal time, and every silo's shard-answers lines.
commit=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
git diff --quiet HEAD 2> /dev/null || commit="$commit-dirty"
python3 - "$run" "$json" "$before" "$cut" "$rps" "$doc" "$command_line" "$commit" "${rows[@]}" << 'PY'
import json, sys, re, glob, os, platform, datetime
run, out, before, cut, rps = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
doc, command_line, commit, rows = sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9:]
line = re.compile(r"shard-answers key=(\S+) activation=(\S+) silo=(\S+) count=(\d+) first=(\S+) last=(\S+)")
def ts(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
spans = {}
for log in glob.glob(os.path.join(run, "s[123].log")):
    for m in line.finditer(open(log, errors="replace").read()):
        key, act, silo, _, first, last = m.groups()
        span = spans.setdefault(key, {}).setdefault(act, [float("inf"), float("-inf"), silo])
        span[0] = min(span[0], ts(first)); span[1] = max(span[1], ts(last))
def duplicates(t0, t1):
    # Two activations of one shard whose [first, last] answers overlap, counted in the scenario where the overlap begins.
    n = 0
    for key, acts in spans.items():
        live = list(acts.values())
        for i in range(len(live)):
            for j in range(i + 1, len(live)):
                start, end = max(live[i][0], live[j][0]), min(live[i][1], live[j][1])
                if start < end and t0 <= start < t1: n += 1
    return n
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
flags = open("/proc/cpuinfo").read()
simd = "Avx512" if "avx512f" in flags else "Avx2" if "avx2" in flags else "Vector128"
report = {"machine": {"cpu": cpu, "cores": os.cpu_count(), "simd": simd, "kernel": platform.release()},
          "command": command_line, "commit": commit, "rps": rps, "cutSeconds": cut, "scenarios": []}
for i in range(0, len(rows)):
    name, wall_start, duration, restarts = rows[i].split()
    load = json.load(open(os.path.join(run, name + ".json")))
    heal = before + cut
    buckets = load["buckets"]
    bad_after = [b["second"] for b in buckets if b["second"] >= heal and (b["failures"] > 0 or b["wrong"] > 0)]
    recovery = (max(bad_after) + 1 - heal) if bad_after else 0
    partial = sum(b["partial"] for b in buckets)
    t0 = float(wall_start)
    report["scenarios"].append({
        "name": name, "requests": load["requests"], "wrong": load["wrongResults"],
        "failed": sum(b["failures"] - b["partial"] for b in buckets), "partial": partial,
        "longestWaitMs": load["maxMs"], "recoverySeconds": recovery,
        "duplicateActivations": duplicates(t0, t0 + float(duration)),
        "siloRestarts": int(restarts), "p99Ms": load["p99Ms"], "p99MsDuring": load.get("p99MsDuring"),
        "firstErrors": load.get("firstErrors", [])[:3]})
json.dump(report, open(out, "w"), indent=2)
print(f"{'scenario':16} {'requests':>8} {'wrong':>5} {'failed':>6} {'partial':>7} {'longest wait ms':>15} {'recovery s':>10} {'duplicates':>10} {'restarts':>8}")
for s in report["scenarios"]:
    print(f"{s['name']:16} {s['requests']:>8} {s['wrong']:>5} {s['failed']:>6} {s['partial']:>7} {s['longestWaitMs']:>15.0f} {s['recoverySeconds']:>10.0f} {s['duplicateActivations']:>10} {s['siloRestarts']:>8}")
print(f"CPU {cpu}, {os.cpu_count()} cores; SIMD path {simd}. Wrote {out}.")
if doc:
    lines = ["", f"`{command_line}` (commit {commit}; {cpu}, {os.cpu_count()} cores, SIMD path {simd}; {rps:.0f} requests a second, cut {cut:.0f} s):", "",
             "| scenario | requests | wrong | failed | partial | longest wait (ms) | recovery after heal (s) | two activations answering | silo restarts |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {s['name']} | {s['requests']} | {s['wrong']} | {s['failed']} | {s['partial']} | {s['longestWaitMs']:.0f} | {s['recoverySeconds']:.0f} | {s['duplicateActivations']} | {s['siloRestarts']} |" for s in report["scenarios"]]
    text = open(doc).read()
    begin, end = "<!-- partition:begin -->", "<!-- partition:end -->"
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1] if end in rest else rest
    open(doc, "w").write(head + begin + "\n".join(lines) + "\n" + end + tail)
    print(f"Wrote the table into {doc}.")
ok = all(s["wrong"] == 0 and s["duplicateActivations"] == 0 and s["recoverySeconds"] <= 30 for s in report["scenarios"])
sys.exit(0 if ok else 1)
PY
