#!/bin/sh
# make check-recipes: the release binary as Buildroot, Yocto, OpenWrt and
# Alpine's abuild build it. Each tests/recipes/SYSTEM.sh reproduces what that
# system does to a cargo build (its config replacing .cargo/config.toml, its
# CARGO_PROFILE_RELEASE_*, RUSTFLAGS, target, linker, working directory and
# vendored crates), quoting its own source at a named release, and applies our
# recipe's settings (read from contrib/) the way that system would, up to
# the file it installs: our recipe's install steps (which run
# tools/strip-section-headers on it) and then the system's own strip step.
# For x86_64, aarch64 and armv7:
#   - with our settings: the installed file is a static EXEC of at most
#     SIZE_LIMIT bytes (as make cross), and the
#     end-to-end suite passes (natively for x86_64, under qemu-user for the
#     others, as check-cross runs it);
#   - without them: the same environment fails to build, or cargo builds a
#     different binary (else this fails: the reproduction would not bite).
# And for x86_64, the full variant (the cargo feature full, part F's
# options), through the knob each recipe gives it as that system would set
# it (Buildroot's Config.in bool, Yocto's PACKAGECONFIG, OpenWrt's package
# option, Alpine's -full subpackage), taking the binary that system would
# install: a static EXEC of at most FULL_SIZE_LIMIT bytes, unlike the default
# binary (which must not know --selinux-context), whose --help lists
# --selinux-context, that makes a --symlink to its socket, and passes the
# part F end-to-end tests (ext_part_f).
# Everything is built under target/recipes/ (kept: a second run rebuilds
# nothing that did not change).
#   usage: tests/recipes.sh [SYSTEM...]    (default: all four)
# UNGUARDED=1 (a measurement, not a check): src/fit.rs emptied in the
# copies, to see what each environment builds without our settings when
# nothing stops it; results under target/recipes-unguarded/.
set -eu
name=s6-ipcserver-socketbinder
limit=${SIZE_LIMIT:-10240}
full_limit=${FULL_SIZE_LIMIT:-16384}
cargo=${CARGO:-cargo}
top=$(pwd)
qemu_dir=${QEMU_DIR:-/usr/bin}
unguarded=${UNGUARDED:-}
work=$top/target/recipes${unguarded:+-unguarded}
# The crates come from the registry cache cargo keeps (a no-op when warm),
# and every build below is offline.
registry=${CARGO_HOME:-$HOME/.cargo}
arches="x86_64 aarch64 armv7"

fail() { echo "recipe: $*" >&2 && exit 1; }

# --- What every system file may use --------------------------------------
# The gnu triple: the project's one table (tools/triple).
gnu_triple() { "$top/tools/triple" "$1"; }
# The musl triple when rustup has it here; else the gnu one, with a note in
# $standin (rustup's armv7 musl standard library was a 404 here). Our binary
# links no C library, so the two differ only in what rustc itself adds.
musl_triple() {
    case $1 in
    x86_64) t=x86_64-unknown-linux-musl ;;
    aarch64) t=aarch64-unknown-linux-musl ;;
    armv7) t=armv7-unknown-linux-musleabihf ;;
    esac
    if rustup target list --installed 2>/dev/null | grep -qx "$t"; then
        echo "$t"
    else
        gnu_triple "$1"
    fi
}
# Debian's gcc for the architecture: the C compiler driver these systems
# link with (theirs is a cross gcc of their own toolchain).
cross_gcc() {
    case $1 in
    x86_64) echo x86_64-linux-gnu-gcc ;;
    aarch64) echo aarch64-linux-gnu-gcc ;;
    armv7) echo arm-linux-gnueabihf-gcc ;;
    esac
}
# The binutils strip for the architecture (Debian's cross one): the strip
# each system runs over what it installs (theirs is its toolchain's).
cross_strip() {
    c=$(cross_gcc "$1")
    echo "${c%gcc}strip"
}
upper() { echo "$1" | tr 'a-z.-' 'A-Z__'; }
# The tracked files of this checkout (as they are now), into DIR, with their
# modification times: cargo then rebuilds only what changed since last time.
src_copy() {
    mkdir -p "$1"
    git ls-files -z | tar --null -T - -cf - | tar -xpf - -C "$1"
    if [ -n "$unguarded" ]; then
        printf '//! Emptied by tests/recipes.sh (UNGUARDED=1).\n' >"$1/src/fit.rs.new"
        cmp -s "$1/src/fit.rs.new" "$1/src/fit.rs" 2>/dev/null || cp "$1/src/fit.rs.new" "$1/src/fit.rs"
        touch -r "$top/src/fit.rs" "$1/src/fit.rs"
    fi
}
# `cargo vendor` of the project into DIR/VENDOR, its config on stdout into
# DIR/vendor-config.toml; redone only when Cargo.lock changes.
vendor() {
    stamp="$1/VENDOR/.lock-sha256"
    sum=$(sha256sum <"$1/Cargo.lock")
    if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
        (cd "$1" && CARGO_HOME=$registry "$cargo" vendor --offline --manifest-path Cargo.toml \
            --locked VENDOR >vendor-config.toml 2>"$1/vendor.log") ||
            { cat "$1/vendor.log" >&2 && fail "cargo vendor failed"; }
        echo "$sum" >"$stamp"
    fi
}

