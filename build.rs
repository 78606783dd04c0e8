//! Linker arguments (rustc flags live in .cargo/config.toml, features and
//! profiles in Cargo.toml), and a check of the settings that only those two
//! can give, since firmware build systems replace them (doc/building.md).
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
    fit();
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

/// The `-C` options of the rustflags cargo gives rustc, in order
/// (`-Cx=y` and `-C x=y` alike).
fn codegen_opts() -> Vec<String> {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let mut words = flags.split('\x1f');
    let mut opts = Vec::new();
    while let Some(w) = words.next() {
        match w.strip_prefix("-C") {
            Some("") => opts.push(words.next().unwrap_or_default().to_owned()),
            Some(rest) => opts.push(rest.to_owned()),
            None => {}
        }
    }
    opts
}

/// The value of the last `-C key=value` (rustc takes the last one).
fn codegen(opts: &[String], key: &str) -> Option<String> {
    opts.iter()
        .rev()
        .find_map(|o| o.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_owned)
}

/// The release settings that a build system can replace without our
/// knowing: each one missing sets `unfit="..."`, and src/fit.rs turns that
/// into a compile error in the binary (not the library: the fuzzer and the
/// tests build it with settings of their own) naming what to set. Profile
/// values are seen when they come from the environment, as build systems
/// pass them; the opt-level however it is set.
fn fit() {
    println!(
        "cargo::rustc-check-cfg=cfg(unfit, values(\"relocation_model\", \"code_model\", \"self_contained\", \"opt_level\", \"lto\", \"codegen_units\", \"overflow_checks\"))"
    );
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("PROFILE") != "release" {
        return;
    }
    let opts = codegen_opts();
    let unfit = |what: &str| println!("cargo:rustc-cfg=unfit=\"{what}\"");
    // PIC code still links to an EXEC, but 136 bytes larger, through a GOT.
    if codegen(&opts, "relocation-model").as_deref() != Some("static") {
        unfit("relocation_model");
    }
    // aarch64: the tiny code model, one `adr` per address instead of
    // `adrp` + `add` (240 B: the default build fits 10,240 B with it).
    // Missing, that is: another code model named on purpose passes (the
    // suite's test binary is too large for tiny's +-1 MiB, so `cargo test`
    // built for aarch64 needs `-C code-model=small`: doc/architectures.md).
    if var("CARGO_CFG_TARGET_ARCH") == "aarch64" && codegen(&opts, "code-model").is_none() {
        unfit("code_model");
    }
    // A musl target with crt-static puts rustc's own crt1.o (a second
    // `_start`) on the link line unless told not to. Cargo leaves crt-static
    // out of CARGO_CFG_TARGET_FEATURE, so it is read from the rustflags; it
    // is on by default but for Alpine's own triples.
    let musl_static = var("CARGO_CFG_TARGET_ENV") == "musl"
        && opts
            .iter()
            .filter_map(|o| o.strip_prefix("target-feature="))
            .flat_map(|list| list.split(','))
            .fold(
                var("CARGO_CFG_TARGET_VENDOR") != "alpine",
                |on, f| match f {
                    "+crt-static" => true,
                    "-crt-static" => false,
                    _ => on,
                },
            );
    let contained = codegen(&opts, "link-self-contained");
    if musl_static && !matches!(contained.as_deref(), Some("no" | "n" | "off" | "false")) {
        unfit("self_contained");
    }
    if var("OPT_LEVEL") != "z" {
        unfit("opt_level");
    }
    let env = |k: &str| std::env::var(format!("CARGO_PROFILE_RELEASE_{k}")).ok();
    if env("LTO").is_some_and(|v| !matches!(v.as_str(), "fat" | "true")) {
        unfit("lto");
    }
    if env("CODEGEN_UNITS").is_some_and(|v| v != "1") {
        unfit("codegen_units");
    }
    if env("OVERFLOW_CHECKS").is_some_and(|v| v == "true") {
        unfit("overflow_checks");
    }
}

/// Whether rustc runs the linker directly (`ld` spelling) rather than
/// through a C compiler driver. Decided as rustc decides it: an explicit
/// `-C linker-flavor` first, else the linker's file name (`-C linker` in the
/// rustflags, else cargo's `target.<triple>.linker`, passed to us as
/// `RUSTC_LINKER`); `rust-lld`, `ld.lld`, `lld`, `ld` and `*-ld` are direct.
/// No linker named at all means rustc's default, the `cc` driver.
fn direct_ld() -> bool {
    let opts = codegen_opts();
    let linker = codegen(&opts, "linker").or_else(|| std::env::var("RUSTC_LINKER").ok());
    if let Some(f) = codegen(&opts, "linker-flavor") {
        return matches!(f.as_str(), "ld" | "ld.lld" | "gnu" | "gnu-lld");
    }
    let Some(linker) = linker else { return false };
    let stem = Path::new(&linker)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    matches!(stem, "rust-lld" | "ld.lld" | "lld" | "ld") || stem.ends_with("-ld")
}
