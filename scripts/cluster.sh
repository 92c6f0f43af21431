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
#   scripts/cluster.sh prometheus [start|stop|config|status]   Debian's prometheus (apt-get install if missing) on
#                                                    127.0.0.1, scraping every silo's /metrics; 'config' only writes
#                                                    .run/cluster/prometheus.yml (start --prometheus: with the silos)
#
# Telemetry: silos started while the dashboard runs (scripts/dashboard.sh), or with --dashboard (which starts it),
# export OTLP traces, metrics and logs to it; --no-dashboard keeps them from it. Standard OTEL_* variables set by
# the caller win. Clients and the trainer: eval "$(scripts/dashboard.sh env)".
# Options (or environment): --redis HOST:PORT (CLUSTER_REDIS; default 127.0.0.1:6379, started here when local),
# --advertise IP (CLUSTER_ADVERTISE, the address other machines reach this one at; default 127.0.0.1),
# --first I (the index of the first silo, so two machines can use 1..3 and 4..6), --no-build, --dashboard,
# --no-dashboard, --prometheus (with start), CLUSTER_PROMETHEUS_UI_PORT (Prometheus' own UI, 9190: Debian's packaged
# service may hold 9090).
# Ports of silo I: silo 11120+I, gateway 30010+I, HTTP API 8090+I, Prometheus 9400+I (CLUSTER_SILO_BASE,
# CLUSTER_GATEWAY_BASE, CLUSTER_HTTP_BASE, CLUSTER_PROMETHEUS_BASE). The HTTP API listens on 127.0.0.1 (CLUSTER_HTTP_HOST);
# its keys and limits come from the environment as for any silo (Http__OperatorKey, Http__ClientKeys__0, ...). State: .run/cluster/ (CLUSTER_STATE_DIR; redis data, silo-I.log, silo-I.pid, prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=${CLUSTER_STATE_DIR:-$root/.run/cluster}
mkdir -p "$state"

redis=${CLUSTER_REDIS:-127.0.0.1:6379}
advertise=${CLUSTER_ADVERTISE:-127.0.0.1}
silo_base=${CLUSTER_SILO_BASE:-11120}
gateway_base=${CLUSTER_GATEWAY_BASE:-30010}
prometheus_base=${CLUSTER_PROMETHEUS_BASE:-9400}
http_base=${CLUSTER_HTTP_BASE:-8090}
silos=3
first=1
fresh=0
build=1
dashboard=auto
with_prometheus=0
prometheus_ui_port=${CLUSTER_PROMETHEUS_UI_PORT:-9190}

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
    --dashboard) dashboard=on; shift ;;
    --no-dashboard) dashboard=off; shift ;;
    --prometheus) with_prometheus=1; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
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

# The OTEL variables for the silos: the dashboard's when it runs (or --dashboard), unless --no-dashboard.
dashboard_env() {
  [ "$dashboard" = off ] && return 0
  if [ "$dashboard" = on ]; then bash "$root/scripts/dashboard.sh" start >&2; fi
  if bash "$root/scripts/dashboard.sh" status >/dev/null 2>&1; then
    eval "$(bash "$root/scripts/dashboard.sh" env)"
    export_dashboard=1
  fi
}

