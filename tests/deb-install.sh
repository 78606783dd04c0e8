#!/bin/sh
# make check-deb: the package of this machine's architecture, from
# target/deb, installed here as root and taken through the steps of issue
# 12 (doc/debian.md), first with Debian's s6 installed, then without.
#   usage: tests/deb-install.sh DEBDIR
# The machine is left as found, also on failure or interruption: our
# package purged, no diversion of s6's binary, s6 installed at the version
# it had, its binary at /usr/bin with the checksum s6's package lists,
# `dpkg --audit` clean. The state of the diversion after each step goes to
# DEBDIR/install-steps.txt (and to stdout).
# Every package change goes through apt-get, which waits for the dpkg lock
# (other apt users on the machine) where dpkg would fail at once.
set -eu
pkg=s6-ipcserver-socketbinder-rs
name=s6-ipcserver-socketbinder
bin=/usr/bin/$name
div=$bin.s6
dir=$1
cargo=${CARGO:-cargo}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
arch=$(dpkg --print-architecture)
deb=$(realpath "$dir/${pkg}_${version}_$arch.deb")
ours=target/release/$name
steps=$dir/install-steps.txt
export DEBIAN_FRONTEND=noninteractive
# This image's apt keeps no package cache (/etc/apt/apt.conf.d/docker-clean),
# so each apt-get would rebuild it from the lists of four architectures (about
# 6 s of CPU); the steps keep one in $work (about 190 MB) and take 3 s each.
aptc() {
    apt-get -o DPkg::Lock::Timeout=600 -o Dir::Cache::pkgcache="$work/pkgcache.bin" \
        -o Dir::Cache::srcpkgcache="$work/srcpkgcache.bin" "$@"
}
apt_get() { aptc -y -q "$@" >>"$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; fail "apt-get $*"; }; }

fail() { echo "check-deb: FAIL: $*"; exit 1; }
say() { echo "check-deb: $*"; }
md5() { md5sum <"$1" | cut -d ' ' -f 1; }
# What s6's package says its binary's MD5 is.
s6_md5() { awk -v f="usr/bin/$name" '$2 == f { print $1 }' /var/lib/dpkg/info/s6.md5sums; }
status() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true; }
diversions() { dpkg-divert --list "*$name*"; }
is_s6() { [ -f "$1" ] && [ "$(md5 "$1")" = "$(s6_md5)" ]; }
the_diversion="diversion of $bin to $div by $pkg"

# The state after a step, for the record.
record() {
    d=$(diversions)
    printf '%s\n  dpkg-divert --list: %s\n' "$1" "${d:-(none)}" | tee -a "$steps"
    echo "  ($(($(date +%s) - t1)) s)"
}

# The checks that hold whenever ours is installed: exactly our diversion,
# and /usr/bin's file is the package's binary (FILE: what it must equal).
ours_in_place() {
    [ "$(diversions)" = "$the_diversion" ] || fail "$1: diversions are: $(diversions)"
    cmp -s "$bin" "$2" || fail "$1: $bin is not $2"
}

[ "$(id -u)" = 0 ] || fail "needs root (it installs packages)"
[ -f "$deb" ] || fail "no $deb: make deb"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    fail "needs a git checkout (the upgrade step copies the files git knows)"
# The machine must be in the state this leaves it in, or it cannot restore it.
[ "$(status s6)" = installed ] || fail "needs Debian's s6 installed (make deps)"
s6_version=$(dpkg-query -W -f='${Version}' s6)
[ -z "$(status $pkg)" ] || [ "$(status $pkg)" = not-installed ] ||
    fail "$pkg is already installed here ($(status $pkg)): dpkg --purge $pkg first"
[ -z "$(diversions)" ] || fail "$bin is already diverted: $(diversions)"
[ -z "$(dpkg --audit)" ] || fail "dpkg --audit is not clean: dpkg --configure -a first"
is_s6 $bin || fail "$bin is not s6's (md5sums): apt-get install --reinstall s6 first"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-deb.XXXXXX")
s6_deb="" sock=""

