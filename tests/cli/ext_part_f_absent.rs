//! The default build, without SPEC part F (the cargo feature `full`): part
//! F's options are unknown options and an id must be a number, refused
//! with exit 100 before any side effect. Security options fail closed: a
//! label asked of a binary that cannot apply it never gives an unlabelled
//! socket.

use crate::common::*;
use crate::ext_cli::why;
use crate::model::PART_F_LONG;

#[test]
fn part_f_options_are_unknown_without_the_feature() {
    for name in PART_F_LONG {
        let name = std::str::from_utf8(name).unwrap();
        let opt = format!("--{name}");
        // With a value or without: part F's value options take one.
        for args in [
            vec![opt.clone(), "x".into(), "s.sock".into(), "/bin/true".into()],
            vec![format!("{opt}=x"), "s.sock".into(), "/bin/true".into()],
            vec![opt.clone(), "s.sock".into(), "/bin/true".into()],
        ] {
            // No option of ours before it: s6's line, as from s6.
            let d = Dir::new();
            binder_run(&d, &args).expect(100, USAGE);
            assert_eq!(d.listing(), Vec::<String>::new(), "{args:?} created files");
            // After one of ours, it is named.
            let d = Dir::new();
            let after = [vec!["--mkdir".to_string()], args.clone()].concat();
            let want = why(&format!("unknown option: {}", args[0]));
            binder_run(&d, &after).expect(100, &want);
            assert_eq!(d.listing(), Vec::<String>::new(), "{after:?} created files");
        }
    }
}

#[test]
fn ids_are_numbers_without_the_feature() {
    for (opt, name) in [
        ("--owner", "root"),
        ("--group", "daemon"),
        ("--group", "nogroup"),
    ] {
        let d = Dir::new();
        binder_run(&d, &[opt, name, "s.sock", "/bin/true"])
            .expect(100, &why(&format!("bad value for {opt}: {name}")));
        assert_eq!(
            d.listing(),
            Vec::<String>::new(),
            "{opt} {name} created files"
        );
    }
    // A number still works.
    let d = Dir::new();
    binder_run(&d, &["--group", "0", "s.sock", "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("s.sock")));
}
