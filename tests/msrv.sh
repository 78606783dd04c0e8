#!/bin/sh
# make check-msrv: the release binary built by Debian 12's own Rust (the
# rust-version of Cargo.toml), offline, in target/msrv; then the static and
# size checks and the end-to-end suite against it. rustup's shims come first
# on PATH and Debian's cargo would run rustup's rustc, so both are named.
#   usage: tests/msrv.sh    (Debian's rustc-web and cargo-web installed)
set -eu
name=s6-ipcserver-socketbinder
limit=${SIZE_LIMIT:-8192}
rustc=${MSRV_RUSTC:-/usr/bin/rustc}
cargo=${MSRV_CARGO:-/usr/bin/cargo}
dir=target/msrv
fail() { echo "msrv: $*" >&2 && exit 1; }

want=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
version=$("$rustc" -V | cut -d' ' -f2)
case $version in "$want" | "$want".*) ;; *) fail "$rustc is $version, not rust-version $want" ;; esac
# The crates the lock names, from the registry cache (a no-op when warm).
"${CARGO:-cargo}" fetch --locked -q
# The default build, then the full one (cargo feature full), each with
# the suite built for it (the tests know which build they check).
variant() {
    dir=$1 features=$2 limit=$3 label=$4
    mkdir -p "$dir"
    RUSTC=$rustc "$cargo" build --release --locked --offline $features --target-dir "$dir" >"$dir/build.log" 2>&1 ||
        { cat "$dir/build.log" >&2 && fail "the $label build with $rustc failed"; }
    b=$dir/release/$name
    tools/strip-section-headers "$b"
    readelf -hW "$b" | grep -q 'Type: *EXEC' || fail "$label: not an EXEC"
    ! readelf -lW "$b" | grep -qE 'INTERP|DYNAMIC' || fail "$label: has INTERP or DYNAMIC"
    n=$(stat -c %s "$b")
    [ "$n" -le "$limit" ] || fail "$label: $n bytes, over the limit ($limit)"
    case $features in '') tdir=target ;; *) tdir=target/full ;; esac
    BINDER=$(realpath "$b") "${CARGO:-cargo}" test --release --locked $features --target-dir "$tdir" --test cli >"$dir/e2e.log" 2>&1 || true
    line=$(grep '^test result:' "$dir/e2e.log" | tail -n 1)
    [ -n "$line" ] || { cat "$dir/e2e.log" >&2 && fail "$label: the suite did not run"; }
    passed=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    ignored=$(echo "$line" | sed -E 's/.* ([0-9]+) ignored.*/\1/')
    total=$((passed + failed + ignored))
    echo "msrv: rustc $version (Debian): $label: $n B, e2e $passed/$total passed"
    [ "$passed" = "$total" ] || { grep -E '^    [a-z_:]+$' "$dir/e2e.log" >&2; fail "$label: tests failed (log: $dir/e2e.log)"; }
}
variant "$dir" "" "$limit" default
variant "$dir-full" "--features full" "${FULL_SIZE_LIMIT:-16384}" full
