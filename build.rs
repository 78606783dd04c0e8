//! Linker arguments, and nothing else (rustc flags live in .cargo/config.toml,
//! features and profiles in Cargo.toml).
//!
//! `rustc-link-arg-bins` and not `rustc-link-arg`: the latter also reaches the
//! test binaries, which then link without a C runtime and crash.
//!
//! The same arguments come in two spellings. The host build links through a
//! C compiler driver (`cc`, rustc's default), which wants `-Wl,` in front of
//! linker options. The other architectures link with rust-lld directly (no
//! cross C toolchain is needed; `make cross` picks it per target),
//! which takes the options bare and has no start files to leave out.

use std::path::Path;

/// Linker options, in `ld` spelling; for a driver each gets `-Wl,`.
const LD_ARGS: &[&str] = &[
    // No .note.gnu.build-id section (36 bytes + a program header).
    "--build-id=none",
    // No .eh_frame_hdr: nothing here unwinds.
    "--no-eh-frame-hdr",
    // No PT_GNU_RELRO: there is nothing to protect after relocation.
    "-z,norelro",
    // Pages are not padded apart: one RX segment, no alignment padding.
    "-z,noseparate-code",
    // Drop sections no function references.
    "--gc-sections",
];

fn main() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/link.ld");
    println!("cargo:rerun-if-changed=src/link.ld");
    println!("cargo:rerun-if-changed=build.rs");
    let direct = direct_ld();
    if direct {
        // No dynamic loader: no PT_INTERP, no dynamic section; fixed
        // addresses (type EXEC), matching relocation-model=static. A direct
        // `ld` links no start files, so there is nothing to leave out.
        arg("-static");
        arg("--no-pie");
    } else {
        // origin provides `_start`; no crt1.o, crti.o or libc start-up code.
        arg("-nostartfiles");
        // No dynamic loader: no PT_INTERP, no dynamic section.
        arg("-static");
        // Fixed addresses (type EXEC), matching relocation-model=static.
        arg("-no-pie");
    }
    for a in LD_ARGS {
        if direct {
            // `-z,x` is the driver's comma form of the two words `-z x`.
            for word in a.split(',') {
                arg(word);
            }
        } else {
            arg(&format!("-Wl,{a}"));
        }
    }
    // The script discards .eh_frame, .comment and .note*, which neither
    // objcopy after the fact nor `-C force-unwind-tables=no` remove.
    if direct {
        arg(&format!("--script={}", script.display()));
    } else {
        arg(&format!("-Wl,-T,{}", script.display()));
    }
}

fn arg(a: &str) {
    println!("cargo:rustc-link-arg-bins={a}");
}

/// Whether rustc runs the linker directly (`ld` spelling) rather than
/// through a C compiler driver. Decided as rustc decides it: an explicit
/// `-C linker-flavor` first, else the linker's file name (`-C linker` in the
/// rustflags, else cargo's `target.<triple>.linker`, passed to us as
/// `RUSTC_LINKER`); `rust-lld`, `ld.lld`, `lld`, `ld` and `*-ld` are direct.
/// No linker named at all means rustc's default, the `cc` driver.
fn direct_ld() -> bool {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let mut words = flags.split('\x1f');
    let (mut flavor, mut linker) = (None, std::env::var("RUSTC_LINKER").ok());
    while let Some(w) = words.next() {
        let opt = match w.strip_prefix("-C") {
            Some("") => words.next().unwrap_or_default(),
            Some(rest) => rest,
            None => continue,
        };
        if let Some(v) = opt.strip_prefix("linker-flavor=") {
            flavor = Some(v.to_owned());
        } else if let Some(v) = opt.strip_prefix("linker=") {
            linker = Some(v.to_owned());
        }
    }
    if let Some(f) = flavor {
        return matches!(f.as_str(), "ld" | "ld.lld" | "gnu" | "gnu-lld");
    }
    let Some(linker) = linker else { return false };
    let stem = Path::new(&linker)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    matches!(stem, "rust-lld" | "ld.lld" | "lld" | "ld") || stem.ends_with("-ld")
}
