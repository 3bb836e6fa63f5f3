#!/usr/bin/env bash
# PruneNotebook's one entry point. Each command does the set-up it needs, idempotently:
#   ./build.sh demo    set up, build, pack, run notebooks/01-quickstart.ipynb -> artifacts/notebooks/
#   ./build.sh test    set up, build, pack, run every test project and execute every notebook
#   ./build.sh setup   only the machine set-up (apt packages, .NET tools, Jupyter kernel, libstdc++ fix)
#   ./build.sh pack    set up, build and pack the extension, PruneNotebook.Core, PruneNotebook.Visualization and
#                      the prunenotebook dotnet tool into packages-local/
#   ./build.sh bench   set up, build, run the benchmarks in bench/ (side by side with PyTorch);
#                      arguments go to bench/run.sh, e.g. ./build.sh bench pruning --repeats 5
# Extra arguments go to dotnet build, e.g. ./build.sh test -p:TorchBackend=cuda
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"
configuration="${CONFIGURATION:-Release}"
command="${1:-}"
shift || true
build_args=("$@")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$HOME/.dotnet/tools:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/$2" | head -n1; }
torchsharp_version="$(property TorchSharpVersion Directory.Packages.props)"
package_version="$(property Version Directory.Build.props)"

# Jupyter and Python from the system (Debian) packages, even when another Python (pyenv, conda) is first on PATH.
jupyter_bin() {
  if [[ -x /usr/bin/jupyter ]]; then echo /usr/bin/jupyter; else command -v jupyter || true; fi
}
python_bin() {
  if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; else command -v python3 || true; fi
}

check_sdk() {
  if ! command -v dotnet >/dev/null; then
    fail "the .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux, e.g. apt-get install dotnet-sdk-10.0 from Microsoft's feed), then run this again."
  fi
  if ! dotnet --list-sdks | grep '^10\.' >/dev/null; then
    fail "the .NET 10 SDK is required, found: $(dotnet --list-sdks | tr '\n' ' '): install .NET 10 (https://learn.microsoft.com/dotnet/core/install/linux)."
  fi
}

libstdcxx_fix_needed() {
  local lib
  lib="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')"
  [[ "$(uname -s)" == "Linux" ]] && ! { [[ -n "$lib" ]] && grep -qa GLIBCXX_3.4.32 "$lib"; }
}

install_system_packages() {
  # Slurm (slurmctld slurmd slurm-client munge) runs the single-node test cluster of eng/slurm-test-cluster.sh.
  # fortunes: the English text CharGpt trains on (/usr/share/games/fortunes).
  local wanted=(jupyter-notebook python3-nbconvert jupyter-nbconvert python3-nbclient jupyter-client dataset-fashion-mnist fortunes
    slurmctld slurmd slurm-client munge)
  if libstdcxx_fix_needed; then wanted+=(patchelf g++ binutils python3); fi
  if [[ ! -f /etc/debian_version ]] || ! command -v apt-get >/dev/null; then
    for tool in jupyter; do
      command -v "$tool" >/dev/null || fail "'$tool' is missing and this is not Debian/Ubuntu: install Jupyter (notebook, nbconvert, nbclient) and Fashion-MNIST yourself."
    done
    command -v slurmctld >/dev/null || say "Slurm not installed (this is not Debian/Ubuntu): the Slurm tests are skipped; install slurmctld, slurmd, the Slurm client and munge to run them."
    return
  fi
  local missing=() package
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    say "system packages: all present"
    return
  fi
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || fail "missing packages (${missing[*]}) and no sudo: install them as root."
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
}

