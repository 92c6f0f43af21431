#!/usr/bin/env bash
# The test suite, as CI runs it: install what is missing (TorchSharp's libstdc++, redis-server, Debian's chromium
# for the dashboard's browser test, the Aspire dashboard package), then every test project of the solution.
# The test projects (one per area: tests/*.Tests) run as parallel processes, one per core, the two longest first.
# Ends with one line 'N passed, N failed' summed over the test assemblies. Arguments go on to 'dotnet test', e.g.
#   ./scripts/test.sh --filter Dashboard        only the tests whose names contain Dashboard
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
# Built once, then every test assembly in one run with --parallel: one test host per assembly, as many at a time as
# there are cores ('dotnet test Orleans.sln' would run them one after another). The two longest go first, so the
# short ones fill in beside them.
assemblies=()
for project in tests/CommandLine.Tests tests/EndToEnd.Tests tests/*.Tests; do
  dll="$project/bin/Release/net10.0/MovieRecommender.$(basename "$project").dll"
  [[ " ${assemblies[*]} " == *" $dll "* ]] || assemblies+=("$dll")
done
{ dotnet build Orleans.sln -c Release -nologo -clp:ErrorsOnly && dotnet test "${assemblies[@]}" --parallel "$@"; } 2>&1 | tee "$log" || status=$?
# A test project that does not build runs no test: its errors are counted too, so the line never reads as all passed.
awk '/^(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); failed += $4; passed += $6 }
     /: error [A-Z]+[0-9]+:/ { if (!seen[$0]++) errors++ }
     END { printf "%d passed, %d failed", passed, failed; if (errors) printf ", %d build errors", errors; printf "\n" }' "$log"
exit "$status"
