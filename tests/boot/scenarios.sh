#!/bin/sh
# The scenarios, run in the guest on the architecture's own kernel
# (doc/boot.md). Each `check NAME EXPECTED ACTUAL` prints one console line:
#   BOOT: ARCH NAME pass
#   BOOT: ARCH NAME fail: observed ... | expected ...   (newlines as " | ")
# The host (tests/boot/run.sh) takes the list of expected names from the
# `check NAME` words of this file, so a scenario that never ran is a failure.
#   usage: scenarios.sh before-proc|after-proc   (busybox init's sysinit)
#          scenarios.sh supervised               (the check service, under s6-svscan)
B=/usr/bin/s6-ipcserver-socketbinder
P=/usr/bin/bootprobe
export PATH=/usr/bin:/bin
# shellcheck source=tests/boot/guest-lib.sh
. /guest-lib.sh

check() { verdict BOOT "$@"; }
# Waits up to 10 s for an abstract name in /proc/net/unix (waitsock: a file).
waitabs() { i=0; while ! grep -q " @$1\$" /proc/net/unix && [ $i -lt 200 ]; do usleep 50000; i=$((i + 1)); done; }
fresh() { rm -rf "$1" && mkdir -p "$1" && cd "$1"; }

usage='s6-ipcserver-socketbinder: usage: s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...'
fatal='s6-ipcserver-socketbinder: fatal:'
zero=0000000000000000
# What prog reports when all is as it should be, signals untouched.
probe_ok() {
    printf '%s\n' "fds=0,1,2" "fd0=$1 listen=$2 nonblock=$3 cloexec=0" "umask=0022" \
        "sig=$zero/$zero" "proc=${4:-$zero/$zero}" "listen_pid=unset listen_fds=unset listen_fdnames=unset" "exit=0"
}

# --- shape b: busybox init's sysinit, before and after /proc and /dev ------
before_proc() {
    cd /
    check init-before-proc "no /proc
$(probe_ok stream 1 1 none)
srwxrwxrwx -rw-------" "$([ -e /proc/self ] && echo /proc || echo no /proc)
$(run $B /early.sock $P probe)
$(ls -l /early.sock /early.sock.lock | cut -c1-10 | tr '\n' ' ' | sed 's/ $//')"
}
after_proc() {
    cd /
    # The socket of the first run is stale now: reuse mode replaces it.
    check init-after-proc "init
$(probe_ok stream 1 1)" "$(cat /proc/1/comm)
$(run $B /early.sock $P probe)"
}

# --- shape a: s6-svscan as PID 1, our binder in front of s6-ipcserverd ------
supervised() {
    svc=/run/service/echo
    check svscan-pid1 "s6-svscan" "$(cat /proc/1/comm)"
    s6-svwait -U -t 20000 $svc
    check notify-fd "true true" "$(s6-svstat -o up,ready $svc)"
    client() { s6-ipcclient /run/echo.sock sh -c 'echo "$1" >&7; read -r r <&6; echo "$r"' client "$1" 2>&1; }
    check svc-round-trip "ping from uid 0" "$(client ping)"
    pid=$(s6-svstat -o pid $svc)
    ino=$(stat -c %i /run/echo.sock)
    s6-svc -wR -T 20000 -r $svc
    pid2=$(s6-svstat -o pid $svc)
    ino2=$(stat -c %i /run/echo.sock)
    check svc-restart "true true new pid new socket
again from uid 0" "$(s6-svstat -o up,ready $svc) $([ "$pid2" != "$pid" ] && echo new pid || echo same pid $pid) $([ "$ino2" != "$ino" ] && echo new socket || echo same inode $ino)
$(client again)"
}

