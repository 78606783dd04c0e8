#!/bin/sh
# The s6-linux-init + s6-rc boot's scenarios, in the guest (doc/boot.md).
# PID 1 is the image s6-linux-init-maker made from examples/s6-linux-init/,
# the services are examples/s6-rc/ compiled by s6-rc-compile. Each `check
# NAME EXPECTED ACTUAL` prints one console line, as tests/boot/scenarios.sh:
#   BOOT: ARCH NAME pass | BOOT: ARCH NAME fail: observed ... || expected ...
# The host (tests/boot/s6rc.sh) takes the expected names from the `check
# NAME` words of this file.
#   usage: scenarios.sh run      (the bootcheck service: boot, telinit,
#                                 restart, then poweroff and its rc.shutdown)
#          scenarios.sh stage4   (rc.shutdown.final: the end of it all)
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
# shellcheck source=tests/boot/guest-lib.sh
. /guest-lib.sh
cd /

check() { verdict BOOT "$@"; }
# Waits up to $2 tenths of a second for the command $1 to succeed.
until_ok() { i=0; while ! eval "$1" && [ $i -lt "$2" ]; do usleep 100000; i=$((i + 1)); done; }
active() { s6-rc -a list 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'; }
client() { s6-ipcclient /run/echo/sock sh -c 'echo "$1" >&7; read -r r <&6; echo "$r"' client "$1" 2>&1; }
svc=/run/service
runner=$svc/s6rc-oneshot-runner

# The `run` mode (`run` itself is /guest-lib.sh's command runner).
boot() {
    # rc.init's `s6-rc -up change default` is done once app is up (it
    # depends on everything else in the bundle) and s6-rc's lock is free.
    # Only then s6-rc itself is asked: any s6-rc command takes the lock, and
    # one taken first would fail a change that does not wait for it (-b).
    until_ok '[ "$(s6-svstat -o up $svc/app 2>/dev/null)" = true ]' 600
    until_ok 's6-rc -a list >/dev/null 2>&1' 100

    check s6li-pid1 "s6-svscan
s6-linux-init-runleveld s6-linux-init-shutdownd s6-svscan-log" "$(cat /proc/1/comm)
$(cd $svc && ls -d s6-linux-init-shutdownd s6-linux-init-runleveld s6-svscan-log | tr '\n' ' ' | sed 's/ $//')"

    # The default bundle, and what s6-rc added: the oneshot runner and the
    # fd holder (for the syslogd | syslogd-log pipeline).
    check rc-init "app echo hostname mounts s6rc-fdholder s6rc-oneshot-runner syslogd syslogd-log" "$(active)"

    # Every oneshot went through this: `s6-ipcserver-socketbinder -- s`
    # in front of s6-ipcserverd, in the runner's service directory.
    check oneshot-runner "true
srwxrwxrwx -rw-------
s6-ipcserver-socketbinder -- s" "$(s6-svstat -o up $runner)
$(stat -c %A $runner/s $runner/s.lock | tr '\n' ' ' | sed 's/ $//')
$(grep -o 's6-ipcserver-socketbinder.*' $runner/run)"

    # The oneshots' effects: /proc and /sys mounted, /tmp a tmpfs, the hostname.
    check oneshots-up "proc
sysfs
tmpfs
s6-rc-boot" "$(stat -f -c %T /proc)
$(stat -f -c %T /sys)
$(stat -f -c %T /tmp)
$(hostname)"

    # --notify-fd 3 and notification-fd 3: ready means a client connects.
    check notify-fd "true true
srwxrwxrwx
ping from uid 0" "$(s6-svstat -o up,ready $svc/echo)
$(stat -c %A /run/echo/sock)
$(client ping)"

    # /dev/log: the datagram socket, no lock file; a message reaches the log.
    logger -t bootcheck hello
    until_ok 'grep -q "bootcheck: hello$" /run/syslogd/current 2>/dev/null' 100
    check dev-log "true true
srw-rw-rw- no lock
1" "$(s6-svstat -o up,ready $svc/syslogd)
$(stat -c %A /dev/log) $([ -e /dev/log.lock ] && echo lock || echo no lock)
$(grep -c 'bootcheck: hello$' /run/syslogd/current 2>&1)"

    # app started after all it depends on: its first connection and its
    # first message worked.
    # (Once: a run script that exits is restarted each second.)
    check depends "app: started on s6-rc-boot, /tmp on tmpfs, echo said: hello from uid 0
1" "$(grep -o 'app: .*' /run/syslogd/current 2>&1 | head -n 1)
$(grep -c 'app: started' /run/syslogd/current 2>&1)"

    # telinit maintenance: runleveld runs scripts/runlevel maintenance,
    # s6-rc -up change: echo and app go down, echo's socket file stays.
    pid=$(s6-svstat -o pid $svc/echo)
    ino=$(stat -c %i /run/echo/sock)
    s6-linux-init-telinit maintenance
    until_ok '! s6-rc -a list 2>/dev/null | grep -qx echo' 200
    check telinit-maintenance "hostname mounts s6rc-fdholder s6rc-oneshot-runner syslogd syslogd-log
false
stale socket
s6-ipcclient: fatal: unable to connect to /run/echo/sock: Connection refused" "$(active)
$(s6-svstat -o up $svc/echo)
$([ -S /run/echo/sock ] && [ "$(stat -c %i /run/echo/sock)" = "$ino" ] && echo stale socket || echo no socket)
$(s6-ipcclient /run/echo/sock true 2>&1)"

    # telinit default: echo starts over its own stale socket (replaced:
    # a new inode), ready again; app comes back.
    s6-linux-init-telinit default
    until_ok 's6-rc -a list 2>/dev/null | grep -qx app' 200
    pid2=$(s6-svstat -o pid $svc/echo)
    ino2=$(stat -c %i /run/echo/sock)
    check restart-stale "app echo hostname mounts s6rc-fdholder s6rc-oneshot-runner syslogd syslogd-log
true true new pid new socket
again from uid 0" "$(active)
$(s6-svstat -o up,ready $svc/echo) $([ "$pid2" != "$pid" ] && echo new pid || echo same pid) $([ "$ino2" != "$ino" ] && echo new socket || echo same inode)
$(client again)"

    # poweroff: s6-linux-init-shutdownd runs rc.shutdown (s6-rc -bDa
    # change): every service down, the oneshots' down scripts through the
    # runner last of all. This check outlives it: SIGTERM ignored, it has
    # the grace time before the final SIGKILL.
    trap '' TERM
    /etc/s6-linux-init/current/bin/poweroff
    # (s6-rc list fails, "Resource busy", while rc.shutdown's s6-rc holds the lock.)
    until_ok 'out=$(s6-rc -a list 2>&1) && [ -z "$out" ]' 300
    check shutdown-rc "nothing active
/tmp not mounted" "$(active | grep . || echo nothing active)
$(grep -q ' /tmp ' /proc/mounts && echo /tmp mounted || echo /tmp not mounted)"
}

# Stage 4 (rc.shutdown.final), its output on the console: every process
# killed, s6-linux-init-umountall done, s6-linux-init-hpr next.
stage4() {
    # Left: PID 1 and this script (and its command substitutions), and the
    # mounts s6-linux-init-umountall keeps (the first proc, sysfs and
    # devtmpfs, and s6-linux-init's /run) besides the initramfs's root.
    procs=$(for p in /proc/[0-9]*; do
        n=${p#/proc/}
        [ -s "$p/cmdline" ] && [ "$n" != 1 ] && [ "$n" != $$ ] && [ "$(cut -d' ' -f4 "$p/stat" 2>/dev/null)" != $$ ] &&
            echo "$n:$(cat "$p/comm" 2>/dev/null)"
    done | tr '\n' ' ')
    check stage4 "processes: none
mounts: / /dev /proc /run /sys" "processes: ${procs:-none}
mounts: $(cut -d' ' -f2 /proc/mounts | sort | tr '\n' ' ' | sed 's/ $//')"
    echo "BOOT: $ARCH end $(uname -r)"
}

case ${1:-} in
run) boot ;;
stage4) stage4 ;;
*) echo "usage: scenarios.sh run|stage4" >&2 && exit 2 ;;
esac
