#!/usr/bin/env bash
# The telemetry dashboard: the standalone .NET Aspire dashboard (NuGet Aspire.Dashboard.Sdk.linux-x64, restored by
# deploy/dashboard/Dashboard.csproj), run in the background on loopback. It receives OTLP (gRPC and HTTP) from the
# silos, the trainer and the client, and shows traces, metrics and structured logs.
#
#   scripts/dashboard.sh start     start it (restoring the package if missing), wait until it answers, print the URL
#   scripts/dashboard.sh stop      stop it
#   scripts/dashboard.sh status    whether it runs, and its ports
#   scripts/dashboard.sh url       the login link to open (it carries the browser token)
#   scripts/dashboard.sh env       export lines pointing OTLP exporters at it: eval "$(scripts/dashboard.sh env)"
#
# Secure by default: it listens on 127.0.0.1 only, OTLP intake needs the API key (header x-otlp-api-key) and the
# UI needs the browser token. Both are generated once and kept in .run/dashboard/ (mode 600).
# 'env' only fills in what the caller's environment leaves unset: OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS
# and OTEL_METRIC_EXPORT_INTERVAL (5 s, so charts move). With OTEL_EXPORTER_OTLP_ENDPOINT already set (another
# backend), it prints nothing, and the key never leaves for another backend.
#
# Options (or environment): --ui-port P (DASHBOARD_UI_PORT, 18888), --otlp-grpc-port P (DASHBOARD_OTLP_GRPC_PORT,
# 4317), --otlp-http-port P (DASHBOARD_OTLP_HTTP_PORT, 4318), --host IP (DASHBOARD_HOST, 127.0.0.1; another
# address exposes it beyond this machine: put TLS in front). State: DASHBOARD_STATE_DIR (.run/dashboard).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=${DASHBOARD_STATE_DIR:-$root/.run/dashboard}
version=13.6.5
host=${DASHBOARD_HOST:-127.0.0.1}
ui_port=${DASHBOARD_UI_PORT:-18888}
grpc_port=${DASHBOARD_OTLP_GRPC_PORT:-4317}
http_port=${DASHBOARD_OTLP_HTTP_PORT:-4318}

command=${1:-}
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --ui-port) ui_port=$2; shift 2 ;;
    --otlp-grpc-port) grpc_port=$2; shift 2 ;;
    --otlp-http-port) http_port=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "dashboard.sh: unknown argument '$1'; see scripts/dashboard.sh --help" >&2; exit 2 ;;
  esac
done

umask 077
mkdir -p "$state"
chmod 700 "$state"

# A running dashboard's ports win over the defaults, so 'env' and 'url' describe what runs.
if [ -f "$state/endpoints" ] && [ "$command" != start ]; then
  # shellcheck disable=SC1091
  . "$state/endpoints"
fi
display_host=$host
[ "$host" = 127.0.0.1 ] && display_host=localhost

secret() { # a 32-hex-digit random secret, written once
  local file=$state/$1
  if [ ! -s "$file" ]; then od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$file"; fi
  chmod 600 "$file"
  cat "$file"
}

binary() {
  local packages
  packages=$(dotnet nuget locals global-packages -l | sed 's/^global-packages: *//')
  echo "${packages%/}/aspire.dashboard.sdk.linux-x64/$version/tools/Aspire.Dashboard"
}

ensure_binary() {
  local bin
  bin=$(binary)
  if [ ! -x "$bin" ]; then
    echo "Restoring the Aspire dashboard $version (NuGet Aspire.Dashboard.Sdk.linux-x64) ..." >&2
    dotnet restore "$root/deploy/dashboard/Dashboard.csproj" -nologo -v quiet >&2
    bin=$(binary)
    [ -f "$bin" ] || { echo "dashboard.sh: the package restored but $bin is missing" >&2; exit 1; }
    chmod u+x "$bin"
  fi
  echo "$bin"
}

pid() { [ -f "$state/pid" ] && cat "$state/pid"; }
alive() { local p; p=$(pid) && kill -0 "$p" 2>/dev/null; }
login_url() { echo "http://$display_host:$ui_port/login?t=$(secret browser-token)"; }

port_busy() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

answers() { # the UI serves the login page, and OTLP/HTTP refuses a request without the key
  local ui otlp
  ui=$(curl -s -o /dev/null -w '%{http_code}' "http://$host:$ui_port/login" 2>/dev/null) || true
  otlp=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-protobuf' --data-binary '' \
    "http://$host:$http_port/v1/traces" 2>/dev/null) || true
  [ "$ui" = 200 ] && [ "$otlp" = 401 ]
}

