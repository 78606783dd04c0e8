//! Random s6 command lines run by Debian's s6 and by ours (issue 7): the
//! grammar model in `model.rs` was written from the spec; this holds the
//! spec, the model and our parser to s6 itself. Same exit code, same
//! stderr, same files left, same view from prog (the probe, found in PATH
//! as `p`).
//!
//! Only what s6 and we must agree on is generated: s6's grammar (no long
//! options: s6 refuses them all, we accept ours), no `/` in any word (s6
//! deletes whatever is at its path: everything stays inside a scratch
//! directory), no empty path (SPEC B4). `STRESS_ROUNDS` sets how many
//! (default 40; `make stress` runs thousands).

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::common::*;
use crate::model::{self, Outcome};
use crate::props::{Rng, argv, seed};

/// What a run leaves to compare.
#[derive(Debug, PartialEq)]
struct Seen {
    code: Option<i32>,
    stderr: Vec<u8>,
    /// The probe's report, without `PWD` (the scratch directories differ;
    /// the shell that starts the probe sets it).
    stdout: String,
    files: Vec<String>,
}

fn report(stdout: &[u8]) -> String {
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(stdout) else {
        return String::from_utf8_lossy(stdout).into_owned();
    };
    if let Some(env) = v["env"].as_array_mut() {
        env.retain(|e| !e.as_str().is_some_and(|e| e.starts_with("PWD=")));
    }
    v.to_string()
}

fn one(bin: &[std::ffi::OsString], args: &[Vec<u8>], path_env: &std::path::Path) -> Seen {
    let d = Dir::new();
    let mut c = Command::new(&bin[0]);
    c.args(&bin[1..])
        .args(args.iter().map(|a| std::ffi::OsStr::from_bytes(a)))
        .current_dir(&d.0)
        .env("PATH", path_env);
    let out = run(&mut c);
    Seen {
        code: out.code,
        stderr: out.stderr,
        stdout: report(&out.stdout),
        files: d.listing(),
    }
}

/// Whether s6 and we must behave the same on `args`, and it is safe to
/// hand them to s6.
fn comparable(args: &[Vec<u8>]) -> bool {
    let long_option = |w: &Vec<u8>| w.starts_with(b"--") && w.len() > 2;
    let s6_grammar = args.iter().all(|w| !long_option(w) && !w.contains(&b'/'));
    s6_grammar
        && match model::model(args) {
            Some(Outcome::Run(p)) => !p.path.is_empty() && p.path.len() <= 107,
            Some(_) => false,
            None => true,
        }
}

#[test]
fn differential_random_command_lines() {
    let s6 = s6_reference();
    let bin = Dir::new();
    let p = bin.join("p");
    let probe = probe();
    fs::write(
        &p,
        format!("#!/bin/sh\nexec {} {} \"$@\"\n", probe[0], probe[1]),
    )
    .unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    let rounds = std::env::var("STRESS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let s = seed();
    let mut r = Rng::new(s ^ 0xd1ff);
    let (mut runs, mut usage) = (0, 0);
    while runs < rounds {
        // Options, then (usually) a path and prog, then perhaps more.
        let mut args: Vec<Vec<u8>> = argv(&mut r).into_iter().take(4).collect();
        if r.below(4) != 0 {
            args.extend([b"x.sock".to_vec(), b"p".to_vec()]);
            args.extend(argv(&mut r).into_iter().take(2));
        }
        if !comparable(&args) {
            continue;
        }
        runs += 1;
        usage += usize::from(model::model(&args).is_none());
        let theirs = one(&[s6.clone().into_os_string()], &args, &bin.0);
        let ours = one(&binder_words::<&str>(&[]), &args, &bin.0);
        assert_eq!(
            ours,
            theirs,
            "seed {s}: ours and s6 differ on {}",
            model::show_words(&args)
        );
    }
    println!("differential: {runs} random command lines ({usage} usage), same as s6");
}
