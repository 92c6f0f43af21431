#!/usr/bin/env bash
# The test suite, as CI runs it: install what is missing, then every test project of the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet test Orleans.sln -c Release -nologo "$@"
