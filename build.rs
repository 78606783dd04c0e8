//! Linker arguments, and nothing else (rustc flags live in .cargo/config.toml,
//! features and profiles in Cargo.toml).
//!
//! `rustc-link-arg-bins` and not `rustc-link-arg`: the latter also reaches the
//! test binaries, which then link without a C runtime and crash.

fn main() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/link.ld");
    println!("cargo:rerun-if-changed=src/link.ld");
    println!("cargo:rerun-if-changed=build.rs");
    for arg in [
        // origin provides `_start`; no crt1.o, crti.o or libc start-up code.
        "-nostartfiles",
        // No dynamic loader: no PT_INTERP, no dynamic section.
        "-static",
        // Fixed addresses (type EXEC), matching relocation-model=static.
        "-no-pie",
        // No .note.gnu.build-id section (36 bytes + a program header).
        "-Wl,--build-id=none",
        // No .eh_frame_hdr: nothing here unwinds.
        "-Wl,--no-eh-frame-hdr",
        // No PT_GNU_RELRO: there is nothing to protect after relocation.
        "-Wl,-z,norelro",
        // Pages are not padded apart: one RX segment, no alignment padding.
        "-Wl,-z,noseparate-code",
        // Drop sections no function references.
        "-Wl,--gc-sections",
    ] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    // The script discards .eh_frame, .comment and .note*, which neither
    // objcopy after the fact nor `-C force-unwind-tables=no` remove.
    println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", script.display());
}
