#!/bin/sh
# bench/nopanic.sh — fail when the release binary has a panic path, or a trap
# anywhere but in origin's own handler and exit trap (`make nopanic`).
#   usage: bench/nopanic.sh RELEASE_BIN SYMS_BIN
#
# Method. The shipped binary is stripped, so the check reads a second build
# of the same code with its symbols and line tables kept (SYMS_BIN, built by
# `make nopanic` with CARGO_PROFILE_RELEASE_STRIP=false and
# CARGO_PROFILE_RELEASE_DEBUG=line-tables-only into target/syms). Neither
# setting changes the generated code, and step 1 proves it for this build.
#
#  1. Same code: the same load segments, and every byte they load equal in
#     both files (but the ELF header's section-header fields). Else the
#     check fails: what it would say about SYMS_BIN says nothing about BIN.
#  2. `objdump -d` of SYMS_BIN, cut into functions at its symbols.
#  3. Panic machinery, the roots:
#     - a function whose body is only traps (ud2, with int3 padding). That is
#       origin's `panic-handler-trap` handler (`fn panic() -> ! { ud2 }`);
#       under LTO it is inlined into `core::panicking::panic_fmt`, so that is
#       the name it shows. The handler itself is allowed: it is the one trap
#       a panic is meant to end in;
#     - and core's panic entry points by name (core::panicking::*,
#       core::…::*_fail, unwrap_failed, expect_failed, rust_begin_unwind).
#     With --gc-sections the machinery is only linked when something calls
#     it, so on a clean binary this set is empty.
#  4. A PANIC PATH is a direct call or jump from any other function into the
#     machinery. Each one is reported with its address, the function that
#     contains it (and, from the line tables, the inlined source frames) and
#     the places that call that function in turn.
#  5. Every other ud2/ud0/ud1 is a STRAY TRAP (an inlined handler, an
#     `abort()`, a trap-on-unreachable that can be reached), except:
#     - the trap LLVM puts right after a noreturn `syscall` that is exit or
#       exit_group (eax loaded with 60 or 231 just before): origin's entry
#       ends with one, and so would an inlined rustix `exit_group`;
#     - a trap right after an allowed trap (never reached by falling through);
#     both only when no direct branch in the file targets their address.
#     An int3 is padding when nothing but int3 follows it in its function and
#     no branch targets it; any other int3 is a stray trap too.
# Limits: indirect calls and jumps (`call *`, jump tables) are not followed;
# their count is printed. A panic path reached only through one is still
# found at its own direct call into the machinery.
# Exit status: 0 clean, 1 a panic path or stray trap, 2 cannot check.
set -eu
bin=$1
syms=$2
for f in "$bin" "$syms"; do
    [ -f "$f" ] || { echo "nopanic: $f: no such file"; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. same code: the same load segments (readelf -l), and the same bytes in
# them past the ELF header (whose section-header fields differ: the shipped
# binary has its section headers stripped, see tools/strip-section-headers).
loads() { readelf -lW "$1" | awk '$1 == "LOAD"'; }
loads "$bin" >"$work/a.seg"
loads "$syms" >"$work/b.seg"
end=0
while read -r _ off _ _ filesz _; do
    [ $((off + filesz)) -le "$end" ] || end=$((off + filesz))
done <"$work/a.seg"
if ! cmp -s "$work/a.seg" "$work/b.seg" || [ "$end" -le 64 ] ||
    ! cmp -s -i 64 -n $((end - 64)) "$bin" "$syms"; then
    echo "nopanic: $syms is not the same code as $bin (load segments differ); cannot check"
    diff "$work/a.seg" "$work/b.seg" || true
    exit 2
fi
echo "nopanic: $bin ($(stat -c %s "$bin") B): same loaded bytes as $syms, reading its symbols"

# 2.-5. classify
objdump -d --no-show-raw-insn -C "$syms" >"$work/dis"
awk -F'\t' '
function hex(s,    i, n, c) {
    n = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1)); if (!c) break
        n = n * 16 + c - 1
    }
    return n
}
function funcof(a,    lo, hi, mid) {    # index of the function holding address a, or 0
    if (nf == 0 || a < fs[1]) return 0
    lo = 1; hi = nf
    while (lo < hi) { mid = int((lo + hi + 1) / 2); if (fs[mid] <= a) lo = mid; else hi = mid - 1 }
    return a < fe[lo] ? lo : 0
}
function istrap(m) { return m == "ud2" || m == "ud1" || m == "ud0" || m ~ /^ud1/ || m ~ /^ud0/ }
/^[0-9a-f]+ <.*>:$/ {
    nf++; fs[nf] = hex($0); name = $0
    sub(/^[0-9a-f]+ </, "", name); sub(/>:$/, "", name); fn[nf] = name
    next
}
/^ +[0-9a-f]+:\t/ && nf {
    a = $1; sub(/^ +/, "", a); sub(/:$/, "", a)
    ins = $2; m = ins; sub(/ .*/, "", m); op = ins; sub(/^[^ ]+ */, "", op)
    n++; ia[n] = hex(a); im[n] = m; iop[n] = op; ifn[n] = nf
    if (m ~ /^(call|jmp|j[a-z]+|loop[a-z]*)$/) {
        if (op ~ /^\*/) indirect++
        else if (op ~ /^[0-9a-f]+( |$)/) { t = op; sub(/ .*/, "", t); it[n] = hex(t); target[hex(t)] = 1 }
    }
    fe[nf] = ia[n] + 1    # refined below: a function ends where the next begins
}
END {
    for (i = 1; i < nf; i++) if (fe[i] < fs[i + 1]) fe[i] = fs[i + 1]
    # per-function: all traps? (int3 counts as padding)
    for (i = 1; i <= n; i++) {
        f = ifn[i]
        if (istrap(im[i])) ntrap[f]++
        else if (im[i] !~ /^(int3|nop[a-z]*|cs|ds|data16)$/) other[f]++
    }
    for (f = 1; f <= nf; f++) {
        handler[f] = (ntrap[f] > 0 && !other[f])
        mach[f] = handler[f] || fn[f] ~ /^core::panicking::/ || fn[f] ~ /^core::panic::/ ||
                  fn[f] ~ /^rust_begin_unwind$/ || fn[f] ~ /^core::.*(_fail|_failed)$/ ||
                  fn[f] ~ /^core::.*::panic_[a-z_]+$/
        if (mach[f]) {
            kind = handler[f] ? "HANDLER" : "MACHINERY"
            print kind "\t" sprintf("%x", fs[f]) "\t" fn[f]
        }
    }
    # sites: calls into the machinery; then the direct callers of their functions
    for (i = 1; i <= n; i++) if (i in it) {
        g = funcof(it[i]); f = ifn[i]
        if (!g || g == f || !mach[g] || mach[f]) continue
        site[f] = 1
        print "SITE\t" sprintf("%x", ia[i]) "\t" fn[f] "\t" fn[g]
    }
    for (i = 1; i <= n; i++) if (i in it) {
        g = funcof(it[i]); f = ifn[i]
        if (g && g != f && site[g] && !mach[f])
            print "CALLER\t" sprintf("%x", ia[i]) "\t" fn[f] "\t" fn[g]
    }
    # traps and int3
    for (i = 1; i <= n; i++) {
        f = ifn[i]
        if (handler[f]) continue
        if (im[i] == "int3") {
            pad = !(ia[i] in target)
            for (j = i + 1; j <= n && ifn[j] == f; j++) if (im[j] != "int3") pad = 0
            if (!pad) print "TRAP\t" sprintf("%x", ia[i]) "\t" fn[f] "\tint3"
            continue
        }
        if (!istrap(im[i])) continue
        why = ""
        if (!(ia[i] in target) && i > 1 && ifn[i - 1] == f) {
            if (im[i - 1] == "syscall") {
                for (j = i - 2; j >= 1 && j >= i - 7 && ifn[j] == f; j--)
                    if (im[j] == "mov" && iop[j] ~ /^\$0x(e7|3c),%(e|r)ax$/) { why = "after exit syscall"; break }
            } else if (okt[i - 1]) why = "after a trap"
        }
        if (why != "") { okt[i] = 1; print "EXITTRAP\t" sprintf("%x", ia[i]) "\t" fn[f] "\t" why }
        else print "TRAP\t" sprintf("%x", ia[i]) "\t" fn[f] "\t" im[i]
    }
    print "INDIRECT\t" indirect + 0
}' "$work/dis" >"$work/report"

