"""Exec'ed by the binder in the tests: reports, as JSON on stdout, what a
real prog inherits. Everything is read from the kernel (/proc, fcntl,
getsockopt) so that nothing Python does at start-up can hide a difference."""

import fcntl
import json
import os
import socket
import stat
import sys


def fd0():
    try:
        st = os.fstat(0)
    except OSError as e:
        return {"error": e.errno}
    out = {"is_socket": stat.S_ISSOCK(st.st_mode)}
    out["nonblock"] = bool(fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK)
    out["cloexec"] = bool(fcntl.fcntl(0, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
    if out["is_socket"]:
        s = socket.socket(fileno=os.dup(0))
        try:
            types = {socket.SOCK_STREAM: "stream", socket.SOCK_DGRAM: "dgram",
                     socket.SOCK_SEQPACKET: "seqpacket"}
            out["family"] = "unix" if s.family == socket.AF_UNIX else int(s.family)
            out["type"] = types.get(s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
            out["listening"] = bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
            out["passcred"] = bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED))
            out["passsec"] = bool(s.getsockopt(socket.SOL_SOCKET, getattr(socket, "SO_PASSSEC", 34)))
            name = s.getsockname()
            out["name"] = name.decode("latin-1") if isinstance(name, bytes) else name
        finally:
            s.close()
    return out


def main():
    fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
    # listdir's own descriptor is closed by now: keep the ones still open.
    fds = [f for f in fds if _is_open(f)]
    with open("/proc/self/cmdline", "rb") as f:
        argv = f.read().split(b"\0")[:-1]
    with open("/proc/self/environ", "rb") as f:
        env = [e for e in f.read().split(b"\0") if e]
    mask = os.umask(0)
    os.umask(mask)
    report = {
        "argv": [a.decode("latin-1") for a in argv],
        "env": sorted(e.decode("latin-1") for e in env),
        "fds": fds,
        "umask": mask,
        "fd0": fd0(),
        "pdeathsig": pdeathsig(),
    }
    json.dump(report, sys.stdout)


def pdeathsig():
    """prctl(PR_GET_PDEATHSIG): the signal the caller asked for when its
    parent dies (0: none)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    sig = ctypes.c_int(-1)
    PR_GET_PDEATHSIG = 2
    if libc.prctl(PR_GET_PDEATHSIG, ctypes.byref(sig), 0, 0, 0) != 0:
        return {"error": ctypes.get_errno()}
    return sig.value


def _is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