# --- every mode of SPEC part A ----------------------------------------------
modes() {
    fresh /tmp/t/modes
    check d-fresh "$(probe_ok stream 1 1)
srwxrwxrwx -rw-------" "$(run $B s.sock $P probe)
$(stat -c %A s.sock s.sock.lock | tr '\n' ' ' | sed 's/ $//')"
    # A stale socket: its server (here `true`) is gone, the file stays.
    $B -D stale.sock true
    ino=$(stat -c %i stale.sock)
    check d-stale "$(probe_ok stream 1 1)
replaced" "$(run $B stale.sock $P probe)
$([ "$(stat -c %i stale.sock)" != "$ino" ] && echo replaced || echo same inode)"
    check D-fresh "$(probe_ok stream 1 1)
no lock" "$(run $B -D D.sock $P probe)
$([ -e D.sock.lock ] && echo lock || echo no lock)"
    check D-exists "$fatal unable to bind to D.sock: Address already in use
exit=111" "$(run $B -D D.sock true)"
    check m-b0 "$(probe_ok dgram 0 1)" "$(run $B -m -b0 m.sock $P probe)"
    check m-listen "$fatal unable to listen to m2.sock: Operation not supported
exit=111" "$(run $B -m m2.sock true)"
    check B-blocking "$(probe_ok stream 1 0)" "$(run $B -B B.sock $P probe)"
    check a-perms "srwx------ -rw-------
0022
exit=0" "$(run $B -a 0700 a.sock sh -c 'stat -c %A a.sock a.sock.lock | tr "\n" " " | sed "s/ \$//"; echo; umask')"
    # prog keeps fd 0 and never accepts: Linux queues backlog + 1
    # connections (unix_recvq_full: more than the backlog is full), then
    # EAGAIN (11); with -b0 there is no listen() at all: ECONNREFUSED (111).
    check b-backlog "connected=4 errno=11
exit=0
connected=0 errno=111
exit=0" "$(run $B -b 3 b.sock $P backlog b.sock)
$(run $B -b0 b0.sock $P backlog b0.sock)"
}

# --- exit codes, exact messages ---------------------------------------------
exits() {
    fresh /tmp/t/exits
    check exit-100 "$usage
exit=100" "$(run $B -b x s.sock true)"
    check exit-111 "$fatal unable to bind to /nonexistent/s.sock: No such file or directory
exit=111" "$(run $B /nonexistent/s.sock true)"
    echo 'echo never' >noexec && chmod 0644 noexec
    check exit-126 "$fatal unable to exec /tmp/t/exits/noexec: Permission denied
exit=126" "$(run $B s.sock /tmp/t/exits/noexec)"
    check exit-127 "$fatal unable to exec /nonexistent/prog: No such file or directory
exit=127" "$(run $B s2.sock /nonexistent/prog)"
}

# --- what prog sees: signals and environment --------------------------------
prog_sees() {
    fresh /tmp/t/prog
    check signals-none "$(probe_ok stream 1 1)" "$(run $P sigrun $B s.sock $P probe)"
    # USR1 (10) and TERM (15) blocked, HUP (1) and PIPE (13) ignored.
    check signals-inherited "$(probe_ok stream 1 1 | sed 's,^sig=.*,sig=0000000000004200/0000000000001001,; s,^proc=.*,proc=0000000000004200/0000000000001001,')" \
        "$(run $P sigrun -b USR1 -b TERM -i HUP -i PIPE $B s2.sock $P probe)"
    check env-order "A=1
Z=2
B=3
SP=a  b
E=
EQ=x=y
PATH=/usr/bin
exit=0" "$(run env -i A=1 Z=2 B=3 'SP=a  b' E= EQ=x=y PATH=/usr/bin $B s3.sock env)"
}

# --- data safety: -d never removes what is not a socket ---------------------
safety() {
    fresh /tmp/t/safety
    in_use() { printf '%s\n' "$fatal unable to bind to $1: Address already in use" exit=111; }
    echo data >file
    check safe-file "$(in_use file)
data" "$(run $B file true)
$(cat file)"
    mkdir dir && touch dir/x
    check safe-dir "$(in_use dir)
dir/x" "$(run $B dir true)
$(ls -d dir/x)"
    mkfifo fifo
    check safe-fifo "$(in_use fifo)
fifo" "$(run $B fifo true)
$([ -p fifo ] && echo fifo || echo gone)"
    echo target >target && ln -s target link
    check safe-symlink "$(in_use link)
link -> target target" "$(run $B link true)
$([ -L link ] && echo "link -> $(readlink link)") $(cat target)"
}

