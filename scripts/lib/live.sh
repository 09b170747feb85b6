# What the live scripts (replica-test.sh, deploy-test.sh) share: the motcua binary under test,
# PostgreSQL's own binaries, a temporary folder, free ports, clusters started on loopback.
# Sourced, after `set -euo pipefail`, with the script's arguments: `. scripts/lib/live.sh "$@"`.
# The script then sets `fail` and `cleanup` (the trap) for what it starts.

# Servers started here must not hold the descriptors a caller waits on (a test's output file).
for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true; done
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MOTCUA="$(realpath "${1:-.build/debug/motcua}")"
[ -x "$MOTCUA" ] || { echo "build motcua first (swift build), or pass its path" >&2; exit 2; }
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found: run scripts/ensure-packages.sh test" >&2; exit 2; }

# Exits 2 naming the first tool missing (looked for on PATH and in /usr/sbin).
require_tools() { # tool...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "$tool is missing: run scripts/ensure-packages.sh test" >&2; exit 2; }
  done
}

# A temporary folder PostgreSQL (run as postgres when we are root) may write its logs into.
live_workdir() { # name
  WORK="$(mktemp -d "/tmp/motcua-$1.XXXXXX")"
  chmod 755 "$WORK"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK"; fi
}

as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

# Appends to PORTS a port below the kernel's ephemeral range, free now and not taken before.
PORTS=()
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    [[ " ${PORTS[*]} " == *" $p "* ]] && continue
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { PORTS+=("$p"); return; }
  done
}

step() { echo "==> [${SECONDS} s] $*"; }

# Waits (at most $2 s) until the command $1 succeeds.
wait_for() { local deadline=$((SECONDS + $2)); until eval "$1" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done; }

# A new cluster in $WORK/NAME (trust on loopback, UTF-8), not started.
pg_init() { # name
  install -d -m 700 "$WORK/$1"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK/$1"; fi
  as_pg "$BIN/initdb -D $WORK/$1 -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
}

# Starts the cluster in $WORK/NAME on 127.0.0.1:PORT (fsync off: test data), log in $WORK/NAME.log.
pg_start() { # name, port
  as_pg "$BIN/pg_ctl -D $WORK/$1 -l $WORK/$1.log -w -t 60 -o \"-p $2 -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c fsync=off\" start" >/dev/null
}

# Stops the cluster in $WORK/NAME at once, if it runs.
pg_stop_now() { # name
  as_pg "$BIN/pg_ctl -D $WORK/$1 -m immediate stop" >/dev/null 2>&1 || true
}

# True when code $2 follows code $1 in a unit's daily sequence (or starts the next day's).
code_follows() { # previous, next
  { [ "${2%-*}" = "${1%-*}" ] && [ $((10#${2##*-})) -eq $((10#${1##*-} + 1)) ]; } || { [ "${2%-*}" != "${1%-*}" ] && [ "${2##*-}" = 0001 ]; }
}