# Puts the machine back, whatever happened.
restore() {
    rc=$?
    trap - EXIT INT TERM HUP
    set +e
    if [ -n "$(dpkg --audit)" ]; then say "restore: dpkg --configure -a"; dpkg --configure -a; fi
    st=$(status $pkg)
    if [ -n "$st" ] && [ "$st" != not-installed ]; then
        say "restore: purging $pkg ($st)"
        apt-get -o DPkg::Lock::Timeout=600 -y -qq purge "$pkg" >/dev/null 2>&1 || dpkg --purge "$pkg"
    fi
    if [ -n "$(diversions)" ]; then
        say "restore: removing the diversion: $(diversions)"
        dpkg-divert --package "$pkg" --rename --divert "$div" --remove "$bin"
    fi
    if [ "$(status s6)" != installed ] || ! is_s6 $bin; then
        say "restore: installing s6 $s6_version again"
        apt-get -o DPkg::Lock::Timeout=600 -y -qq install --reinstall "${s6_deb:-s6=$s6_version}" >/dev/null 2>&1
    fi
    left=""
    [ "$(status $pkg)" = not-installed ] || [ -z "$(status $pkg)" ] || left="$left; $pkg is $(status $pkg)"
    [ -z "$(diversions)" ] || left="$left; diversion: $(diversions)"
    [ "$(dpkg-query -W -f='${Version} ${db:Status-Status}' s6)" = "$s6_version installed" ] || left="$left; s6 is not $s6_version installed"
    is_s6 $bin || left="$left; $bin is not s6's"
    [ -z "$(dpkg --audit)" ] || left="$left; dpkg --audit: $(dpkg --audit)"
    rm -rf "$work" "$sock"
    if [ -n "$left" ]; then
        echo "check-deb: COULD NOT RESTORE THE MACHINE${left}"
        exit 1
    fi
    say "machine as found: s6 $s6_version installed, its binary at $bin (md5sums), no diversion, $pkg not installed, dpkg --audit clean"
    exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- Before anything changes: what the steps need --------------------------
t0=$(date +%s)
# s6's package as installed, to put it back without the network.
# (The first apt-get here also makes the package cache the steps use.)
(cd "$work" && aptc -q download "s6=$s6_version" >apt-download.log 2>&1) ||
    { cat "$work/apt-download.log"; fail "apt-get download s6=$s6_version"; }
s6_deb=$(realpath "$work"/s6_*.deb)

# The tests' binary, built now, outside the time s6's binary is diverted.
$cargo test --release --locked --test cli --no-run >"$work/cargo.log" 2>&1 ||
    { tail -n 20 "$work/cargo.log"; fail "cargo test --no-run"; }

# A higher version, built from this tree: a copy whose Cargo.toml,
# Cargo.lock and debian/changelog say the next patch version.
next=$(echo "$version" | awk -F . '{ $NF = $NF + 1; print }' OFS=.)
say "building $pkg $next from a copy of this tree (log: $work/next/build.log)"
mkdir -p "$work/next/tree"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$work/next/tree" -xf -
(
    cd "$work/next/tree"
    sed -i "0,/^version = \"$version\"\$/s//version = \"$next\"/" Cargo.toml
    sed -i "/^name = \"$name\"\$/{n;s/^version = \"$version\"\$/version = \"$next\"/}" Cargo.lock
    { printf '%s (%s) unstable; urgency=medium\n\n  * Test build: a higher version for make check-deb.\n\n -- %s  %s\n\n' \
        "$pkg" "$next" "$(dpkg-parsechangelog -S Maintainer)" "$(date -R)"; cat debian/changelog; } >changelog.new
    mv changelog.new debian/changelog
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DEB_BUILD_OPTIONS=nocheck \
        dpkg-buildpackage -b -d --no-sign --post-clean >../build.log 2>&1
) || { tail -n 30 "$work/next/build.log"; fail "building $next"; }
deb_next=$work/next/${pkg}_${next}_$arch.deb
dpkg-deb -x "$deb_next" "$work/next/root"
ours_next=$work/next/root$bin

# A short directory for sockets (108-byte paths are built in it).
sock=$(mktemp -d /tmp/deb-sock.XXXXXX)
chmod 0755 "$sock"
t1=$(date +%s)
say "ready in $((t1 - t0)) s; $bin is ours from step 1 to step 5, and again in steps 8 to 10"
: >"$steps"
record "0. before: s6 $s6_version installed, $pkg not installed"

# --- With s6 installed -------------------------------------------------------
apt_get install "$deb"
record "1. apt-get install ./${deb##*/} (s6 installed)"
ours_in_place "install" "$ours"
h=$(readelf -hW $bin)
echo "$h" | grep -q 'Type: *EXEC' || fail "$bin is not an EXEC"
! readelf -lW $bin | grep -qE 'INTERP|DYNAMIC' || fail "$bin has an INTERP or DYNAMIC segment"
is_s6 $div || fail "$div is not s6's binary (md5sums)"
# dpkg -S names both packages that list the path (in either order); the
# diversion says whose file is where.
dpkg -S $bin >"$work/owners"
[ "$(head -n 2 "$work/owners")" = "diversion by $pkg from: $bin
diversion by $pkg to: $div" ] && tail -n 1 "$work/owners" | grep -qxE "(s6, $pkg|$pkg, s6): $bin" ||
    fail "dpkg -S $bin: $(cat "$work/owners")"
[ "$(man -w $name)" = /usr/share/man/man8/$name.8.gz ] || fail "man -w $name: $(man -w $name)"
MANWIDTH=80 man $name 2>/dev/null | grep -q -- '--listen-fds' || fail "man $name does not show our page"
dpkg --verify s6 || fail "dpkg --verify s6"
say "installed: $bin is $ours (static EXEC), $div is s6's (md5 $(s6_md5)), man $name is ours, dpkg --verify s6 clean"

# The end-to-end suite against the installed file; the differential tests
# find s6's binary at the diverted name (common::s6_reference).
BINDER=$bin $cargo test --release --locked --test cli >"$work/e2e.log" 2>&1 ||
    { grep -E 'FAILED|panicked|failed' "$work/e2e.log" | head -n 30; fail "BINDER=$bin cargo test --test cli"; }
say "BINDER=$bin: $(grep -E '^test result:' "$work/e2e.log")"
grep -q '^test differential::differential_same_behaviour ... ok$' "$work/e2e.log" || fail "the differential tests did not run"

# Debian's s6-ipcserver execs $bin by absolute path: ours answers.
long=$sock/$(printf "%0$((108 - ${#sock} - 1))d" 0)
[ ${#long} -eq 108 ] || fail "could not make a 108-byte path"
s6-ipcserver "$long" /bin/true 2>"$work/err" && fail "s6-ipcserver bound a 108-byte path" || rc=$?
[ "$rc" = 111 ] && [ "$(cat "$work/err")" = "$name: fatal: unable to bind to $long: File name too long" ] ||
    fail "s6-ipcserver with a 108-byte path: exit $rc, $(cat "$work/err")"
[ ! -e "$long.lock" ] || fail "a lock file was made for the 108-byte path"
echo data >"$sock/file"
s6-ipcserver "$sock/file" /bin/true 2>"$work/err" && fail "s6-ipcserver bound over a regular file" || rc=$?
[ "$rc" = 111 ] && [ "$(cat "$work/err")" = "$name: fatal: unable to bind to $sock/file: Address already in use" ] &&
    [ "$(cat "$sock/file")" = data ] || fail "s6-ipcserver over a regular file: exit $rc, $(cat "$work/err")"
s6-ipcserver "$sock/s" /bin/echo served >/dev/null 2>"$work/server.err" &
server=$!
n=0
until [ -S "$sock/s" ]; do
    n=$((n + 1))
    [ $n -le 100 ] || { kill $server; fail "s6-ipcserver did not bind $sock/s: $(cat "$work/server.err")"; }
    sleep 0.05
done
got=$(timeout 10 socat -u "UNIX-CONNECT:$sock/s" -) || got="socat failed"
kill $server && wait $server || true
[ "$got" = served ] || fail "a client of s6-ipcserver got '$got'"
say "s6-ipcserver through ours: a 108-byte path refused with File name too long (no lock file), a regular file left alone (Address already in use), and a client served"

apt_get install --reinstall s6
record "2. apt-get install --reinstall s6"
ours_in_place "s6 reinstalled" "$ours"
is_s6 $div || fail "s6 reinstalled: $div is not s6's binary"

apt_get install --reinstall "$deb"
record "3. apt-get install --reinstall ./${deb##*/} (same version)"
ours_in_place "same version again" "$ours"
is_s6 $div || fail "same version again: $div is not s6's binary"

apt_get install "$deb_next"
record "4. apt-get install ./${deb_next##*/} (upgrade $version -> $next)"
ours_in_place "upgrade" "$ours_next"
[ "$($bin --version)" = "$name $next" ] || fail "upgrade: $bin --version says $($bin --version)"
[ "$(dpkg-query -W -f='${Version}' $pkg)" = "$next" ] || fail "upgrade: $pkg is not at $next"
is_s6 $div || fail "upgrade: $div is not s6's binary"

apt_get remove "$pkg"
record "5. apt-get remove $pkg"
[ -z "$(diversions)" ] || fail "remove: diversion left: $(diversions)"
is_s6 $bin || fail "remove: $bin is not s6's binary (md5 $(md5 $bin), s6.md5sums $(s6_md5))"
[ ! -e $div ] || fail "remove: $div is still there"
dpkg --verify s6 || fail "remove: dpkg --verify s6"

apt_get purge "$pkg"
record "6. apt-get purge $pkg"
dpkg -L $pkg >/dev/null 2>&1 && fail "purge: dpkg -L $pkg still lists files"
for f in /usr/share/man/man8/$name.8.gz /usr/share/doc/$pkg /usr/share/lintian/overrides/$pkg; do
    [ ! -e "$f" ] || fail "purge: $f is left"
done
[ "$(dpkg -S $bin)" = "s6: $bin" ] || fail "purge: dpkg -S $bin: $(dpkg -S $bin)"
say "removed: $bin is s6's again (md5 $(s6_md5)), no diversion; purged: dpkg -L knows nothing of $pkg"

# --- Without s6 ----------------------------------------------------------------
aptc -s remove s6 >"$work/remove-s6" 2>&1
[ "$(grep -c '^Remv' "$work/remove-s6")" = 1 ] || fail "removing s6 would remove other packages: $(grep '^Remv' "$work/remove-s6")"
apt_get remove s6
record "7. apt-get remove s6"
[ ! -e $bin ] || fail "s6 removed, but $bin is there"

apt_get install "$deb"
record "8. apt-get install ./${deb##*/} (s6 not installed)"
ours_in_place "install without s6" "$ours"
[ ! -e $div ] || fail "install without s6: $div exists"

apt_get install "$s6_deb"
record "9. apt-get install ./${s6_deb##*/} (s6, as downloaded before step 1; ours installed)"
ours_in_place "s6 installed after ours" "$ours"
is_s6 $div || fail "s6 installed after ours: $div is not s6's binary"

apt_get remove "$pkg"
record "10. apt-get remove $pkg (s6 installed after it)"
[ -z "$(diversions)" ] || fail "remove: diversion left: $(diversions)"
is_s6 $bin || fail "remove: $bin is not s6's binary"
apt_get purge "$pkg"
record "11. apt-get purge $pkg"
say "without s6: ours installed alone, s6 installed after it went to $div, removing ours put it back at $bin"
say "all steps passed in $(($(date +%s) - t1)) s, $(($(date +%s) - t0)) s in all (diversion states: $steps)"
