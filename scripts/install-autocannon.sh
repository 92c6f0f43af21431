#!/usr/bin/env bash
# Installs what the HTTP load benchmarks (http, ratings) drive their load with, when missing: Node.js and npm
# (Debian's packages, apt-get) and autocannon (npm, pinned) into .run/tools/autocannon.
set -euo pipefail
cd "$(dirname "$0")/.."
autocannon_version=9.0.0
tools=.run/tools/autocannon

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-autocannon.sh: installing Debian's nodejs and npm (for autocannon) ..." >&2
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi
installed=$(node -p "try { require('./$tools/node_modules/autocannon/package.json').version } catch { '' }")
if [ "$installed" != "$autocannon_version" ]; then
  echo "install-autocannon.sh: installing autocannon $autocannon_version into $tools ..." >&2
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund --silent "autocannon@$autocannon_version")
fi
