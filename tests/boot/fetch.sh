#!/bin/sh
# Debian 12's own packages for one architecture, downloaded (never
# installed) and unpacked under target/boot/ARCH/: the kernel image, and the
# busybox-static, s6 and s6's shared libraries the initramfs is made of.
#   usage: tests/boot/fetch.sh ARCH      (aarch64 armv7 i686 x86_64, riscv64)
# The other architectures' packages are listed by apt lists of their own,
# from the machine's Debian mirror (tools/debian-sources): arm64, armhf
# and i386 under ~/.cache/s6-ipcserver-socketbinder/apt-bookworm; riscv64,
# which has no Debian 12 kernel, from Debian 13 (trixie) under apt-trixie.
# The machine's apt configuration and lists are not changed, and dpkg gets
# no foreign architecture (`dpkg --add-architecture` is never run).
# A second run finds target/boot/ARCH/debs.ok and downloads nothing; a new
# checkout finds each .deb in BOOT_CACHE (default ~/.cache/s6-ipcserver-
# socketbinder/debs, as cargo keeps crates in ~/.cargo) and copies it.
# Runs as root (apt-get update of the host's lists for x86_64) the first time.
#   usage: tests/boot/fetch.sh --lists ARCH...   the package lists for all
#          of them at once (one apt-get update), so that the downloads of
#          several architectures can then run side by side
set -eu
top=$(pwd)
if [ "${1:-}" = --lists ]; then
    shift
    # Each architecture's own run finds its lists (the first foreign one
    # makes apt-bookworm's, riscv64 apt-trixie's), one after the other:
    # apt's list lock is not shared.
    for a in "$@"; do BOOT_LISTS_ONLY=1 "$0" "$a" || exit 1; done
    exit 0
fi
arch=$1
dir=$top/target/boot/$arch
case $arch in
aarch64) deb=arm64 flavour=arm64 ;;
armv7) deb=armhf flavour=armmp ;;
i686) deb=i386 flavour=686 ;;
x86_64) deb=amd64 flavour=amd64 ;;
riscv64) deb=riscv64 flavour=riscv64 suite=trixie ;;
*) echo "boot: no Debian architecture known for $arch" >&2 && exit 1 ;;
esac
# (musl: added later, so a checkout fetched before has none yet)
[ -f "$dir/debs.ok" ] && [ -d "$dir/musl" ] && exit 0

say() { echo "boot: $arch: $*" >&2; }
die() { say "$*" && exit 1; }
mkdir -p "$dir"
apt_name=$arch
. "$(dirname "$0")/debs.sh"

# Another architecture: a sources.list, lists and architectures of its own
# (a private apt configuration: the machine's dpkg and apt are not
# changed), from the host's Debian mirror, kept beside the package cache
# for the next checkout (lists too old for the mirror fail the download
# below, which then updates them). Debian 12's three share apt-bookworm.
# A mirror mid-sync fails some index files (seen: bookworm-security's
# armhf and i386): apt-get update then exits non-zero though the rest is
# usable, so for bookworm what decides is whether the names resolve.
if [ "$deb" != "$(dpkg --print-architecture)" ]; then
    suite=${suite:-bookworm}
    p=$(dirname "$cachedir")/apt-$suite
    case $suite in bookworm) archs="arm64 armhf i386" ;; *) archs=$deb ;; esac
    aptopts="$aptopts -o Dir::Etc::sourcelist=$p/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::lists=$p/lists"
    for a in $archs; do aptopts="$aptopts -o APT::Architectures::=$a"; done
    if [ ! -f "$p/updated" ]; then
        mkdir -p "$p/lists/partial"
        if [ "$suite" = bookworm ]; then
            "$top/tools/debian-sources" bookworm >"$p/sources.list"
        else
            "$top/tools/debian-sources" "$suite" | head -n 1 >"$p/sources.list"
        fi
        say "apt-get update ($(tr '\n' ';' <"$p/sources.list" | sed 's/;$//; s/;/; /g'); $archs)"
        if ! apt update -qq >/dev/null 2>&1; then
            [ "$suite" = bookworm ] || die "cannot read the $suite package lists ($(cat "$p/sources.list"))"
            say "apt-get update reported errors; going on with the lists it has"
        fi
        touch "$p/updated"
    fi
