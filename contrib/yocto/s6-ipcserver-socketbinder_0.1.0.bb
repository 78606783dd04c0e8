SUMMARY = "Drop-in, libc-free replacement for s6's s6-ipcserver-socketbinder"
DESCRIPTION = "Binds a Unix domain socket and execs a program with it: a \
static executable of about 10 KB, with no C library."
LICENSE = "ISC"
LIC_FILES_CHKSUM = "file://Cargo.toml;beginline=7;endline=7;md5=bb212b90674f24a54cfc8bf274052bb2"

# Where your copy of the repository is (no release tarball yet): set
# SOCKETBINDER_GIT_URI and SRCREV, e.g. in local.conf or a .bbappend.
SOCKETBINDER_GIT_URI ??= ""
SRC_URI = "${SOCKETBINDER_GIT_URI};protocol=https;nobranch=1"
SRCREV ??= "${AUTOREV}"
S = "${UNPACKDIR}/git"

inherit cargo

# The registry crates of Cargo.lock (tools/yocto-crates writes it).
require ${BPN}-crates.inc

# cargo.bbclass builds in ${B}, outside the source, so the project's
# .cargo/config.toml is not read, and it exports a RUSTFLAGS of its own,
# which would replace it anyway. What the binary needs from there:
# - relocation-model=static: a plain EXEC with no GOT (PIC: 136 B more);
# - link-self-contained=no (musl): else rustc adds its own crt1.o, whose
#   `_start` collides with the program's;
# - thumb-mode (ARMv7): Thumb-2 code, about a fifth smaller;
# - code-model=tiny (AArch64): one instruction per address instead of two
#   (240 B: without it the binary is over its 10,240 B budget).
# The profile (opt-level z, fat LTO, one codegen unit, panic abort) is the
# manifest's: cargo.bbclass does not override it.
RUSTFLAGS:append = " -C relocation-model=static"
RUSTFLAGS:append:libc-musl = " -C link-self-contained=no"
RUSTFLAGS:append:armv7a = " -C target-feature=+thumb-mode"
RUSTFLAGS:append:armv7ve = " -C target-feature=+thumb-mode"
RUSTFLAGS:append:aarch64 = " -C code-model=tiny"

# Part F's options (labels, ownership, links, start on demand: the cargo
# feature full, about 15 KB instead of at most 10 KB), e.g. in local.conf:
#   PACKAGECONFIG:append:pn-s6-ipcserver-socketbinder = " full"
# cargo.bbclass passes PACKAGECONFIG_CONFARGS to `cargo build`.
PACKAGECONFIG ??= ""
PACKAGECONFIG[full] = "--features full,,"

# The release profile strips the binary (strip = true), which Yocto's QA
# makes an error; there is nothing left for a -dbg package anyway.
INSANE_SKIP:${PN} += "already-stripped"

# GNU ld writes about 280 B of section headers, which the kernel never reads
# and which the 10 KB budget has no room for: the project's own
# tools/strip-section-headers removes them, as `make build` does. The
# package step then leaves the file alone: oe.package.is_elf
# (meta/lib/oe/package.py, yocto-5.3.4) counts an ELF file whose `file`
# output does not say "not stripped" as already stripped, and strip_execs /
# split_and_strip_files skip those (INSANE_SKIP above keeps it a note).
do_install:append() {
    ${S}/tools/strip-section-headers ${D}${bindir}/s6-ipcserver-socketbinder
    install -d ${D}${mandir}/man8
    install -m 0644 ${S}/s6-ipcserver-socketbinder.8 ${D}${mandir}/man8/
}
