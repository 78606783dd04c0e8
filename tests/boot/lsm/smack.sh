#!/bin/sh
# The SMACK boot's init (rdinit=/lsm-smack.sh), on the x86_64 kernel built
# by tests/boot/lsm/kernel.sh, booted with security=smack (doc/boot.md,
# "LSM boots"): mounts what it needs and smackfs, loads the rules, and
# checks the binder's SMACK options. Each `lsm NAME EXPECTED ACTUAL` prints
#   LSM: ARCH smack NAME pass
#   LSM: ARCH smack NAME fail: observed ... || expected ...
# then it reboots (qemu runs with -no-reboot: it exits).
# Clients run as uid 1000: root's CAP_MAC_OVERRIDE would pass every check
# (smackfs/onlycap is empty).
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
/bin/busybox --list-full | while read -r a; do
    [ -e "/$a" ] || { /bin/busybox mkdir -p "/${a%/*}" && /bin/busybox ln -s /bin/busybox "/$a"; }
done
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmp /tmp
LSM=smack
# shellcheck source=tests/boot/lsm/lib.sh
. /lsm-lib.sh
# A stream client labelled $1, as uid 1000: the reply, or errno=13.
client() { $P con "$1" $P connect -u 1000 "$2" "$3" 2>&1; }

# The rules: A and B may write `_` (the socket files, the console), `_`
# (root's label: every unlabelled socket's IPOUT) may write A and B, C may
# write B only. No rule lets A write B: a socket whose IPIN is B refuses A.
sm=/sys/fs/smackfs
mount -t smackfs smackfs $sm
for r in "A _ rwx" "B _ rwx" "_ A w" "_ B w" "C B w"; do echo "$r" >$sm/load2; done
lsm rules "_
A _ rwx
B _ rwx
C B w
_ A w
_ B w" "$(cat /proc/self/attr/current)
$(sort $sm/load2 | sed 's/ *$//')"

mkdir -p /tmp/smack && cd /tmp/smack || exit 1

# The rules themselves, without the binder's options: a server started as
# B (its socket's IPIN and IPOUT are B) refuses A and lets B in.
$P con B $B b.sock s6-ipcserverd sh -c "$answer" </dev/null &
waitsock b.sock
lsm rules-deny "errno=13
reply=hi B" "$(client A b.sock hi)
$(client B b.sock hi)"

# --smack-ipin B: A is refused, B let in; the binder and prog stay `_`.
serve in.sock --smack-ipin B
lsm smack-ipin "errno=13
reply=from-b _" "$(client A in.sock from-a)
$(client B in.sock from-b)"

# The control: a socket made without it lets A in.
serve plain.sock
lsm unlabelled "reply=from-a _" "$(client A plain.sock from-a)"

# --smack-ipout C: the socket's packets are C's; C may write B, not A.
serve out.sock --smack-ipout C
lsm smack-ipout "errno=13
reply=from-b _" "$(client A out.sock from-a)
$(client B out.sock from-b)"

# A label SMACK does not allow ('/' in it) is a bad value: 100, before
# anything is made. A label the kernel refuses (here: setting one needs
# CAP_MAC_ADMIN, and uid 1000 has none): 111, its message. No socket left.
mkdir u && chown 1000:1000 u
lsm smack-bad-label "s6-ipcserver-socketbinder: usage: bad value for --smack-ipin: a/b
exit=100
$fatal unable to set security.SMACK64IPIN to B: Operation not permitted
exit=111
no socket left" "$(run $B --smack-ipin a/b bad.sock true)
$(run $P uid 1000 $B --smack-ipin B u/bad.sock true)
$(left bad.sock u/bad.sock)"

echo "LSM: $ARCH smack: $(dmesg | grep -c 'lsm=SMACK.*denied') SMACK denials logged, done at $(cut -d' ' -f1 /proc/uptime) s of uptime"
echo "LSM: $ARCH smack end $(uname -r)"
cd /
reboot -f
