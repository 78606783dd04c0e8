#!/bin/sh
# bench/run.sh — our binary next to s6's and the physical floor, measured in
# one run (`make bench`). What each figure is and what it cannot say:
# bench/README.md.
# Settings come from the environment (the Makefile passes them):
#   OURS        our release binary
#   S6_STATIC   the static musl s6 (its column is left out when empty or absent)
#   S6_DEBIAN   Debian's s6 binary (installed with apt-get when missing, as root)
#   FLOOR_SRC   ../shared/anchors/floor.c, the physical floor (x86_64; its
#               column is left out when absent)
#   ICOUNT_SRC  ../shared/tools/icount.c (instruction rows left out when absent)
#   BENCH_RUNS  rounds of the wall-time loop (default 10000)
#   OUT         the results file; doc/measurements.md's text between the
#               bench markers is replaced with it, when that file exists
# What is absent is skipped, and named in one line at the end.
# Needs cc, strace, binutils (readelf, size), util-linux (setarch); no Python.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
: "${OURS:=target/release/s6-ipcserver-socketbinder}" "${S6_STATIC:=}" \
  "${S6_DEBIAN:=/usr/bin/s6-ipcserver-socketbinder}" "${FLOOR_SRC:=}" "${ICOUNT_SRC:=}" \
  "${BENCH_RUNS:=10000}" "${OUT:=bench/RESULTS.md}"
# The page the results are pasted into (between the bench markers).
DOC=doc/measurements.md
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
# What this run could not measure: one line at the end, and one note.
skipped=""
skip() { skipped="${skipped:+$skipped; }$*"; }

# The code this run measures (before the run rewrites $DOC).
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src Cargo.toml Cargo.lock build.rs .cargo 2>/dev/null ||
    rev="$rev + uncommitted changes"

# --- tools and the binaries to compare -------------------------------------
need=""
command -v strace >/dev/null 2>&1 || need="$need strace"
# s6 when it is not installed at all (its file can be missing for a moment
# while someone diverts it: no install then, the column is skipped).
[ -e "$S6_DEBIAN" ] || [ "$S6_DEBIAN" != /usr/bin/s6-ipcserver-socketbinder ] ||
    dpkg -s s6 >/dev/null 2>&1 || need="$need s6"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing$need" >&2
        # Others may be running apt: wait for the lock rather than fail.
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            --no-install-recommends $need >/dev/null
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
    skip "instruction rows (no icount.c at '${ICOUNT_SRC}')"
fi
# The floor: floor.c's README build line, as is. x86_64 only (its syscall
# numbers and its entry point are written for it).
have_fl=0
if [ "$(uname -m)" != x86_64 ]; then
    skip "floor column (floor.c is x86_64 only)"
elif [ -n "$FLOOR_SRC" ] && [ -f "$FLOOR_SRC" ]; then
    cc -O2 -static -nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables \
        -Wl,--build-id=none -o "$build/floor" "$FLOOR_SRC" && have_fl=1
else
    skip "floor column (no floor.c at '${FLOOR_SRC}')"
fi
have_st=0
command -v strace >/dev/null 2>&1 && have_st=1
[ $have_st = 1 ] || skip "syscall rows (strace is not installed)"
setarch=""
if setarch "$(uname -m)" -R true 2>/dev/null; then setarch="setarch $(uname -m) -R"; fi

have_s6=0 have_db=0
# Debian's file may be diverted (dpkg-divert) while our package is being
# tried out: then the package's own file is where the diversion put it.
if command -v dpkg-divert >/dev/null 2>&1; then
    t=$(dpkg-divert --truename "$S6_DEBIAN" 2>/dev/null || echo "$S6_DEBIAN")
    if [ "$t" != "$S6_DEBIAN" ] && [ -x "$t" ]; then
        echo "bench: $S6_DEBIAN is diverted: measuring Debian's file at $t" >&2
        S6_DEBIAN=$t
    fi
fi
if [ -n "$S6_STATIC" ] && [ -f "$S6_STATIC" ]; then
    have_s6=1