install_dotnet_tools() {
  say "dotnet-interactive (tool manifest)"
  dotnet tool restore >/dev/null
  local jupyter
  jupyter="$(jupyter_bin)"
  [[ -n "$jupyter" ]] || fail "jupyter was not found after installing it."
  if ! "$jupyter" kernelspec list 2>/dev/null | grep '\.net-csharp' >/dev/null; then
    say "registering the .NET Interactive Jupyter kernels"
    PATH="$(dirname "$jupyter"):$PATH" dotnet tool run dotnet-interactive -- jupyter install
  fi
  # The registered command line serves an HTTP API (kernel variables, no authentication) on every
  # network interface; bind it to loopback, in new and existing registrations alike.
  local python
  python="$(python_bin)"
  [[ -n "$python" ]] || fail "python3 was not found (Jupyter needs it): install python3."
  "$python" eng/jupyter_kernels_local_only.py "$jupyter"
}

restore() {
  say "restore"
  dotnet restore PruneNotebook.sln "${build_args[@]}"
  if libstdcxx_fix_needed; then
    bash eng/fix-libstdcxx.sh "$torchsharp_version"
  fi
}

setup() {
  check_sdk
  install_system_packages
  install_dotnet_tools
  restore
}

build() {
  say "build ($configuration)"
  dotnet build PruneNotebook.sln -c "$configuration" --no-restore "${build_args[@]}"
}

pack() {
  local project id packages
  packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
  # The extension, the libraries a console app references, and the dotnet tool (package id prunenotebook).
  for project in extensions/PruneNotebook.Interactive src/PruneNotebook.Core src/PruneNotebook.Visualization src/PruneNotebook.Cli; do
    id="$(basename "$project")"
    [[ "$id" == PruneNotebook.Cli ]] && id=prunenotebook
    say "pack $id $package_version -> packages-local/"
    dotnet pack "$project" -c "$configuration" --no-build -o packages-local "${build_args[@]}" >/dev/null
    # Notebooks, console apps and tool installs restore the package into the NuGet cache; drop a stale copy of this same version.
    rm -rf "${packages%/}/${id,,}/$package_version"
  done
}

run_notebook() {
  local notebook="$1" out="$root/artifacts/notebooks" jupyter name
  jupyter="$(jupyter_bin)"
  name="$(basename "$notebook" .ipynb)"
  mkdir -p "$out"
  say "execute $notebook"
  (cd "$(dirname "$notebook")" && PATH="$(dirname "$jupyter"):$PATH" "$jupyter" nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=1800 \
      --output-dir "$out" --output "$name" "$(basename "$notebook")")
  "$jupyter" nbconvert --to html --output-dir "$out" "$out/$name.ipynb" >/dev/null 2>&1
  echo "    -> artifacts/notebooks/$name.ipynb, artifacts/notebooks/$name.html"
}

run_tests() {
  local passed=0 failed=0 project notebook log counts
  log="$(mktemp)"
  for project in tests/*/*.csproj; do
    say "test $(basename "$project" .csproj)"
    dotnet test "$project" -c "$configuration" --no-build 2>&1 | tee "$log" || true
    # "Passed!  - Failed:     0, Passed:    49, Skipped: ..." (a crashed run has no such line)
    counts="$(sed -n 's/.*Failed: *\([0-9][0-9]*\), Passed: *\([0-9][0-9]*\),.*/\1 \2/p' "$log" | tail -n1)"
    if [[ -z "$counts" ]]; then
      failed=$((failed + 1))
    else
      failed=$((failed + ${counts% *}))
      passed=$((passed + ${counts#* }))
    fi
  done
  rm -f "$log"
  for notebook in notebooks/*.ipynb; do
    if run_notebook "$notebook"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  echo "total: $passed passed, $failed failed"
  ((failed == 0))
}

case "$command" in
  setup) setup ;;
  pack) setup; build; pack ;;
  demo) setup; build; pack; run_notebook notebooks/01-quickstart.ipynb ;;
  test)
    setup; build; pack
    if run_tests; then say "all tests and notebooks passed"; else fail "some tests or notebooks failed (see above)"; fi ;;
  bench) bench_args=("${build_args[@]}"); build_args=(); setup; build; bash bench/run.sh "${bench_args[@]}" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
