"""prog for `make demo`: says what the binder handed over on fd 0, then
accepts one connection from a client it starts itself."""

import fcntl
import os
import socket
import stat
import sys

path = sys.argv[1]
print(f"  prog started as pid {os.getpid()}: {' '.join(sys.argv)}")
st = os.fstat(0)
srv = socket.socket(fileno=0)
kind = {socket.SOCK_STREAM: "SOCK_STREAM", socket.SOCK_DGRAM: "SOCK_DGRAM"}[srv.type & 0xF]
print(f"  fd 0 is a socket: {stat.S_ISSOCK(st.st_mode)}, AF_UNIX {kind}, bound to {srv.getsockname()!r}")
print(f"  listening: {bool(srv.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))}, "
      f"non-blocking: {bool(fcntl.fcntl(0, fcntl.F_GETFL) & os.O_NONBLOCK)}, "
      f"close-on-exec: {bool(fcntl.fcntl(0, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)}")
print(f"  socket file mode: {oct(os.stat(path).st_mode & 0o777)}")

if os.fork() == 0:  # the client
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    c.sendall(b"hello, binder\n")
    print(f"  client got back: {c.recv(100).decode().strip()!r}")
    os._exit(0)

srv.setblocking(True)
conn, _ = srv.accept()
line = conn.recv(100)
print(f"  server got: {line.decode().strip()!r}")
conn.sendall(line.upper())
os.wait()
srv.detach()
