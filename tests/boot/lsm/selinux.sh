#!/bin/sh
# SELinux enforcing, on the architecture's own kernel (booted with
# security=selinux), after the other scenarios of the same boot (doc/boot.md,
# "LSM boots"): loads the policy of tests/boot/lsm/selinux.cil, compiled on
# the host, sets enforcing, and checks the binder's SELinux options against
# it. Each `lsm NAME EXPECTED ACTUAL` prints one console line:
#   LSM: ARCH selinux NAME pass
#   LSM: ARCH selinux NAME fail: observed ... || expected ...
# The host (tests/boot/lsm/judge.sh) takes the expected names from the
# `lsm NAME` words of this file.
#   usage: selinux.sh     (as root, /proc and /sys mounted, /tmp writable)
export PATH=/usr/bin:/bin
LSM=selinux
# shellcheck source=tests/boot/lsm/lib.sh
. /lsm-lib.sh
# A stream client in context $1 (a dyntransition, then exec): the reply,
# or errno=13 when the policy refuses connectto.
client() { $P con "$1" $P connect "$2" "$3" 2>&1; }

t0=$(cut -d' ' -f1 /proc/uptime)
# The policy, loaded and enforcing.
se=/sys/fs/selinux
mount -t selinuxfs selinuxfs $se 2>&1
before="$(cat $se/enforce) $(cat /proc/self/attr/current)"
cat /etc/lsm/selinux.policy >$se/load
echo 1 >$se/enforce
echo "LSM: $ARCH selinux: policy version $(cat $se/policyvers) of the kernel, $(wc -c </etc/lsm/selinux.policy) B policy loaded"
# Before: enabled, no policy (every process is "kernel"); after: enforcing,
# and this shell has the kernel initial SID's context.
lsm enforcing "0 kernel
1 u:r:t" "$before
$(cat $se/enforce) $(cat /proc/self/attr/current)"

rm -rf /tmp/lsm && mkdir -p /tmp/lsm && cd /tmp/lsm || exit 1

# The policy itself, without the binder's options: a server started in
# domain b (its socket gets b) refuses a client in a and lets in one in b.
# The binder's scenarios below are meaningful only if this one passes.
$P con u:r:b $B b.sock s6-ipcserverd sh -c "$answer" </dev/null &
waitsock b.sock
# The client enters a by a dyntransition (attr/current), or by the exec
# transition (attr/exec): both are refused.
lsm policy-denies "errno=13
errno=13
reply=hi u:r:b" "$(client u:r:a b.sock hi)
$($P con -x u:r:a $P connect b.sock hi 2>&1)
$(client u:r:b b.sock hi)"

# 1. --selinux-context: the socket is b's, the binder and its prog stay t.
serve ctx.sock --selinux-context u:r:b
lsm selinux-context "errno=13
reply=from-b u:r:t" "$(client u:r:a ctx.sock from-a)
$(client u:r:b ctx.sock from-b)"

# 2. The control: the same client, a socket made without it.
serve plain.sock
lsm unlabelled "reply=from-a u:r:t" "$(client u:r:a plain.sock from-a)"

# 3. --selinux-file-context labels the socket file, not the lock file; a
# socket file made without it gets its directory's type.
x() { $P getxattr "$1" security.selinux; }
lsm selinux-file-context "exit=0
security.selinux=u:object_r:sockf
security.selinux=u:object_r:t
security.selinux=u:object_r:t" "$(run $B --selinux-file-context u:object_r:sockf f.sock true)
$(x f.sock)
$(x f.sock.lock)
$(x plain.sock)"

# 4. --pass-security: a datagram receiver gets the sender's context
# (SCM_SECURITY); without it, none.
$B -m -b0 -B --pass-security sec.sock $P recvsec >sec.out 2>&1 </dev/null &
srv=$!
waitsock sec.sock
sent=$($P con u:r:a $P connect -m sec.sock hello 2>&1)
wait $srv
$B -m -b0 -B nosec.sock $P recvsec >nosec.out 2>&1 </dev/null &
srv=$!
waitsock nosec.sock
$P con u:r:a $P connect -m nosec.sock hello >/dev/null 2>&1
wait $srv
lsm pass-security "sent
data=hello sec=u:r:a
data=hello nosec" "$sent
$(cat sec.out)
$(cat nosec.out)"

# 5. A context the policy does not have: 111, a message, no socket left
# (nor the file context's lock file: the context is tried before it).
lsm selinux-bad-context "$fatal unable to set SELinux socket context u:r:nosuch: Invalid argument
exit=111
$fatal unable to set SELinux file context u:object_r:nosuch: Invalid argument
exit=111
no socket left" "$(run $B --selinux-context u:r:nosuch bad.sock true)
$(run $B --selinux-file-context u:object_r:nosuch bad2.sock true)
$(left bad.sock bad2.sock bad2.sock.lock)"

# 6. Without /proc (a private mount namespace without it) the security
# options fail closed and say why; no socket is left.
lsm no-proc "$fatal unable to open /proc/thread-self/attr/sockcreate: No such file or directory
exit=111
$fatal unable to open /proc/thread-self/attr/fscreate: No such file or directory
exit=111
no socket left" "$(unshare -m sh -c "umount /proc && $B --selinux-context u:r:b np.sock true" </dev/null 2>&1; echo "exit=$?")
$(unshare -m sh -c "umount /proc && $B --selinux-file-context u:object_r:sockf np2.sock true" </dev/null 2>&1; echo "exit=$?")
$(left np.sock np2.sock np2.sock.lock)"

# No SMACK in this kernel: its options fail closed too.
lsm no-smack "$fatal unable to set security.SMACK64IPIN to B: Operation not supported
exit=111
no socket left" "$(run $B --smack-ipin B nosmack.sock true)
$(left nosmack.sock)"

# The default build (without the cargo feature full, the one the other
# scenarios of the boot test) has no part F: --selinux-context, even with a
# context the policy has, is an unknown option there, a usage error (100)
# before anything is made. It fails closed, never binds an unlabelled socket.
usage="s6-ipcserver-socketbinder: usage: s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog..."
lsm default-refuses "$usage
exit=100
no socket left" "$(run /usr/bin/s6-ipcserver-socketbinder --selinux-context u:r:b def.sock true)
$(left def.sock def.sock.lock)"

echo "LSM: $ARCH selinux: $(dmesg | grep -c 'avc:  denied  { connectto }') connectto denials logged, the phase took $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s"
jobs -p | xargs -r kill 2>/dev/null
cd /
