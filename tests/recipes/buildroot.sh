# shellcheck shell=sh disable=SC2034,SC2154  # sourced by tests/recipes.sh, which sets and reads these
# Buildroot 2026.02.3 (LTS; commit 679b9ead7620), a glibc toolchain and the
# default options (BR2_OPTIMIZE_2: Config.in lines 524-525; no LTO, no debug,
# no runtime debug). Sourced by tests/recipes.sh.
#
# Download (support/download/cargo-post-process, lines 34-41): in the
# unpacked source, `cargo vendor --manifest-path Cargo.toml --locked VENDOR
# > .cargo/config.toml`: the project's config is replaced by the vendor one.
# Build (package/pkg-cargo.mk, lines 236-247): `cd $(SRCDIR) && <env>
# cargo build --offline --release --manifest-path Cargo.toml --locked`,
# with <env> = PKG_CARGO_ENV, then the package's own <PKG>_CARGO_ENV.
# PKG_CARGO_ENV, for these options:
#   lines 23-26   CARGO_HOME=$(DL_DIR)/br-cargo-home
#   lines 46-54   the nightly override and target-applies-to-host=false,
#                 CARGO_BUILD_TARGET, CARGO_HOST_RUSTFLAGS from HOST_LDFLAGS,
#                 CARGO_TARGET_<T>_LINKER = the toolchain's gcc
#   lines 66-72   incremental off, 16 codegen units, split-debuginfo off
#   lines 83-86   opt-level 2                 lines 114-116  LTO false
#   lines 134-136 debug 0                     lines 149-153  no debug
#                                             assertions or overflow checks
#   lines 160-163 ARM: CARGO_TARGET_<T>_RUSTFLAGS=
#                 "-Clink-arg=-Wl,--allow-multiple-definition"
# The build command ends with the package's <PKG>_CARGO_BUILD_OPTS (line
# 247); the install step (lines 272-287) runs, with the same environment,
# `cargo install --offline --root $(TARGET_DIR)/usr/ --bins --path ./
# --no-track --force --locked -Z target-applies-to-host
# <PKG>_CARGO_INSTALL_OPTS`, which builds again if those options differ.
# Both are reproduced (for the full variant with our Config.in's
# BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_FULL=y), then the package's
# <PKG>_POST_INSTALL_TARGET_HOOKS, run by make from our .mk as
# package/pkg-generic.mk line 372 runs them (in the install-target rule, so
# $(@D) is the package's build directory), then target-finalize's strip
# (Makefile line 785, with package/Makefile.in lines 256-263 for
# BR2_STRIP_strip=y, the default, and Makefile lines 666-670):
#   find $(TARGET_DIR) -type f \( -perm /111 -o -name '*.so*' \) ... -print0 |
#   xargs -0 $(TARGET_CROSS)strip --remove-section=.comment
#   --remove-section=.note 2>/dev/null || true
# The binary checked is the one in the target's /usr/bin after all that.
# package/rustc/rustc.mk line 11: RUSTC_TARGET_NAME = ARCH-unknown-linux-gnu(ABI).
# The toolchain's gcc is Debian's cross gcc here (Buildroot's own or a
# Bootlin one there); the CARGO_HOME is the shared registry cache, which the
# vendored, offline build does not read from.
release="Buildroot 2026.02.3"

prepare() {
    src=$work/buildroot/src
    src_copy "$src"
    vendor "$src"
    cmp -s "$src/vendor-config.toml" "$src/.cargo/config.toml" ||
        cp "$src/vendor-config.toml" "$src/.cargo/config.toml"
}