start() {
  if alive; then
    echo "The dashboard already runs (pid $(pid))."
    echo "Open: $(login_url)"
    return
  fi
  local port
  for port in "$ui_port" "$grpc_port" "$http_port"; do
    if port_busy "$port"; then echo "dashboard.sh: port $port on $host is taken; choose others (--help)" >&2; exit 1; fi
  done
  local bin key token
  bin=$(ensure_binary)
  key=$(secret otlp-api-key)
  token=$(secret browser-token)
  printf 'host=%s\nui_port=%s\ngrpc_port=%s\nhttp_port=%s\n' "$host" "$ui_port" "$grpc_port" "$http_port" > "$state/endpoints"
  echo "Starting the Aspire dashboard $version (log: $state/dashboard.log) ..."
  # The binary serves its web assets relative to its own folder; its settings are Dashboard:* (env: DASHBOARD__*).
  (
    cd "$state"
    env -u ASPNETCORE_ENVIRONMENT -u DOTNET_ENVIRONMENT \
      ASPNETCORE_URLS="http://$host:$ui_port" \
      ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://$host:$grpc_port" \
      ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://$host:$http_port" \
      DASHBOARD__OTLP__AUTHMODE=ApiKey DASHBOARD__OTLP__PRIMARYAPIKEY="$key" \
      DASHBOARD__FRONTEND__AUTHMODE=BrowserToken DASHBOARD__FRONTEND__BROWSERTOKEN="$token" \
      DASHBOARD__APPLICATIONNAME="Movie recommender" \
      ASPIRE_DASHBOARD_SUPPRESS_BROWSER_TOKEN_IN_OUTPUT=true \
      nohup "$bin" > "$state/dashboard.log" 2>&1 &
    echo $! > "$state/pid"
  )
  for _ in $(seq 1 120); do
    if answers; then
      echo "Dashboard up: UI http://$display_host:$ui_port, OTLP gRPC http://$display_host:$grpc_port, OTLP HTTP http://$display_host:$http_port"
      echo "Open: $(login_url)"
      return
    fi
    alive || { echo "dashboard.sh: the dashboard exited:" >&2; tail -n 30 "$state/dashboard.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "dashboard.sh: the dashboard did not answer in 30 s; see $state/dashboard.log" >&2
  stop >&2
  exit 1
}

stop() {
  local p
  if p=$(pid) && kill -0 "$p" 2>/dev/null; then
    echo "Stopping the dashboard (pid $p) ..."
    kill -TERM "$p"
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p"
  else
    echo "The dashboard is not running."
  fi
  rm -f "$state/pid" "$state/endpoints"
}

status() {
  if alive; then
    echo "dashboard: pid $(pid), UI http://$display_host:$ui_port, OTLP gRPC $grpc_port, OTLP HTTP $http_port (scripts/dashboard.sh url for the login link)"
  else
    echo "dashboard: not running"
    return 3
  fi
}

otel_env() {
  alive || echo "# dashboard.sh: the dashboard is not running (scripts/dashboard.sh start); exporters will retry until it does." >&2
  if [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then
    echo "# OTEL_EXPORTER_OTLP_ENDPOINT is already set ($OTEL_EXPORTER_OTLP_ENDPOINT); left as it is."
    return
  fi
  local protocol=${OTEL_EXPORTER_OTLP_PROTOCOL:-grpc} endpoint key header
  case "$protocol" in
    grpc) endpoint="http://$host:$grpc_port" ;;
    http/protobuf) endpoint="http://$host:$http_port" ;;
    *) echo "dashboard.sh: OTEL_EXPORTER_OTLP_PROTOCOL=$protocol; the dashboard takes grpc or http/protobuf" >&2; exit 1 ;;
  esac
  key=$(secret otlp-api-key)
  header="x-otlp-api-key=$key"
  echo "export OTEL_EXPORTER_OTLP_ENDPOINT=$endpoint"
  [ -n "${OTEL_EXPORTER_OTLP_PROTOCOL:-}" ] || echo "export OTEL_EXPORTER_OTLP_PROTOCOL=$protocol"
  # A signal with its own endpoint goes elsewhere: the key then goes only with the signals that come here.
  local signal var own=0
  for signal in TRACES METRICS LOGS; do
    var=OTEL_EXPORTER_OTLP_${signal}_ENDPOINT
    [ -n "${!var:-}" ] && own=1
  done
  if [ "$own" = 1 ]; then
    for signal in TRACES METRICS LOGS; do
      var=OTEL_EXPORTER_OTLP_${signal}_ENDPOINT
      local hvar=OTEL_EXPORTER_OTLP_${signal}_HEADERS
      if [ -z "${!var:-}" ] && [ -z "${!hvar:-}" ]; then echo "export $hvar=$header"; fi
    done
  elif [ -z "${OTEL_EXPORTER_OTLP_HEADERS:-}" ]; then
    echo "export OTEL_EXPORTER_OTLP_HEADERS=$header"
  elif [[ "$OTEL_EXPORTER_OTLP_HEADERS" != *x-otlp-api-key=* ]]; then
    echo "export OTEL_EXPORTER_OTLP_HEADERS='$OTEL_EXPORTER_OTLP_HEADERS,$header'"
  fi
  [ -n "${OTEL_METRIC_EXPORT_INTERVAL:-}" ] || echo "export OTEL_METRIC_EXPORT_INTERVAL=5000"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) login_url ;;
  env) otel_env ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
esac
