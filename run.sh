#!/usr/bin/env bash
# The main job, from a fresh clone: install what is missing, build, start the embedded-default silo,
# train the two-tower model on MovieLens 100K, publish it, check it serves exactly, and show user 42's top 10.
#
#   ./run.sh                 MovieLens from $MOVIELENS_DIR, else data/ml-100k (downloaded from GroupLens if absent)
#   ./run.sh --data DIR      MovieLens from DIR
#   ./run.sh --dashboard     also start the telemetry dashboard (scripts/dashboard.sh) first; the silo, trainer
#                            and client export traces, metrics and logs to it; its login link is printed at the end
#   ./run.sh --stop          stop the silo a previous run left running (the dashboard: scripts/dashboard.sh stop)
#
# Extra arguments after -- go to 'train' (e.g. ./run.sh -- --preset notebook).
# The silo keeps running afterwards, so the client can be tried; its log is .run/silo.log.
# RUN_DIR (default .run) and MODELS_DIR (default models) move its state and artifacts; the silo and the console
# take their ports and store from the environment too (Cluster__GatewayPort, Http__Port, Storage__Root).
set -euo pipefail
# Paths given relative to where the user stands stay valid after we move to the repository root.
if [ -n "${MOVIELENS_DIR:-}" ]; then MOVIELENS_DIR=$(realpath -m "$MOVIELENS_DIR"); export MOVIELENS_DIR; fi
cd "$(dirname "$0")"
here=$OLDPWD

state=${RUN_DIR:-.run}
models=${MODELS_DIR:-models}
pidfile=$state/silo.pid
mkdir -p "$state"

stop_silo() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "Stopping the silo (pid $(cat "$pidfile")) ..."
    kill -TERM "$(cat "$pidfile")"
    for _ in $(seq 1 60); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$pidfile"
}

data_args=()
train_args=()
dashboard=0
while [ $# -gt 0 ]; do
  case "$1" in
    --stop) stop_silo; exit 0 ;;
    --dashboard) dashboard=1; shift ;;
    --data) data_args=(--data "$(cd "$here" && realpath -m "$2")"); shift 2 ;;
    --) shift; train_args=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'; see ./run.sh --help" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
echo "Building ..."
dotnet build Orleans.sln -c Release -nologo -clp:ErrorsOnly
# The console and the trainer as .NET tools (dotnet recommender, dotnet recommender-trainer), as just built.
bash scripts/tools.sh

stop_silo
if [ "$dashboard" = 1 ]; then
  bash scripts/dashboard.sh start
  # The standard OTEL variables for the silo, trainer and client below; any the caller set already win.
  eval "$(bash scripts/dashboard.sh env)"
fi
echo "Starting the silo (log: $state/silo.log) ..."
nohup dotnet run -c Release --no-build --project src/Silo > "$state/silo.log" 2>&1 &
echo $! > "$pidfile"
for _ in $(seq 1 120); do
  grep -q "Silo ready" "$state/silo.log" 2>/dev/null && break
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "The silo failed to start:" >&2; cat "$state/silo.log" >&2; exit 1; fi
  sleep 0.5
done
grep -q "Silo ready" "$state/silo.log" || { echo "The silo did not become ready in 60 s; see $state/silo.log" >&2; exit 1; }

echo "Training on MovieLens 100K and publishing ..."
dotnet recommender-trainer train ${data_args[@]+"${data_args[@]}"} --out "$models" --publish \
  ${train_args[@]+"${train_args[@]}"} | tee "$state/train.log"
artifact=$(tail -n 1 "$state/train.log")

echo "Checking that the cluster serves the artifact exactly (every user's top 10 against brute force) ..."
dotnet recommender verify "$artifact" --k 10

dotnet recommender recommend 42

cat <<MSG

The silo keeps running (pid $(cat "$pidfile")). Try:
  dotnet recommender recommend 1 2 3 --k 5
  dotnet recommender recommend 42 --json
  curl -s 'http://127.0.0.1:8080/v1/users/42/recommendations?k=5'    # the same over HTTP (docs/http-api.md)
Stop it with: ./run.sh --stop
MSG
if [ "$dashboard" = 1 ]; then
  cat <<MSG

Telemetry dashboard (traces, metrics, structured logs of the silo, trainer and client):
  $(bash scripts/dashboard.sh url)
Point more programs at it with: eval "\$(scripts/dashboard.sh env)"; stop it with: scripts/dashboard.sh stop
MSG
fi