else
    skip "s6 static musl column (no file at '${S6_STATIC}')"
fi
if [ -x "$S6_DEBIAN" ] && cmp -s "$S6_DEBIAN" "$OURS"; then
    skip "Debian s6 column ('${S6_DEBIAN}' is our own binary)"
elif [ -x "$S6_DEBIAN" ]; then
    have_db=1
    dbver=$(dpkg-query -W -f '${Version}' s6 2>/dev/null || echo "?")
else
    skip "Debian s6 column (no executable at '${S6_DEBIAN}')"
fi

# Same-length names in scratch directories with same-length names, so that
# argv and the environment (PWD included) are the same size for everyone.
# a/ serves the fast runs, b/ and c/ the slow single-stepping of Debian's
# binary (two runs at once: they only compete with each other for the CPU).
for d in a b c; do
    mkdir "$work/$d"
    cp "$OURS" "$work/$d/rs"
    [ $have_fl = 0 ] || cp "$build/floor" "$work/$d/fl"
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
# Code and read-only data: size(1)'s text. A file without section headers
# (ours: tools/strip-section-headers) has nothing for size(1) to add up, so
# for it: the bytes of its read-only LOAD segments, less the ELF and program
# headers they start with.
tsize() {
    t=$(size "$1" 2>/dev/null | awk 'NR == 2 { print $1 }')
    if [ -n "$t" ] && [ "$t" != 0 ]; then echo "$t"; return; fi
    readelf -hlW "$1" | awk '
    function hex(s,    i, n) {
        n = 0; s = tolower(s); sub(/^0x/, "", s)
        for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return n
    }
    /Size of this header:/ { eh = $5 }
    /Size of program headers:/ { ps = $5 }
    /Number of program headers:/ { pn = $5 }
    $1 == "LOAD" {
        flags = ""; for (i = 7; i < NF; i++) flags = flags $i
        if (flags ~ /W/) next
        t += hex($5); if (hex($2) == 0) t -= eh + ps * pn
    }
    END { print t + 0 }'
}
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
# The floor has one case, the default mode on a fresh path, and always binds
# s.sock: traced alone in an empty directory, normalised as tests/strace.sh
# does (its execve excluded, up to prog's).
if [ $have_st = 1 ] && [ $have_fl = 1 ]; then
    mkdir "$work/st-fl" "$work/st-fl/run"
    (cd "$work/st-fl/run" && strace -o ../raw -s 256 -- ../../a/fl /bin/true >/dev/null 2>&1) || true
    awk 'NR == 1 { next } /^execve\(/ && / = 0$/ { exit } { print }' "$work/st-fl/raw" \
        >"$work/st-fl/default-fresh.strace"
fi
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
    # The floor takes no options and binds s.sock: the default rows only.
    if [ -e fl ]; then
        ic_fl_def_caller=$(ic caller ./fl ./e0)
        ic_fl_def_clean=$(ic clean ./fl ./e0)
    fi
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
# stub directly (bench/timeloop.c). Everyone binds s.sock, the floor's
# fixed path. K: each command's number in timeloop's output (0 is the stub).
set -- ./rs s.sock ./e0
k=1 k_fl=0 k_s6=0 k_db=0
[ $have_fl = 0 ] || { k=$((k + 1)); k_fl=$k; set -- "$@" -- ./fl ./e0; }
[ $have_s6 = 0 ] || { k=$((k + 1)); k_s6=$k; set -- "$@" -- ./s6 s.sock ./e0; }
[ $have_db = 0 ] || { k=$((k + 1)); k_db=$k; set -- "$@" -- ./db s.sock ./e0; }
# The sockets go on tmpfs when there is one we can exec from, as in /run,
# where boot-time sockets live: on a journaled disk file system creating and
# removing the two inodes costs more than the whole binder (about 200 µs
# here) and the comparison drowns in it.
tdir=$work/a
if [ -d /dev/shm ] && [ -w /dev/shm ] && shm=$(mktemp -d -p /dev/shm 2>/dev/null); then
    for f in rs fl s6 db e0 timeloop; do [ ! -e "$work/a/$f" ] || cp "$work/a/$f" "$shm/"; done
    if (cd "$shm" && ./e0); then tdir=$shm; fi
