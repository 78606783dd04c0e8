#!/bin/sh
# The one place boot figures are written: rewrites the results table in
# doc/boot.md (between its two `boot-results` markers) from the summary
# lines of the last boots, target/boot/ARCH.result (tests/boot/run.sh) and
# target/boot/ARCH-s6rc.result (tests/boot/s6rc.sh), as make bench writes
# bench/RESULTS.md. Rows of architectures not booted this time stay. The
# README quotes no boot seconds (it links the table): checked here.
#   usage: tests/boot/results.sh ARCH...
set -eu
doc=doc/boot.md
begin='<!-- boot-results: written by make check-boot (tests/boot/results.sh), not by hand -->'
end='<!-- end of boot-results -->'
grep -qxF "$begin" $doc && grep -qxF "$end" $doc || { echo "boot: results: no boot-results markers in $doc" && exit 1; }
new=$(mktemp)
trap 'rm -f "$new" "$new.rows"' EXIT
# "| arch | boot | Linux | scenarios | seconds |" from each summary line.
for a in "$@"; do
    for r in "target/boot/$a.result" "target/boot/$a-s6rc.result"; do
        [ -f "$r" ] || continue
        tail -n 1 "$r" | sed -nE \
            -e 's/^boot: ([^:]+): s6-linux-init\+s6-rc: ([0-9]+\/[0-9]+) scenarios passed on Linux (.*) \(([0-9]+) s\)$/| \1 | s6-linux-init + s6-rc | \3 | \2 | \4 |/p' \
            -e 's/^boot: ([^:]+): ([0-9]+\/[0-9]+) scenarios passed on Linux (.*) \(([0-9]+) s\)$/| \1 | busybox init, s6-svscan | \3 | \2 | \4 |/p'
    done
done >"$new.rows"
# The rows kept: those of other architectures.
sed -n "\\|^$begin\$|,\\|^$end\$|p" $doc | grep '^| [a-z0-9_]* | [bs]' | grep -v '^| arch |' | while IFS= read -r l; do
    a=$(echo "$l" | cut -d' ' -f2)
    case " $* " in *" $a "*) ;; *) echo "$l" ;; esac
done >>"$new.rows"
order() { sed -e 's/^| x86_64 /0&/' -e 's/^| aarch64 /1&/' -e 's/^| armv7 /2&/' -e 's/^| riscv64 /3&/' -e 's/^| i686 /4&/' |
    sort -s -k1,1 -k4,4 | sed 's/^[0-9]//'; }
{
    sed "\\|^$begin\$|,\$d" $doc
    echo "$begin"
    echo "| arch | boot | Linux | scenarios passed | seconds |"
    echo "|---|---|---|---|--:|"
    order <"$new.rows"
    echo "$end"
    sed "1,\\|^$end\$|d" $doc
} >"$new"
cat "$new" >$doc
echo "boot: results: $doc's table rewritten ($(grep -c . "$new.rows") rows)"
# The README's architectures table gives no boot seconds (they vary with
# the machine's load, and this table is their one place).
if grep -E '^\| (x86_64|aarch64|armv7|riscv64|i686) \|' README.md | grep -qE '[0-9] s( |\||,|\))'; then
    echo "boot: results: README.md's architectures table quotes boot seconds; their one place is $doc (link it)"
    exit 1
fi
