#!/bin/sh
# Boots each architecture's Debian kernel under qemu-system (TCG) with an
# initramfs of busybox-static, Debian's s6 and our binder, and checks the
# console (doc/boot.md).
#   usage: tests/boot/run.sh ARCH...      (aarch64 armv7 i686 x86_64 riscv64)
#          tests/boot/run.sh --one ARCH  (one of them, result file only)
# Needs tests/boot/qemu.sh done and, per ARCH, tests/boot/fetch.sh ARCH, the binder at
# target/TRIPLE/release/ (x86_64: target/release/), its full build (cargo
# feature full) at target/full/TRIPLE/release/ (tools/triple --full), and bootprobe at
# target/boot/helper/TRIPLE/release/ (the Makefile's check-boot does all).
# Two boots at a time (BOOT_JOBS); each is killed after BOOT_TIMEOUT
# seconds. The console log stays in target/boot/ARCH.log; tests/boot/results.sh
# puts the summary lines into doc/boot.md's results table.
set -eu
top=$(pwd)
here=$top/tests/boot
jobs=${BOOT_JOBS:-2}
limit=${BOOT_TIMEOUT:-120}
# qemu_boot (machine, console, command line per architecture) and tally.
# shellcheck source=tests/boot/lib.sh
. "$here/lib.sh"
name=s6-ipcserver-socketbinder

triple() { "$top/tools/triple" "$1"; }
binder() { "$top/tools/triple" --bin "$1"; }

# The initramfs: Debian's unpacked packages, less what nothing here reads,
# plus our binary, the helper and the guest's scripts.
initramfs() {
    a=$1
    d=$top/target/boot/$a
    s=$d/initramfs
    rm -rf "$s"
    cp -a "$d/root" "$s"
    rm -rf "${s:?}/usr/share" "$s"/usr/lib/*/gconv "$s"/usr/lib/*/audit "$s/usr/libexec" "$s/etc/ld.so.conf.d"
    # Debian 13's packages (riscv64) install into /usr only: merged /usr.
    mkdir -p "$s/usr/bin" "$s/usr/sbin" "$s/usr/lib"
    for l in bin sbin lib; do [ -e "$s/$l" ] || ln -s "usr/$l" "$s/$l"; done
    mkdir -p "$s/proc" "$s/sys" "$s/dev" "$s/run" "$s/tmp"
    ln -sf busybox "$s/bin/sh"
    ln -sf /bin/busybox "$s/sbin/init"
    cp -a "$here/guest/." "$s/"
    # The examples users copy, as they are (examples/): busybox init's
    # inittab and rcS, the mounts, the echo service directory.
    cp "$top/examples/busybox-init/inittab" "$s/etc/inittab"
    cp "$top/examples/busybox-init/rcS" "$top/examples/busybox-init/S01mount" "$s/etc/init.d/"
    cp -a "$top/examples/s6/echo" "$s/etc/boot/service/echo"
    cp "$here/scenarios.sh" "$s/scenarios.sh"
    cp "$here/guest-lib.sh" "$s/guest-lib.sh"
    echo "$a" >"$s/etc/boot-arch"
    install -m 0755 "$(binder "$a")" "$s/usr/bin/$name"
    # Beside it, the build with part F's options (cargo feature full), which
    # the SELinux phase tests; the scenarios keep the default one.
    install -m 0755 "$("$top/tools/triple" --full "$a")" "$s/usr/bin/$name-full"
    install -m 0755 "target/boot/helper/$(triple "$a")/release/bootprobe" "$s/usr/bin/bootprobe"
    # The SELinux phase, after the scenarios (tests/boot/lsm/selinux.sh).
    mkdir -p "$s/etc/lsm"
    cp "$here/lsm/selinux.sh" "$s/lsm-selinux.sh"
    cp "$here/lsm/lib.sh" "$s/lsm-lib.sh"
    secilc -c 33 -o "$s/etc/lsm/selinux.policy" -f /dev/null "$here/lsm/selinux.cil"
    python3 "$here/mkcpio.py" "$s" "$d/initramfs.cpio"
}

# qemu-system for ARCH (tests/boot/lib.sh), busybox init as PID 1.
boot() {
    # SELinux instead of Debian's default AppArmor: enabled, no policy
    # until tests/boot/lsm/selinux.sh loads one, so nothing is denied before.
    qemu_boot "$1" "$top/target/boot/$1/initramfs.cpio" /sbin/init "$top/target/boot/$1.log" security=selinux
}

# One architecture: build, boot, judge. Writes target/boot/ARCH.result:
# its last line is the summary; lines before it are the problems.
one() {
    a=$1
    r=$top/target/boot/$a.result
    log=$top/target/boot/$a.log
    initramfs "$a"
    start=$(date +%s)
    status=0
    boot "$a" || status=$?
    secs=$(($(date +%s) - start))
    {
        # The console's carriage returns and terminal escapes go.
        tr -d '\r' <"$log" >"$log.txt"
        expected=$(grep -oE '^ *check [a-zA-Z0-9-]+ ' "$here/scenarios.sh" | awk '{ print $2 }' | sort -u)
        tally "$a" "" "$expected" "$log.txt"
        version=$(sed -n "s/.*BOOT: $a end //p" "$log.txt")
        [ -n "$version" ] || echo "boot: $a: the guest did not reach its end"
        if grep -q 'Kernel panic' "$log.txt"; then echo "boot: $a: kernel panic"; fi
        [ "$status" != 124 ] && [ "$status" != 137 ] || echo "boot: $a: timed out after $limit s, killed"
        if [ "$passed" != "$total" ] || [ -z "$version" ] || [ "$status" = 124 ] || [ "$status" = 137 ] ||
            grep -q 'Kernel panic' "$log.txt"; then
            echo "boot: $a: last lines of target/boot/$a.log:"
            tail -n 15 "$log.txt" | sed 's/^/    /'
        fi
        echo "boot: $a: $passed/$total scenarios passed on Linux ${version:-$(cat "$top/target/boot/$a/kernel/version")} ($secs s)"
    } >"$r"
    "$here/lsm/judge.sh" "$a" selinux "$log.txt" "(enforcing)" >"$top/target/boot/$a.lsm"
    rm -f "$log.txt"
}

if [ "${1:-}" = --one ]; then
    one "$2"
    exit 0
fi
for a in "$@"; do triple "$a" >/dev/null; done
tools/apt-install secilc || exit 1
rm -f target/boot/*.result target/boot/*.lsm
# BOOT_JOBS at a time: each qemu keeps one core busy.
printf '%s\n' "$@" | xargs -P "$jobs" -I{} "$0" --one {}
bad=0
results .result 'boot: %s: no result' "$@"
# The SELinux lines (tests/boot/lsm/judge.sh): the problems, then one
# `lsm: ARCH: selinux: P/T scenarios passed (enforcing)` each.
results .lsm 'lsm: %s: selinux: no result' "$@"
exit $bad
