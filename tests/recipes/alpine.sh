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
            if [ "$2" = full ]; then
                # $builddir as Alpine's own triple leaves it.
                rm -rf "$3/subpkg" "$3/builddir"
                mkdir -p "$3/builddir/target/full"
                ln -s "$asrc/target/full/$t/release" "$3/builddir/target/full/release"
                ln -s "$asrc/$name.8" "$3/builddir/$name.8"
                (cd "$top/contrib/alpine/$name" && builddir=$3/builddir subpkgdir=$3/subpkg && full)
            fi
        else
            # newapkbuild.in's build() for a Cargo.toml (line 109), with
            # plain cargo for `cargo auditable`.
            set -x
            cargo build --frozen --release
        fi
    ) || return 1
    bin=$3/target/$t/release/$name
    [ "$2" != full ] || bin=$3/subpkg/usr/bin/$name
}
