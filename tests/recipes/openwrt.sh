# shellcheck shell=sh disable=SC2034,SC2154  # sourced by tests/recipes.sh, which sets and reads these
# OpenWrt 24.10: the packages feed's openwrt-24.10 branch (commit
# 1ddc0b1c8d9a, lang/rust at Rust 1.87.0), with OpenWrt's defaults: musl
# (CONFIG_USE_MUSL), the regular stack protector
# (CONFIG_PKG_CC_STACKPROTECTOR_REGULAR, PKG_SSP=1), the bfd linker; for
# armv7 an arm_v7 CPU with an FPU (e.g. arm_cortex-a7_neon-vfpv4). Sourced by
# tests/recipes.sh.
#
# Our package Makefile is read by make as OpenWrt reads it, with
# rules.mk and package.mk reduced to nothing (but rules.mk's ARCH, from
# CONFIG_ARCH: x86_64, aarch64, arm) and lang/rust/rust-package.mk
# replaced by the lines below, which transcribe what reaches cargo:
#   rust-values.mk lines 16-30   CARGO_RUSTFLAGS = -Ctarget-feature=-crt-static
#                                -lssp_nonshared (musl, stack protector)
#   rust-values.mk lines 38-65   RUSTC_TARGET_ARCH: REAL_GNU_TARGET_NAME with
#                                openwrt -> unknown, muslgnueabi -> musleabi,
#                                arm -> armv7, musleabi -> musleabihf (FPU)
#   rust-values.mk lines 89-104  CARGO_PKG_CONFIG_VARS: the target, CARGO_HOME,
#                                codegen-units 1, debug false, debug
#                                assertions false, LTO true, opt-level z,
#                                overflow checks TRUE, panic UNWIND, rpath
#                                false, the target's linker = TARGET_CC,
#                                RUSTFLAGS="$(CARGO_RUSTFLAGS)"
#   rust-values.mk line 108      CARGO_RUSTFLAGS += -Clink-arg=-fuse-ld=bfd
#   rust-package.mk lines 18-34  CARGO_PKG_VARS (+ CC, MAKEFLAGS) and
#                                Build/Compile/Cargo: `cargo install -v
#                                --profile release [--features
#                                "$(RUST_PKG_FEATURES)"] --root
#                                $(PKG_INSTALL_DIR) --path
#                                "$(PKG_BUILD_DIR)/" ... $(2)`, run
#                                from the package's directory in the feed,
#                                outside the source: our .cargo/config.toml
#                                is not read.
# The command is the one make expands from our Makefile's Build/Compile;
# the full variant is our package's option set in .config
# (CONFIG_S6_IPCSERVER_SOCKETBINDER_FULL=y, which rules.mk reads from it).
# Then the packaging (include/package-pack.mk in openwrt/openwrt): make runs
# our Package/s6-ipcserver-socketbinder/install into the package's
# directory (IDIR), with rules.mk's INSTALL_DIR = install -d -m0755 and
# INSTALL_BIN = install -m0755 (rust-package.mk's RustBinPackage, lines
# 36-43, gives the default one, which ours replaces), then $(RSTRIP)
# $(IDIR): scripts/rstrip.sh (openwrt/openwrt commit 272d1962e4b2) runs
# $(STRIP) on each file `file` describes as an ELF executable,
# relocatable or shared object ", not stripped", and on nothing else.
# The binary checked is IDIR's /usr/bin/s6-ipcserver-socketbinder after
# that. Stand-in for $(STRIP): Debian's cross strip --strip-all (OpenWrt's
# CONFIG_USE_STRIP with its default CONFIG_STRIP_ARGS; sstrip is not here).
# Stand-ins: TARGET_CC is Debian's cross gcc (OpenWrt's own is a musl gcc),
# whose libssp_nonshared.a is there; CARGO_HOME is the shared registry cache
# and the build is --offline (OpenWrt downloads the crates at build time);
# `-j1` (line 32, without a jobserver) is left out: it changes the time, not
# the binary.
release="OpenWrt packages openwrt-24.10"

