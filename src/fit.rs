//! Release settings the binary needs that only `.cargo/config.toml` and the
//! profile give, and that firmware build systems replace (doc/building.md):
//! a build without one of them stops here, saying what to set, rather than
//! making a different binary. build.rs decides which are missing.

#[cfg(panic = "unwind")]
compile_error!(
    "panic=unwind: this no_std binary cannot unwind; set CARGO_PROFILE_RELEASE_PANIC=abort (OpenWrt's rust-values.mk sets unwind)"
);
#[cfg(unfit = "relocation_model")]
compile_error!(
    "the rustflags lack `-C relocation-model=static` (.cargo/config.toml was replaced or RUSTFLAGS set): add it to RUSTFLAGS"
);
#[cfg(unfit = "code_model")]
compile_error!(
    "aarch64: the rustflags lack `-C code-model=tiny` (one instruction per address: 240 B; .cargo/config.toml was replaced or RUSTFLAGS set): add it to RUSTFLAGS"
);
#[cfg(unfit = "self_contained")]
compile_error!(
    "a musl target links rustc's own crt1.o (a second _start) unless RUSTFLAGS has `-C link-self-contained=no`: add it"
);
#[cfg(unfit = "opt_level")]
compile_error!("the release opt-level is not \"z\": set CARGO_PROFILE_RELEASE_OPT_LEVEL=z");
#[cfg(unfit = "lto")]
compile_error!("CARGO_PROFILE_RELEASE_LTO is not fat: set CARGO_PROFILE_RELEASE_LTO=fat");
#[cfg(unfit = "codegen_units")]
compile_error!("CARGO_PROFILE_RELEASE_CODEGEN_UNITS is not 1: set it to 1");
#[cfg(unfit = "overflow_checks")]
compile_error!(
    "overflow checks add panic paths (silent traps here): set CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=false"
);
