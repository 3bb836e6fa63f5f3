#!/usr/bin/env python3
"""Make every registered .NET Interactive Jupyter kernel serve its HTTP API on loopback only.

Usage: jupyter_kernels_local_only.py [JUPYTER]   (default: jupyter on PATH)

`dotnet interactive jupyter install` registers kernels whose command line starts an HTTP API
(kernel variables, /kernels, a SignalR hub; no authentication) on every network interface.
The Jupyter kernel of this tool version cannot run without that API, but `--http-local-only`
binds it to 127.0.0.1. This script adds that option to the argv of each .NET kernel spec
that `JUPYTER kernelspec list --json` finds (C#, F#, PowerShell; other kernels are left
alone) and says what it did. Rerunning changes nothing. Each kernel.json is rewritten
atomically (temporary file + rename). Exit codes: 0 done, 1 no .NET kernel spec or a spec
that cannot be read or written.
"""
import json
import os
import subprocess
import sys
import tempfile

LOCAL_ONLY = "--http-local-only"


def is_dotnet_interactive(argv):
    """True for `dotnet interactive jupyter ...`, `dotnet-interactive jupyter ...` and the like."""
    if "jupyter" not in argv:
        return False
    launcher = argv[:argv.index("jupyter")]
    return any("interactive" in os.path.basename(token).lower() for token in launcher)


def write_atomically(path, spec):
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(prefix=".kernel.json.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(spec, file, indent=2)
            file.write("\n")
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(jupyter):
    listing = subprocess.run([jupyter, "kernelspec", "list", "--json"], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    found = 0
    for name, entry in sorted(json.loads(listing.stdout)["kernelspecs"].items()):
        path = os.path.join(entry["resource_dir"], "kernel.json")
        with open(path, encoding="utf-8") as file:
            spec = json.load(file)
        if not is_dotnet_interactive(spec.get("argv", [])):
            continue
        found += 1
        if LOCAL_ONLY in spec["argv"]:
            print(f"kernel {name}: HTTP API on loopback only (already)")
            continue
        spec["argv"].append(LOCAL_ONLY)
        write_atomically(path, spec)
        print(f"kernel {name}: added {LOCAL_ONLY} ({path})")
    if found == 0:
        print("jupyter_kernels_local_only.py: no .NET Interactive kernel is registered; "
              "run 'dotnet interactive jupyter install' first.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "jupyter"))
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as error:
        print(f"jupyter_kernels_local_only.py: {error}", file=sys.stderr)
        sys.exit(1)
