# shellcheck shell=sh disable=SC2034,SC2154  # sourced by tests/recipes.sh, which sets and reads these
# Alpine: abuild 3.15.0 (commit 1355cc9b634d) and aports' rust package
# (main/rust/alpine-target.patch, at aports commit 9c714d89fba0). Sourced by
# tests/recipes.sh.
#
# abuild's default.conf (lines 16-19), exported for every build:
#   CARGO_PROFILE_RELEASE_OPT_LEVEL="s" CARGO_PROFILE_RELEASE_PANIC="abort"
#   CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_LTO="true"
# abuild.in line 714: build() runs in "$builddir", the unpacked source, so
# the project's .cargo/config.toml is read; no RUSTFLAGS is set.
# Alpine's rustc builds for its own host triple, $arch-alpine-linux-musl
# (alpine-target.patch): the unknown-linux-musl target with
# crt_static_default = false (and, for armv7, +thumb-mode among its
# features), linking with the system's gcc.
# Our APKBUILD is sourced and its build() run as abuild runs it (it builds
# the default binary and, for the -full subpackage, the full one). The full
# variant is that subpackage: build() again (nothing to rebuild), then its
# split function, as abuild runs it (abuild.in lines 929-946: from
# $startdir, with $subpkgdir set); its binary is the one in $subpkgdir.
# Alpine's cargo builds for its host triple (target/full/release/); here,
# where CARGO_BUILD_TARGET names one, the split function gets a $builddir
# whose target/full/release is a link to target/full/TRIPLE/release.
# Then the packaging, as abuild's rootpkg runs it (abuild.in lines
# 2258-2266, each part from runpart, lines 694-719, in $builddir): our
# package() (or, for -full, the split function), then prepare_package's
# stripbin (lines 1431-1433 and 2676-2709), reproduced in
# $work/alpine/stripbin.sh and run by `sh -e` as abuild runs (its first
# line is `#!/bin/ash -e`): unless options_has "!strip" (lines 2748-2776),
# for each ET_EXEC or ET_DYN file (scanelf; readelf here) it runs
# `strip -o TMP FILE`, then `cat TMP > FILE`. The binary checked is the one
# in $pkgdir (or $subpkgdir) after that. Our package() and split function
# get a $builddir laid out as Alpine's own triple leaves it (target/release,
# target/full/release), linked to this build's.
# Stand-ins: the unknown-linux-musl triple (CARGO_BUILD_TARGET) with
# `-C target-feature=-crt-static` for Alpine's default (rustup has no armv7
# musl standard library here: armv7 builds for gnueabihf); the linker is
# musl-gcc (Debian's musl-tools) for x86_64 and Debian's cross gcc for the
# others; crates from the shared registry cache (abuild's prepare() runs
# `cargo fetch`).
release="Alpine abuild 3.15.0"

prepare() {
    asrc=$work/alpine/src/$name-0.1.0
    src_copy "$asrc"
    # abuild 3.15.0's stripbin, options_has and list_has (abuild.in lines
    # 2676-2709, 2748-2757, 2772-2776): sh -e stripbin.sh DIR SUBPKGNAME
    # STRIPCMD OPTIONS.
    cat >"$work/alpine/stripbin.sh" <<'SH'
dir=$1 subpkgname=$2 stripcmd=$3 options=$4
list_has() {
	needle="$1"
	shift
	for i in $@; do
		[ "$needle" = "$i" ] && return 0
		[ "$needle" = "!$i" ] && return 1
	done
	return 1
}
options_has() {
	[ -n "${subpkgname:-pkgname}" ] &&
	list_has "${subpkgname:-pkgname}::$1" $options ||
	list_has "$1" $options
}
if options_has "!strip"; then
	echo "stripbin: !strip"
	exit 0
fi
cd "$dir"
mkdir -p "$dir.strip-tmp"
find . -type f | while read -r filename; do
	# scanelf --etype "ET_DYN,ET_EXEC"
	readelf -h "$filename" 2>/dev/null | grep -qE 'Type: +(EXEC|DYN) ' || continue
	case "$filename" in
		./usr/lib/debug/*) continue ;;
	esac
	tmp="$dir.strip-tmp/${filename##*/}"
	echo "stripbin: $stripcmd $filename"
	"${stripcmd}" -o "$tmp" "${filename}"
	# only replace content to preserve attributes
	cat "$tmp" > "$filename"
	rm "$tmp"
done
rmdir "$dir.strip-tmp"
SH
}

build() {
    t=$(musl_triple "$1")
    T=$(upper "$t")
    case $1 in x86_64) cc=musl-gcc ;; *) cc=$(cross_gcc "$1") ;; esac
    case $t in *musl*) ;; *) standin="$t: rustup has no armv7 musl standard library here" ;; esac
    (
        export CARGO_PROFILE_RELEASE_OPT_LEVEL="s"
        export CARGO_PROFILE_RELEASE_PANIC="abort"
        export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
        export CARGO_PROFILE_RELEASE_LTO="true"
        # The full variant shares the default build's target directory:
        # build() builds both.
        tdir=$3/target
        [ "$2" = full ] && tdir=${3%/*}/with/target
        export CARGO_HOME=$registry CARGO_BUILD_TARGET=$t CARGO_TARGET_DIR=$tdir
        export "CARGO_TARGET_${T}_LINKER=$cc"
        case $t in *musl*) export "CARGO_TARGET_${T}_RUSTFLAGS=-C target-feature=-crt-static" ;; esac
        cd "$asrc"
        srcdir=${asrc%/*} pkgdir=$3/pkg CTARGET=$t
        if [ "$2" != without ]; then
            # shellcheck source=/dev/null
            . "$top/contrib/alpine/$name/APKBUILD"
            set -x
            build
            # $builddir as Alpine's own triple leaves it.
            b=$3/builddir
            rm -rf "$3/pkg" "$3/subpkg" "$b"
            mkdir -p "$b/target/full"
            ln -s "$tdir/$t/release" "$b/target/release"
            ln -s "$asrc/target/full/$t/release" "$b/target/full/release"
            ln -s "$asrc/$name.8" "$b/$name.8"
            ln -s "$asrc/tools" "$b/tools"
            if [ "$2" = full ]; then
                (cd "$top/contrib/alpine/$name" && builddir=$b subpkgdir=$3/subpkg && full) || exit 1
                sh -e "$work/alpine/stripbin.sh" "$3/subpkg" "$name-full" "$(cross_strip "$1")" "$options" || exit 1
            else
                (cd "$b" && pkgdir=$3/pkg && package) || exit 1
                sh -e "$work/alpine/stripbin.sh" "$3/pkg" "" "$(cross_strip "$1")" "$options" || exit 1
            fi
        else
            # newapkbuild.in's build() for a Cargo.toml (line 109), with
            # plain cargo for `cargo auditable`.
            set -x
            cargo build --frozen --release
        fi
    ) || return 1
    built=$3/target/$t/release/$name
    bin=$3/pkg/usr/bin/$name
    [ "$2" != full ] || { built=${3%/*}/with/target/$t/release/$name && bin=$3/subpkg/usr/bin/$name; }
    [ "$2" != without ] || bin=$built
}
