# shellcheck shell=sh disable=SC2034,SC2154  # sourced by tests/recipes.sh, which sets and reads these
# Yocto / openembedded-core yocto-5.3.4 (commit 8751ec834211) and bitbake
# yocto-5.3.4, a glibc machine (Poky's default). Sourced by tests/recipes.sh.
#
# Source: ${S}, as fetched; the crates of the recipe's crate:// list are
# unpacked by bitbake's crate fetcher (lib/bb/fetch2/crate.py, lines
# 107-139) into ${CARGO_VENDORING_DIRECTORY}/NAME-VERSION, each with a
# .cargo-checksum.json of {"files": {}, "package": sha256 of the .crate}.
# Config (meta/classes-recipe/cargo_common.bbclass, lines 47-131):
# ${CARGO_HOME}/config.toml with the crates-io source replaced by that
# directory, `linker = <target-rust-ccld>` for the target triple and
# `[build] target-dir = "${B}/target"`; the project's .cargo/config.toml is
# never read: cargo runs in ${B} (cargo.bbclass line 27, B =
# "${WORKDIR}/build"), outside the source.
# Build (cargo.bbclass lines 33-51): `export RUSTFLAGS="${RUSTFLAGS}"`, then
# `cargo build -v --frozen --target ${RUST_HOST_SYS} --release
# --manifest-path=${S}/Cargo.toml ${PACKAGECONFIG_CONFARGS}`, where
# PACKAGECONFIG_CONFARGS is, for each PACKAGECONFIG[flag] = "on,off,..." of
# the recipe in flag order, "on" if PACKAGECONFIG has the flag, else "off"
# (meta/classes-global/base.bbclass lines 450-534): the full variant is
# PACKAGECONFIG = "full"; RUSTFLAGS is rust-common.bbclass lines
# 16-18 ("-L <sysroot rustlib> --remap-path-prefix=${WORKDIR}=...") plus
# the recipe's appends. No CARGO_PROFILE_* is set: the manifest's profile
# holds.
# Linker: rust-common.bbclass lines 130-158 and 191, a wrapper running
# `${CCLD} ${LDFLAGS} <rustc's arguments>`; TARGET_LDFLAGS from
# meta/conf/bitbake.conf lines 630-637 and security_flags.inc lines 31 and
# 52: "-Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed -Wl,-z,relro,-z,now".
# Install (cargo.bbclass lines 59-95, cargo_do_install): each executable
# of ${B}/target/<triple>/release into ${D}${bindir} (install -m755); then
# our recipe's do_install:append, its body run by sh with S, D, bindir and
# mandir set. Package (meta/lib/oe/package.py, split_and_strip_files, lines
# 1170-1215): oe.package.is_elf (lines 86-101) reads `file -b FILE`; an
# ELF file whose output lacks "not stripped" is already stripped and is
# skipped (a note, with INSANE_SKIP already-stripped); the others are
# stripped by runstrip (lines 38-62: for an executable, `${STRIP}
# --remove-section=.comment --remove-section=.note FILE`). The binary
# checked is ${D}${bindir}/s6-ipcserver-socketbinder after all that.
# Stand-ins: RUST_HOST_SYS is Yocto's own target spec (x86_64-poky-linux-gnu,
# from rust-target-config.bbclass), which needs Yocto's own standard
# library: here the unknown-linux-gnu triple; ${CCLD} is Debian's cross gcc.
release="Yocto yocto-5.3.4"
inc=contrib/yocto/s6-ipcserver-socketbinder-crates.inc

