#!/bin/sh
# Judges one LSM phase from a boot's console log (carriage returns gone):
# the `LSM: ARCH LSM NAME pass|fail...` lines that tests/boot/lsm/LSM.sh
# printed, against the `lsm NAME` words of that script, so a scenario that
# never ran is a failure (tests/boot/lib.sh's tally, as for the boots'
# scenarios). Prints the problems, then one summary line:
#   lsm: ARCH: LSM: P/T scenarios passed NOTE
#   usage: judge.sh ARCH LSM LOG [NOTE]       (LSM: selinux or smack)
set -eu
a=$1 l=$2 log=$3 note=${4:-}
here=$(dirname "$0")
# shellcheck source=tests/boot/lib.sh
. "$here/../lib.sh"
expected=$(grep -oE '^ *lsm [a-zA-Z0-9-]+ ' "$here/$l.sh" | awk '{ print $2 }' | sort -u)
tally "$a $l" "" "$expected" "$log" LSM
echo "lsm: $a: $l: $passed/$total scenarios passed${note:+ $note}"
