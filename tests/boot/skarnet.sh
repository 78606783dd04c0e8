#!/bin/sh
# skarnet's skalibs, execline, s6, s6-rc and s6-linux-init, built static
# for one architecture from ../shared/third-party/skarnet/*.tar.gz
# (unmodified), for the s6-linux-init + s6-rc boot (doc/boot.md).
#   usage: tests/boot/skarnet.sh ARCH     (aarch64 armv7 i686 x86_64 riscv64)
# Output: target/boot/ARCH/skarnet/ (usr/bin, usr/libexec; stripped).
# The C library is musl (static): Debian's musl-dev for ARCH, which
# tests/boot/fetch.sh unpacks into target/boot/ARCH/musl (for the host's
# own architecture the installed musl-dev does too), with Debian's cross
# gcc for ARCH (a host-architecture package: gcc-aarch64-linux-gnu ...)
# and its kernel headers (linux-libc-dev-ARCH-cross). glibc's static
# binaries were 600 KB each against musl's 75 KB (doc/boot.md).
# Cached like the kernels: BOOT_CACHE's directory (~/.cache/s6-ipcserver-
# socketbinder) keeps skarnet/ARCH-KEY.tar.gz, KEY the checksum of the five
# tarballs, this script and the musl-dev package, so a second checkout (or
# CI) builds nothing.
set -eu
top=$(pwd)
arch=$1
src=${SKARNET_SRC:-$top/../shared/third-party/skarnet}
dir=$top/target/boot/$arch
out=$dir/skarnet
say() { echo "boot: $arch: $*" >&2; }
die() { say "$*" && exit 1; }
case $arch in
x86_64) gnu=x86_64-linux-gnu musl=x86_64-linux-musl deb=amd64 ;;
aarch64) gnu=aarch64-linux-gnu musl=aarch64-linux-musl deb=arm64 ;;
armv7) gnu=arm-linux-gnueabihf musl=arm-linux-musleabihf deb=armhf ;;
i686) gnu=i686-linux-gnu musl=i386-linux-musl deb=i386 ;;
riscv64) gnu=riscv64-linux-gnu musl=riscv64-linux-musl deb=riscv64 ;;
*) die "no C cross compiler known for $arch" ;;
esac
pkgs="skalibs execline s6 s6-rc s6-linux-init"
for p in $pkgs; do [ -f "$src/$p.tar.gz" ] || die "no $src/$p.tar.gz (skarnet's sources, ../shared/third-party/skarnet)"; done

# musl for ARCH: the unpacked package, else (the host's own) the installed one.
if [ -d "$dir/musl/usr/lib/$musl" ]; then mroot=$dir/musl; else mroot=; fi
[ -f "$mroot/usr/lib/$musl/libc.a" ] || die "no musl for $arch (tests/boot/fetch.sh $arch unpacks musl-dev into $dir/musl)"
key=$({
    for p in $pkgs; do sha256sum <"$src/$p.tar.gz"; done
    echo "$arch"
    sha256sum <"$0"
    sha256sum <"$mroot/usr/lib/$musl/libc.a"
} | sha256sum | cut -c1-16)
[ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ] && exit 0
cachedir=${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/s6-ipcserver-socketbinder/debs}
cached=$(dirname "$cachedir")/skarnet/$arch-$key.tar.gz
rm -rf "$out"
mkdir -p "$out"
if [ -f "$cached" ]; then
    tar -xzf "$cached" -C "$out"
    echo "$key" >"$out/key"
    exit 0
fi

# The compiler only when there is something to build (host-architecture
# packages, no dpkg architecture added; the host's own gcc is there).
if [ "$arch" != "$(uname -m)" ]; then
    "$top/tools/apt-install" "gcc-$gnu" "linux-libc-dev-$deb-cross" || die "cannot install gcc-$gnu"
fi
command -v "$gnu-gcc" >/dev/null || die "no $gnu-gcc"
start=$(date +%s)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# musl-gcc's specs, pointed at where this musl is; the kernel's headers
# (s6-linux-init includes linux/kd.h) without glibc's.
sed "s,/usr/,$mroot/usr/,g" "$mroot/usr/lib/$musl/musl-gcc.specs" >"$w/musl.specs"
mkdir "$w/kh"
if [ "$arch" = "$(uname -m)" ]; then
    ln -s /usr/include/linux /usr/include/asm-generic "/usr/include/$gnu/asm" "$w/kh/"
else
    ln -s "/usr/$gnu/include/linux" "/usr/$gnu/include/asm-generic" "/usr/$gnu/include/asm" "$w/kh/"
fi
cc="$gnu-gcc -specs $w/musl.specs -isystem $w/kh"
# riscv64's musl is Debian 13's (Debian 12 has no riscv64), and Debian 12's
# riscv64 ld (binutils 2.40) dies with SIGSEGV on its libc.a: link with the
# rust-lld that ships with rustc instead (its gcc-ld/ld.lld), telling it
# the specs' dynamic linker is not wanted (else a static EXEC with INTERP).
if [ "$arch" = riscv64 ]; then
    lld=$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/gcc-ld
    [ -x "$lld/ld.lld" ] || die "no $lld/ld.lld (rustc's rust-lld)"
    cc="$cc -B$lld -fuse-ld=lld -Wl,--no-dynamic-linker"
fi
stage=$w/stage
# Cross-compiling, skalibs cannot run its probes: the four answers it asks
# for, true of Linux with musl.
cross="--host=$gnu --with-sysdep-devurandom=yes --with-sysdep-posixspawnearlyreturn=no
 --with-sysdep-procselfexe=/proc/self/exe --with-sysdep-selectinfinite=yes"
for p in $pkgs; do
    tar -xzf "$src/$p.tar.gz" -C "$w"
    dep=""
    [ "$p" = skalibs ] || dep="--with-sysdeps=$stage/usr/lib/skalibs/sysdeps --with-include=$stage/usr/include
        --with-lib=$stage/usr/lib --with-lib=$stage/usr/lib/skalibs --with-lib=$stage/usr/lib/execline
        --with-lib=$stage/usr/lib/s6 --with-lib=$stage/usr/lib/s6-rc"
    # shellcheck disable=SC2086 # option lists
    (cd "$w/$p" && CC=$cc ./configure --prefix=/usr --libdir=/usr/lib --enable-static-libc --disable-shared \
        $cross $dep >"$w/$p.log" 2>&1 && make -j2 >>"$w/$p.log" 2>&1 && make install DESTDIR="$stage" >>"$w/$p.log" 2>&1) ||
        { tail -n 20 "$w/$p.log" >&2; die "cannot build $p (skarnet.sh)"; }
done
cp -a "$stage/usr/bin" "$stage/usr/libexec" "$out/"
for f in "$out"/bin/* "$out"/libexec/*; do
    [ -L "$f" ] && continue
    "$gnu-strip" "$f"
    ! readelf -lW "$f" | grep -qE 'INTERP|DYNAMIC' || die "$f is not static"
done
mkdir -p "$(dirname "$cached")"
tar -czf "$cached.part" -C "$out" bin libexec && mv "$cached.part" "$cached"
echo "$key" >"$out/key"
say "skalibs, execline, s6, s6-rc, s6-linux-init built static with musl in $(($(date +%s) - start)) s ($(du -sk "$out" | cut -f1) KiB)"
