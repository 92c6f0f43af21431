#!/usr/bin/env bash
# The test suite, as CI runs it: install what is missing (TorchSharp's libstdc++, redis-server, Debian's chromium
# for the dashboard's browser test, the Aspire dashboard package), then every test project of the solution.
# Ends with one line 'N passed, N failed' summed over the test assemblies.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The cluster-mode tests start a throwaway redis-server of their own.
bash scripts/install-redis.sh
# The dashboard tests drive Debian's chromium headless (PuppeteerSharp) against the Aspire dashboard.
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "test.sh: installing Debian's chromium for the dashboard's browser test ..."
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium fonts-liberation >/dev/null
fi
dotnet restore deploy/dashboard/Dashboard.csproj -nologo -v quiet
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Orleans.sln -c Release -nologo "$@" 2>&1 | tee "$log" || status=$?
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); failed += $4; passed += $6 }
     END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