# --- the long options of part C, each against a consumer --------------------
long_options() {
    fresh /tmp/t/long
    name=bootabs$$
    $B --abstract $name s6-ipcserverd sh -c 'read -r x; echo "$x abstract"' </dev/null &
    srv=$!
    waitabs $name
    check abstract "reply=ping abstract
no file" "$($P connect -a $name ping 2>&1)
$(ls | grep -q . && ls || echo no file)"
    kill $srv

    $B --seqpacket q.sock s6-ipcserverd cat </dev/null &
    srv=$!
    waitsock q.sock
    check seqpacket "reply=ping
$(probe_ok seqpacket 1 1)" "$($P connect -q q.sock ping 2>&1)
$(run $B --seqpacket q2.sock $P probe)"
    kill $srv

    check listen-fds "fds=0,1,2,3,4
fd3=stream listen=1 nonblock=1 cloexec=0
fd4=stream listen=1 nonblock=1 cloexec=0
umask=0022
sig=$zero/$zero
proc=$zero/$zero
listen_pid=self listen_fds=2 listen_fdnames=one:unknown
exit=0" "$(run $B --listen-fds --fdname one l1.sock $B --listen-fds l2.sock $P probe)"

    check notify-fd-standalone "$(probe_ok stream 1 1)
newline" "$(run $B --notify-fd 3 n.sock $P probe 3>ready)
$([ "$(od -An -c ready | tr -d ' ')" = '\n' ] && echo newline || od -An -c ready)"

    mkdir own
    $B --owner 1000 --group 1001 -a 0660 own/o.sock s6-ipcserverd sh -c 'read -r x; echo "$x from uid $IPCREMOTEEUID"' </dev/null &
    srv=$!
    waitsock own/o.sock
    check owner-group "1000 1001 660
reply=hi from uid 1000
errno=13" "$(stat -c '%u %g %a' own/o.sock)
$($P connect -u 1000 own/o.sock hi 2>&1)
$($P connect -u 2000 own/o.sock hi 2>&1)"
    kill $srv

    check mkdir "drwxr-xr-x drwxr-xr-x srwxrwxrwx
exit=0" "$(run $B --mkdir new/sub/s.sock sh -c 'stat -c %A new new/sub new/sub/s.sock | tr "\n" " " | sed "s/ \$//"; echo')"

    $B live.sock s6-ipcserverd sh -c 'read -r x; echo "$x still"' </dev/null &
    srv=$!
    waitsock live.sock
    $B -D dead.sock true
    check if-stale "$fatal unable to bind to live.sock: Address already in use
exit=111
reply=hi still
$(probe_ok stream 1 1)" "$(run $B --if-stale live.sock true)
$($P connect live.sock hi 2>&1)
$(run $B --if-stale dead.sock $P probe)"
    kill $srv

    check no-lock "exit=0
nolock.sock" "$(run $B --no-lock nolock.sock true)
$(ls nolock.sock*)"

    $B -m -b0 -B --pass-credentials c.sock $P recvcred >cred.out 2>&1 </dev/null &
    srv=$!
    waitsock c.sock
    sent=$($P connect -m -u 1234 c.sock hello 2>&1)
    wait $srv
    $B -m -b0 -B nc.sock $P recvcred >nocred.out 2>&1 </dev/null &
    srv=$!
    waitsock nc.sock
    $P connect -m -u 1234 nc.sock hello >/dev/null 2>&1
    wait $srv
    check pass-credentials "sent
data=hello pid=N uid=1234 gid=1234
data=hello nocred" "$sent
$(sed 's/pid=[1-9][0-9]*/pid=N/' cred.out)
$(cat nocred.out)"
}

# --- a read-only root (last: nothing is writable after it) -------------------
read_only() {
    cd /
    mount -o remount,ro / 2>&1
    check ro-root "$fatal unable to bind to /ro.sock: Read-only file system
exit=111
$fatal unable to bind to /ro.sock: Read-only file system
exit=111
$(probe_ok stream 1 1)" "$(run $B /ro.sock true)
$(run $B -D /ro.sock true)
$(run $B --abstract roabs$$ $P probe)"
}

case ${1:-} in
before-proc) before_proc ;;
after-proc) after_proc ;;
supervised)
    supervised
    modes
    exits
    prog_sees
    safety
    long_options
    read_only
    ;;
*) echo "usage: scenarios.sh before-proc|after-proc|supervised" >&2 && exit 2 ;;
esac