# --- Checks --------------------------------------------------------------
machine() {
    case $1 in
    x86_64) echo "Advanced Micro Devices X86-64" ;;
    aarch64) echo AArch64 ;;
    armv7) echo ARM ;;
    esac
}
qemu() {
    case $1 in
    aarch64) echo "$qemu_dir/qemu-aarch64-static" ;;
    armv7) echo "$qemu_dir/qemu-arm-static" ;;
    esac
}
# elf ARCH FILE: static EXEC for that machine; prints nothing, fails loudly.
elf() {
    readelf -hW "$2" | grep -q 'Type: *EXEC' || fail "$2: not an EXEC"
    readelf -hW "$2" | grep -q "Machine: *$(machine "$1")\$" || fail "$2: not a $(machine "$1") binary"
    ! readelf -lW "$2" | grep -qE 'INTERP|DYNAMIC' || fail "$2: has INTERP or DYNAMIC"
    readelf -dW "$2" | grep -q 'no dynamic section' || fail "$2: has a dynamic section"
}
# e2e ARCH FILE LOG [full [FILTER...]]: the suite (or the tests FILTER
# names) against FILE; prints "passed total". With full, the suite built
# for the full build (--features full, under target/full as make test
# builds it). Under qemu-user without the x86-only interop_/differential_
# cases (as check-cross).
e2e() {
    e_arch=$1 e_bin=$2 e_log=$3 && shift 3
    # A build for a musl target prints musl's strerror texts (SPEC G); it
    # is the one that holds musl's text for an unknown errno. The suite
    # then reads its messages with glibc's (BINDER_LIBC, tests/cli/common.rs).
    BINDER_LIBC=gnu
    ! grep -q 'No error information' "$e_bin" || BINDER_LIBC=musl
    export BINDER_LIBC
    e_full=
    [ "${1:-}" = full ] && e_full="--features full --target-dir target/full" && shift
    if [ "$e_arch" = x86_64 ]; then
        # shellcheck disable=SC2086 # two options, or none
        BINDER=$e_bin "$cargo" test --release --locked $e_full --test cli -- "$@" >"$e_log" 2>&1 || true
    else
        BINDER=$e_bin BINDER_RUNNER=$(qemu "$e_arch") "$cargo" test --release --locked --test cli -- \
            --skip interop_ --skip differential_ "$@" >"$e_log" 2>&1 || true
    fi
    line=$(grep '^test result:' "$e_log" | tail -n 1)
    [ -n "$line" ] || { tail -n 30 "$e_log" >&2 && fail "the suite did not run (log: $e_log)"; }
    passed=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    ignored=$(echo "$line" | sed -E 's/.* ([0-9]+) ignored.*/\1/')
    echo "$passed $((passed + failed + ignored))"
}
# part_f FILE: FILE has part F: --help lists --selinux-context, and a
# --symlink run makes LINK -> path to the socket it binds. Silent; fails.
part_f() {
    "$1" --help 2>&1 | grep -q -- '--selinux-context' || return 1
    p_dir=$(mktemp -d)
    (cd "$p_dir" && "$1" --symlink link s.sock /bin/true) &&
        [ -S "$p_dir/s.sock" ] && [ "$(readlink "$p_dir/link")" = s.sock ]
    p_rc=$?
    rm -rf "$p_dir"
    return $p_rc
}

# --- The run -------------------------------------------------------------
systems=${*:-buildroot yocto openwrt alpine}
mkdir -p "$work"
# The suites (default and full), built before the builds start.
if [ -z "$unguarded" ]; then
    "$cargo" test --release --locked --test cli --no-run >/dev/null 2>&1 ||
        "$cargo" test --release --locked --test cli --no-run
    "$cargo" test --release --locked --features full --target-dir target/full --test cli --no-run >/dev/null 2>&1 ||
        "$cargo" test --release --locked --features full --target-dir target/full --test cli --no-run
