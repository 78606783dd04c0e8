#!/bin/sh
# make check-deb: the packages in DEBDIR installed and used, each in a
# throwaway Debian 12 root of its own architecture, never on the machine.
#   usage: tests/deb-install.sh DEBDIR [ARCH...]   (default: amd64 arm64 armhf i386)
# Each root is a tarball made once by mmdebstrap from the machine's Debian
# mirror (tools/debian-sources) with s6 installed, kept in the download
# cache (BOOT_CACHE's parent, ~/.cache/s6-ipcserver-socketbinder/roots),
# and unpacked on a tmpfs in a sandbox (tests/deb-root/sandbox.sh: user,
# mount and pid namespaces; the arm64 and armhf roots run under qemu-user
# through a binfmt_misc of the sandbox's own). tests/deb-root/steps.sh
# runs in it, chrooted: the amd64 package goes through every step of
# doc/debian.md with apt-get; arm64, armhf and i386 through install,
# --version, use by s6-ipcserver, remove and purge with dpkg. The roots run
# side by side. The machine's dpkg, apt lists, binfmt_misc and /usr are
# not touched: nothing here installs, diverts or registers anything on it.
# The dpkg-divert state after each step: DEBDIR/install-steps[-ARCH].txt.
set -eu
pkg=s6-ipcserver-socketbinder-rs
name=s6-ipcserver-socketbinder
dir=$1
shift
archs=${*:-amd64 arm64 armhf i386}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
here=$(pwd)
work=$here/target/check-deb
cache=$(dirname "${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/s6-ipcserver-socketbinder/debs}")/roots
t0=$(date +%s)

fail() { echo "check-deb: FAIL: $*"; exit 1; }
say() { echo "check-deb: $*"; }
[ "$(id -u)" = 0 ] || fail "needs root (user namespaces with all uids mapped, chroot)"
for a in $archs; do [ -f "$dir/${pkg}_${version}_$a.deb" ] || fail "no $dir/${pkg}_${version}_$a.deb: make deb"; done
mkdir -p "$work" "$cache"
rm -rf "$work/run"
mkdir "$work/run"

# --- The roots -----------------------------------------------------------------
# qemu-user for the sandbox's binfmt_misc: none for amd64 and i386 (the
# kernel runs i386 itself).
qemu() { case $1 in amd64 | i386) ;; *) echo "$1" ;; esac; }
# What a root is made of; its checksum names the tarball, so a change here
# (or a new mmdebstrap, or another mirror) makes a new one. amd64 gets apt
# and man-db for the whole scenario; the others dpkg alone. s6's .deb is
# kept in the root, at /var/local, for the steps that install it again.
# Debian 12 and its point-release updates, from the machine's mirror. Not
# -security: a root needs s6 and dpkg, not security fixes, and a mirror
# mid-sync there (seen: armhf and i386 Packages.xz of the wrong size)
# fails mmdebstrap, which allows no error in apt-get update.
sources() { tools/debian-sources bookworm | grep -v -- '-security '; }
spec() {
    case $1 in amd64) echo "--variant=apt --include=s6,man-db" ;; *) echo "--variant=essential --include=s6" ;; esac
    echo "--customize-hook=cp \"\$1\"/var/cache/apt/archives/s6_*.deb \"\$1\"/var/local/"
    echo "--arch=$1"
    sources
    mmdebstrap --version
}
tarball() { echo "$cache/bookworm-$1-$(spec "$1" | sha256sum | cut -c1-16).tar.zst"; }
make_root() {
    a=$1 tar=$(tarball "$1")
    tmp=$cache/.$(basename "$tar").$$
    # shellcheck disable=SC2046 # the spec's first line: options, split
    tests/deb-root/sandbox.sh $(qemu "$a") -- mmdebstrap --mode=root --skip=chroot/mount/sys \
        $(spec "$a" | sed -n 1p) "$(spec "$a" | sed -n 2p)" --arch="$a" \
        bookworm "$tmp.tar.zst" "$(sources | sed -n 1p)" "$(sources | sed -n 2p)" \
        >"$work/run/mmdebstrap-$a.log" 2>&1 || { rm -f "$tmp.tar.zst"; return 1; }
    # The older roots of this architecture go.
    rm -f "$cache/bookworm-$a-"*.tar.zst
    mv "$tmp.tar.zst" "$tar"
}
pids="" todo=""
for a in $archs; do
    [ -f "$(tarball "$a")" ] && continue
    say "$a: mmdebstrap bookworm, s6 in it (once: kept as $(tarball "$a"))"
    make_root "$a" &
    pids="$pids $!" todo="$todo $a"
done
rc=0
for p in $pids; do wait "$p" || rc=1; done
if [ $rc != 0 ]; then
    for a in $todo; do [ -f "$(tarball "$a")" ] || { tail -n 20 "$work/run/mmdebstrap-$a.log"; say "$a: mmdebstrap failed"; }; done
    exit 1
fi
[ -z "$todo" ] || say "roots made in $(($(date +%s) - t0)) s:$(for a in $todo; do printf ' %s %s MB' "$a" $(($(stat -c %s "$(tarball "$a")") / 1000000)); done)"

