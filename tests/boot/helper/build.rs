//! Linker arguments only: a static EXEC with origin's `_start` and the
//! binder's linker script. `rust-lld` (the other architectures) takes them
//! bare; the host's `cc` driver takes them with `-Wl,` and `-nostartfiles`.

fn main() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../src/link.ld");
    println!("cargo:rerun-if-changed=build.rs");
    let direct = std::env::var("RUSTC_LINKER").is_ok_and(|l| l.ends_with("rust-lld"));
    let args: &[&str] = if direct {
        &["-static", "--no-pie", "--gc-sections"]
    } else {
        &["-nostartfiles", "-static", "-no-pie", "-Wl,--gc-sections"]
    };
    for a in args {
        println!("cargo:rustc-link-arg-bins={a}");
    }
    if direct {
        println!("cargo:rustc-link-arg-bins=--script={script}");
    } else {
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{script}");
    }
}
