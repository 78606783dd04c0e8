#!/bin/sh
# make check-install: `make install` into a DESTDIR works, and over a file
# a Debian package owns (s6's /usr/bin/s6-ipcserver-socketbinder) it is
# refused, unless FORCE=1.
#   usage: tests/install.sh
# The refusal is tried for real, with PREFIX=/usr, but in a mount namespace
# of its own where /usr is an overlay whose writes land in a tmpfs: even a
# broken guard cannot touch the machine's /usr (checked before and after by
# checksum), and FORCE=1 is tried the same way.
set -eu
name=s6-ipcserver-socketbinder
bin=target/release/$name
fail() { echo "check-install: FAIL: $*"; exit 1; }
say() { echo "check-install: $*"; }
# The make that runs this passes its flags down; these runs are its own.
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s "$@"; }

if [ "${1:-}" = --inside ]; then
    # In the namespace: /usr becomes the overlay, or nothing runs.
    t=$2 owned=$3
    mount -t tmpfs tmpfs "$t"
    mkdir "$t/upper" "$t/work"
    mount -t overlay overlay -o "lowerdir=/usr,upperdir=$t/upper,workdir=$t/work" /usr
    [ "$(stat -f -c %T /usr)" = overlayfs ] || fail "/usr is not the overlay"
    # PREFIX=/usr, and PREFIX=/ (whose /bin is /usr/bin on this merged-/usr system).
    for args in "PREFIX=/usr" "PREFIX=/ MANDIR=/usr/share/man"; do
        # shellcheck disable=SC2086 # one word per make variable
        if mk install $args >"$t/out" 2>&1; then cat "$t/out"; fail "make install $args replaced $owned"; fi
        grep -qE "^  ($owned|/bin/$name) \(package (.*, )?s6(, .*)?\)\$" "$t/out" && grep -q 'make deb' "$t/out" &&
            grep -q 'FORCE=1' "$t/out" || { cat "$t/out"; fail "make install $args: not the message"; }
        [ ! -e "$t/upper/bin/$name" ] && [ ! -e "$t/upper/share/man/man8/$name.8" ] ||
            fail "make install $args refused, but wrote into /usr"
        say "make install $args refused: $(grep -A1 '^make install: these' "$t/out" | tail -n 1 | sed 's/^ *//')"
    done
    mk install PREFIX=/usr FORCE=1 >"$t/out" 2>&1 || { cat "$t/out"; fail "make install PREFIX=/usr FORCE=1"; }
    cmp -s "$t/upper/bin/$name" "$bin" || fail "FORCE=1: /usr/bin/$name is not $bin"
    cmp -s "$t/upper/share/man/man8/$name.8" "$name.8" || fail "FORCE=1: no man page"
    say "make install PREFIX=/usr FORCE=1 installed over it (into the overlay)"
    exit 0
fi

[ -f "$bin" ] || fail "no $bin: make build"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mk install DESTDIR="$t/root" PREFIX=/usr >"$t/out" 2>&1 || { cat "$t/out"; fail "make install DESTDIR=$t/root PREFIX=/usr"; }
cmp -s "$t/root/usr/bin/$name" "$bin" && cmp -s "$t/root/usr/share/man/man8/$name.8" "$name.8" ||
    fail "make install DESTDIR=...: files not in place"
say "make install DESTDIR=... PREFIX=/usr: installed"

[ "$(id -u)" = 0 ] || { say "the refusal: skipped: not root (it needs a mount namespace)"; exit 0; }
owned=/usr/bin/$name
dpkg-query -S "$owned" 2>/dev/null | grep -q "^s6: \|^s6, \|, s6: " ||
    fail "$owned is not s6's (dpkg -S): make deps installs s6, and ours must not be installed"
before=$(md5sum "$owned" /usr/share/man/man8/$name.8* 2>/dev/null || true)
mkdir "$t/ns"
rc=0
unshare --mount --propagation private "$0" --inside "$t/ns" "$owned" || rc=$?
after=$(md5sum "$owned" /usr/share/man/man8/$name.8* 2>/dev/null || true)
[ "$before" = "$after" ] || fail "the machine's files changed: $before -> $after"
[ $rc = 0 ] || exit $rc
say "the machine's $owned unchanged ($(md5sum <"$owned" | cut -c1-32))"
