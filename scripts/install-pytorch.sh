#!/usr/bin/env bash
# Installs Debian's python3-torch and python3-numpy for /usr/bin/python3, which the
# training benchmark (bench/Benchmarks -- training) uses to run
# ../shared/tools/pytorch_twotower.py. Idempotent: does nothing when both import.
# The packages come from the default release (bookworm); a trixie source pinned at
# priority 100 may exist in /etc/apt, so never pass -t trixie here.
set -euo pipefail

PY=/usr/bin/python3
# OpenBLAS too: without it Debian's torch falls back to the unoptimised reference BLAS (4x slower
# matrix products), which would make the yardstick unfairly slow.
has_openblas() { ldconfig -p | grep -q 'libopenblas.so.0'; }
if [ -x "$PY" ] && "$PY" -c 'import torch, numpy' >/dev/null 2>&1 && has_openblas; then
    echo "python3-torch and python3-numpy already installed: $("$PY" -c 'import torch; print("torch", torch.__version__)')"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

echo "Installing python3-torch, python3-numpy and OpenBLAS with apt-get (this can take a few minutes)..."
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread

"$PY" -c 'import torch, numpy; print("installed torch", torch.__version__, "numpy", numpy.__version__)'
