#!/usr/bin/env bash
# Installs what the product needs on a fresh machine, and nothing when it is already there.
# Today that is one thing: TorchSharp 0.107's native library needs GCC 13's libstdc++
# (symbol version GLIBCXX_3.4.32). Debian 13, Ubuntu 24.04 and newer have it: nothing is installed there.
# Debian 12 ships GCC 12's, so there we take libstdc++6 from Debian 13 (trixie), pinned low so that only it
# and what it depends on come from there. That is not small: it brings libc6 2.41, which breaks Debian 12's
# base-files, so apt upgrades base-files too and the machine then reports itself as Debian 13
# (/etc/os-release), and locales follow libc6. The script lists the exact packages first and, at a terminal,
# asks before changing anything (SETUP_ASSUME_YES=1 or CI=true: proceed without asking).
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

sources=/etc/apt/sources.list.d/trixie.sources
pin=/etc/apt/preferences.d/trixie-low
undo_sources() { $sudo rm -f "$sources" "$pin"; $sudo apt-get update -qq || true; }

cat <<MSG
setup: TorchSharp 0.107 needs $need, which Debian 12's libstdc++ lacks. To provide it, this script will:
  1. add Debian 13 (trixie) as an apt source ($sources), pinned at priority 100 ($pin),
     so that nothing comes from it unless asked for by name;
  2. install libstdc++6 from trixie, with what it depends on. That includes libc6 2.41, which breaks
     Debian 12's base-files: base-files is upgraded too, so /etc/os-release then says Debian 13, and
     locales (if installed) follows libc6.
  This cannot be cleanly undone (apt does not downgrade libc6). To avoid it, run on Debian 13 or
  Ubuntu 24.04, where nothing is installed, or in a container or VM you can throw away.
MSG
$sudo tee "$sources" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
$sudo tee "$pin" >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$sudo apt-get update -qq
# The exact changes, as apt would make them (a simulation changes nothing).
changes=$(apt-get install -s -t trixie libstdc++6 2>/dev/null | awk '/^Inst /{
  if ($3 ~ /^\[/) { from = $3; to = $4 } else { from = "(not installed)"; to = $3 }
  gsub(/[\[\]()]/, "", from); gsub(/[()]/, "", to); print "    " $2 ": " from " -> " to }')
echo "setup: apt would install or upgrade:"
echo "${changes:-    (nothing)}"
if [ "${SETUP_ASSUME_YES:-}" != 1 ] && [ "${CI:-}" != true ] && [ -t 0 ]; then
  read -r -p "setup: go ahead? [y/N] " answer
  case "$answer" in
    y|Y|yes|YES) ;;
    *) undo_sources; echo "setup: nothing installed; the trixie source is removed again." >&2; exit 1 ;;
  esac
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t trixie libstdc++6 >/dev/null

if has_glibcxx; then
  echo "setup: done; libstdc++ now provides $need."
else
  echo "setup: installed libstdc++6 from trixie but $need is still missing; check apt's output above." >&2
  exit 1
fi
