#!/bin/sh
# make demo: bind a socket in a scratch directory with the binder, and let
# prog (demo/show.py) tell what it received and serve one client.
#   usage: demo/run.sh BINARY
set -eu
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

echo "\$ s6-ipcserver-socketbinder -a 0600 demo.sock python3 show.py demo.sock"
"$bin" -a 0600 demo.sock python3 "$here/show.py" demo.sock
echo
echo "\$ ls -l   (the socket and s6's lock file stay behind)"
ls -l | sed 1d
echo
echo "\$ s6-ipcserver-socketbinder -x   (a usage error)"
"$bin" -x || echo "exit code $?"