fi
CARGO_HOME=$registry "$cargo" fetch --locked -q
# Phase 1, the builds: one background job per system (LTO's last step is
# one thread, so two cores build two at a time). Each writes, per
# architecture, DIR/result: the binary's path, the stand-in note, and how
# the build without our settings ended.
# shellcheck disable=SC2030,SC2031 # each system's job sets its own
build_system() {
    sys=$1
    # Each defines: release (what it quotes), prepare (once), and
    # build ARCH MODE DIR (MODE with|without|full: full is with our settings
    # and the recipe's knob for the feature full; leaves in $built the path
    # of the binary cargo built, in $bin the path of the file the system
    # installs, after our recipe's install steps and the system's own strip
    # step (for without: cargo's, no more), and the standing-in note, if
    # any, in $standin).
    # shellcheck source=/dev/null
    . "tests/recipes/$sys.sh"
    echo "recipe: $sys: the cargo environment of $release (tests/recipes/$sys.sh)" >"$work/$sys/header"
    prepare
    for arch in $arches; do
        d=$work/$sys/$arch
        mkdir -p "$d/with" "$d/without"
        rm -f "$d/result"
        standin=
        # Without our settings: it must fail or differ.
        # What cargo built is compared: the steps after it are ours too.
        if build "$arch" without "$d/without" >"$d/without.log" 2>&1; then
            nobin=$built
            without="$(stat -c %s "$nobin") B"
        else
            nobin=
            without="build fails: $(grep -m1 -E '^error' "$d/without.log" || tail -n 1 "$d/without.log")"
        fi
        if build "$arch" with "$d/with" >"$d/with.log" 2>&1; then
            printf '%s\n%s\n%s\n%s\n%s\n' "$bin" "$standin" "$nobin" "$without" "$built" >"$d/result"
        fi
        # The full variant, x86_64 only.
        rm -f "$d/full-result"
        if [ "$arch" = x86_64 ] && [ -z "$unguarded" ]; then
            mkdir -p "$d/full"
            if build "$arch" full "$d/full" >"$d/full.log" 2>&1; then
                echo "$bin" >"$d/full-result"
            fi
        fi
    done
}
jobs=
for sys in $systems; do
    [ -f "tests/recipes/$sys.sh" ] || fail "no tests/recipes/$sys.sh"
    mkdir -p "$work/$sys"
    (build_system "$sys") >"$work/$sys/build.log" 2>&1 &
    jobs="$jobs $!"
done
rc=0
for j in $jobs; do wait "$j" || rc=1; done
for sys in $systems; do
    [ $rc = 0 ] || tail -n 20 "$work/$sys/build.log" >&2
done
[ $rc = 0 ] || fail "a system's preparation failed (logs: $work/*/build.log)"

# Phase 2, one at a time: the checks and the suite.
bad=
for sys in $systems; do
    cat "$work/$sys/header"
    for arch in $arches; do
        d=$work/$sys/$arch
        [ -f "$d/result" ] ||
            { tail -n 30 "$d/with.log" >&2 && fail "$sys: $arch: the build with our settings failed (log: $d/with.log)"; }
        { read -r bin; read -r standin; read -r nobin; read -r without; read -r built; } <"$d/result"
        [ -f "$bin" ] || fail "$sys: $arch: no binary at $bin"
        note=${standin:+ ($standin)}
        if [ -n "$unguarded" ]; then
            echo "recipe (unguarded): $sys: $arch: with our settings $(stat -c %s "$bin") B; without: $without$note"
            continue
        fi
        elf "$arch" "$bin"
        n=$(stat -c %s "$bin")
        [ "$n" -le "$limit" ] || fail "$sys: $arch: $n B, over the limit ($limit)"
        if [ -n "$nobin" ] && cmp -s "$nobin" "$built"; then
            fail "$sys: $arch: the same binary without our settings: the reproduction does not bite"
        fi
        r=$(e2e "$arch" "$bin" "$d/e2e.log")
        passed=${r% *} total=${r#* }
        echo "recipe: $sys: $arch: $n B static, e2e $passed/$total passed$note"
        echo "recipe: $sys: $arch: without our settings: $without"
        if [ "$passed" != "$total" ]; then
            bad="$bad $sys/$arch"
            grep -E '^    [a-z_:]+$' "$d/e2e.log" >&2 || true
        fi
        [ "$arch" = x86_64 ] || continue
        # The full variant.
        [ -f "$d/full-result" ] ||
            { tail -n 30 "$d/full.log" >&2 && fail "$sys: $arch: the full build failed (log: $d/full.log)"; }
        read -r fbin <"$d/full-result"
        [ -f "$fbin" ] || fail "$sys: $arch full: no binary at $fbin"
        elf "$arch" "$fbin"
        n=$(stat -c %s "$fbin")
        [ "$n" -le "$full_limit" ] || fail "$sys: $arch full: $n B, over the limit ($full_limit)"
        ! part_f "$bin" || fail "$sys: $arch: the default binary has part F: the knob does not bite"
        part_f "$fbin" || fail "$sys: $arch full: no --selinux-context in --help, or --symlink failed"
        r=$(e2e "$arch" "$fbin" "$d/full-e2e.log" full ext_part_f)
        passed=${r% *} total=${r#* }
        echo "recipe: $sys: $arch full: $n B static, --symlink ok, part F e2e $passed/$total passed"
        if [ "$passed" != "$total" ] || [ "$total" = 0 ]; then
            bad="$bad $sys/$arch-full"
            grep -E '^    [a-z_:]+$' "$d/full-e2e.log" >&2 || true
        fi
    done
done
[ -z "$bad" ] || fail "tests failed for:$bad"