prepare() {
    # The crate list must be what tools/yocto-crates makes of Cargo.lock.
    tools/yocto-crates | cmp -s - "$inc" ||
        fail "yocto: $inc is not tools/yocto-crates' output for Cargo.lock: run tools/yocto-crates > $inc"
    yw=$work/yocto
    S=$yw/git
    src_copy "$S"
    vend=$yw/cargo_home/bitbake
    # The crate fetcher's unpack, from the registry cache's .crate files.
    if [ "$(cat "$vend/.inc-sha256" 2>/dev/null)" != "$(sha256sum <"$inc")" ]; then
        rm -rf "$vend" && mkdir -p "$vend"
        sed -n 's|^ *crate://crates.io/\([^/]*\)/\([^ ]*\) .*|\1 \2|p' "$inc" | while read -r c v; do
            f=$(ls "$registry"/registry/cache/*/"$c-$v.crate" 2>/dev/null | head -n 1)
            [ -n "$f" ] || fail "yocto: $c-$v.crate is not in the registry cache"
            sum=$(sed -n "s|^SRC_URI\[$c-$v.sha256sum\] = \"\(.*\)\"|\1|p" "$inc")
            [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$sum" ] || fail "yocto: $c-$v: checksum mismatch"
            tar -xz --no-same-owner -f "$f" -C "$vend"
            printf '{"files": {}, "package": "%s"}' "$sum" >"$vend/$c-$v/.cargo-checksum.json"
        done
        sha256sum <"$inc" >"$vend/.inc-sha256"
    fi
}

# The recipe's RUSTFLAGS appends that apply to ARCH: no override, and
# armv7a on ARMv7 (a Yocto machine has one of armv7a/armv7ve; both say the
# same), aarch64 on AArch64 (TRANSLATED_TARGET_ARCH, in OVERRIDES); not
# libc-musl (a glibc machine).
yocto_ours() {
    ovr=' ='
    [ "$1" = armv7 ] && ovr=' =\|:armv7a ='
    [ "$1" = aarch64 ] && ovr=' =\|:aarch64 ='
    sed -n "s/^RUSTFLAGS:append\\($ovr\\) *\"\\(.*\\)\"\$/\\2/p" contrib/yocto/s6-ipcserver-socketbinder_0.1.0.bb | tr '\n' ' '
}

# PACKAGECONFIG_CONFARGS for PACKAGECONFIG = "$1", from the recipe's
# PACKAGECONFIG[flag] lines as base.bbclass expands them.
yocto_confargs() {
    sed -n 's/^PACKAGECONFIG\[\([^]]*\)\] *= *"\(.*\)"$/\1 \2/p' contrib/yocto/s6-ipcserver-socketbinder_0.1.0.bb |
        sort | while read -r flag items; do
        case " $1 " in
        *" $flag "*) echo "$items" | cut -d, -f1 ;;
        *) echo "$items" | cut -s -d, -f2 ;;
        esac
    done | tr '\n' ' '
}

build() {
    t=$(gnu_triple "$1")
    B=$3/build
    home=$3/cargo_home
    mkdir -p "$B" "$home" "$3/wrapper" "$3/sysroot-rustlib"
    ln -sfn "$vend" "$home/bitbake"
    ccld=$3/wrapper/target-rust-ccld
    cat >"$ccld" <<SH
#!/bin/sh
exec $(cross_gcc "$1") -Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed -Wl,-z,relro,-z,now "\$@"
SH
    chmod +x "$ccld"
    cat >"$home/config.toml" <<TOML
# EXTRA_OECARGO_PATHS
paths = [
]

# Local mirror vendored by bitbake
[source.bitbake]
directory = "$home/bitbake"

[source.crates-io]
replace-with = "bitbake"
local-registry = "/nonexistent"

# HOST_SYS
[target.$t]
linker = "$ccld"

[build]
# Use out of tree build destination to avoid polluting the source tree
target-dir = "$B/target"
TOML
    flags="-L $3/sysroot-rustlib --remap-path-prefix=$yw=/usr/src/debug/s6-ipcserver-socketbinder/0.1.0"
    [ "$2" = without ] || flags="$flags $(yocto_ours "$1")"
    pc=
    [ "$2" = full ] && pc=full
    confargs=$(yocto_confargs "$pc")
    echo "RUSTFLAGS=$flags"
    echo "PACKAGECONFIG=\"$pc\": PACKAGECONFIG_CONFARGS=$confargs"
    # shellcheck disable=SC2086 # split as the class's shell does
    (cd "$B" && CARGO_HOME=$home RUSTFLAGS=$flags "$cargo" build -v --frozen --target "$t" --release \
        "--manifest-path=$S/Cargo.toml" $confargs) || return 1
    built=$B/target/$t/release/$name
    bin=$built
    [ "$2" != without ] || return 0
    # do_install: cargo_do_install, then our do_install:append.
    D=$3/image
    rm -rf "$D"
    install -d "$D/usr/bin"
    install -m755 "$built" "$D/usr/bin"
    sed -n '/^do_install:append() {$/,/^}$/p' contrib/yocto/s6-ipcserver-socketbinder_0.1.0.bb |
        sed '1d;$d' >"$3/do_install_append.sh"
    [ -s "$3/do_install_append.sh" ] || fail "yocto: no do_install:append in the recipe"
    # (bitbake runs a shell task under set -e)
    S=$S D=$D bindir=/usr/bin mandir=/usr/share/man sh -e "$3/do_install_append.sh" || return 1
    bin=$D/usr/bin/$name
    # The package step: is_elf's decision, then runstrip for what it keeps.
    out=$(file -b "$bin")
    echo "file -b: $out"
    case $out in
    *ELF*"not stripped"*) "$(cross_strip "$1")" --remove-section=.comment --remove-section=.note "$bin" ;;
    *ELF*) echo "is_elf: already stripped, not stripped again" ;;
    esac
}
