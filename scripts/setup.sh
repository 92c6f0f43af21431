#!/usr/bin/env bash
# Installs what the product needs on a fresh machine, and nothing when it is already there.
# Today that is one thing: TorchSharp 0.107's native library needs GCC 13's libstdc++
# (symbol version GLIBCXX_3.4.32). Debian 12 ships GCC 12's, so we take libstdc++6 alone
# from Debian 13 (trixie), pinned low so that nothing else is upgraded from it.
set -euo pipefail

need=GLIBCXX_3.4.32

has_glibcxx() {
  local lib
  for lib in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    [ -e "$lib" ] && grep -aq "$need" "$lib" && return 0
  done
  return 1
}

if has_glibcxx; then
  echo "setup: libstdc++ already provides $need; nothing to install."
  exit 0
fi

if [ ! -r /etc/os-release ] || ! grep -q '^ID=debian' /etc/os-release || ! grep -q '^VERSION_ID="12"' /etc/os-release; then
  echo "setup: this system's libstdc++ lacks $need, which TorchSharp 0.107 needs." >&2
  echo "setup: install GCC 13's libstdc++ (or newer) with your package manager, then run again." >&2
  exit 1
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

echo "setup: Debian 12 detected; installing libstdc++6 from Debian 13 (trixie) for $need ..."
$sudo tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
# Pin trixie below bookworm so only what we ask for by name comes from it.
$sudo tee /etc/apt/preferences.d/trixie-low >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t trixie libstdc++6 >/dev/null

if has_glibcxx; then
  echo "setup: done; libstdc++ now provides $need."
else
  echo "setup: installed libstdc++6 from trixie but $need is still missing; check apt's output above." >&2
  exit 1
fi
