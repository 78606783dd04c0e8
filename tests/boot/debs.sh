# shellcheck shell=sh
# shellcheck disable=SC2154,SC2034,SC2046 # apt_name in, failed out; package lists split on purpose
# Sourced by tests/boot/fetch.sh and tests/boot/qemu.sh: apt as they call
# it, and Debian packages fetched once. The caller sets `apt_name` (whose
# apt package cache this is) and defines say(); it may add to `aptopts`.

# Every downloaded .deb is also kept here under its archive name (which
# carries the version), as cargo keeps crates in ~/.cargo: a new checkout
# copies it instead of downloading it again.
cachedir=${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/s6-ipcserver-socketbinder/debs}
mkdir -p "$cachedir"

# apt's package cache, kept beside: this image's apt configuration
# (docker-clean) writes none, so each call of apt would read every
# architecture's lists anew, seconds of CPU each. apt rebuilds it when the
# lists change.
aptopts="-o Dir::Cache::pkgcache=$(dirname "$cachedir")/apt-pkgcache-$apt_name.bin"
apt() { apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 $aptopts "$@"; }
cache() { apt-cache $aptopts "$@"; }

# get_debs DIR SUFFIX PACKAGE...: PACKAGE$SUFFIX (SUFFIX: `:arm64`, or
# empty for the host's) into DIR as PACKAGE_*.deb, from the cache or with
# one apt-get download for all the others. On failure returns 1 with the
# first package missing in $failed and apt's words in DIR/download.log.
get_debs() {
    gd_dir=$1 gd_suffix=$2
    shift 2
    # The files the mirror has now: "PACKAGE FILE" lines.
    gd_files=$(cache show --no-all-versions $(for p; do echo "$p$gd_suffix"; done) 2>/dev/null |
        awk '$1 == "Package:" { p = $2 } $1 == "Filename:" { n = split($2, f, "/"); print p, f[n] }')
    gd_todo=""
    for p; do
        rm -f "$gd_dir/${p}_"*.deb
        f=$(echo "$gd_files" | awk -v p="$p" '$1 == p { print $2; exit }')
        if [ -n "$f" ] && [ -f "$cachedir/$f" ]; then cp "$cachedir/$f" "$gd_dir/${p}_$f"; else gd_todo="$gd_todo $p"; fi
    done
    [ -n "$gd_todo" ] || return 0
    say "apt-get download$gd_todo"
    # A checkout in a mode-0700 directory: _apt cannot write there, and
    # apt-get says so (a warning), then downloads as root.
    (cd "$gd_dir" && apt download -qq $(for p in $gd_todo; do echo "$p$gd_suffix"; done) >download.log 2>&1) || true
    for p in $gd_todo; do
        got=$(ls "$gd_dir/${p}_"*.deb 2>/dev/null | head -n 1)
        [ -n "$got" ] || { failed=$p && return 1; }
        f=$(echo "$gd_files" | awk -v p="$p" '$1 == p { print $2; exit }')
        if [ -n "$f" ]; then
            cp "$got" "$cachedir/$f.part" && mv "$cachedir/$f.part" "$cachedir/$f" || true
        fi
    done
    rm -f "$gd_dir/download.log"
}
