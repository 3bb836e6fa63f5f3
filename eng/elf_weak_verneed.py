#!/usr/bin/env python3
"""Mark one required symbol version of an ELF64 shared library as weak.

Usage: elf_weak_verneed.py LIBRARY VERSION   (e.g. libLibTorchSharp.so GLIBCXX_3.4.32)

Sets VER_FLG_WEAK (0x2) in the vna_flags of the matching Vernaux entry of
.gnu.version_r, so that the dynamic loader no longer refuses the library when the
system libstdc++ lacks that version. Exit codes: 0 patched or already weak,
3 the library does not require VERSION, 1 on malformed input.
The file is rewritten atomically (temporary file + rename).
"""
import os
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def patch(data: bytearray, version: bytes) -> str:
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    for sh_name, sh_type, _, _, sh_offset, _, sh_link, sh_info, _, _ in sections:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab_offset = sections[sh_link][4]
        entry = sh_offset
        for _ in range(sh_info):
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", data, entry)
            aux = entry + vn_aux
            for _ in range(vn_cnt):
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                start = strtab_offset + vna_name
                name = bytes(data[start:data.index(b"\0", start)])
                if name == version:
                    if vna_flags & VER_FLG_WEAK:
                        return "already weak"
                    struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                    return "patched"
                aux += vna_next
            entry += vn_next
    return "absent"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 1
    path, version = sys.argv[1], sys.argv[2].encode()
    with open(path, "rb") as f:
        data = bytearray(f.read())
    try:
        outcome = patch(data, version)
    except (ValueError, struct.error, IndexError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    if outcome == "patched":
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, os.stat(path).st_mode)
        os.replace(tmp, path)
    print(f"{os.path.basename(path)}: {version.decode()} {outcome}")
    return 3 if outcome == "absent" else 0


if __name__ == "__main__":
    sys.exit(main())
