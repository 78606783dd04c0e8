#!/bin/sh
# Runs a command as root in namespaces of its own, so that nothing it does
# to mounts or binfmt_misc reaches the machine, and qemu-user runs the
# binaries of other architectures without registering anything on it:
#   tests/deb-root/sandbox.sh [ARCH...] -- COMMAND [ARG...]
# A new user namespace maps uids and gids 0 to 65535 onto themselves (the
# files it makes are the machine's root's), then new mount and pid
# namespaces (a private /proc; every mount, and every process, goes when
# COMMAND ends). Linux 6.7 and later give a user namespace its own
# binfmt_misc: each ARCH (arm64, armhf) is registered there with Debian's
# qemu-user-static, never on the machine. On an older kernel the machine's
# own registration is used when it has one (qemu-user-static with
# binfmt-support or systemd-binfmt registers them at boot); none is added.
set -eu
if [ "${1:-}" = --inside ]; then
    shift
    archs=""
    while [ "$1" != -- ]; do archs="$archs $1" && shift; done
    shift
    own=""
    [ -z "$archs" ] || ! mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || own=1
    for a in $archs; do
        case $a in arm64) q=aarch64 ;; armhf) q=arm ;; *) echo "sandbox: no qemu for $a" >&2 && exit 1 ;; esac
        if [ -n "$own" ]; then
            c=/usr/lib/binfmt.d/qemu-$q.conf
            [ -f "$c" ] || { echo "sandbox: no $c (qemu-user-static)" >&2 && exit 1; }
            printf '%s' "$(cat "$c")" >/proc/sys/fs/binfmt_misc/register
        elif ! grep -qx enabled "/proc/sys/fs/binfmt_misc/qemu-$q" 2>/dev/null; then
            echo "sandbox: $a: no binfmt_misc of the sandbox's own (Linux 6.7 or later) and none" \
                "registered on the machine for qemu-$q (qemu-user-static with binfmt-support)" >&2
            exit 1
        fi
    done
    exec "$@"
fi
[ "$(id -u)" = 0 ] || { echo "sandbox: needs root" >&2 && exit 1; }
t=$(mktemp -d)
mkfifo "$t/go"
# The child enters its user namespace, then waits for the mapping that
# only a process outside it (root here) can write.
unshare --user sh -c 'read -r _ <"$0" && exec unshare --mount --pid --fork --propagation private --mount-proc "$@"' \
    "$t/go" "$0" --inside "$@" &
pid=$!
while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.01; done
{ echo '0 0 65536' >/proc/$pid/uid_map && echo '0 0 65536' >/proc/$pid/gid_map; } ||
    { kill $pid; rm -rf "$t"; echo "sandbox: cannot map the user namespace's ids" >&2; exit 1; }
echo go >"$t/go"
rc=0
wait $pid || rc=$?
rm -rf "$t"
exit $rc
