#!/usr/bin/env bash
# Runs the benchmarks side by side with PyTorch (Debian's python3-torch, run with /usr/bin/python3).
#   bash bench/run.sh                      every benchmark with its defaults
#   bash bench/run.sh training [options]   one benchmark (see: dotnet run --project bench/PruneNotebook.Bench -- --help)
#   bash bench/run.sh soak [--cycles N] [--without-magics] [--redeclare]   the leak soak only (default 200 cycles)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null &&
   ! dpkg-query -W -f='${Status}' python3-torch 2>/dev/null | grep "install ok installed" >/dev/null; then
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  echo "==> installing python3-torch (the PyTorch peer)"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q python3-torch
fi

# The leak soak (bench/PruneNotebook.Soak): magics through an in-process kernel and command lines in process, with
# resident memory, managed heap and live tensors every 20 cycles. Its goals (≤ 50 MB growth after warm-up) are reported,
# not enforced: a noisy machine must not fail the other benchmarks.
soak() {
  dotnet build -c Release bench/PruneNotebook.Soak >/dev/null
  dotnet run -c Release --no-build --project bench/PruneNotebook.Soak -- "$@" || echo "soak: a goal was not met (see above)"
}
if [[ "${1:-}" == soak ]]; then
  shift
  soak "$@"
  exit 0
fi

dotnet build -c Release bench/PruneNotebook.Bench >/dev/null
if (($# > 0)) && [[ "$1" != -* ]]; then
  dotnet run -c Release --no-build --project bench/PruneNotebook.Bench -- "$@"
else
  for benchmark in training pruning masked-training surgery transformer-surgery posttraining selection sweeps startup; do
    echo "==> $benchmark"
    dotnet run -c Release --no-build --project bench/PruneNotebook.Bench -- "$benchmark" "$@"
  done
  echo "==> soak"
  soak
fi
