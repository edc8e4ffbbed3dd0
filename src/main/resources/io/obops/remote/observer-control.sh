# Inspects, stops or starts one OceanBase observer on this host (reference/oceanbase-stop.md, §3).
# Run by io.obops.remote.SshObserverProcessControl, once per command, as
#   /bin/sh -c "<this script>" obops-observer MODE HOME WANT_LEN WANT ADDRS MYSQL_PORT MYSQL_HEX
#                                    RPC_PORT RPC_HEX SIGNAL GRACEFUL_MS RELEASE_MS POLL_MS START_MS
# or, kept running on a pooled connection, as
#   /bin/sh -c "<this script>" obops-observer serve
# which prints "obops-ready", then for each line "NONCE MODE HOME ..." (the same arguments, each
# single-quoted) on standard input prints "obops-begin NONCE", the command's output, and
# "obops-end NONCE STATUS"; each command runs in a subshell with standard input from /dev/null. A
# line with a nonce alone is answered at once (the caller's check that the shell still answers).
# Every argument arrives single-quoted and is only ever expanded inside double quotes.
#   MODE     inspect (read-only: pid file, process, uptime, ports) | stop | start
#   START_MS how long a start waits for the launched observer to be alive and listening
#   HOME     the server's home_path; the observer is HOME/bin/observer, its pid file HOME/run/observer.pid
#   WANT     "HOME/bin/observer" and a NUL as GNU od -An -v -tx1 prints it (WANT_LEN bytes), its
#            line breaks as spaces: the start of /proc/PID/cmdline of this observer, compared with
#            a single od and no other fork
#   ADDRS    /proc/net/tcp{,6} local addresses that count for this server (wildcards, its own ip)
#   SIGNAL   kill (SIGKILL at once) | graceful (SIGTERM, SIGKILL after GRACEFUL_MS)
# Lines starting with "obops-" are for the caller and never hold a path; all others are the log.
# Only a live, non-zombie pid whose argv[0] is HOME/bin/observer is ever signalled.
# Forks are few on purpose (od, awk, rm, and timeout with tail only while waiting): on a host
# stopping many observers, or in the sandbox where hundreds share two cores, each costs
# milliseconds; served commands also spare the SSH session and the shell's start.
set -u
exec 2>&1

# Milliseconds since boot, in $now, without forking (10 ms resolution).
now_ms() {
  read -r up _ </proc/uptime
  s=${up%.*} c=${up#*.}
  c=${c#0}
  now=$((s * 1000 + c * 10))
}

# Sleeps $1 milliseconds.
nap() {
  f=$(($1 % 1000 + 1000))
  sleep "$(($1 / 1000)).${f#1}"
}

# True when pid $1 exists and is not a zombie.
alive() {
  [ -r "/proc/$1/stat" ] || return 1
  st=
  IFS= read -r st 2>/dev/null </proc/"$1"/stat || [ -n "$st" ] || return 1
  st=${st##*) }
  st=${st%% *}
  case $st in Z | X | x | '') return 1 ;; esac
  return 0
}

cmdline_hex() {
  od -An -v -tx1 -N 4096 "/proc/$1/cmdline" 2>/dev/null | tr -d ' \n'
}

# True when pid $1 runs this server's observer: argv[0] is exactly HOME/bin/observer.
# WANT may come with od's line breaks or with spaces in their place (a served request is one line):
# both sides are compared with every line break as a space.
is_observer() {
  flatten "$(od -An -v -tx1 -N "$want_len" "/proc/$1/cmdline" 2>/dev/null)"
  seen=$flat
  flatten "$want"
  [ "$seen" = "$flat" ]
}

nl='
'
# Sets flat to $1 with every line break replaced by a space, without forking.
flatten() {
  flat=$1
  while :; do
    case $flat in
    *"$nl"*) flat="${flat%%"$nl"*} ${flat#*"$nl"}" ;;
    *) return 0 ;;
    esac
  done
}

