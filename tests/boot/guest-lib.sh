#!/bin/sh
# What every guest script shares (tests/boot/scenarios.sh,
# tests/boot/s6rc/scenarios.sh and tests/boot/lsm/lib.sh source it; each
# image holds it as /guest-lib.sh): the architecture, the umask, and the
# helpers behind the one console line each check prints.
# shellcheck disable=SC2034 # ARCH is the sourcing scripts'
ARCH=$(cat /etc/boot-arch)
umask 022

oneline() { printf '%s' "$1" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/ | /g'; }
# verdict TAG NAME EXPECTED ACTUAL: `TAG: ARCH NAME pass`, or a fail line
# with both (newlines as " | "); the host reads these from the console.
verdict() {
    if [ "$4" = "$3" ]; then
        echo "$1: $ARCH $2 pass"
    else
        echo "$1: $ARCH $2 fail: observed $(oneline "$4") || expected $(oneline "$3")"
    fi
}
# Output (stdout and stderr) of a command and its exit status, stdin /dev/null.
run() { "$@" </dev/null 2>&1; echo "exit=$?"; }
# Waits up to 10 s for a socket file.
waitsock() { i=0; while [ ! -S "$1" ] && [ $i -lt 200 ]; do usleep 50000; i=$((i + 1)); done; }
