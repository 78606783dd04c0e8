#!/bin/sh
# make check-docs: two statements of the docs that drifted, run.
#   usage: tests/docs.sh
# - `make help` shows every $(VAR) in a target's text with its value.
# - The README and the man page say the default build's size in KB, as
#   measured (rounded): "a static executable of about N KB".
# - doc/architectures.md's "By hand" commands give the aarch64 binary the
#   size its table says. They are run as written, after deleting the binary
#   cargo made (and its hard link in deps/), so cargo links it again (about
#   a second) and the result is what the commands make, not a leftover.
set -eu
fail() { echo "check-docs: FAIL: $*"; exit 1; }
doc=doc/architectures.md
name=s6-ipcserver-socketbinder

h=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s help PREFIX=/opt/x DESTDIR=/d)
! echo "$h" | grep -F '$(' || fail "make help shows a variable unexpanded"
echo "$h" | grep -qF "Install as /d/opt/x/bin/$name," || fail "make help: install's text is not /d/opt/x/bin/$name"
echo "check-docs: make help: no \$(VAR) left (install: $(echo "$h" | sed -n 's/^ *install *Install as \([^,]*\),.*/\1/p'))"

# "static executable of about N KB" (the words may span lines): N is the
# default build's size in KB, rounded.
bin=target/release/$name
[ -f "$bin" ] || fail "$bin is missing (make build)"
size=$(stat -c %s "$bin")
kb=$(( (size + 512) / 1024 ))
for f in README.md "$name.8"; do
    said=$(tr '\n' ' ' < "$f" | grep -o 'static executable of about [0-9]* KB' | grep -o '[0-9][0-9]*' || true)
    [ -n "$said" ] || fail "$f has no \"static executable of about N KB\""
    [ "$said" = "$kb" ] || fail "$f says about $said KB; the default build is $size B, about $kb KB"
done
echo "check-docs: README.md and $name.8 say about $kb KB, as measured ($size B)"

# The indented lines after "By hand:", their indentation and line
# continuations as the shell reads them.
cmds=$(awk '/By hand:$/ { on = 1; next } on && /^    / { print substr($0, 5); seen = 1; next } on && seen && !/^$/ { exit }' $doc)
[ -n "$cmds" ] || fail "$doc has no \"By hand:\" block"
t=aarch64-unknown-linux-gnu
echo "$cmds" | grep -q -- "--target $t" || fail "$doc's \"By hand\" block is not for $t"
want=$(sed -n "s/^| aarch64 | \`$t\` | \([0-9,]*\) B |.*/\1/p" $doc | head -n 1 | tr -d ,)  # the default build's table comes first
[ -n "$want" ] || fail "$doc's table has no aarch64 size"
rm -f "target/$t/release/$name" "target/$t/release/deps/${name%%-*}"_ipcserver_socketbinder-????????????????
sh -ec "$cmds" >/dev/null 2>&1 || fail "$doc's \"By hand\" commands failed: $cmds"
got=$(stat -c %s "target/$t/release/$name")
[ "$got" = "$want" ] || fail "$doc's \"By hand\" commands give $got B, its table says $want B"
echo "check-docs: $doc's \"By hand\" commands give $got B, as its table says"
