#!/usr/bin/env bash
# Makes TorchSharp's native library load on systems whose libstdc++ predates GCC 13
# (Debian 12, Ubuntu 22.04): libLibTorchSharp.so asks for GLIBCXX_3.4.32 for exactly
# one symbol, std::ios_base_library_init(). We mark that version requirement weak,
# unbind the symbol from it and supply the symbol from a tiny shim library.
# Patches the copy in the NuGet global packages folder (builds, tests and notebooks all
# load that one). Idempotent; does nothing where libstdc++ already has the version.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
torchsharp_version="${1:?usage: fix-libstdcxx.sh TORCHSHARP_VERSION}"
needed_version="GLIBCXX_3.4.32"
symbol="_ZSt21ios_base_library_initv"
shim_name="libPruneNotebookIosBaseShim.so"

[[ "$(uname -s)" == "Linux" ]] || exit 0

system_libstdcxx="$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')"
if [[ -n "$system_libstdcxx" ]] && grep -qa "$needed_version" "$system_libstdcxx"; then
  echo "libstdc++ fix: not needed ($system_libstdcxx has $needed_version)"
  exit 0
fi

packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')"
native="${packages%/}/torchsharp/${torchsharp_version}/runtimes/linux-x64/native"
lib="$native/libLibTorchSharp.so"
shim="$native/$shim_name"
if [[ ! -f "$lib" ]]; then
  echo "libstdc++ fix: $lib not found; restore the solution first" >&2
  exit 1
fi

if [[ -f "$shim" ]] && readelf -d "$lib" | grep -F "$shim_name" >/dev/null; then
  echo "libstdc++ fix: already applied to $lib"
  exit 0
fi

for tool in patchelf g++ readelf python3; do
  command -v "$tool" >/dev/null || { echo "libstdc++ fix: '$tool' is missing (apt-get install patchelf g++ binutils python3)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$lib" "$work/lib.so"
python3 "$here/elf_weak_verneed.py" "$work/lib.so" "$needed_version"
patchelf --clear-symbol-version "$symbol" "$work/lib.so"
g++ -shared -fPIC -O2 -o "$work/$shim_name" "$here/ios_base_library_init_shim.cpp"
# An absolute path: the library is also copied into build outputs, away from the shim.
patchelf --add-needed "$shim" "$work/lib.so"
cp "$work/$shim_name" "$shim.tmp" && mv -f "$shim.tmp" "$shim"
cp "$work/lib.so" "$lib.tmp" && chmod --reference="$lib" "$lib.tmp" && mv -f "$lib.tmp" "$lib"
echo "libstdc++ fix: applied to $lib"
