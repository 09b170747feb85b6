#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests: scripts/pg.sh start|stop|url
# Data lives in .pgtest/ (git-ignored). Runs the server as the postgres user when started as root.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT="${MOTCUA_PGPORT:-54329}"
PGDATA="$PWD/.pgtest/data"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found: run scripts/ensure-packages.sh test" >&2; exit 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "${1:-}" in
  start)
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PWD/.pgtest"
      rm -rf "$PGDATA"
      install -d -m 700 "$PGDATA"
      [ "$(id -u)" -eq 0 ] && chown -R postgres "$PWD/.pgtest"
      as_pg "$BIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if as_pg "$BIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1; then
      echo "==> PostgreSQL already running on 127.0.0.1:$PGPORT"
    else
      as_pg "$BIN/pg_ctl -D '$PGDATA' -l '$PGDATA/log' -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=/tmp -c fsync=off -c max_connections=200\" start" >/dev/null
      echo "==> PostgreSQL started on 127.0.0.1:$PGPORT"
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='motcua_test'" | grep -q 1 \
      || "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE motcua_test" >/dev/null
    ;;
  stop)
    as_pg "$BIN/pg_ctl -D '$PGDATA' -m fast stop" >/dev/null 2>&1 && echo "==> PostgreSQL stopped" || true
    ;;
  url)
    echo "postgres://postgres@127.0.0.1:$PGPORT/motcua_test"
    ;;
  *) echo "usage: scripts/pg.sh start|stop|url" >&2; exit 2 ;;
esac
