################################################################################
#
# s6-ipcserver-socketbinder
#
################################################################################

S6_IPCSERVER_SOCKETBINDER_VERSION = $(call qstrip,$(BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_GIT_REF))
S6_IPCSERVER_SOCKETBINDER_SITE = $(call qstrip,$(BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_GIT_URL))
S6_IPCSERVER_SOCKETBINDER_SITE_METHOD = git
S6_IPCSERVER_SOCKETBINDER_LICENSE = ISC

# The download step's `cargo vendor` writes its own .cargo/config.toml over
# the project's, so the rustflags the binary needs come from here. They go in
# the target's own RUSTFLAGS variable, which the build scripts (host) do not
# get. This replaces the `-Wl,--allow-multiple-definition` that
# pkg-cargo.mk puts there for ARM: nothing here needs it, and it would hide
# a second `_start`.
# - relocation-model=static: a plain EXEC with no GOT (PIC: 136 B more).
# - link-self-contained=no (musl): else rustc adds its own crt1.o, whose
#   `_start` collides with the program's.
# - thumb-mode (ARMv7): Thumb-2 code, about a fifth smaller.
# - code-model=tiny (AArch64): one instruction per address instead of two
#   (240 B: without it the binary is over its 10,240 B budget).
S6_IPCSERVER_SOCKETBINDER_RUSTFLAGS = -C relocation-model=static
ifeq ($(BR2_TOOLCHAIN_USES_MUSL),y)
S6_IPCSERVER_SOCKETBINDER_RUSTFLAGS += -C link-self-contained=no
endif
ifeq ($(BR2_ARM_CPU_ARMV7A),y)
S6_IPCSERVER_SOCKETBINDER_RUSTFLAGS += -C target-feature=+thumb-mode
endif
ifeq ($(BR2_aarch64)$(BR2_aarch64_be),y)
S6_IPCSERVER_SOCKETBINDER_RUSTFLAGS += -C code-model=tiny
endif

# pkg-cargo.mk sets the release profile from Buildroot's own options
# (opt-level 2, no LTO and 16 codegen units by default: twice the size).
# These put back the project's profile; the build stops, saying what to set,
# if one is missing.
S6_IPCSERVER_SOCKETBINDER_CARGO_ENV = \
	CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
	CARGO_PROFILE_RELEASE_LTO=fat \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
	CARGO_TARGET_$(call UPPERCASE,$(RUSTC_TARGET_NAME))_RUSTFLAGS="$(S6_IPCSERVER_SOCKETBINDER_RUSTFLAGS)"

# Part F's options (cargo feature full). pkg-cargo.mk runs cargo twice:
# `cargo build` ($(PKG)_CARGO_BUILD_OPTS) and then `cargo install`
# ($(PKG)_CARGO_INSTALL_OPTS), which builds again with its own options: the
# feature goes in both, or the install step builds and installs the binary
# without it.
ifeq ($(BR2_PACKAGE_S6_IPCSERVER_SOCKETBINDER_FULL),y)
S6_IPCSERVER_SOCKETBINDER_CARGO_BUILD_OPTS = --features full
S6_IPCSERVER_SOCKETBINDER_CARGO_INSTALL_OPTS = --features full
endif

# GNU ld writes about 280 B of section headers, which the kernel never reads
# and which the 10 KB budget has no room for: the project's own
# tools/strip-section-headers removes them from the installed binary, as
# `make build` does. Buildroot's own strip comes later (target-finalize, in
# Buildroot 2026.02.3's Makefile, line 785:
# `$(STRIP_FIND_CMD) | xargs -0 $(STRIPCMD) 2>/dev/null || true`): GNU strip
# exits 1 on a file without section headers ("has no sections") and leaves
# it as it is, and that line ignores the error.
define S6_IPCSERVER_SOCKETBINDER_STRIP_SECTION_HEADERS
	$(@D)/tools/strip-section-headers $(TARGET_DIR)/usr/bin/s6-ipcserver-socketbinder
endef
S6_IPCSERVER_SOCKETBINDER_POST_INSTALL_TARGET_HOOKS += S6_IPCSERVER_SOCKETBINDER_STRIP_SECTION_HEADERS

$(eval $(cargo-package))