# The package's <PKG>_VAR (CARGO_ENV, CARGO_BUILD_OPTS, CARGO_INSTALL_OPTS),
# from contrib/ as Buildroot's make reads it: br_ours VAR ARCH TRIPLE FULL
# (FULL: y for BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_FULL).
br_ours() {
    arm= a64=
    [ "$2" = armv7 ] && arm=y
    [ "$2" = aarch64 ] && a64=y
    make -s --no-print-directory -f - <<MK
UPPERCASE = \$(shell echo '\$(1)' | tr 'a-z.-' 'A-Z__')
qstrip = \$(strip \$(subst ",,\$(1)))
RUSTC_TARGET_NAME = $3
BR2_ARM_CPU_ARMV7A = $arm
BR2_aarch64 = $a64
BR2_TOOLCHAIN_USES_MUSL =
BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_FULL = $4
cargo-package =
include $top/contrib/buildroot/s6-ipcserver-socketbinder/s6-ipcserver-socketbinder.mk
all: ; @printf '%s\n' '\$(S6_IPCSERVER_SOCKETBINDER_$1)'
MK
}

# The package's post-install-target hooks, as Buildroot's make runs them:
# br_hooks TARGET_DIR (package/pkg-generic.mk line 372; sep as
# support/misc/utils.mk lines 103-106 define it).
br_hooks() {
    tab=$(printf '\t')
    make --no-print-directory -f - "$src/.stamp_target_installed" <<MK
define sep


endef
TARGET_DIR = $1
cargo-package =
include $top/contrib/buildroot/s6-ipcserver-socketbinder/s6-ipcserver-socketbinder.mk
$src/.stamp_target_installed:
$tab\$(foreach hook,\$(S6_IPCSERVER_SOCKETBINDER_POST_INSTALL_TARGET_HOOKS),\$(call \$(hook))\$(sep))
MK
}

build() {
    t=$(gnu_triple "$1")
    T=$(upper "$t")
    host=$3/host
    env="CARGO_HOME=$registry \
__CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS=nightly \
CARGO_UNSTABLE_HOST_CONFIG=true CARGO_UNSTABLE_TARGET_APPLIES_TO_HOST=true \
CARGO_TARGET_APPLIES_TO_HOST=false CARGO_BUILD_TARGET=$t \
CARGO_HOST_RUSTFLAGS='-C link-args=-L$host/lib -C link-args=-Wl,-rpath,$host/lib' \
CARGO_TARGET_${T}_LINKER=$(cross_gcc "$1") \
CARGO_PROFILE_DEV_INCREMENTAL=false CARGO_PROFILE_RELEASE_INCREMENTAL=false \
CARGO_PROFILE_DEV_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
CARGO_PROFILE_DEV_SPLIT_DEBUGINFO=off CARGO_PROFILE_RELEASE_SPLIT_DEBUGINFO=off \
CARGO_PROFILE_DEV_OPT_LEVEL=2 CARGO_PROFILE_RELEASE_OPT_LEVEL=2 \
CARGO_PROFILE_DEV_LTO=false CARGO_PROFILE_RELEASE_LTO=false \
CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_RELEASE_DEBUG=0 \
CARGO_PROFILE_DEV_DEBUG_ASSERTIONS=false CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=false \
CARGO_PROFILE_DEV_OVERFLOW_CHECKS=false CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=false"
    [ "$1" = armv7 ] && env="$env CARGO_TARGET_${T}_RUSTFLAGS=-Clink-arg=-Wl,--allow-multiple-definition"
    full=
    [ "$2" = full ] && full=y
    [ "$2" = without ] || env="$env $(br_ours CARGO_ENV "$1" "$t" "$full")"
    opts=$(br_ours CARGO_BUILD_OPTS "$1" "$t" "$full")
    echo "env: $env"
    echo "build opts: $opts"
    # The target dir is per architecture and mode (Buildroot: one source
    # directory per package; the same build).
    (cd "$src" && eval "CARGO_TARGET_DIR=$3/target $env \"\$cargo\" build --offline --release \
        --manifest-path Cargo.toml --locked $opts") || return 1
    built=$3/target/$t/release/$name
    bin=$built
    [ "$2" != without ] || return 0
    # The install step, into a target root of its own.
    opts=$(br_ours CARGO_INSTALL_OPTS "$1" "$t" "$full")
    echo "install opts: $opts"
    rm -rf "$3/root"
    (cd "$src" && eval "CARGO_TARGET_DIR=$3/target $env \"\$cargo\" install --offline \
        --root $3/root/usr/ --bins --path ./ --no-track --force --locked \
        -Z target-applies-to-host $opts") || return 1
    bin=$3/root/usr/bin/$name
    # What the system does to it next: our hooks, then target-finalize's
    # strip, whose errors are ignored.
    br_hooks "$3/root" || return 1
    # shellcheck disable=SC2038 # as Buildroot's own line
    find "$3/root" -type f \( -perm /111 -o -name '*.so*' \) -print0 |
        xargs -0 "$(cross_strip "$1")" --remove-section=.comment --remove-section=.note 2>/dev/null || true
}