fi
resolve() { cache depends "$1:$deb" 2>/dev/null | sed -n 's/^  Depends: \([^ :<]*\).*/\1/p'; }
if [ -z "${suite:-}" ] && [ -z "$(resolve "linux-image-$flavour")" ] && [ ! -f "$top/target/boot/apt-updated" ]; then
    [ "$(id -u)" = 0 ] || die "apt-cache knows no linux-image-$flavour:$deb (run apt-get update as root)"
    say "apt-get update"
    apt update -qq >/dev/null 2>&1 || say "apt-get update reported errors; going on with the lists it has"
    touch "$top/target/boot/apt-updated"
fi

[ -z "${BOOT_LISTS_ONLY:-}" ] || exit 0

# linux-image-FLAVOUR depends on exactly one linux-image-6.1.0-N-FLAVOUR;
# s6 depends on libc6 and on skalibs', execline's and its own library.
# Returns non-zero, naming the package in $failed, if a download fails.
download() {
    kernel=$(resolve "linux-image-$flavour" | grep '^linux-image-' | head -n 1)
    [ -n "$kernel" ] || die "cannot resolve package linux-image-$flavour for architecture $deb"
    libs=$(resolve s6)
    [ -n "$libs" ] || die "cannot resolve the dependencies of package s6 for architecture $deb"
    rm -rf "$dir/debs" "$dir/root" "$dir/kernel" "$dir/musl"
    mkdir -p "$dir/debs" "$dir/root" "$dir/kernel" "$dir/musl"
    # musl-dev: the static C library tests/boot/skarnet.sh builds with.
    get_debs "$dir/debs" ":$deb" $kernel busybox-static s6 $libs musl-dev
}
# Lists older than the mirror name versions it no longer has (a new kernel
# ABI replaces the old package): then one apt-get update, and again.
if ! download; then
    [ "$(id -u)" = 0 ] || { cat "$dir/debs/download.log" >&2; die "cannot download package $failed for architecture $deb"; }
    say "cannot download $failed:$deb; apt-get update and again"
    apt update -qq >/dev/null 2>&1 || say "apt-get update reported errors; going on with the lists it has"
    download || { cat "$dir/debs/download.log" >&2; die "cannot download package $failed for architecture $deb"; }
fi
rm -f "$dir/debs/download.log"

# The kernel: only /boot/vmlinuz-* out of the package (its modules are not
# needed: the initramfs is the root, and the drivers used are built in).
# Reading it means decompressing the whole package (seconds of CPU for
# 40 to 110 MB of xz), so the image is kept in the cache too, named after
# the package's checksum.
kdeb=$(ls "$dir"/debs/linux-image-*.deb)
kimage=$cachedir/vmlinuz-$(sha256sum "$kdeb" | cut -c1-16)
if [ -f "$kimage" ]; then
    cp "$kimage" "$dir/kernel/vmlinuz"
else
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$dir/kernel" --wildcards './boot/vmlinu[xz]-*'
    mv "$dir"/kernel/boot/vmlinu[xz]-* "$dir/kernel/vmlinuz"
    rmdir "$dir/kernel/boot"
    { cp "$dir/kernel/vmlinuz" "$kimage.part" && mv "$kimage.part" "$kimage"; } 2>/dev/null || true
fi
echo "$kernel" | sed 's/^linux-image-//' >"$dir/kernel/version"
# Everything else unpacked whole into the initramfs's tree.
for d in "$dir"/debs/*.deb; do
    case $d in
    "$kdeb") ;;
    */musl-dev_*) dpkg-deb -x "$d" "$dir/musl" ;;
    *) dpkg-deb -x "$d" "$dir/root" ;;
    esac
done
du -cb "$dir"/debs/*.deb | tail -n 1 | cut -f1 >"$dir/debs.bytes"
touch "$dir/debs.ok"
say "$(ls "$dir"/debs | wc -l) packages, $(($(cat "$dir/debs.bytes") / 1000000)) MB, unpacked"
