#!/bin/sh
# The other architectures: what `make cross` and `make check-cross` check.
#   usage: tests/cross.sh elf TRIPLE...
#            each target/TRIPLE/release binary: a static EXEC for its machine
#            (readelf: no INTERP, no dynamic section), at most SIZE_LIMIT bytes
#          tests/cross.sh test RESULTS TRIPLE...   (FULL=1: the full build)
#            the end-to-end suite (tests/cli) against each binary under
#            qemu-user, minus the x86-only interop_/differential_ cases; the
#            table (size, passed/total) goes to RESULTS; fails if any failed
# QEMU_DIR (default /usr/bin) holds Debian's qemu-ARCH-static binaries;
# TARGET_DIR (default target) is where the binaries are (target/full for
# make cross-full).
set -eu
name=s6-ipcserver-socketbinder
limit=${SIZE_LIMIT:-10240}
cargo=${CARGO:-cargo}
qemu_dir=${QEMU_DIR:-/usr/bin}

# readelf's "Machine:" text and the qemu-user name, per target triple.
machine() {
    case $1 in
    aarch64-*) echo AArch64 ;;
    armv7-*) echo ARM ;;
    riscv64*) echo RISC-V ;;
    i686-*) echo "Intel 80386" ;;
    x86_64-*) echo "Advanced Micro Devices X86-64" ;;
    *) echo "cross: no machine known for $1" >&2 && exit 1 ;;
    esac
}
qemu() {
    case $1 in
    aarch64-*) echo "$qemu_dir/qemu-aarch64-static" ;;
    armv7-*) echo "$qemu_dir/qemu-arm-static" ;;
    riscv64*) echo "$qemu_dir/qemu-riscv64-static" ;;
    i686-*) echo "$qemu_dir/qemu-i386-static" ;;
    x86_64-*) echo "$qemu_dir/qemu-x86_64-static" ;;
    *) echo "cross: no qemu-user known for $1" >&2 && exit 1 ;;
    esac
}
# The architecture's usual name, for the table.
arch() {
    case $1 in
    riscv64gc-*) echo riscv64 ;;
    *) echo "${1%%-*}" ;;
    esac
}
bin() { echo "${TARGET_DIR:-target}/$1/release/$name"; }
# 4816 -> 4,816
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

elf() {
    t=$1
    b=$(bin "$t")
    m=$(machine "$t")
    fail() { echo "cross: $t: $*" >&2 && exit 1; }
    [ -f "$b" ] || fail "no binary at $b"
    readelf -hW "$b" | grep -q 'Type: *EXEC' || fail "not an EXEC"
    readelf -hW "$b" | grep -q "Machine: *$m\$" || fail "not a $m binary"
    ! readelf -lW "$b" | grep -qE 'INTERP|DYNAMIC' || fail "has INTERP or DYNAMIC"
    readelf -dW "$b" | grep -q 'no dynamic section' || fail "has a dynamic section"
    n=$(stat -c %s "$b")
    [ "$n" -le "$limit" ] || fail "$n bytes, over the limit ($limit)"
    echo "cross: $t: $m static EXEC, no INTERP, no dynamic section, $n bytes"
}

# Runs the suite for one triple; prints "passed total" (log in target/cross/).
suite() {
    t=$1
    q=$(qemu "$t")
    [ -x "$q" ] || { echo "cross: $q missing (Debian package qemu-user-static)" >&2 && exit 1; }
    mkdir -p target/cross
    log=target/cross/$t$suffix.log
    # An absolute runner: some tests give prog a PATH of their own, and the
    # runner is looked up in it.
    BINDER=$(realpath "$(bin "$t")") BINDER_RUNNER=$q \
        "$cargo" test --release --locked $features --test cli -- --skip interop_ --skip differential_ \
        >"$log" 2>&1 || true
    line=$(grep '^test result:' "$log" | tail -n 1)
    [ -n "$line" ] || { cat "$log" >&2 && echo "cross: $t: the suite did not run" >&2 && exit 1; }
    passed=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    ignored=$(echo "$line" | sed -E 's/.* ([0-9]+) ignored.*/\1/')
    echo "$passed $((passed + failed + ignored))"
}

# FULL=1: the full build (TARGET_DIR=target/full) and the suite built for
# it (--features full, under target/full as make test builds it).
features= suffix=
[ -z "${FULL:-}" ] || { features="--features full --target-dir target/full" && suffix=-full; }

cmd=${1:-}
[ $# -ge 1 ] && shift
case $cmd in
elf)
    for t in "$@"; do elf "$t"; done
    ;;
test)
    results=$1
    shift
    # Build the test harness once, natively, before timing anything.
    "$cargo" test --release --locked $features --test cli --no-run >/dev/null 2>&1 ||
        "$cargo" test --release --locked $features --test cli --no-run
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    {
        echo "| arch | target triple | size | static EXEC, no INTERP, no dynamic section | tests passed under qemu-user |"
        echo "|---|---|---|---|---|"
    } >"$tmp"
    bad=""
    for t in "$@"; do
        elf "$t" >/dev/null
        start=$(date +%s)
        r=$(suite "$t")
        passed=${r% *} total=${r#* }
        secs=$(($(date +%s) - start))
        echo "cross: $t$suffix: $passed/$total tests passed under $(basename "$(qemu "$t")") (${secs}s; log: target/cross/$t$suffix.log)"
        [ "$passed" = "$total" ] || { bad="$bad $t" && grep -E '^    [a-z_:]+$' "target/cross/$t$suffix.log" >&2 || true; }
        echo "| $(arch "$t") | \`$t\` | $(thousands "$(stat -c %s "$(bin "$t")")") B | yes | $passed/$total |" >>"$tmp"
    done
    {
        echo
        echo "$(rustc -V | cut -d' ' -f1,2), $("$(qemu "$t")" --version | head -n 1 | sed -E 's/^qemu-[a-z0-9_]+ version/qemu-user/')."
    } >>"$tmp"
    mv "$tmp" "$results"
    trap - EXIT
    echo "cross: table written to $results"
    [ -z "$bad" ] || { echo "cross: tests failed under qemu-user for:$bad" >&2 && exit 1; }
    ;;
*)
    echo "usage: tests/cross.sh elf TRIPLE... | tests/cross.sh test RESULTS TRIPLE..." >&2
    exit 2
    ;;
esac