# --- The files each root gets --------------------------------------------------
for a in $archs; do
    f=$work/run/files-$a
    mkdir -p "$f"
    cp tests/deb-root/steps.sh "$f/"
    mkdir "$f/ours"
    cp "$dir/${pkg}_${version}_$a.deb" "$f/ours/"
    # The binary the package must install: make's own build for it.
    cp "$(tools/triple --bin "$a")" "$f/ours.bin"
    dpkg-deb --fsys-tarfile "$f/ours/${pkg}_${version}_$a.deb" | tar -xO ./usr/bin/$name | cmp -s - "$f/ours.bin" ||
        fail "$a: the package's binary is not $(tools/triple --bin "$a"): make deb"
done

# A higher version for the upgrade step: this tree at the next patch
# version (Cargo.toml, Cargo.lock, debian/changelog), built with
# dpkg-buildpackage in target/check-deb/next, which is kept: cargo then
# rebuilds only this crate (its Cargo.toml changed) on the next run.
case " $archs " in *" amd64 "*)
    next=$(echo "$version" | awk -F . '{ $NF = $NF + 1; print }' OFS=.)
    tree=$work/next/tree
    mkdir -p "$tree"
    git ls-files -co --exclude-standard -z | grep -zvxE 'Cargo.toml|Cargo.lock|debian/changelog' |
        tar --null -T - -cf - | tar -C "$tree" -xf -
    # A file gone from this tree goes from the copy too (its target/ stays).
    git ls-files -co --exclude-standard | sort >"$work/next/files"
    (cd "$tree" && find . -path ./target -prune -o -type f -print | sed 's|^\./||' | sort) |
        comm -23 - "$work/next/files" | grep -vxE 'Cargo.toml|Cargo.lock|debian/changelog' |
        (cd "$tree" && xargs -r rm -f --)
    sed "0,/^version = \"$version\"\$/s//version = \"$next\"/" Cargo.toml >"$work/next/Cargo.toml"
    sed "/^name = \"$name\"\$/{n;s/^version = \"$version\"\$/version = \"$next\"/}" Cargo.lock >"$work/next/Cargo.lock"
    for f in Cargo.toml Cargo.lock; do cmp -s "$work/next/$f" "$tree/$f" || cp "$work/next/$f" "$tree/$f"; done
    { printf '%s (%s) unstable; urgency=medium\n\n  * Test build: a higher version for make check-deb.\n\n -- %s  %s\n\n' \
        "$pkg" "$next" "$(dpkg-parsechangelog -S Maintainer)" "$(dpkg-parsechangelog -S Date)"; cat debian/changelog; } \
        >"$work/next/changelog"
    cmp -s "$work/next/changelog" "$tree/debian/changelog" || cp "$work/next/changelog" "$tree/debian/changelog"
    (cd "$tree" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DEB_BUILD_OPTIONS=nocheck \
        dpkg-buildpackage -b -d --no-sign --post-clean >../build.log 2>&1) ||
        { tail -n 30 "$work/next/build.log"; fail "building $pkg $next (log: $work/next/build.log)"; }
    f=$work/run/files-amd64
    mkdir "$f/next"
    mv "$work/next/${pkg}_${next}_amd64.deb" "$f/next/"
    dpkg-deb --fsys-tarfile "$f/next/${pkg}_${next}_amd64.deb" | tar -xO ./usr/bin/$name >"$f/next.bin"
    cmp -s "$f/next.bin" "$f/ours.bin" && fail "the $next binary is the same as $version's"
    ;;
esac
t1=$(date +%s)
say "ready in $((t1 - t0)) s; now each root, side by side:$(for a in $archs; do printf ' %s (%s)' "$a" "$([ -z "$(qemu "$a")" ] && echo native || echo qemu-user)"; done)"

# --- Each root ----------------------------------------------------------------
pids=""
for a in $archs; do
    mode=short && [ "$a" = amd64 ] && mode=full
    # shellcheck disable=SC2046 # qemu's architecture, or nothing
    tests/deb-root/sandbox.sh $(qemu "$a") -- tests/deb-root/run.sh "$(tarball "$a")" $mode \
        "$work/run/files-$a" "$work/run/$a" >"$work/run/$a.log" 2>&1 &
    pids="$pids $a:$!"
done
rc=0
for p in $pids; do
    a=${p%%:*}
    if wait "${p#*:}"; then
        grep '^check-deb: ' "$work/run/$a.log"
    else
        rc=1
        cat "$work/run/$a.log"
        tail -n 20 "$work/run/$a/pm.log" 2>/dev/null || true
        say "$a: FAILED (log: $work/run/$a.log)"
    fi
    s=$dir/install-steps-$a.txt && [ "$a" = amd64 ] && s=$dir/install-steps.txt
    cp "$work/run/$a/install-steps.txt" "$s" 2>/dev/null || true
done
# The sandboxes' tmpfs went with them; only empty mount points are left.
for a in $archs; do rmdir "$work/run/$a/root" 2>/dev/null || true; done
[ $rc = 0 ] || exit 1
say "all roots passed: steps in $(($(date +%s) - t1)) s, $(($(date +%s) - t0)) s in all (diversion states: $dir/install-steps*.txt)"