# Inlined source frames for an address, innermost first, one line each.
frames() {
    addr2line -f -i -C -e "$syms" "0x$1" 2>/dev/null | paste - - |
        sed -e 's#[^	]*/registry/src/[^/]*/##' -e "s#$(pwd)/##" |
        awk -F'\t' '{ printf "        at %s (%s)\n", $1, $2 }'
}

r=$work/report
while IFS='	' read -r kind addr fname; do
    case $kind in
    HANDLER) echo "nopanic: trap-only function (origin's panic handler has this shape) linked at 0x$addr, as $fname: something calls it" ;;
    MACHINERY) echo "nopanic: panic machinery linked: $fname at 0x$addr" ;;
    esac
done <"$r"
grep '^SITE' "$r" | while IFS='	' read -r kind addr fname callee; do
    echo "nopanic: PANIC PATH at 0x$addr in $fname -> $callee"
    frames "$addr"
    awk -F'\t' -v f="$fname" '$1 == "CALLER" && $4 == f { print $2 "\t" $3 }' "$r" |
        while IFS='	' read -r caddr cname; do
            echo "nopanic:   $fname is called at 0x$caddr in $cname"
            frames "$caddr"
        done
done
grep -E '^(EXITTRAP|TRAP)' "$r" | while IFS='	' read -r kind addr fname why; do
    if [ "$kind" = EXITTRAP ]; then
        echo "nopanic: allowed trap at 0x$addr in $fname ($why)"
    else
        echo "nopanic: STRAY TRAP ($why) at 0x$addr in $fname"
        frames "$addr"
    fi
done
n=$(awk -F'\t' '$1 == "INDIRECT" { print $2 }' "$r")
[ "$n" = 0 ] || echo "nopanic: note: $n indirect call(s)/jump(s) not followed"

bad=$(grep -cE '^(SITE|TRAP)	' "$r" || true)
if [ "$bad" -ne 0 ]; then
    echo "nopanic: FAIL: $bad panic path(s) or stray trap(s)"
    exit 1
fi
echo "nopanic: ok: no panic path, no trap but origin's exit trap"