fi
tfs=$(df -PT "$tdir" | awk 'NR == 2 { print $2 }')
echo "bench: timing $BENCH_RUNS rounds..." >&2
tstart=$(date +%s)
(cd "$tdir" && ./timeloop "$BENCH_RUNS" s.sock ./e0 s.sock ./e0 -- "$@") >"$work/time"
tsecs=$(($(date +%s) - tstart))
us() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1000 }'; }
tl() { awk -v w="$1" -v m="$2" -v k="$3" '$1 == w && $2 == m && $3 == k { print $4, $5, $6 }' "$work/time"; }
tnet() { # tnet wall|cpu K: "median µs (block p10–p90)", net of the stub
    set -- $(tl net "$1" "$2")
    [ $# = 3 ] || { echo "?"; return; }
    echo "$(us "$1") µs ($(us "$2")–$(us "$3"))"
}
tratio() { # tratio wall|cpu I K: I/K, "median (p10–p90)" over the blocks
    set -- $(awk -v m="$1" -v i="$2" -v k="$3" \
        '$1 == "ratio" && $2 == m && $3 == i && $4 == k { print $5, $6, $7 }' "$work/time")
    [ $# = 3 ] || { echo "—"; return; }
    awk -v a="$1" -v m="$2" -v b="$3" 'BEGIN { printf "%.2f (%.2f–%.2f)", m, a, b }'
}
traw() { # traw K: single runs' wall time, "p10 / p50 / p90 µs"
    set -- $(tl raw wall "$1")
    echo "$(us "$1") / $(us "$2") / $(us "$3") µs"
}
flt() { # flt K: minor page faults per run, the median ("?" if absent)
    set -- $(tl raw minflt "$1")
    [ $# = 3 ] || { echo "?"; return; }
    echo "$2"
}

# --- the table ------------------------------------------------------------------
# Columns: ours | floor | ours/floor | s6 static | ours/s6 | s6/floor |
# Debian | ours/Debian, each group only when measured.
# row LABEL OURS FLOOR S6 DB [FLOOR_RATIOS]: numbers get thousands separators;
# the ratios to the floor only when FLOOR_RATIOS is 1 (the floor parses
# nothing and prints nothing: its size is not a target, its calls and
# instructions are).
row() {
    awk -v l="$1" -v o="$2" -v f="$3" -v s="$4" -v d="$5" -v fr="${6:-0}" \
        -v hf=$have_fl -v hs=$have_s6 -v hd=$have_db '
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
        if (hf) line = line " | " c(f) " | " (fr ? r(o, f) : "—")
        if (hs) line = line " | " c(s) " | " r(o, s)
        if (hs && hf) line = line " | " (fr ? r(s, f) : "—")
        if (hd) line = line " | " c(d) " | " r(o, d)
        print line " |"
    }'
}
# rowf LABEL OURS FLOOR OURS/FLOOR S6 OURS/S6 S6/FLOOR DB OURS/DB: cells as given
rowf() {
    line="| $1 | $2"
    [ $have_fl = 0 ] || line="$line | $3 | $4"
    [ $have_s6 = 0 ] || line="$line | $5 | $6"
    [ $have_s6 = 0 ] || [ $have_fl = 0 ] || line="$line | $7"
    [ $have_db = 0 ] || line="$line | $8 | $9"
    echo "$line |"
}
# trow wall|cpu LABEL: a time row, net of the stub, with the ratios per block.
trow() {
    m=$1
    rowf "$2" "$(tnet "$m" 1)" \
        "$([ $have_fl = 0 ] || tnet "$m" $k_fl)" "$([ $have_fl = 0 ] || tratio "$m" 1 $k_fl)" \
        "$([ $have_s6 = 0 ] || tnet "$m" $k_s6)" "$([ $have_s6 = 0 ] || tratio "$m" 1 $k_s6)" \
        "$([ $have_s6 = 0 ] || [ $have_fl = 0 ] || tratio "$m" $k_s6 $k_fl)" \
        "$([ $have_db = 0 ] || tnet "$m" $k_db)" "$([ $have_db = 0 ] || tratio "$m" 1 $k_db)"
}

s6f=${S6_STATIC:-none}
s6sum=""
[ $have_s6 = 0 ] || s6sum=$(sha256sum "$S6_STATIC" | cut -c1-12)
flsum=""
[ $have_fl = 0 ] || flsum=$(sha256sum "$FLOOR_SRC" | cut -c1-12)
fl() { [ $have_fl = 0 ] || "$@"; }
{
    echo "Last \`make bench\`: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) CPUs), Linux $(uname -r)."
    echo "Ours: commit $rev. Ratios are ours/theirs$([ $have_fl = 0 ] || echo ", and s6/floor"): below 1, the first is smaller, makes fewer calls, runs fewer instructions or takes less time."
    echo
    hdr="| | ours"
    sep="|---|--:"
    [ $have_fl = 0 ] || { hdr="$hdr | floor | ours/floor"; sep="$sep|--:|--:"; }
    [ $have_s6 = 0 ] || { hdr="$hdr | s6 static musl | ours/s6"; sep="$sep|--:|--:"; }
    [ $have_s6 = 0 ] || [ $have_fl = 0 ] || { hdr="$hdr | s6/floor"; sep="$sep|--:"; }
    [ $have_db = 0 ] || { hdr="$hdr | Debian s6 $dbver | ours/Debian"; sep="$sep|--:|--:"; }
    echo "$hdr |"
    echo "$sep|"
    # The floor's file is built unstripped, as its README says: only its
    # code and constants (text) are worth a cell.
    row "file size, bytes" "$(fsize "$OURS")" "—" "$([ $have_s6 = 0 ] || fsize "$S6_STATIC")" "$([ $have_db = 0 ] || fsize "$S6_DEBIAN")"
    row "text (\`size\`), bytes" "$(tsize "$OURS")" "$(fl tsize "$build/floor")" "$([ $have_s6 = 0 ] || tsize "$S6_STATIC")" "$([ $have_db = 0 ] || tsize "$S6_DEBIAN")"
    row "with the shared libraries it loads, bytes" "$(libs_total "$OURS")" "—" "$([ $have_s6 = 0 ] || libs_total "$S6_STATIC")" "$([ $have_db = 0 ] || libs_total "$S6_DEBIAN")"
    rowf "static (readelf)" "$(static "$OURS")" "$(fl static "$build/floor")" "—" "$([ $have_s6 = 0 ] || static "$S6_STATIC")" "—" "—" "$([ $have_db = 0 ] || static "$S6_DEBIAN")" "—"
    if [ $have_st = 1 ]; then
        row "syscalls, default, fresh path" "$(calls rs default-fresh)" "$(calls fl default-fresh)" "$(calls s6 default-fresh)" "$(calls db default-fresh)" 1
        for c in "default-stale:default, stale socket" "dash-D:\`-D\`" "dgram-b0:\`-m -b0\`"; do
            row "syscalls, ${c#*:}" "$(calls rs "${c%%:*}")" "—" "$(calls s6 "${c%%:*}")" "$(calls db "${c%%:*}")"
        done
    fi
    if [ $have_ic = 1 ]; then
        row "instructions, default, caller's env ($envn vars)" "${ic_rs_def_caller-}" "${ic_fl_def_caller-}" "${ic_s6_def_caller-}" "${ic_db_def_caller-}" 1
        row "instructions, default, \`env -i PATH=/usr/bin:/bin\`" "${ic_rs_def_clean-}" "${ic_fl_def_clean-}" "${ic_s6_def_clean-}" "${ic_db_def_clean-}" 1
        row "instructions, \`-D\`, caller's env" "${ic_rs_D_caller-}" "—" "${ic_s6_D_caller-}" "not run"
        row "instructions, \`-D\`, \`env -i …\`" "${ic_rs_D_clean-}" "—" "${ic_s6_D_clean-}" "not run"
    fi
    trow wall "wall time per run, net of exec'ing the stub: median (block p10–p90)"
    trow cpu "CPU time (child's rusage) per run, net of exec'ing the stub: median (block p10–p90)"
    row "minor page faults per run (wait4's rusage), median; the stub alone: $(flt 0)" "$(flt 1)" \
        "$(fl flt $k_fl)" "$([ $have_s6 = 0 ] || flt $k_s6)" "$([ $have_db = 0 ] || flt $k_db)" 1
    echo
    echo "- Binaries: ours \`$OURS\`$(fl echo "; floor \`target/bench/floor\`, built from \`$FLOOR_SRC\` (sha256 $flsum…) as its README says")$([ $have_s6 = 0 ] || echo "; s6 static musl \`$s6f\` (sha256 $s6sum…)")$([ $have_db = 0 ] || echo "; Debian \`$S6_DEBIAN\` (package s6 $dbver, dynamic: glibc and libskarnet)")."
    [ $have_fl = 0 ] || echo "- The floor makes exactly the default mode's system calls on a fresh path (\`close\`, \`socket\`, \`umask\`, \`open\`, \`fcntl\`, \`newfstatat\`, \`bind\`, \`umask\`, \`listen\`) with fixed arguments for \`s.sock\`, then execs its argv[1]: no parsing, no messages, so no binder can do the same work for less. It has only the default mode: its other rows are \"—\". Its file is built unstripped (symbols included), so only its text is given, and its size is no target: ratios to it only for calls, instructions, times and page faults."
    [ $have_st = 0 ] || echo "- Syscalls: \`tests/strace.sh\`, prog \`/bin/true\`, calls between the binder's execve and prog's (both excluded); a dynamic binary's count includes its loader's work."
    [ $have_ic = 0 ] || echo "- Instructions: \`icount\` (ptrace single-step) from the first user-space instruction to prog's execve, as \`./rs\`, \`./s6\`, \`./db\` with \`s.sock ./e0\`$(fl echo " and \`./fl ./e0\`") (e0: \`bench/exit0.c\`), ASLR off. The caller's environment had $envn variables, $envb bytes. Debian's count starts in ld.so; its \`-D\` rows are not run (about 400,000 single steps each)."
    echo "- Times and page faults: $BENCH_RUNS rounds (${tsecs} s) in one \`bench/timeloop.c\` process, each round running the stub and every binder once, interleaved (a different one first each round), so that all columns saw the same machine: the ratios come from these interleaved runs, not from separate runs. The machine may have been running other work ($(nproc) CPUs). A fresh path each run, in a $tfs directory. Net = median of the binder's runs minus median of the stub's; in brackets the 10th–90th percentile of that difference over 20 blocks of rounds, and the ratio per block likewise. Single runs' wall time, p10 / p50 / p90: stub $(traw 0), ours $(traw 1)$(fl echo ", floor $(traw $k_fl)")$([ $have_s6 = 0 ] || echo ", s6 static $(traw $k_s6)")$([ $have_db = 0 ] || echo ", Debian $(traw $k_db)")."
    [ -z "$skipped" ] || echo "- Skipped: $skipped."
} >"$OUT"

cat "$OUT"
# The results page: doc/measurements.md, between the bench markers, when the
# file has them. README.md is never touched.
if [ -f "$DOC" ] && grep -q '^<!-- bench:begin' "$DOC"; then
    awk -v f="$OUT" '
        /^<!-- bench:begin/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
        /^<!-- bench:end/ { skip = 0 }
        !skip' "$DOC" >"$work/doc"
    cat "$work/doc" >"$DOC"
    echo "bench: wrote $OUT and $DOC" >&2
else
    echo "bench: wrote $OUT ($DOC has no bench markers)" >&2
fi
[ -z "$skipped" ] || echo "bench: skipped: $skipped" >&2
