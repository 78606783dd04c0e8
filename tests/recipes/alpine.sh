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
# Our APKBUILD is sourced and its build() run as abuild runs it.
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
        export CARGO_HOME=$registry CARGO_BUILD_TARGET=$t CARGO_TARGET_DIR=$3/target
        export "CARGO_TARGET_${T}_LINKER=$cc"
        case $t in *musl*) export "CARGO_TARGET_${T}_RUSTFLAGS=-C target-feature=-crt-static" ;; esac
        cd "$asrc"
        srcdir=${asrc%/*} pkgdir=$3/pkg CTARGET=$t
        if [ "$2" = with ]; then
            # shellcheck source=/dev/null
            . "$top/contrib/alpine/$name/APKBUILD"
            set -x
            build
        else
            # newapkbuild.in's build() for a Cargo.toml (line 109), with
            # plain cargo for `cargo auditable`.
            set -x
            cargo build --frozen --release
        fi
    ) || return 1
    bin=$3/target/$t/release/$name
}