# Sets held to the hex ports among $1 (a|b alternatives) that a socket listens on at a wildcard
# address or this server's address, each followed by a space. The kernel lists every listening
# socket first in /proc/net/tcp and tcp6 (before Linux 4.4 each with its SYN_RECV requests, state
# 03), then the connections, which on a busy host are thousands of lines and most of the cost of a
# read. So a single awk reads both tables, each only as far as its listeners (nextfile), and the
# kernel never formats the rest. Without awk, one sed per table and port stops at the first listener
# that matches (exit 9) or at the first line past the listeners (exit 0); a sed that fails otherwise
# (no -E, no exit code on q) leaves the answer to a grep of the whole table.
listening() {
  held=
  tables=
  for t in /proc/net/tcp /proc/net/tcp6; do [ -r "$t" ] && tables="$tables $t"; done
  [ -n "$tables" ] || return 0
  if [ "$awk_ok" = yes ]; then
    # shellcheck disable=SC2086 # $tables: two fixed paths
    if held=$(awk -v ports="^($1)\$" -v addrs="^($addrs)\$" '
FNR == 1 { next }
$4 != "0A" && $4 != "03" { nextfile }
$4 == "0A" {
  split($2, a, ":")
  if (a[1] ~ addrs && a[2] ~ ports && !(a[2] in seen)) { seen[a[2]] = 1; printf "%s ", a[2] }
}' $tables 2>/dev/null); then
      return 0
    fi
    awk_ok=no
    held=
  fi
  rest=$1
  while [ -n "$rest" ]; do
    lp=${rest%%|*}
    [ "$lp" = "$rest" ] && rest= || rest=${rest#*|}
    for t in $tables; do
      sed -nE "1d
/^ *[0-9]+: ($addrs):($lp) [0-9A-F]+:[0-9A-F]{4} 0A /q9
/^ *[0-9]+: [0-9A-F]+:[0-9A-F]{4} [0-9A-F]+:[0-9A-F]{4} (0A|03) /!q" "$t" 2>/dev/null
      case $? in
      0) continue ;;
      9) ;;
      *) grep -qE "^ *[0-9]+: ($addrs):($lp) [0-9A-F]+:[0-9A-F]{4} 0A " "$t" 2>/dev/null || continue ;;
      esac
      held="$held$lp "
      break
    done
  done
}
awk_ok=yes
command -v awk >/dev/null 2>&1 || awk_ok=no

# True when a socket listens on port hex $1 (or alternatives, a|b); see listening.
port_held() {
  listening "$1"
  [ -n "$held" ]
}

# True when both the mysql and the rpc port are listened on (one listening call).
both_held() {
  listening "$mysql_hex|$rpc_hex"
  among_held "$mysql_hex" && among_held "$rpc_hex"
}

# True when port hex $1 is among those the last listening call found held.
among_held() {
  case " $held" in *" $1 "*) return 0 ;; esac
  return 1
}

# Waits while pid $1 is alive, until $2 (milliseconds since boot, see now_ms). Where GNU timeout
# and tail are found, one tail --pid watches the pid for up to 2 s at a time (two processes instead
# of a sleep per poll, and an exit is seen within 20 ms); otherwise, or when they fail, it naps
# 10 ms doubling up to POLL_MS. A zombie counts as gone (alive), which tail would not see: hence
# the 2 s slices.
wait_gone() {
  w=10
  while alive "$1"; do
    now_ms
    [ "$now" -lt "$2" ] || return 0
    left=$(($2 - now))
    if [ "$tail_ok" = yes ]; then
      [ "$left" -le 2000 ] || left=2000
      f=$((left % 1000 + 1000))
      timeout "$((left / 1000)).${f#1}" tail --pid="$1" -s 0.02 -f /dev/null >/dev/null 2>&1
      case $? in 0 | 124) continue ;; esac
      tail_ok=no
    fi
    [ "$w" -le "$left" ] || w=$left
    nap "$w"
    [ "$w" -ge "$poll_ms" ] || w=$((w * 2))
    [ "$w" -le "$poll_ms" ] || w=$poll_ms
  done
}
tail_ok=yes
command -v timeout >/dev/null 2>&1 || tail_ok=no

# Returns once pid $1 is gone, or after a short spin: SIGKILL usually takes well under a millisecond,
# and spinning on a builtin read is far cheaper than forking sleep.
spin_until_gone() {
  n=0
  while [ $n -lt 300 ] && alive "$1"; do n=$((n + 1)); done
}

# Sets pid and state: absent (no pid file), garbage (no pid in it), dead (stale pid file),
# running (this server's observer) or foreign (a live process that is not this observer).
classify() {
  pid=0
  p=
  state=absent
  [ -e "$pid_file" ] || return 0
  IFS= read -r p 2>/dev/null <"$pid_file" || :
  case $p in '' | *[!0-9]*)
    state=garbage
    return 0
    ;;
  esac
  if [ ${#p} -gt 10 ]; then
    state=garbage
    return 0
  fi
  pid=$p
  if ! alive "$pid"; then
    state=dead
  elif is_observer "$pid"; then
    state=running
  else
    state=foreign
  fi
}

describe() {
  case $state in
  absent) echo "no pid file $pid_file: observer is not running" ;;
  garbage) echo "pid file $pid_file does not hold a pid" ;;
  dead) echo "pid file names pid $pid, which is not alive: observer is not running (stale pid file)" ;;
  running) echo "observer is running as pid $pid" ;;
  foreign)
    echo "pid file names pid $pid, which is alive but is not this server's observer"
    echo "obops-foreign-cmdline $(cmdline_hex "$pid" | cut -c1-512)"
    ;;
  esac
}


