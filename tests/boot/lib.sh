# shellcheck shell=sh disable=SC2154 # $top and $limit: set by the sourcing script
# Sourced by tests/boot/run.sh and tests/boot/s6rc.sh (which set $top and
# $limit): what both boot shapes do alike, booting an architecture under
# qemu-system and counting the guest's BOOT: lines.
# qemu_boot ARCH INITRAMFS INIT LOG [ARGS [KERNEL]]: boots Debian's kernel
# for ARCH (or KERNEL) with that initramfs and rdinit=INIT under
# qemu-system (TCG), ARGS added to the kernel's command line (the LSM
# boots: security=...), the console into LOG, killed after $limit seconds.
qemu_boot() {
    # qb_*: the callers' own variables (a, d, log...) stay untouched.
    qb_q=$top/target/boot/qemu/root/usr/bin
    qb_args="rdinit=$3 panic=-1 quiet${5:+ $5}"
    qb_a=$1 qb_log=$4
    set -- -m 256 -smp 1 -nographic -monitor none -no-reboot -nic none \
        -kernel "${6:-$top/target/boot/$1/kernel/vmlinuz}" -initrd "$2"
    case $qb_a in
    aarch64) set -- "$qb_q/qemu-system-aarch64" -M virt -cpu cortex-a57 "$@" -append "console=ttyAMA0 $qb_args" ;;
    armv7) set -- "$qb_q/qemu-system-arm" -M virt,highmem=off -cpu cortex-a15 "$@" -append "console=ttyAMA0 $qb_args" ;;
    # Debian's /usr/bin/qemu-system-i386 is a script (a Xen redirect) that
    # execs /usr/libexec/qemu-system-i386 by absolute path.
    i686) set -- "$qb_q/../libexec/qemu-system-i386" -cpu max "$@" -append "console=ttyS0 $qb_args" ;;
    x86_64) set -- "$qb_q/qemu-system-x86_64" -cpu max "$@" -append "console=ttyS0 $qb_args" ;;
    # OpenSBI (qemu-system-data's) as firmware, the default for -M virt.
    riscv64) set -- "$qb_q/qemu-system-riscv64" -M virt "$@" -append "console=ttyS0 $qb_args" ;;
    esac
    timeout -k 5 "$limit" "$@" </dev/null >"$qb_log" 2>&1
}

# tally ARCH LABEL NAMES LOG [TAG]: for each scenario in NAMES, the guest's
# `TAG: ARCH NAME pass|fail...` line in LOG (TAG: BOOT unless given; the
# LSM phases print `LSM: ARCH LSM NAME`, so their ARCH is "ARCH LSM");
# prints each failure (as `tag: LABEL...`, the tag in lower case) and the
# scenarios never reported, and sets $passed and $total. LABEL is empty or
# ends in ": ".
tally() {
    total=0 passed=0 tl_missing="" tl_tag=${5:-BOOT}
    tl_low=$(printf '%s' "$tl_tag" | tr '[:upper:]' '[:lower:]')
    for tl_n in $3; do
        total=$((total + 1))
        tl_lines=$(grep -oE "$tl_tag: $1 $tl_n (pass|fail.*)\$" "$4" || true)
        case $tl_lines in
        "") tl_missing="$tl_missing $tl_n" ;;
        *fail*) echo "$tl_lines" | grep ' fail' | sed "s/^$tl_tag: /$tl_low: $2/" ;;
        *) passed=$((passed + 1)) ;;
        esac
    done
    [ -z "$tl_missing" ] || echo "$tl_low: $1: ${2}missing (never reported by the guest):$tl_missing"
}

# results SUFFIX MISSING ARCH...: each boot's judged file,
# target/boot/ARCH SUFFIX (its problems, then one summary line): all the
# problems, then the summaries; MISSING (a printf format, the arch) when a
# boot left none. Sets bad=1 on a problem or a missing file.
# shellcheck disable=SC2034 # bad is the caller's
results() {
    suffix=$1 missing=$2
    shift 2
    for a; do
        r=target/boot/$a$suffix
        # shellcheck disable=SC2059 # the format is the caller's
        [ -f "$r" ] || { printf "$missing\n" "$a" && bad=1 && continue; }
        head -n -1 "$r"
        [ "$(wc -l <"$r")" = 1 ] || bad=1
    done
    for a; do [ ! -f "target/boot/$a$suffix" ] || tail -n 1 "target/boot/$a$suffix"; done
}
