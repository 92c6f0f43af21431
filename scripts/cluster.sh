#!/usr/bin/env bash
# A local cluster in cluster mode: Redis (membership + grain state, installed with apt-get if missing) and
# N silos on distinct ports, each with its own Prometheus endpoint. Everything listens on 127.0.0.1 unless told.
#
#   scripts/cluster.sh start [--silos N] [--fresh]   start Redis (unless --redis points elsewhere) and silos 1..N
#   scripts/cluster.sh stop                          stop the silos (SIGTERM), then Redis (saving its data)
#   scripts/cluster.sh status                        what runs, on which ports
#   scripts/cluster.sh env                           the environment a client/trainer needs (eval "$(scripts/cluster.sh env)")
#   scripts/cluster.sh kill I                        kill -9 silo I (chaos)
#   scripts/cluster.sh start-silo I                  start silo I alone (after a kill, or to add a silo)
#   scripts/cluster.sh stop-silos                    stop every silo, keep Redis (a full restart keeps the store)
#   scripts/cluster.sh flush                         erase the store (every version, rating and membership row)
#
# Options (or environment): --redis HOST:PORT (CLUSTER_REDIS; default 127.0.0.1:6379, started here when local),
# --advertise IP (CLUSTER_ADVERTISE, the address other machines reach this one at; default 127.0.0.1),
# --first I (the index of the first silo, so two machines can use 1..3 and 4..6), --no-build.
# Ports of silo I: silo 11120+I, gateway 30010+I, Prometheus 9400+I (CLUSTER_SILO_BASE, CLUSTER_GATEWAY_BASE,
# CLUSTER_PROMETHEUS_BASE). State: .run/cluster/ (redis data, silo-I.log, silo-I.pid).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=$root/.run/cluster
mkdir -p "$state"

redis=${CLUSTER_REDIS:-127.0.0.1:6379}
advertise=${CLUSTER_ADVERTISE:-127.0.0.1}
silo_base=${CLUSTER_SILO_BASE:-11120}
gateway_base=${CLUSTER_GATEWAY_BASE:-30010}
prometheus_base=${CLUSTER_PROMETHEUS_BASE:-9400}
silos=3
first=1
fresh=0
build=1

command=${1:-}
[ $# -gt 0 ] && shift
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=$2; shift 2 ;;
    --redis) redis=$2; shift 2 ;;
    --advertise) advertise=$2; shift 2 ;;
    --first) first=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

