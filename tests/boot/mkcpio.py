#!/usr/bin/env python3
"""An initramfs (cpio "newc") from a directory, every file owned by root,
plus the two device nodes a kernel needs before devtmpfs is mounted
(/dev/console for init's stdio, /dev/null). No mknod on the host, so no
root needed and nothing odd left in target/.
    usage: mkcpio.py DIR OUT
"""
import os
import stat
import sys

NODES = [("dev/console", stat.S_IFCHR | 0o600, 5, 1), ("dev/null", stat.S_IFCHR | 0o666, 1, 3)]


def entry(out, ino, name, mode, data=b"", rdev=(0, 0), nlink=1):
    name_b = name.encode() + b"\0"
    head = "070701" + "".join(
        "%08X" % v
        for v in (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0)
    )
    out.write(head.encode() + name_b)
    out.write(b"\0" * (-(110 + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main():
    top, dest = sys.argv[1], sys.argv[2]
    ino = 1
    with open(dest, "wb") as out:
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for n in sorted(dirs) + sorted(files):
                path = os.path.join(root, n)
                rel = os.path.relpath(path, top)
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    data = os.readlink(path).encode()
                elif stat.S_ISREG(st.st_mode):
                    with open(path, "rb") as f:
                        data = f.read()
                else:
                    data = b""
                entry(out, ino, rel, st.st_mode, data, nlink=2 if stat.S_ISDIR(st.st_mode) else 1)
                ino += 1
        for name, mode, major, minor in NODES:
            entry(out, ino, name, mode, rdev=(major, minor))
            ino += 1
        entry(out, 0, "TRAILER!!!", 0)


main()
