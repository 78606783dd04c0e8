#!/bin/sh
# What both LSM phases' guest scripts share (selinux.sh, smack.sh source it
# as /lsm-lib.sh): the binders, the probe, and the helpers that print one
# console line per check. Set LSM (selinux or smack) before sourcing it.
# shellcheck disable=SC2034 # B, P and fatal are the sourcing scripts'
# The build with part F's options (cargo feature full; the default build
# refuses them).
B=/usr/bin/s6-ipcserver-socketbinder-full
P=/usr/bin/bootprobe
# shellcheck source=tests/boot/guest-lib.sh
. /guest-lib.sh

# lsm NAME EXPECTED ACTUAL: `LSM: ARCH LSM NAME pass`, or fail with both.
lsm() { verdict LSM "$LSM $1" "$2" "$3"; }
fatal='s6-ipcserver-socketbinder: fatal:'
# Which of the paths exist (the issue asks that no socket be left).
left() {
    for f; do [ -e "$f" ] && echo "$f left"; done
    echo "no socket left"
}
# What the servers' prog says: the line it got, and its own context or
# label.
# shellcheck disable=SC2016 # expanded by the server's shell
answer='read -r x; echo "$x $(cat /proc/self/attr/current)"'
# A server on $1 that answers "<line> <its context or label>", by the
# binder with the options that follow.
serve() {
    s=$1
    shift
    $B "$@" "$s" s6-ipcserverd sh -c "$answer" </dev/null &
    waitsock "$s"
}
