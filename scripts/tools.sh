#!/usr/bin/env bash
# The console and the trainer as .NET tools, for this repository (local tool manifest .config/dotnet-tools.json):
# packs the built programs into artifacts/tools-feed (the source nuget.config names) and (re)installs them, so
#   dotnet recommender recommend 42            (the console: src/Client)
#   dotnet recommender-trainer train --help    (the trainer: src/Trainer)
# run what was built last. run.sh calls it after its build; after building yourself, run it again.
#
#   scripts/tools.sh              pack what changed since the last pack and reinstall it (quick when nothing did)
#   scripts/tools.sh --build      build the two programs (Release) first
#   scripts/tools.sh --uninstall  remove the installed copies and the packages
#
# The version stays 1.0.0, so the committed manifest never changes. NuGet keeps a package by id and version in its
# global packages folder and would go on running the first copy installed, so a re-pack removes that copy before
# 'dotnet tool restore' installs the new one. The trainer's package leaves libtorch out (0.5 GB): on its first run
# TorchSharp copies it from that same packages folder, where restoring the trainer put it (src/Trainer/Trainer.csproj).
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.0.0
feed=artifacts/tools-feed
projects=(Client Trainer)
cache=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')
cache=${cache%/}

installed() { echo "$cache/movierecommender.$(echo "$1" | tr '[:upper:]' '[:lower:]')/$version"; }

case "${1:-}" in
  --uninstall)
    for p in "${projects[@]}"; do rm -rf "$(installed "$p")" "$feed/MovieRecommender.$p.$version.nupkg"; done
    echo "tools.sh: removed the tools (scripts/tools.sh installs them again)"
    exit 0 ;;
  --build)
    for p in "${projects[@]}"; do dotnet build "src/$p/$p.csproj" -c Release -nologo -clp:ErrorsOnly; done ;;
  "") ;;
  -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
  *) echo "tools.sh: unknown argument '$1'; see scripts/tools.sh --help" >&2; exit 2 ;;
esac

mkdir -p "$feed"
for p in "${projects[@]}"; do
  bin=src/$p/bin/Release/net10.0
  package=$feed/MovieRecommender.$p.$version.nupkg
  if [ ! -f "$bin/MovieRecommender.$p.dll" ]; then
    echo "tools.sh: $bin/MovieRecommender.$p.dll is missing; build first (scripts/tools.sh --build)" >&2
    exit 1
  fi
  # Pack again when anything in the build output is newer than the package (publish/ is pack's own copy).
  if [ ! -f "$package" ] || [ -n "$(find "$bin" -path "$bin/publish" -prune -o -type f -newer "$package" -print -quit)" ]; then
    echo "tools.sh: packing src/$p ..."
    dotnet pack "src/$p/$p.csproj" -c Release --no-build -nologo -v quiet -o "$feed" >/dev/null
    rm -rf "$(installed "$p")"
  fi
done
# The trainer's libtorch lives in the packages folder; a cleared folder gets it back from a restore.
if ! compgen -G "$cache/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native/libtorch_cpu.so" >/dev/null; then
  dotnet restore src/Trainer/Trainer.csproj -nologo -v quiet
fi
dotnet tool restore >/dev/null
echo "tools.sh: 'dotnet recommender' (console) and 'dotnet recommender-trainer' (trainer) are installed"
