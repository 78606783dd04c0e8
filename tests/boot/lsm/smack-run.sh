#!/bin/sh
# The SMACK boot (doc/boot.md, "LSM boots"): the x86_64 kernel built with
# SMACK by tests/boot/lsm/kernel.sh (cached), an initramfs of the same
# Debian packages as check-boot's x86_64 boot with tests/boot/lsm/smack.sh
# as its init, booted under qemu-system-x86_64 with security=smack. Prints
# the problems, then `lsm: x86_64: smack: P/T scenarios passed (...)`;
# exits non-zero unless all passed.
#   usage: tests/boot/lsm/smack-run.sh
# Needs what `make check-boot BOOT_ARCHES=x86_64` builds (the Makefile's
# check-lsm does it): target/boot/qemu, target/boot/x86_64/root, the
# full build of the binder (make build-full: target/full/release/) and
# bootprobe for x86_64.
set -eu
top=$(pwd)
here=$top/tests/boot
limit=${BOOT_TIMEOUT:-120}
# qemu_boot, as the other boots.
# shellcheck source=tests/boot/lib.sh
. "$here/lib.sh"
a=x86_64
d=$top/target/boot/smack
log=$top/target/boot/smack.log
image=$("$here/lsm/kernel.sh")
rm -rf "$d"
mkdir -p "$d"
s=$d/initramfs
cp -a "$top/target/boot/$a/root" "$s"
rm -rf "${s:?}/usr/share" "$s"/usr/lib/*/gconv "$s"/usr/lib/*/audit "$s/usr/libexec" "$s/etc/ld.so.conf.d"
mkdir -p "$s/usr/bin" "$s/usr/sbin" "$s/usr/lib"
for l in bin sbin lib; do [ -e "$s/$l" ] || ln -s "usr/$l" "$s/$l"; done
mkdir -p "$s/proc" "$s/sys" "$s/dev" "$s/run" "$s/tmp" "$s/etc"
ln -sf busybox "$s/bin/sh"
echo "$a" >"$s/etc/boot-arch"
# The build with part F's options (make build-full), under the name the
# SELinux phase gives it.
install -m 0755 "$("$top/tools/triple" --full "$a")" "$s/usr/bin/s6-ipcserver-socketbinder-full"
install -m 0755 "target/boot/helper/$("$top/tools/triple" "$a")/release/bootprobe" "$s/usr/bin/bootprobe"
install -m 0755 "$here/lsm/smack.sh" "$s/lsm-smack.sh"
cp "$here/lsm/lib.sh" "$s/lsm-lib.sh"
cp "$here/guest-lib.sh" "$s/guest-lib.sh"
python3 "$here/mkcpio.py" "$s" "$d/initramfs.cpio"
start=$(date +%s)
status=0
qemu_boot "$a" "$d/initramfs.cpio" /lsm-smack.sh "$log" security=smack "$image" || status=$?
secs=$(($(date +%s) - start))
tr -d '\r' <"$log" >"$log.txt"
out=$("$here/lsm/judge.sh" "$a" smack "$log.txt" "(Linux $(sed -n "s/.*LSM: $a smack end //p" "$log.txt") with SMACK, built here; $secs s)")
bad=0
grep -q "LSM: $a smack end " "$log.txt" || { echo "lsm: $a: smack: the guest did not reach its end" && bad=1; }
if [ "$status" = 124 ] || [ "$status" = 137 ]; then echo "lsm: $a: smack: timed out, killed" && bad=1; fi
[ "$(echo "$out" | wc -l)" = 1 ] || bad=1
if [ "$bad" = 1 ]; then
    echo "lsm: $a: smack: last lines of target/boot/smack.log:"
    tail -n 15 "$log.txt" | sed 's/^/    /'
fi
rm -f "$log.txt"
echo "$out"
exit $bad