# Sets up_s to how long pid $1 has run, in whole seconds (-1 when it cannot be told), without
# forking: its start time (field 22 of /proc/PID/stat, in USER_HZ ticks, 100 on Linux) against
# /proc/uptime.
process_uptime() {
  up_s=-1
  st=
  IFS= read -r st 2>/dev/null </proc/"$1"/stat || [ -n "$st" ] || return 0
  set -- ${st##*) }
  [ $# -ge 20 ] || return 0
  shift 19
  case $1 in '' | *[!0-9]*) return 0 ;; esac
  read -r up _ </proc/uptime
  up_s=$((${up%.*} - $1 / 100))
}

log_tail() {
  if [ -r "$home/log/observer.log" ]; then
    tail -n 15 "$home/log/observer.log" 2>/dev/null | while IFS= read -r line; do
      echo "obops-log $line"
    done
  fi
}

# One command: MODE and its arguments, as above.
obops_main() {
  mode=$1 home=$2 want_len=$3 want=$4 addrs=$5 mysql_port=$6 mysql_hex=$7 rpc_port=$8 rpc_hex=$9
  signal=${10} graceful_ms=${11} release_ms=${12} poll_ms=${13} start_ms=${14}
  pid_file=$home/run/observer.pid

  if [ ! -d "$home" ]; then
    echo "home_path $home is not a directory on this host"
    echo "obops-error no-home"
    exit 1
  fi
  classify
  describe

  if [ "$mode" = inspect ]; then
    if [ "$state" = running ]; then
      process_uptime "$pid"
      echo "obops-uptime $up_s"
    fi
    listening "$mysql_hex|$rpc_hex"
    if among_held "$mysql_hex"; then echo "obops-port $mysql_port held"; else echo "obops-port $mysql_port free"; fi
    if among_held "$rpc_hex"; then echo "obops-port $rpc_port held"; else echo "obops-port $rpc_port free"; fi
    echo "obops-state $state $pid"
    exit 0
  fi

  # Start, as obd does (plugins/oceanbase/*/start_pre.py, start.py): a verified running observer is
  # left alone; otherwise cd HOME; HOME/bin/observer -p MYSQL_PORT with LD_LIBRARY_PATH=HOME/lib, the
  # observer reading its saved parameters from HOME/etc/observer.config.bin. Then wait until the
  # observer its pid file names is alive and both ports listen.

  if [ "$mode" = start ]; then
    now_ms
    t0=$now
    if [ "$state" = running ] && both_held; then
      echo "observer pid $pid already runs and listens on $mysql_port and $rpc_port: nothing to start"
      echo "obops-result already-running $pid 0"
      exit 0
    fi
    if [ "$state" != running ]; then
      case $state in foreign | garbage)
        if port_held "$mysql_hex|$rpc_hex"; then
          echo "ports $mysql_port/$rpc_port are in use, so an observer may be running without a correct pid file"
          echo "obops-error untrusted-pid-file $state $pid"
          exit 1
        fi
        ;;
      esac
      for port_hex in "$mysql_port:$mysql_hex" "$rpc_port:$rpc_hex"; do
        if port_held "${port_hex#*:}"; then
          echo "port ${port_hex%%:*} is in use by a process that is not this server's observer"
          echo "obops-error port-held ${port_hex%%:*}"
          exit 1
        fi
      done
      if [ ! -f "$home/bin/observer" ]; then
        echo "obops-error no-binary"
        exit 1
      fi
      if [ ! -x "$home/bin/observer" ]; then
        echo "obops-error not-executable"
        exit 1
      fi
      if [ ! -f "$home/etc/observer.config.bin" ]; then
        echo "obops-error no-config"
        exit 1
      fi
      if [ "$state" != absent ]; then
        rm -f "$pid_file" && echo "removed the stale pid file $pid_file"
      fi
      [ -d "$home/log" ] || mkdir -p "$home/log"
      echo "cd $home; LD_LIBRARY_PATH=$home/lib: $home/bin/observer -p $mysql_port"
      (cd "$home" && LD_LIBRARY_PATH="$home/lib:${LD_LIBRARY_PATH:-}" exec "$home/bin/observer" -p "$mysql_port") \
        >"$home/log/obops-start.out" 2>&1 </dev/null
      rc=$?
      while IFS= read -r line; do echo "observer: $line"; done <"$home/log/obops-start.out"
      if [ $rc -ne 0 ]; then
        log_tail
        echo "obops-error exited-at-once $rc"
        exit 1
      fi
    fi
    now_ms
    deadline=$((now + start_ms))
    wait_ms=10
    while :; do
      classify
      if [ "$state" = running ] && both_held; then
        break
      fi
      if [ "$state" = dead ]; then
        echo "observer pid $pid exited while starting"
        log_tail
        echo "obops-error exited $pid"
        exit 1
      fi
      now_ms
      if [ "$now" -ge "$deadline" ]; then
        log_tail
        if [ "$state" = running ]; then
          echo "obops-error not-listening $pid"
        else
          echo "obops-error no-process $state"
        fi
        exit 1
      fi
      nap "$wait_ms"
      [ "$wait_ms" -ge "$poll_ms" ] || wait_ms=$((wait_ms * 2))
      [ "$wait_ms" -le "$poll_ms" ] || wait_ms=$poll_ms
    done
    now_ms
    echo "observer pid $pid is alive and listens on $mysql_port and $rpc_port after $((now - t0)) ms"
    echo "obops-result started $pid $((now - t0))"
    exit 0
  fi

  now_ms
  t0=$now
  signalled=none
  case $state in
  running)
    if [ "$signal" = graceful ]; then
      if ! kill -TERM "$pid" 2>/dev/null && alive "$pid"; then
        echo "obops-error kill-failed $pid"
        exit 1
      fi
      signalled=SIGTERM
      echo "sent SIGTERM to observer pid $pid; it has $graceful_ms ms to exit"
      wait_gone "$pid" $((t0 + graceful_ms))
      if alive "$pid" && is_observer "$pid"; then
        if ! kill -KILL "$pid" 2>/dev/null && alive "$pid"; then
          echo "obops-error kill-failed $pid"
          exit 1
        fi
        signalled=SIGTERM,SIGKILL
        echo "observer pid $pid was still running $graceful_ms ms after SIGTERM; sent SIGKILL"
        spin_until_gone "$pid"
      fi
    else
      if ! kill -KILL "$pid" 2>/dev/null && alive "$pid"; then
        echo "obops-error kill-failed $pid"
        exit 1
      fi
      signalled=SIGKILL
      echo "sent SIGKILL to observer pid $pid"
      spin_until_gone "$pid"
    fi
    ;;
  foreign | garbage)
    if port_held "$mysql_hex|$rpc_hex"; then
      echo "ports $mysql_port/$rpc_port are in use, so an observer may be running without a correct pid file; nothing was signalled"
      echo "obops-error untrusted-pid-file $state $pid"
      exit 1
    fi
    echo "mysql_port $mysql_port and rpc_port $rpc_port are free, so no observer runs: the pid file is stale and nothing was signalled"
    ;;
  esac

  # Wait until the observer is gone and both ports are released.
  now_ms
  deadline=$((now + release_ms))
  wait_ms=10
  while :; do
    if [ "$state" = running ] && alive "$pid"; then
      :
    elif port_held "$mysql_hex|$rpc_hex"; then
      :
    else
      break
    fi
    now_ms
    if [ "$now" -ge "$deadline" ]; then
      if [ "$state" = running ] && alive "$pid"; then
        echo "obops-error still-alive $pid"
        exit 1
      fi
      listening "$mysql_hex|$rpc_hex"
      if among_held "$mysql_hex"; then
        echo "obops-error port-not-released $mysql_port"
        exit 1
      fi
      if among_held "$rpc_hex"; then
        echo "obops-error port-not-released $rpc_port"
        exit 1
      fi
      break
    fi
    nap "$wait_ms"
    [ "$wait_ms" -ge "$poll_ms" ] || wait_ms=$((wait_ms * 2))
    [ "$wait_ms" -le "$poll_ms" ] || wait_ms=$poll_ms
  done
  now_ms
  released=$((now - t0))
  [ "$state" = absent ] || echo "process gone and ports $mysql_port/$rpc_port released after $released ms"

  # Remove the pid file, unless a new observer has written its own pid meanwhile.
  if [ -e "$pid_file" ]; then
    cur=
    IFS= read -r cur 2>/dev/null <"$pid_file" || :
    case $state in running | dead) expected=$pid ;; *) expected=$p ;; esac
    if [ "$cur" = "$expected" ]; then
      if ! rm -f "$pid_file"; then
        echo "obops-error pid-file-not-removed"
        exit 1
      fi
      echo "removed pid file $pid_file"
    else
      echo "pid file $pid_file now names pid $cur, not $expected: left in place"
    fi
  fi

  if [ "$signalled" = none ]; then
    echo "obops-result already-stopped 0 none $released"
  else
    echo "obops-result stopped $pid $signalled $released"
  fi
}

if [ "${1:-}" = serve ]; then
  echo "obops-ready"
  while IFS= read -r request; do
    eval "set -- $request"
    nonce=$1
    shift
    echo "obops-begin $nonce"
    if [ $# -eq 0 ]; then
      echo "obops-end $nonce 0" # a check that this shell still answers
      continue
    fi
    (obops_main "$@") </dev/null
    echo "obops-end $nonce $?"
  done
  exit 0
fi
obops_main "$@"
