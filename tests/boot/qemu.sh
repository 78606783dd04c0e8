#!/bin/sh
# qemu-system for check-boot, unpacked under target/boot/qemu/ rather than
# installed: Debian 12's qemu-system-common Breaks nothing, but a host can
# carry a newer qemu-utils (a backport) that Breaks qemu-system-common
# (<< 8.0), and installing qemu-system-* would remove it. QEMU finds its
# modules (accel-tcg-*.so) and firmware (SeaBIOS) relative to its own
# binary, so the unpacked tree runs in place. Only the shared libraries the
# two binaries link are installed on the host (apt-get --no-remove, as
# root), when missing.
#   usage: tests/boot/qemu.sh ARCH...   (the architectures to boot)
# Each package is downloaded once (target/boot/qemu/debs/PACKAGE.ok).
set -eu
dir=$(pwd)/target/boot/qemu
say() { echo "boot: qemu: $*" >&2; }
die() { say "$*" && exit 1; }
mkdir -p "$dir"
# shellcheck disable=SC2034 # read by debs.sh
apt_name=qemu
. "$(dirname "$0")/debs.sh"
pkgs="qemu-system-common qemu-system-data"
for a in "$@"; do
    case $a in
    aarch64 | armv7) p=qemu-system-arm ;;
    i686 | x86_64) p="qemu-system-x86 seabios ipxe-qemu" ;;
    riscv64) p=qemu-system-misc ;; # qemu-system-data has its OpenSBI
    *) die "no qemu-system known for $a" ;;
    esac
    for q in $p; do case " $pkgs " in *" $q "*) ;; *) pkgs="$pkgs $q" ;; esac; done
done
todo=""
for p in $pkgs; do [ -f "$dir/debs/$p.ok" ] || todo="$todo $p"; done
[ -n "$todo" ] || exit 0

if ! cache show qemu-system-arm >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "apt-cache knows no qemu-system-arm (run apt-get update as root)"
    apt update -qq >/dev/null 2>&1 || say "apt-get update reported errors; going on with the lists it has"
fi
# The libraries the qemu-system binaries link.
bins=$(echo $pkgs | tr ' ' '\n' | grep -E '^qemu-system-(arm|x86|misc)$')
libs=$(cache depends $bins | sed -n 's/^ *|\{0,1\}Depends: \([^ <]*\).*/\1/p' |
    grep -vE '^(qemu-|seabios|ipxe-qemu)' | sort -u)
missing=""
for p in $libs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing libraries for qemu-system:$missing (install them, or run as root)"
    say "installing:$missing"
    DEBIAN_FRONTEND=noninteractive apt install -y -qq --no-install-recommends --no-remove $missing >/dev/null ||
        die "cannot install$missing"
fi

mkdir -p "$dir/debs" "$dir/root"
get_debs "$dir/debs" "" $todo || {
    cat "$dir/debs/download.log" >&2
    die "cannot download package $failed for architecture $(dpkg --print-architecture)"
}
for p in $todo; do
    dpkg-deb -x "$dir/debs/${p}_"*.deb "$dir/root"
    touch "$dir/debs/$p.ok"
done
for b in "$dir"/root/usr/bin/qemu-system-aarch64 "$dir"/root/usr/bin/qemu-system-x86_64 "$dir"/root/usr/bin/qemu-system-riscv64; do
    [ -x "$b" ] && "$b" --version | head -n 1 >"$dir/version" && break
done
du -cb "$dir"/debs/*.deb | tail -n 1 | cut -f1 >"$dir/debs.bytes"
say "$(cat "$dir/version"), $(($(cat "$dir/debs.bytes") / 1000000)) MB of packages, unpacked"