start_silo() {
  local i=$1
  if silo_alive "$i"; then echo "Silo $i already runs (pid $(silo_pid "$i"))."; return; fi
  local log=$state/silo-$i.log
  : > "$log"
  Cluster__Mode=redis Cluster__Redis=$redis Cluster__AdvertisedAddress=$advertise \
  Cluster__SiloPort=$((silo_base + i)) Cluster__GatewayPort=$((gateway_base + i)) \
  Http__Port=$((http_base + i)) Http__Host=${CLUSTER_HTTP_HOST:-127.0.0.1} \
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

# Prometheus (Debian's package; no OTLP intake in its build, so it scrapes each silo's /metrics).
prometheus_pid() { [ -f "$state/prometheus.pid" ] && cat "$state/prometheus.pid"; }
prometheus_alive() { local pid; pid=$(prometheus_pid) && kill -0 "$pid" 2>/dev/null; }

write_prometheus_config() {
  local targets=() i
  for i in $(known_silos); do targets+=("'localhost:$((prometheus_base + i))'"); done
  if [ ${#targets[@]} -eq 0 ]; then
    for i in $(seq "$first" $((first + silos - 1))); do targets+=("'localhost:$((prometheus_base + i))'"); done
  fi
  local list
  list=$(IFS=,; echo "${targets[*]}")
  cat > "$state/prometheus.yml" <<YAML
# Written by scripts/cluster.sh: every silo's Prometheus endpoint (Telemetry:PrometheusPort = ${prometheus_base} + i).
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: movie-recommender-silos
    metrics_path: /metrics
    static_configs:
      - targets: [${list//,/, }]
YAML
  echo "Prometheus configuration: $state/prometheus.yml (targets: ${list//\'/})"
}

start_prometheus() {
  if ! command -v prometheus >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian's prometheus ..."
    $sudo apt-get install -y -q prometheus >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q prometheus >/dev/null; }
  fi
  write_prometheus_config
  if prometheus_alive; then
    kill -HUP "$(prometheus_pid)"
    echo "Prometheus already runs (pid $(prometheus_pid)); configuration reloaded. http://localhost:$prometheus_ui_port/targets"
    return
  fi
  mkdir -p "$state/prometheus-data"
  nohup prometheus --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/prometheus-data" \
    --web.listen-address="127.0.0.1:$prometheus_ui_port" > "$state/prometheus.log" 2>&1 &
  echo $! > "$state/prometheus.pid"
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$prometheus_ui_port/-/ready" >/dev/null 2>&1; then
      echo "Prometheus up (pid $(prometheus_pid)): http://localhost:$prometheus_ui_port (targets: http://localhost:$prometheus_ui_port/targets)"
      return
    fi
    prometheus_alive || { echo "cluster.sh: prometheus failed to start:" >&2; tail -n 20 "$state/prometheus.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "cluster.sh: prometheus did not answer in 30 s; see $state/prometheus.log" >&2; exit 1
}

stop_prometheus() {
  local pid
  pid=$(prometheus_pid) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    echo "Stopping Prometheus ..."
    kill -TERM "$pid"
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$state/prometheus.pid"
}

# A silo added or restarted: Prometheus, when it runs, picks up the new target list.
refresh_prometheus() { if prometheus_alive; then write_prometheus_config >/dev/null; kill -HUP "$(prometheus_pid)"; fi; }

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
    export_dashboard=0
    dashboard_env
    for i in $(seq "$first" "$last"); do start_silo "$i"; done
    for i in $(seq "$first" "$last"); do wait_silo "$i"; done
    echo "Cluster up: $silos silo(s), store redis://$redis. For the client and trainer: $(cluster_env)"
    if [ "$export_dashboard" = 1 ]; then
      echo "Silos export telemetry to the dashboard: $(bash "$root/scripts/dashboard.sh" url)"
      echo "For the client and trainer too: eval \"\$(scripts/dashboard.sh env)\""
    fi
    if [ "$with_prometheus" = 1 ]; then start_prometheus; else refresh_prometheus; fi
    ;;
  start-silo)
    [ ${#args[@]} -ge 1 ] || { echo "usage: cluster.sh start-silo I" >&2; exit 2; }
    build_once; export_dashboard=0; dashboard_env; start_silo "${args[0]}"; wait_silo "${args[0]}"; refresh_prometheus ;;
  kill)
    [ ${#args[@]} -ge 1 ] || { echo "usage: cluster.sh kill I" >&2; exit 2; }
    pid=$(silo_pid "${args[0]}") || { echo "cluster.sh: no silo ${args[0]}" >&2; exit 1; }
    kill -9 "$pid"; echo "Silo ${args[0]} (pid $pid) killed with SIGKILL."; rm -f "$state/silo-${args[0]}.pid" ;;
  stop-silos)
    for i in $(known_silos); do stop_silo "$i"; done; echo "Silos stopped; the store keeps running." ;;
  stop)
    for i in $(known_silos); do stop_silo "$i"; done
    stop_prometheus
    stop_redis
    echo "Cluster stopped." ;;
  status)
    if redis_up; then echo "store: redis://$redis up ($(redis-cli -h "$redis_host" -p "$redis_port" dbsize) keys)"; else echo "store: redis://$redis down"; fi
    for i in $(known_silos); do
      if silo_alive "$i"; then echo "silo $i: pid $(silo_pid "$i"), silo port $((silo_base + i)), gateway $((gateway_base + i)), HTTP http://127.0.0.1:$((http_base + i)), metrics http://localhost:$((prometheus_base + i))/metrics"
      else echo "silo $i: not running (stale pid file)"; fi
    done
    if prometheus_alive; then echo "prometheus: pid $(prometheus_pid), http://localhost:$prometheus_ui_port"; fi
    bash "$root/scripts/dashboard.sh" status 2>/dev/null || true ;;
  env) cluster_env ;;
  prometheus)
    case "${args[0]:-start}" in
      start) start_prometheus ;;
      stop) stop_prometheus ;;
      config) write_prometheus_config ;;
      status) if prometheus_alive; then echo "prometheus: pid $(prometheus_pid), http://localhost:$prometheus_ui_port"; else echo "prometheus: not running"; fi ;;
      *) echo "usage: cluster.sh prometheus [start|stop|config|status]" >&2; exit 2 ;;
    esac ;;
  flush) redis-cli -h "$redis_host" -p "$redis_port" flushall >/dev/null && echo "Store erased." ;;
  *) sed -n '2,30p' "$0"; exit 2 ;;
esac
