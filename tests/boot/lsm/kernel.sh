#!/bin/sh
# The x86_64 kernel of the SMACK boot (doc/boot.md, "LSM boots"): no
# Debian kernel has SMACK, so one is built from Debian's linux-source-6.1
# (a host package: a tarball under /usr/src) with `make tinyconfig` plus
# tests/boot/lsm/smack.config. The bzImage is kept in the boot cache
# (~/.cache/s6-ipcserver-socketbinder/kernels, beside debs/), named after
# the source package's version and the config fragment's hash, so it is
# built once per machine; a newer linux-source-6.1 builds a new one.
#   usage: tests/boot/lsm/kernel.sh      prints the bzImage's path
# The build runs under nice, KBUILD_JOBS at a time (default: the cores).
set -eu
top=$(pwd)
here=$top/tests/boot/lsm
say() { echo "boot: smack kernel: $*" >&2; }
die() { say "$*" && exit 1; }
cachedir=${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/s6-ipcserver-socketbinder/debs}
kdir=$(dirname "$cachedir")/kernels
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || "$top/tools/apt-install" linux-source-6.1 flex bison bc >&2 || die "needs the host package linux-source-6.1"
"$top/tools/apt-install" flex bison bc libelf-dev >&2 || die "needs flex, bison, bc and libelf-dev (objtool) to build a kernel"
version=$(dpkg-query -W -f '${Version}' linux-source-6.1)
hash=$(sha256sum "$here/smack.config" | cut -c1-12)
image=$kdir/bzImage-smack-$version-$hash
if [ -f "$image" ]; then
    echo "$image"
    exit 0
fi
# The tree stays in target/boot/smack-kernel (delete it at will): deleting
# its 84,000 files took 4 minutes on a busy disk, and with it a changed
# smack.config rebuilds only what changed.
build=$top/target/boot/smack-kernel
mkdir -p "$build" "$kdir"
start=$(date +%s)
if [ ! -f "$build/unpacked-$version" ]; then
    rm -rf "${build:?}"/*
    say "unpacking $tarball ($version)"
    tar -xJf "$tarball" -C "$build"
    touch "$build/unpacked-$version"
fi
src=$build/linux-source-6.1
cd "$src"
mk() { nice make -s ARCH=x86_64 "$@"; }
mk tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$here/smack.config" >/dev/null
mk olddefconfig >/dev/null
# merge_config's check, kept: every option asked for must have been taken
# (a dependency missing from the fragment silently drops one).
grep '^CONFIG_' "$here/smack.config" | while read -r line; do
    grep -qx "$line" .config || die "the kernel config did not take $line"
done
say "building bzImage (tinyconfig + $(grep -c '^CONFIG_' "$here/smack.config") options) with ${KBUILD_JOBS:-$(nproc)} jobs"
mk -j"${KBUILD_JOBS:-$(nproc)}" bzImage >"$build/build.log" 2>&1 || {
    tail -n 30 "$build/build.log" >&2
    die "the build failed (log: $build/build.log)"
}
cp arch/x86/boot/bzImage "$image.part" && mv "$image.part" "$image"
secs=$(($(date +%s) - start))
echo "$secs" >"$image.seconds"
say "built in $secs s: $image ($(stat -c %s "$image") B)"
echo "$image"
