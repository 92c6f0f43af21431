#!/usr/bin/env bash
# Installs Debian's redis-server (and redis-cli) with apt-get when missing; cluster mode's membership and state store.
set -euo pipefail
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then exit 0; fi
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
echo "Installing redis-server (apt-get) ..." >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
