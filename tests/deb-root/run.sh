#!/bin/sh
# Inside tests/deb-root/sandbox.sh: one throwaway root, made from its cached
# tarball on a tmpfs (gone with the sandbox, whatever happens), with the
# device nodes bound from the machine's /dev and a /proc of the sandbox's
# own; then tests/deb-root/steps.sh in it, chrooted.
#   usage: tests/deb-root/run.sh TARBALL MODE FILES OUT
#   FILES: a directory copied in as /check-deb; OUT: where install-steps.txt
#   and, on failure, the package manager's log are copied back to.
set -eu
tar=$1 mode=$2 files=$3 out=$4
root=$out/root
mkdir -p "$root"
mount -t tmpfs -o mode=0755 tmpfs "$root"
# --numeric-owner: the root's uids, not the machine's users of those names.
zstd -dc "$tar" | tar -x --numeric-owner -C "$root" --exclude='./dev/*'
mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
for n in null zero full random urandom tty; do
    : >"$root/dev/$n"
    mount --bind "/dev/$n" "$root/dev/$n"
done
ln -s /proc/self/fd "$root/dev/fd"
for i in 0 1 2; do ln -s /proc/self/fd/$i "$root/dev/$(echo stdin stdout stderr | cut -d ' ' -f $((i + 1)))"; done
mkdir -p "$root/dev/shm" "$root/dev/pts"
# A pty of its own for apt's dpkg log.
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t proc proc "$root/proc"
cp -a "$files" "$root/check-deb"
rc=0
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 TERM=dumb \
    /bin/sh /check-deb/steps.sh "$mode" || rc=$?
cp "$root/check-deb/install-steps.txt" "$out/" 2>/dev/null || true
cp "$root/check-deb/pm.log" "$out/" 2>/dev/null || true
exit $rc
