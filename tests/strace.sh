#!/bin/sh
# Writes the normalized syscall trace of each case to OUTDIR/<case>.strace:
# the calls between the binder's own execve and prog's execve (both
# excluded), or to the exit when prog is never reached. No pids (one
# process, no -f), no addresses, no temporary paths (relative paths in a
# scratch directory), a fixed umask.
#   usage: tests/strace.sh BINARY OUTDIR
set -eu
bin=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
umask 022

normalize() {
    awk 'NR == 1 { next }                       # our own execve
         /^execve\(/ && / = 0$/ { exit }         # prog has started
         { print }' |
    sed -E -e 's/0x[0-9a-f]+/0xADDR/g' -e 's#/\* [0-9]+ vars \*/#/* N vars */#'
}

trace() {
    name=$1
    shift
    strace -o "$work/raw" -s 256 -- "$bin" "$@" >/dev/null 2>&1 || true
    normalize <"$work/raw" >"$out/$name.strace"
}

trace default-fresh s.sock /bin/true
"$bin" -D stale.sock /bin/true            # leaves a socket nobody listens on
trace default-stale stale.sock /bin/true
trace dash-D -D d.sock /bin/true
trace dash-B -B b.sock /bin/true
trace dgram-b0 -m -b0 m.sock /bin/true
trace usage -x
trace exec-enoent e.sock ./nothere