redis_host=${redis%:*}
redis_port=${redis##*:}
is_local_redis() { [ "$redis_host" = 127.0.0.1 ] || [ "$redis_host" = localhost ]; }
silo_dll=$root/src/Silo/bin/Release/net10.0/MovieRecommender.Silo.dll

cluster_env() {
  echo "export Cluster__Mode=redis Cluster__Redis=$redis"
}

redis_up() { redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null | grep -q PONG; }

ensure_redis_installed() {
  bash "$root/scripts/install-redis.sh"
}

start_redis() {
  ensure_redis_installed
  if redis_up; then echo "Redis already answers at $redis."; return; fi
  is_local_redis || { echo "cluster.sh: no Redis answers at $redis; start it there first." >&2; exit 1; }
  mkdir -p "$state/redis"
  echo "Starting Redis on $redis (data: $state/redis, append-only file fsynced every second) ..."
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$state/redis" --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log" --save "60 1"
  for _ in $(seq 1 50); do redis_up && return; sleep 0.1; done
  echo "cluster.sh: Redis did not start; see $state/redis.log" >&2; exit 1
}

stop_redis() {
  local pid
  pid=$(cat "$state/redis.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    echo "Stopping Redis (saving) ..."
    redis-cli -h "$redis_host" -p "$redis_port" shutdown save >/dev/null 2>&1 || kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$state/redis.pid"
}

silo_pid() { [ -f "$state/silo-$1.pid" ] && cat "$state/silo-$1.pid"; }
silo_alive() { local pid; pid=$(silo_pid "$1") && kill -0 "$pid" 2>/dev/null; }

start_silo() {
  local i=$1
  if silo_alive "$i"; then echo "Silo $i already runs (pid $(silo_pid "$i"))."; return; fi
  local log=$state/silo-$i.log
  : > "$log"
  Cluster__Mode=redis Cluster__Redis=$redis Cluster__AdvertisedAddress=$advertise \
  Cluster__SiloPort=$((silo_base + i)) Cluster__GatewayPort=$((gateway_base + i)) \
  Telemetry__PrometheusPort=$((prometheus_base + i)) Telemetry__PrometheusHost=${CLUSTER_PROMETHEUS_HOST:-localhost} \
    nohup dotnet "$silo_dll" > "$log" 2>&1 &
  echo $! > "$state/silo-$i.pid"
}

wait_silo() {
  local i=$1
  for _ in $(seq 1 240); do
    grep -q "Silo ready" "$state/silo-$i.log" 2>/dev/null && { echo "Silo $i ready: $(grep -m1 'Silo ready' "$state/silo-$i.log" | sed 's/^Silo ready: //') (pid $(silo_pid "$i"))"; return; }
    silo_alive "$i" || { echo "cluster.sh: silo $i failed to start:" >&2; tail -n 30 "$state/silo-$i.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "cluster.sh: silo $i did not become ready in 60 s; see $state/silo-$i.log" >&2; exit 1
}

stop_silo() {
  local i=$1 pid
  pid=$(silo_pid "$i") || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$state/silo-$i.pid"
}

known_silos() { ls "$state"/silo-*.pid 2>/dev/null | sed 's/.*silo-\([0-9]*\)\.pid/\1/' | sort -n; }

build_once() {
  [ "$build" = 1 ] || return 0
  echo "Building the silo ..."
  dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
}

case "$command" in
  start)
    build_once
    start_redis
    if [ "$fresh" = 1 ]; then echo "Erasing the store (--fresh) ..."; redis-cli -h "$redis_host" -p "$redis_port" flushall >/dev/null; fi
    last=$((first + silos - 1))
    for i in $(seq "$first" "$last"); do start_silo "$i"; done
    for i in $(seq "$first" "$last"); do wait_silo "$i"; done
    echo "Cluster up: $silos silo(s), store redis://$redis. For the client and trainer: $(cluster_env)"
    ;;
  start-silo)
    [ ${#args[@]} -ge 1 ] || { echo "usage: cluster.sh start-silo I" >&2; exit 2; }
    build_once; start_silo "${args[0]}"; wait_silo "${args[0]}" ;;
  kill)
    [ ${#args[@]} -ge 1 ] || { echo "usage: cluster.sh kill I" >&2; exit 2; }
    pid=$(silo_pid "${args[0]}") || { echo "cluster.sh: no silo ${args[0]}" >&2; exit 1; }
    kill -9 "$pid"; echo "Silo ${args[0]} (pid $pid) killed with SIGKILL."; rm -f "$state/silo-${args[0]}.pid" ;;
  stop-silos)
    for i in $(known_silos); do stop_silo "$i"; done; echo "Silos stopped; the store keeps running." ;;
  stop)
    for i in $(known_silos); do stop_silo "$i"; done
    stop_redis
    echo "Cluster stopped." ;;
  status)
    if redis_up; then echo "store: redis://$redis up ($(redis-cli -h "$redis_host" -p "$redis_port" dbsize) keys)"; else echo "store: redis://$redis down"; fi
    for i in $(known_silos); do
      if silo_alive "$i"; then echo "silo $i: pid $(silo_pid "$i"), silo port $((silo_base + i)), gateway $((gateway_base + i)), metrics http://localhost:$((prometheus_base + i))/metrics"
      else echo "silo $i: not running (stale pid file)"; fi
    done ;;
  env) cluster_env ;;
  flush) redis-cli -h "$redis_host" -p "$redis_port" flushall >/dev/null && echo "Store erased." ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
