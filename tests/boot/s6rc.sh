#!/bin/sh
# The third boot shape (doc/boot.md): PID 1 is the image s6-linux-init-maker
# made from examples/s6-linux-init/, its services the s6-rc database
# s6-rc-compile made from examples/s6-rc/, on skarnet's stack built static
# by tests/boot/skarnet.sh, with busybox and our binder. Boots each
# architecture's Debian kernel under qemu-system and checks the console.
#   usage: tests/boot/s6rc.sh ARCH...      (aarch64 armv7 i686 x86_64 riscv64)
#          tests/boot/s6rc.sh --one ARCH  (one of them, result file only)
# Needs, per ARCH, tests/boot/fetch.sh ARCH (kernel, busybox) and
# tests/boot/skarnet.sh ARCH, and skarnet.sh for the host's own
# architecture too (its s6-rc-compile and s6-linux-init-maker make the
# image here, as a distribution's build does). BOOT_BINDER=FILE puts FILE
# in the image instead of our binder for ARCH (doc/boot.md: how a broken
# binder fails). Two boots at a time (BOOT_JOBS), each killed after
# BOOT_TIMEOUT seconds; console in target/boot/ARCH-s6rc.log.
set -eu
top=$(pwd)
here=$top/tests/boot
jobs=${BOOT_JOBS:-2}
limit=${BOOT_TIMEOUT:-120}
# qemu_boot (machine, console, command line per architecture) and tally.
# shellcheck source=tests/boot/lib.sh
. "$here/lib.sh"
host=$top/target/boot/$(uname -m)/skarnet/bin
shape="s6-linux-init+s6-rc"
# The busybox applets the examples and the scenarios call (PATH puts
# skarnet's /usr/bin first). Named, not `busybox --install`: the foreign
# busybox cannot run here.
applets="sh mount umount hostname logger dd cat grep sed stat ls sleep usleep tr mkdir rm echo cut head
 touch test [ printf sort uname"

initramfs() {
    a=$1
    d=$top/target/boot/$a
    s=$d/s6rc-initramfs
    rm -rf "$s"
    mkdir -p "$s/bin" "$s/sbin" "$s/usr/bin" "$s/usr/libexec" "$s/etc/s6-rc" "$s/etc/s6-linux-init" "$s/proc" "$s/sys" "$s/dev" \
        "$s/run" "$s/tmp"
    # (Debian 13's busybox, riscv64's, is in /usr/bin: merged /usr.)
    bb=$d/root/bin/busybox
    [ -f "$bb" ] || bb=$d/root/usr/bin/busybox
    cp "$bb" "$s/bin/busybox" || return 1
    for x in $applets; do ln -s busybox "$s/bin/$x"; done
    cp -a "$d/skarnet/bin/." "$s/usr/bin/" && cp -a "$d/skarnet/libexec/." "$s/usr/libexec/" || return 1
    rm -f "$s/usr/bin/s6-ipcserver-socketbinder"
    install -m 0755 "${BOOT_BINDER:-$("$top/tools/triple" --bin "$a")}" "$s/usr/bin/s6-ipcserver-socketbinder" || return 1
    echo s6-rc-boot >"$s/etc/hostname"
    echo "$a" >"$s/etc/boot-arch"
    cp "$here/s6rc/scenarios.sh" "$s/s6rc-scenarios.sh"
    cp "$here/guest-lib.sh" "$s/guest-lib.sh"
    # The database, from the examples as they are.
    "$host/s6-rc-compile" "$s/etc/s6-rc/compiled" "$top/examples/s6-rc" >"$d/s6rc-compile.log" 2>&1 ||
        { cat "$d/s6rc-compile.log" && return 1; }
    # The image: the examples' rc.init, runlevel and rc.shutdown, and the
    # test's rc.shutdown.final. -1: the catch-all logger also writes to
    # the console.
    skel=$d/s6rc-skel
    rm -rf "$skel" && mkdir -p "$skel"
    cp "$top/examples/s6-linux-init/rc.init" "$top/examples/s6-linux-init/runlevel" \
        "$top/examples/s6-linux-init/rc.shutdown" "$here/s6rc/rc.shutdown.final" "$skel/" || return 1
    "$host/s6-linux-init-maker" -1 -f "$skel" -c /etc/s6-linux-init/current -p /usr/bin:/usr/sbin:/bin:/sbin \
        -d /dev -D default "$s/etc/s6-linux-init/current" >"$d/s6rc-maker.log" 2>&1 || { cat "$d/s6rc-maker.log" && return 1; }
    # The test's own early service, beside the image's.
    cp -a "$here/s6rc/bootcheck" "$s/etc/s6-linux-init/current/run-image/service/bootcheck" || return 1
    python3 "$here/mkcpio.py" "$s" "$d/s6rc-initramfs.cpio"
}

# qemu-system for ARCH (tests/boot/lib.sh), with s6-linux-init's
# init as the initramfs's init.
boot() {
    qemu_boot "$1" "$top/target/boot/$1/s6rc-initramfs.cpio" /etc/s6-linux-init/current/bin/init \
        "$top/target/boot/$1-s6rc.log"
}

names() { grep -oE '^ *check [a-zA-Z0-9-]+ ' "$here/s6rc/scenarios.sh" | awk '{ print $2 }' | sort -u; }

# One architecture: build, boot, judge, into target/boot/ARCH-s6rc.result
# (its last line the summary, the lines before it the problems).
one() {
    a=$1
    r=$top/target/boot/$a-s6rc.result
    log=$top/target/boot/$a-s6rc.log
    if ! initramfs "$a" >"$r.build" 2>&1; then
        { sed 's/^/    /' "$r.build" && echo "boot: $a: $shape: cannot make the image" &&
            echo "boot: $a: $shape: 0/$(names | wc -l) scenarios passed (no boot)"; } >"$r"
        return 0
    fi
    start=$(date +%s)
    status=0
    boot "$a" || status=$?
    secs=$(($(date +%s) - start))
    {
        tr -d '\r' <"$log" >"$log.txt"
        tally "$a" "$shape: " "$(names)" "$log.txt"
        version=$(sed -n "s/.*BOOT: $a end //p" "$log.txt")
        [ -n "$version" ] || echo "boot: $a: $shape: the guest did not reach its end"
        # A clean poweroff, as s6-linux-init-hpr -p asks the kernel: not a
        # panic, not a reboot, not the timeout.
        off=$(grep -c 'reboot: Power down' "$log.txt" || true)
        [ "$off" != 0 ] || echo "boot: $a: $shape: the guest did not power off"
        if grep -q 'Kernel panic' "$log.txt"; then echo "boot: $a: $shape: kernel panic"; fi
        [ "$status" != 124 ] && [ "$status" != 137 ] || echo "boot: $a: $shape: timed out after $limit s, killed"
        if [ "$passed" != "$total" ] || [ -z "$version" ] || [ "$off" = 0 ] || [ "$status" = 124 ] ||
            [ "$status" = 137 ] || grep -q 'Kernel panic' "$log.txt"; then
            echo "boot: $a: $shape: last lines of target/boot/$a-s6rc.log:"
            tail -n 15 "$log.txt" | sed 's/^/    /'
        fi
        echo "boot: $a: $shape: $passed/$total scenarios passed on Linux ${version:-$(cat "$top/target/boot/$a/kernel/version")} ($secs s)"
    } >"$r"
    rm -f "$log.txt" "$r.build"
}

if [ "${1:-}" = --one ]; then
    one "$2"
    exit 0
fi
[ -x "$host/s6-rc-compile" ] || { echo "boot: $shape: no $host/s6-rc-compile (tests/boot/skarnet.sh $(uname -m))" && exit 1; }
for a in "$@"; do "$top/tools/triple" "$a" >/dev/null; done
for a in "$@"; do rm -f "target/boot/$a-s6rc.result"; done
printf '%s\n' "$@" | xargs -P "$jobs" -I{} "$0" --one {}
bad=0
results -s6rc.result "boot: %s: $shape: no result" "$@"
exit $bad
