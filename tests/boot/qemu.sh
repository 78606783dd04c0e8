#!/bin/sh
# qemu-system for check-boot, unpacked under target/boot/qemu/ rather than
# installed: Debian 12's qemu-system-common Breaks nothing, but a host can
# carry a newer qemu-utils (a backport) that Breaks qemu-system-common
# (<< 8.0), and installing qemu-system-* would remove it. QEMU finds its
# modules (accel-tcg-*.so) and firmware (SeaBIOS) relative to its own
# binary, so the unpacked tree runs in place. Only the shared libraries the
# two binaries link are installed on the host (apt-get --no-remove, as
# root), when missing.
#   usage: tests/boot/qemu.sh   (prints nothing once target/boot/qemu/qemu.ok exists)
set -eu
dir=$(pwd)/target/boot/qemu
[ -f "$dir/qemu.ok" ] && exit 0
say() { echo "boot: qemu: $*" >&2; }
die() { say "$*" && exit 1; }
apt() { apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"; }
pkgs="qemu-system-arm qemu-system-x86 qemu-system-common qemu-system-data seabios ipxe-qemu"

if ! apt-cache show qemu-system-arm >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "apt-cache knows no qemu-system-arm (run apt-get update as root)"
    apt update -qq >/dev/null 2>&1 || say "apt-get update reported errors; going on with the lists it has"
fi
# The libraries qemu-system-arm and qemu-system-x86 link.
libs=$(apt-cache depends qemu-system-arm qemu-system-x86 | sed -n 's/^ *|\{0,1\}Depends: \([^ <]*\).*/\1/p' |
    grep -vE '^(qemu-|seabios|ipxe-qemu)' | sort -u)
missing=""
for p in $libs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing libraries for qemu-system:$missing (install them, or run as root)"
    say "installing:$missing"
    DEBIAN_FRONTEND=noninteractive apt install -y -qq --no-install-recommends --no-remove $missing >/dev/null ||
        die "cannot install$missing"
fi

rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
for p in $pkgs; do
    say "apt-get download $p"
    (cd "$dir/debs" && apt download -qq "$p" >download.log 2>&1) ||
        { cat "$dir/debs/download.log" >&2; die "cannot download package $p for architecture $(dpkg --print-architecture)"; }
done
rm -f "$dir/debs/download.log"
for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/root"; done
"$dir/root/usr/bin/qemu-system-x86_64" --version | head -n 1 >"$dir/version"
du -cb "$dir"/debs/*.deb | tail -n 1 | cut -f1 >"$dir/debs.bytes"
touch "$dir/qemu.ok"
say "$(cat "$dir/version"), $(($(cat "$dir/debs.bytes") / 1000000)) MB downloaded"
