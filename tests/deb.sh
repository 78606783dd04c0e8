#!/bin/sh
# The Debian packages: what `make deb` builds and checks (doc/debian.md).
#   usage: tests/deb.sh ARCH...
# For each Debian architecture: `dpkg-buildpackage -a ARCH -d -b` (debian/
# is the only recipe; it calls the Makefile), the results moved from the
# parent directory to target/deb/, then checked: the Architecture field,
# the file list, and the binary inside (readelf: a static EXEC for the
# right machine; the same bytes as the Makefile's build for that
# architecture). Then lintian on all of them: no error, no warning.
set -eu
pkg=s6-ipcserver-socketbinder-rs
name=s6-ipcserver-socketbinder
out=target/deb

# Cargo.toml's version is the package's: debian/changelog must agree.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
logged=$(dpkg-parsechangelog -S Version)
[ "$version" = "$logged" ] || {
    echo "deb: debian/changelog says $logged, Cargo.toml $version: add a changelog entry for $version"
    exit 1
}

# readelf's "Machine:" and "Class:" for it.
machine() {
    case $1 in
    amd64) echo "Advanced Micro Devices X86-64 ELF64" ;;
    arm64) echo "AArch64 ELF64" ;;
    armhf) echo "ARM ELF32" ;;
    i386) echo "Intel 80386 ELF32" ;;
    esac
}
# What debian/rules' `make build` or `make cross` left for it.
built() { tools/triple --bin "$1"; }
size() { stat -c %s "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

mkdir -p "$out"
tmp=$(mktemp -d "$out/check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for arch; do
    tools/triple "$arch" >/dev/null
    base=${pkg}_${version}_$arch
    log=$out/$base.build.log
    echo "deb: dpkg-buildpackage -a $arch -d -b (log: $log)"
    # Not the MAKEFLAGS of the make that runs this: debian/rules runs its
    # own make, as it would by hand. nocheck: the tests are `make check`'s.
    if ! env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DEB_BUILD_OPTIONS=nocheck \
        dpkg-buildpackage -a "$arch" -d -b --no-sign --post-clean >"$log" 2>&1; then
        tail -n 30 "$log"
        echo "deb: $arch: dpkg-buildpackage failed (whole log: $log)"
        exit 1
    fi
    for ext in deb buildinfo changes; do mv -f "../$base.$ext" "$out/"; done
    deb=$out/$base.deb

    field=$(dpkg-deb -f "$deb" Architecture)
    [ "$field" = "$arch" ] || { echo "deb: $deb: Architecture is $field"; exit 1; }
    dpkg-deb -c "$deb" | awk '{ print $1, $6 }' >"$tmp/list"
    cat >"$tmp/want" <<EOF
drwxr-xr-x ./
drwxr-xr-x ./usr/
drwxr-xr-x ./usr/bin/
-rwxr-xr-x ./usr/bin/$name
drwxr-xr-x ./usr/share/
drwxr-xr-x ./usr/share/doc/
drwxr-xr-x ./usr/share/doc/$pkg/
-rw-r--r-- ./usr/share/doc/$pkg/changelog.gz
-rw-r--r-- ./usr/share/doc/$pkg/copyright
drwxr-xr-x ./usr/share/lintian/
drwxr-xr-x ./usr/share/lintian/overrides/
-rw-r--r-- ./usr/share/lintian/overrides/$pkg
drwxr-xr-x ./usr/share/man/
drwxr-xr-x ./usr/share/man/man8/
-rw-r--r-- ./usr/share/man/man8/$name.8.gz
EOF
    diff -u "$tmp/want" "$tmp/list" || { echo "deb: $deb: unexpected files (dpkg-deb -c)"; exit 1; }

    rm -rf "$tmp/root" && dpkg-deb -x "$deb" "$tmp/root"
    bin=$tmp/root/usr/bin/$name
    h=$(readelf -hW "$bin")
    want=$(machine "$arch")
    echo "$h" | grep -q "Machine: *${want% *}\$" || { echo "deb: $deb: not a ${want% *} binary"; exit 1; }
    echo "$h" | grep -q "Class: *${want##* }\$" || { echo "deb: $deb: not ${want##* }"; exit 1; }
    echo "$h" | grep -q 'Type: *EXEC' || { echo "deb: $deb: not an EXEC"; exit 1; }
    ! readelf -lW "$bin" | grep -qE 'INTERP|DYNAMIC' || { echo "deb: $deb: INTERP or DYNAMIC segment"; exit 1; }
    cmp "$bin" "$(built "$arch")" || { echo "deb: $deb: the binary is not $(built "$arch")"; exit 1; }
    echo "deb: $deb: $(size "$deb") bytes; Architecture $arch; ${want% *} static EXEC of $(size "$bin") bytes, the same as $(built "$arch")"
done

# One lintian run for all (it loads its profile once: about 7 s for four).
# Root gets a "not recommended" line on stderr; it reads only these files.
# Not --show-overrides: with it, an overridden error fails --fail-on.
# TMPDIR: lintian 2.116 leaves an mldbm-elf-* file per package in it.
debs=$(for arch; do echo "$out/${pkg}_${version}_$arch.deb"; done)
# shellcheck disable=SC2086
if ! TMPDIR=$(realpath "$tmp") lintian --fail-on error,warning --display-info $debs >"$tmp/lintian" 2>&1; then
    cat "$tmp/lintian"
    echo "deb: lintian found errors or warnings"
    exit 1
fi
grep -v 'not recommended' "$tmp/lintian" || true
echo "deb: lintian: no error, no warning, no info tag ($(echo "$debs" | wc -l) packages; overridden: $(grep -v '^#' debian/$pkg.lintian-overrides | tr '\n' ' '))"
