#!/bin/sh
# Run by tests/deb-install.sh inside a throwaway Debian 12 root (chroot),
# never on the machine: the package taken through the steps of doc/debian.md.
#   usage: sh /check-deb/steps.sh full|short
# /check-deb holds ours/PACKAGE.deb and ours.bin (the binary in it, as make
# built it), for `full` also next/PACKAGE.deb and next.bin (the same at the
# next patch version); s6's package, as the root was made with it, is
# /var/local/s6_*.deb.
#   full  (amd64): with s6: install, use by s6-ipcserver, reinstall of s6,
#         reinstall of ours, upgrade, remove, purge; then without s6:
#         remove s6, install ours, install s6, remove, purge. With apt-get.
#   short (the other architectures, under qemu-user): install with s6,
#         --version, use by s6-ipcserver, remove, purge. With dpkg (the
#         root has no apt).
# The dpkg-divert state after each step goes to /check-deb/install-steps.txt.
set -eu
mode=$1
pkg=s6-ipcserver-socketbinder-rs
name=s6-ipcserver-socketbinder
bin=/usr/bin/$name
div=$bin.s6
c=/check-deb
steps=$c/install-steps.txt
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)

fail() { echo "check-deb: $arch: FAIL: $*"; exit 1; }
say() { echo "check-deb: $arch: $*"; }
arch=$(dpkg --print-architecture)
md5() { md5sum <"$1" | cut -d ' ' -f 1; }
s6_md5() { awk -v f="usr/bin/$name" '$2 == f { print $1 }' /var/lib/dpkg/info/s6.md5sums; }
status() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true; }
diversions() { dpkg-divert --list "*$name*"; }
is_s6() { [ -f "$1" ] && [ "$(md5 "$1")" = "$(s6_md5)" ]; }
the_diversion="diversion of $bin to $div by $pkg"
if [ "$mode" = full ]; then
    pm() { apt-get -y -q "$@" >>$c/pm.log 2>&1 || { tail -n 20 $c/pm.log; fail "apt-get $*"; }; }
    install() { pm install "$@"; }
    remove() { pm remove "$1"; }
    purge() { pm purge "$1"; }
    pmname="apt-get"
else
    pm() { dpkg "$@" >>$c/pm.log 2>&1 || { tail -n 20 $c/pm.log; fail "dpkg $*"; }; }
    install() { pm -i "$@"; }
    remove() { pm --remove "$1"; }
    purge() { pm --purge "$1"; }
    pmname="dpkg"