prepare() {
    ow=$work/openwrt
    mkdir -p "$ow/feed/lang/rust" "$ow/feed/utils/$name" "$ow/include"
    src_copy "$ow/build_dir/$name-0.1.0"
    : >"$ow/include/package.mk"
    printf '%s\n' 'INSTALL_BIN:=install -m0755' 'INSTALL_DIR:=install -d -m0755' >"$ow/rules.mk"
    cat >"$ow/feed/lang/rust/rust-package.mk" <<'MK'
CARGO_RUSTFLAGS+=-Ctarget-feature=-crt-static $(RUSTC_LDFLAGS)
CARGO_PKG_CONFIG_VARS= \
	CARGO_BUILD_TARGET=$(RUSTC_TARGET_ARCH) \
	CARGO_HOME=$(CARGO_HOME) \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
	CARGO_PROFILE_RELEASE_DEBUG=false \
	CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=false \
	CARGO_PROFILE_RELEASE_LTO=true \
	CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
	CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true \
	CARGO_PROFILE_RELEASE_PANIC=unwind \
	CARGO_PROFILE_RELEASE_RPATH=false \
	CARGO_TARGET_$(subst -,_,$(call toupper,$(RUSTC_TARGET_ARCH)))_LINKER=$(TARGET_CC_NOCACHE) \
	RUSTFLAGS="$(CARGO_RUSTFLAGS)" \
	TARGET_CC=$(TARGET_CC_NOCACHE) \
	TARGET_CFLAGS="$(TARGET_CFLAGS) $(RUSTC_CFLAGS)"
CARGO_RUSTFLAGS+=-Clink-arg=-fuse-ld=$(TARGET_LINKER)
CARGO_PKG_VARS= \
	$(CARGO_PKG_CONFIG_VARS) \
	CC=$(HOSTCC_NOCACHE) \
	MAKEFLAGS="$(PKG_JOBS)"
define Build/Compile/Cargo
	+$(CARGO_PKG_VARS) \
	cargo install -v \
		--profile $(CARGO_PKG_PROFILE) \
		$(if $(strip $(RUST_PKG_FEATURES)),--features "$(strip $(RUST_PKG_FEATURES))") \
		--root $(PKG_INSTALL_DIR) \
		--path "$(PKG_BUILD_DIR)/$(if $(strip $(1)),$(strip $(1)))" \
		$(2)
endef
Build/Compile=$(call Build/Compile/Cargo)
define RustBinPackage
  ifndef Package/$(1)/install
    define Package/$(1)/install
	$$(INSTALL_DIR) $$(1)/usr/bin/
	$$(INSTALL_BIN) $$(PKG_INSTALL_DIR)/bin/* $$(1)/usr/bin/
    endef
  endif
endef
MK
}

# The command make runs for Build/Compile, from MAKEFILE (ours, or none):
# ow_command ARCH MAKEFILE DIR FULL (FULL: y for our package's option).
# With a fifth argument IDIR, make runs the package's install section into
# IDIR instead.
ow_command() {
    case $1 in
    x86_64) gnu=x86_64-openwrt-linux-musl rta=x86_64-unknown-linux-musl arm= oa=x86_64 ;;
    aarch64) gnu=aarch64-openwrt-linux-musl rta=aarch64-unknown-linux-musl arm= oa=aarch64 ;;
    armv7) gnu=arm-openwrt-linux-muslgnueabi rta=armv7-unknown-linux-musleabihf arm=y oa=arm ;;
    esac
    # rustup's triple when it has the musl one, else the gnu stand-in.
    [ "$(musl_triple "$1")" = "$rta" ] || rta=$(musl_triple "$1")
    (cd "$ow/feed/utils/$name" && make -s --no-print-directory -f - ${5:+install} <<MK
TOPDIR = $ow
INCLUDE_DIR = $ow/include
toupper = \$(shell echo '\$(1)' | tr a-z A-Z)
REAL_GNU_TARGET_NAME = $gnu
RUSTC_TARGET_ARCH = $rta
CONFIG_arm_v7 = $arm
ARCH = $oa
CONFIG_S6_IPCSERVER_SOCKETBINDER_FULL = $4
RUSTC_LDFLAGS = -lssp_nonshared
TARGET_CC_NOCACHE = $(cross_gcc "$1")
TARGET_LINKER = bfd
HOSTCC_NOCACHE = gcc
CARGO_HOME = $registry
CARGO_PKG_PROFILE = release
PKG_INSTALL_DIR = $3/ipkg-install
PKG_BUILD_DIR = $ow/build_dir/$name-0.1.0
include $2
all: ; @printf '%s\n' '\$(subst ','"'"'"'"'"'"'"'"',\$(Build/Compile))'
install:
$(printf '\t')\$(call Package/$name/install,${5:-})
MK
    )
}

build() {
    full=
    if [ "$2" = without ]; then
        mk=../../lang/rust/rust-package.mk
    else
        cp contrib/openwrt/$name/Makefile "$ow/feed/utils/$name/Makefile"
        mk=Makefile
        [ "$2" = full ] && full=y
    fi
    cmd=$(ow_command "$1" "$mk" "$3" "$full")
    cmd=${cmd#*+}
    echo "command: $cmd"
    t=$(echo "$cmd" | sed -n 's/.*CARGO_BUILD_TARGET=\([^ ]*\).*/\1/p')
    (cd "$ow/feed/utils/$name" && eval "CARGO_TARGET_DIR=$3/target $cmd --offline") || return 1
    built=$3/target/$t/release/$name
    bin=$built
    case $t in *musl*) ;; *) standin="$t: rustup has no armv7 musl standard library here" ;; esac
    [ "$2" != without ] || return 0
    # The packaging: our install section, then rstrip.sh.
    idir=$3/ipkg-root
    rm -rf "$idir" && mkdir -p "$idir"
    ow_command "$1" Makefile "$3" "$full" "$idir" || return 1
    bin=$idir/usr/bin/$name
    strip="$(cross_strip "$1") --strip-all"
    find "$idir" -type f -a -exec file {} \; |
        sed -n -e 's/^\(.*\):.*ELF.*\(executable\|relocatable\|shared object\).*, not stripped/\1:\2/p' |
        (
            IFS=":"
            while read -r F S; do
                echo "rstrip.sh: $F:$S"
                eval "$strip $F"
            done
        )
}
