#!/bin/sh
# bench/run.sh — our binary next to s6's, measured in one run (`make bench`).
# What each figure is and what it cannot say: bench/README.md.
# Settings come from the environment (the Makefile passes them):
#   OURS        our release binary
#   S6_STATIC   the static musl s6 (its column is left out when empty or absent)
#   S6_DEBIAN   Debian's s6 binary (installed with apt-get when missing, as root)
#   ICOUNT_SRC  ../shared/tools/icount.c (instruction rows left out when absent)
#   BENCH_RUNS  rounds of the wall-time loop (default 2000)
#   OUT         the results file; README.md's text between the bench markers is
#               replaced with it
# Needs cc, strace, binutils (readelf, size), util-linux (setarch); no Python.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
: "${OURS:=target/release/s6-ipcserver-socketbinder}" "${S6_STATIC:=}" \
  "${S6_DEBIAN:=/usr/bin/s6-ipcserver-socketbinder}" "${ICOUNT_SRC:=}" \
  "${BENCH_RUNS:=2000}" "${OUT:=bench/RESULTS.md}"
build=$repo/target/bench
work=$(mktemp -d)
bgpids="" shm=""
# On any exit: stop the background icount runs this script started, if still
# running, and remove the scratch directories.
cleanup() {
    for p in $bgpids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work" ${shm:+"$shm"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
notes=$work/notes
: >"$notes"
note() { echo "- $*" >>"$notes"; echo "bench: $*" >&2; }

# The code this run measures (before the run rewrites README.md).
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock build.rs .cargo 2>/dev/null ||
    rev="$rev + uncommitted changes"

# --- tools and the binaries to compare -------------------------------------
need=""
command -v strace >/dev/null 2>&1 || need="$need strace"
[ -e "$S6_DEBIAN" ] || [ "$S6_DEBIAN" != /usr/bin/s6-ipcserver-socketbinder ] || need="$need s6"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing$need" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
    else
        echo "bench: missing$need, and not root: what needs it is left out" >&2
    fi
fi
mkdir -p "$build"
cc -static -nostdlib -O2 -o "$build/e0" bench/exit0.c
cc -O2 -o "$build/timeloop" bench/timeloop.c
have_ic=0
if [ -n "$ICOUNT_SRC" ] && [ -f "$ICOUNT_SRC" ]; then
    cc -O2 -o "$build/icount" "$ICOUNT_SRC" && have_ic=1
else
    note "instruction rows left out: icount.c not found at '${ICOUNT_SRC}'"
fi
have_st=0
command -v strace >/dev/null 2>&1 && have_st=1
[ $have_st = 1 ] || note "syscall rows left out: strace is not installed"
setarch=""
if setarch "$(uname -m)" -R true 2>/dev/null; then setarch="setarch $(uname -m) -R"; fi

have_s6=0 have_db=0
if [ -n "$S6_STATIC" ] && [ -f "$S6_STATIC" ]; then
    have_s6=1
else
    note "s6 static musl column left out: no file at S6_STATIC='${S6_STATIC}'"
fi
if [ -x "$S6_DEBIAN" ]; then
    have_db=1
    dbver=$(dpkg-query -W -f '${Version}' s6 2>/dev/null || echo "?")
else
    note "Debian s6 column left out: no executable at S6_DEBIAN='${S6_DEBIAN}'"
fi

# Same-length names in scratch directories with same-length names, so that
# argv and the environment (PWD included) are the same size for everyone.
# a/ serves the fast runs, b/ and c/ the slow single-stepping of Debian's
# binary (two runs at once: they only compete with each other for the CPU).
for d in a b c; do
    mkdir "$work/$d"
    cp "$OURS" "$work/$d/rs"
    [ $have_s6 = 0 ] || cp "$S6_STATIC" "$work/$d/s6"
    [ $have_db = 0 ] || cp "$S6_DEBIAN" "$work/$d/db"
    cp "$build/e0" "$work/$d/e0"
    [ $have_ic = 0 ] || cp "$build/icount" "$work/$d/icount"
    cp "$build/timeloop" "$work/$d/timeloop"
    chmod u+x "$work/$d/"*
done

# icount ENV BIN ARGS... in the current directory, on a fresh path; ENV is
# "caller" or "clean" (env -i PATH=/usr/bin:/bin). ASLR off (setarch -R): a
# dynamic binary's count then repeats exactly. Every program here execs the
# next, so a background run's pid is icount's own.
icraw() {
    e=$1
    shift
    rm -f s.sock s.sock.lock
    if [ "$e" = clean ]; then
        exec $setarch env -i PATH=/usr/bin:/bin ./icount "$@"
    else
        exec $setarch ./icount "$@"
    fi
}
icnum() { awk '/ instructions$/ { n = $1 } END { print (n == "" ? "?" : n) }' "$@"; }
ic() { (icraw "$@") 2>/dev/null | icnum; }

# Debian's binary runs ld.so first: ~400,000 single steps, seconds each.
# Start it now, in the background, while the quick measurements run.
if [ $have_ic = 1 ] && [ $have_db = 1 ]; then
    (cd "$work/b" && icraw caller ./db s.sock ./e0) >"$work/ic-db-caller" 2>/dev/null &
    bgpids=$!
    (cd "$work/c" && icraw clean ./db s.sock ./e0) >"$work/ic-db-clean" 2>/dev/null &
    bgpids="$bgpids $!"
fi

# --- files ------------------------------------------------------------------
fsize() { stat -L -c %s "$1"; }
tsize() { size "$1" | awk 'NR == 2 { print $1 }'; }
static() {
    t=$(readelf -hW "$1" | awk '$1 == "Type:" { print $2 }')
    i=$(readelf -lW "$1" | grep -q INTERP && echo ", INTERP" || true)
    y=$(readelf -dW "$1" | grep -q 'no dynamic section' || echo ", dynamic section")
    if [ "$t" = EXEC ] && [ -z "$i$y" ]; then echo "yes: EXEC, no INTERP, no dynamic"; else echo "no: $t$i$y"; fi
}
libs_total() { # the file plus every shared object ldd lists for it
    n=$(fsize "$1")
    for l in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
        n=$((n + $(fsize "$l")))
    done
    echo "$n"
}

# --- syscalls -----------------------------------------------------------------
# tests/strace.sh (the goldens' normalisation): calls between the binder's
# execve and prog's (/bin/true), both excluded; one line per call.
sc() { # sc BIN NAME
    [ $have_st = 1 ] || return 0
    sh tests/strace.sh "$1" "$work/st-$2" >/dev/null 2>&1 || true
}
sc "$OURS" rs
[ $have_s6 = 0 ] || sc "$S6_STATIC" s6
[ $have_db = 0 ] || sc "$S6_DEBIAN" db
calls() { # calls NAME CASE
    f=$work/st-$1/$2.strace
    if [ -f "$f" ]; then wc -l <"$f" | tr -d ' '; else echo "?"; fi
}

# --- instructions (fast ones; Debian's are running in the background) ------
if [ $have_ic = 1 ]; then
    cd "$work/a"
    for b in rs s6; do
        [ -e "$b" ] || continue
        for e in caller clean; do
            eval "ic_${b}_def_$e=\$(ic $e ./$b s.sock ./e0)"
            eval "ic_${b}_D_$e=\$(ic $e ./$b -D s.sock ./e0)"
        done
    done
    cd "$repo"
fi
if [ -n "$bgpids" ]; then
    echo "bench: waiting for the single-stepping of Debian's binary (ld.so first)..." >&2
    for p in $bgpids; do wait "$p"; done
    bgpids=""
    ic_db_def_caller=$(icnum "$work/ic-db-caller")
    ic_db_def_clean=$(icnum "$work/ic-db-clean")
fi
envn=$(env | wc -l | tr -d ' ')
envb=$(env | wc -c | tr -d ' ')

# --- wall time ----------------------------------------------------------------
# Interleaved rounds of fork+execve+wait; figures are net of exec'ing the
# stub directly (bench/timeloop.c).
set -- ./rs t.sock ./e0
[ $have_s6 = 0 ] || set -- "$@" -- ./s6 t.sock ./e0
[ $have_db = 0 ] || set -- "$@" -- ./db t.sock ./e0
# The sockets go on tmpfs when there is one we can exec from, as in /run,
# where boot-time sockets live: on a journaled disk file system creating and
# removing the two inodes costs more than the whole binder (about 200 µs
# here) and the comparison drowns in it.
tdir=$work/a
if [ -d /dev/shm ] && [ -w /dev/shm ] && shm=$(mktemp -d -p /dev/shm 2>/dev/null); then
    for f in rs s6 db e0 timeloop; do [ ! -e "$work/a/$f" ] || cp "$work/a/$f" "$shm/"; done
    if (cd "$shm" && ./e0); then tdir=$shm; fi
fi
tfs=$(df -PT "$tdir" | awk 'NR == 2 { print $2 }')
echo "bench: timing $BENCH_RUNS rounds..." >&2
(cd "$tdir" && ./timeloop "$BENCH_RUNS" t.sock ./e0 t.sock ./e0 -- "$@") >"$work/time"
us() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1000 }'; }
tl() { awk -v w="$1" -v m="$2" -v k="$3" '$1 == w && $2 == m && $3 == k { print $4, $5, $6 }' "$work/time"; }
tnet() { # tnet wall|cpu K: "median µs (block p10–p90)", net of the stub
    set -- $(tl net "$1" "$2")
    [ $# = 3 ] || { echo "?"; return; }
    echo "$(us "$1") µs ($(us "$2")–$(us "$3"))"
}
tratio() { # tratio wall|cpu K: ours/K, "median (p10–p90)" over the blocks
    set -- $(tl ratio "$1" "$2")
    [ $# = 3 ] || { echo "—"; return; }
    awk -v a="$1" -v m="$2" -v b="$3" 'BEGIN { printf "%.2f (%.2f–%.2f)", m, a, b }'
}
traw() { # traw K: single runs' wall time, "p10 / p50 / p90 µs"
    set -- $(tl raw wall "$1")
    echo "$(us "$1") / $(us "$2") / $(us "$3") µs"
}
k_s6=2
k_db=$((2 + have_s6))

# --- the table ------------------------------------------------------------------
# row LABEL OURS S6 DB: numbers get thousands separators, ratios are ours/theirs.
row() {
    awk -v l="$1" -v o="$2" -v s="$3" -v d="$4" -v hs=$have_s6 -v hd=$have_db '
    function isnum(x) { return x ~ /^[0-9]+$/ }
    function c(x,   t) {
        if (!isnum(x)) return x
        t = ""
        while (length(x) > 3) { t = "," substr(x, length(x) - 2) t; x = substr(x, 1, length(x) - 3) }
        return x t
    }
    function r(a, b,   q) {
        if (!isnum(a) || !isnum(b) || b == 0) return "—"
        q = a / b
        return q >= 0.1 ? sprintf("%.2f", q) : sprintf("%.2g", q)
    }
    BEGIN {
        line = "| " l " | " c(o)
        if (hs) line = line " | " c(s) " | " r(o, s)
        if (hd) line = line " | " c(d) " | " r(o, d)
        print line " |"
    }'
}
# rowf LABEL OURS S6 RATIO_S6 DB RATIO_DB: cells as given
rowf() {
    line="| $1 | $2"
    [ $have_s6 = 0 ] || line="$line | $3 | $4"
    [ $have_db = 0 ] || line="$line | $5 | $6"
    echo "$line |"
}

s6f=${S6_STATIC:-none}
s6sum=""
[ $have_s6 = 0 ] || s6sum=$(sha256sum "$S6_STATIC" | cut -c1-12)
{
    echo "Last \`make bench\`: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) CPUs), Linux $(uname -r)."
    echo "Ours: commit $rev. Ratios are ours/theirs: below 1, ours is smaller, makes fewer calls, runs fewer instructions or takes less time."
    echo
    hdr="| | ours"
    sep="|---|--:"
    [ $have_s6 = 0 ] || { hdr="$hdr | s6 static musl | ours/s6"; sep="$sep|--:|--:"; }
    [ $have_db = 0 ] || { hdr="$hdr | Debian s6 $dbver | ours/Debian"; sep="$sep|--:|--:"; }
    echo "$hdr |"
    echo "$sep|"
    row "file size, bytes" "$(fsize "$OURS")" "$([ $have_s6 = 0 ] || fsize "$S6_STATIC")" "$([ $have_db = 0 ] || fsize "$S6_DEBIAN")"
    row "text (\`size\`), bytes" "$(tsize "$OURS")" "$([ $have_s6 = 0 ] || tsize "$S6_STATIC")" "$([ $have_db = 0 ] || tsize "$S6_DEBIAN")"
    row "with the shared libraries it loads, bytes" "$(libs_total "$OURS")" "$([ $have_s6 = 0 ] || libs_total "$S6_STATIC")" "$([ $have_db = 0 ] || libs_total "$S6_DEBIAN")"
    rowf "static (readelf)" "$(static "$OURS")" "$([ $have_s6 = 0 ] || static "$S6_STATIC")" "—" "$([ $have_db = 0 ] || static "$S6_DEBIAN")" "—"
    if [ $have_st = 1 ]; then
        for c in "default-fresh:default, fresh path" "default-stale:default, stale socket" \
                 "dash-D:\`-D\`" "dgram-b0:\`-m -b0\`"; do
            row "syscalls, ${c#*:}" "$(calls rs "${c%%:*}")" "$(calls s6 "${c%%:*}")" "$(calls db "${c%%:*}")"
        done
    fi
    if [ $have_ic = 1 ]; then
        row "instructions, default, caller's env ($envn vars)" "${ic_rs_def_caller-}" "${ic_s6_def_caller-}" "${ic_db_def_caller-}"
        row "instructions, default, \`env -i PATH=/usr/bin:/bin\`" "${ic_rs_def_clean-}" "${ic_s6_def_clean-}" "${ic_db_def_clean-}"
        row "instructions, \`-D\`, caller's env" "${ic_rs_D_caller-}" "${ic_s6_D_caller-}" "not run"
        row "instructions, \`-D\`, \`env -i …\`" "${ic_rs_D_clean-}" "${ic_s6_D_clean-}" "not run"
    fi
    for m in "wall:wall time" "cpu:CPU time (child's rusage)"; do
        rowf "${m#*:} per run, net of exec'ing the stub: median (block p10–p90)" "$(tnet ${m%%:*} 1)" \
            "$([ $have_s6 = 0 ] || tnet ${m%%:*} $k_s6)" "$([ $have_s6 = 0 ] || tratio ${m%%:*} $k_s6)" \
            "$([ $have_db = 0 ] || tnet ${m%%:*} $k_db)" "$([ $have_db = 0 ] || tratio ${m%%:*} $k_db)"
    done
    echo
    echo "- Binaries: ours \`$OURS\`$([ $have_s6 = 0 ] || echo "; s6 static musl \`$s6f\` (sha256 $s6sum…)")$([ $have_db = 0 ] || echo "; Debian \`$S6_DEBIAN\` (package s6 $dbver, dynamic: glibc and libskarnet)")."
    [ $have_st = 0 ] || echo "- Syscalls: \`tests/strace.sh\`, prog \`/bin/true\`, calls between the binder's execve and prog's (both excluded); a dynamic binary's count includes its loader's work."
    [ $have_ic = 0 ] || echo "- Instructions: \`icount\` (ptrace single-step) from the first user-space instruction to prog's execve, as \`./rs\`, \`./s6\`, \`./db\` with \`s.sock ./e0\` (e0: \`bench/exit0.c\`), ASLR off. The caller's environment had $envn variables, $envb bytes. Debian's count starts in ld.so; its \`-D\` rows are not run (about 400,000 single steps each)."
    echo "- Times: $BENCH_RUNS interleaved rounds (\`bench/timeloop.c\`), a fresh path each run, in a $tfs directory. Net = median of the binder's runs minus median of the stub's; in brackets the 10th–90th percentile of that difference over 20 blocks of rounds, and the ratio per block likewise. Single runs' wall time, p10 / p50 / p90: stub $(traw 0), ours $(traw 1)$([ $have_s6 = 0 ] || echo ", s6 static $(traw $k_s6)")$([ $have_db = 0 ] || echo ", Debian $(traw $k_db)")."
    cat "$notes"
} >"$OUT"

cat "$OUT"
if grep -q '^<!-- bench:begin' README.md; then
    awk -v f="$OUT" '
        /^<!-- bench:begin/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
        /^<!-- bench:end/ { skip = 0 }
        !skip' README.md >"$work/readme"
    cat "$work/readme" >README.md
    echo "bench: wrote $OUT and README.md's \"Measured side by side\"" >&2
else
    echo "bench: wrote $OUT (README.md has no bench markers)" >&2
fi