fi
record() {
    d=$(diversions)
    printf '%s\n  dpkg-divert --list: %s\n' "$1" "${d:-(none)}" >>"$steps"
}
# Whenever ours is installed: exactly our diversion, and /usr/bin's file
# is the package's binary (FILE: what it must equal).
ours_in_place() {
    [ "$(diversions)" = "$the_diversion" ] || fail "$1: diversions are: $(diversions)"
    cmp -s "$bin" "$2" || fail "$1: $bin is not the package's binary"
}
ours=$c/ours.bin
deb=$(ls $c/ours/*.deb)
s6_deb=$(ls /var/local/s6_*.deb)
version=$(dpkg-deb -f "$deb" Version)
s6_version=$(dpkg-query -W -f='${Version}' s6)

[ "$(status s6)" = installed ] || fail "the root has no s6 installed"
is_s6 $bin || fail "$bin is not s6's (md5sums)"
[ -z "$(diversions)" ] || fail "the root has a diversion already: $(diversions)"
: >"$steps"
record "0. before: s6 $s6_version installed, $pkg not installed"

# --- With s6 installed -------------------------------------------------------
install "$deb"
record "1. $pmname install $deb (s6 installed)"
ours_in_place "install" "$ours"
is_s6 $div || fail "$div is not s6's binary (md5sums)"
[ "$($bin --version)" = "$name $version" ] || fail "$bin --version says: $($bin --version)"
# dpkg -S names both packages that list the path (in either order); the
# diversion says whose file is where.
dpkg -S $bin >$c/owners
[ "$(head -n 2 $c/owners)" = "diversion by $pkg from: $bin
diversion by $pkg to: $div" ] && tail -n 1 $c/owners | grep -qxE "(s6, $pkg|$pkg, s6): $bin" ||
    fail "dpkg -S $bin: $(cat $c/owners)"
dpkg --verify s6 || fail "dpkg --verify s6"
if [ "$mode" = full ]; then
    [ "$(man -w $name)" = /usr/share/man/man8/$name.8.gz ] || fail "man -w $name: $(man -w $name)"
    MANWIDTH=80 man $name 2>/dev/null | grep -q -- '--listen-fds' || fail "man $name does not show our page"
    say "installed: $bin is ours ($version), $div is s6's (md5 $(s6_md5)), man $name is ours, dpkg --verify s6 clean"
else
    say "installed: $bin is ours ($bin --version: $version), $div is s6's (md5 $(s6_md5)), dpkg --verify s6 clean"
fi

# Debian's s6-ipcserver execs $bin by absolute path: ours answers.
sock=$(mktemp -d /tmp/s.XXXXXX)
long=$sock/$(printf "%0$((108 - ${#sock} - 1))d" 0)
[ ${#long} -eq 108 ] || fail "could not make a 108-byte path"
rc=0
s6-ipcserver "$long" /bin/true 2>$c/err || rc=$?
[ "$rc" = 111 ] && [ "$(cat $c/err)" = "$name: fatal: unable to bind to $long: File name too long" ] ||
    fail "s6-ipcserver with a 108-byte path: exit $rc, $(cat $c/err)"
[ ! -e "$long.lock" ] || fail "a lock file was made for the 108-byte path"
echo data >"$sock/file"
rc=0
s6-ipcserver "$sock/file" /bin/true 2>$c/err || rc=$?
[ "$rc" = 111 ] && [ "$(cat $c/err)" = "$name: fatal: unable to bind to $sock/file: Address already in use" ] &&
    [ "$(cat "$sock/file")" = data ] || fail "s6-ipcserver over a regular file: exit $rc, $(cat $c/err)"
s6-ipcserver "$sock/s" /bin/echo served >/dev/null 2>$c/server.err &
server=$!
n=0
until [ -S "$sock/s" ]; do
    n=$((n + 1))
    [ $n -le 400 ] || { kill $server; fail "s6-ipcserver did not bind $sock/s: $(cat $c/server.err)"; }
    sleep 0.05
done
# s6's own client: prog reads the server on fd 6.
got=$(timeout 30 s6-ipcclient "$sock/s" sh -c 'cat <&6') || got="s6-ipcclient failed"
kill $server && wait $server || true
[ "$got" = served ] || fail "a client of s6-ipcserver got '$got'"
say "s6-ipcserver through ours: a 108-byte path refused with File name too long (no lock file), a regular file left alone (Address already in use), and s6-ipcclient served"

if [ "$mode" = full ]; then
    install --reinstall "$s6_deb"
    record "2. apt-get install --reinstall $s6_deb (s6, the same version)"
    ours_in_place "s6 reinstalled" "$ours"
    is_s6 $div || fail "s6 reinstalled: $div is not s6's binary"

    install --reinstall "$deb"
    record "3. apt-get install --reinstall $deb (same version)"
    ours_in_place "same version again" "$ours"
    is_s6 $div || fail "same version again: $div is not s6's binary"

    deb_next=$(ls $c/next/*.deb)
    next=$(dpkg-deb -f "$deb_next" Version)
    install "$deb_next"
    record "4. apt-get install $deb_next (upgrade $version -> $next)"
    ours_in_place "upgrade" "$c/next.bin"
    [ "$($bin --version)" = "$name $next" ] || fail "upgrade: $bin --version says $($bin --version)"
    [ "$(dpkg-query -W -f='${Version}' $pkg)" = "$next" ] || fail "upgrade: $pkg is not at $next"
    is_s6 $div || fail "upgrade: $div is not s6's binary"
    n=5
else
    n=2
fi

remove $pkg
record "$n. $pmname remove $pkg"
[ -z "$(diversions)" ] || fail "remove: diversion left: $(diversions)"
is_s6 $bin || fail "remove: $bin is not s6's binary (md5 $(md5 $bin), s6.md5sums $(s6_md5))"
[ ! -e $div ] || fail "remove: $div is still there"
dpkg --verify s6 || fail "remove: dpkg --verify s6"

purge $pkg
record "$((n + 1)). $pmname purge $pkg"
dpkg -L $pkg >/dev/null 2>&1 && fail "purge: dpkg -L $pkg still lists files"
for f in /usr/share/man/man8/$name.8.gz /usr/share/doc/$pkg /usr/share/lintian/overrides/$pkg; do
    [ ! -e "$f" ] || fail "purge: $f is left"
done
[ "$(dpkg -S $bin)" = "s6: $bin" ] || fail "purge: dpkg -S $bin: $(dpkg -S $bin)"
say "removed: $bin is s6's again (md5 $(s6_md5)), no diversion; purged: dpkg -L knows nothing of $pkg"

if [ "$mode" = full ]; then
    # --- Without s6 ------------------------------------------------------------
    apt-get -s remove s6 >$c/remove-s6 2>&1
    [ "$(grep -c '^Remv' $c/remove-s6)" = 1 ] || fail "removing s6 would remove other packages: $(grep '^Remv' $c/remove-s6)"
    remove s6
    record "7. apt-get remove s6"
    [ ! -e $bin ] || fail "s6 removed, but $bin is there"

    install "$deb"
    record "8. apt-get install $deb (s6 not installed)"
    ours_in_place "install without s6" "$ours"
    [ ! -e $div ] || fail "install without s6: $div exists"

    install "$s6_deb"
    record "9. apt-get install ${s6_deb} (s6; ours installed)"
    ours_in_place "s6 installed after ours" "$ours"
    is_s6 $div || fail "s6 installed after ours: $div is not s6's binary"

    remove $pkg
    record "10. apt-get remove $pkg (s6 installed after it)"
    [ -z "$(diversions)" ] || fail "remove: diversion left: $(diversions)"
    is_s6 $bin || fail "remove: $bin is not s6's binary"
    purge $pkg
    record "11. apt-get purge $pkg"
    say "without s6: ours installed alone, s6 installed after it went to $div, removing ours put it back at $bin"
fi
say "all steps passed in $(($(date +%s) - t0)) s"
