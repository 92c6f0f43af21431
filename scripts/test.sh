#!/usr/bin/env bash
# The test suite, as CI runs it: install what is missing (TorchSharp's libstdc++, redis-server), then every
# test project of the solution.
# Ends with one line 'N passed, N failed' summed over the test assemblies.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The cluster-mode tests start a throwaway redis-server of their own.
bash scripts/install-redis.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Orleans.sln -c Release -nologo "$@" 2>&1 | tee "$log" || status=$?
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); failed += $4; passed += $6 }
     END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
