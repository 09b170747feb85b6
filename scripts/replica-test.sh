#!/usr/bin/env bash
# MotCua on a PostgreSQL primary with a hot standby (streaming replication), on loopback:
#   scripts/replica-test.sh [path/to/motcua]      (default .build/debug/motcua)
# Starts a primary and a standby made with `pg_basebackup -R`, serves MotCua with DATABASE_URL
# (primary) and DATABASE_READ_URL (standby), and shows, through the HTTP API:
#   1. heavy reads (the workbench list) are served by the standby: with the standby's replay
#      paused, a dossier just received is missing from another official's list, yet the official
#      who received it sees it at once (read-your-writes goes to the primary);
#   2. once replay resumes the standby has it, and /metrics counts reads served by it;
#   3. writes survive a standby restart: with the standby stopped, receptions go on and every
#      list is whole (reads fall back to the primary); started again, it catches up, serves the
#      reads again and holds every dossier;
#   4. failover: with the primary stopped the standby is promoted (pg_ctl promote), `motcua audit
#      verify` passes on it, and MotCua served from it keeps every dossier, the officers'
#      sessions and the dossier-code sequence.
# Everything runs in a temporary folder and is stopped at the end; the last line says
# "replica test passed" or why it failed. Used by `swift test --filter ReplicaTests`.
set -euo pipefail
. "$(dirname "$0")/lib/live.sh" "$@"
require_tools curl jq
live_workdir replica
free_port; free_port; free_port
P1=${PORTS[0]} P2=${PORTS[1]} P3=${PORTS[2]}
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  pg_stop_now standby
  pg_stop_now primary
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAILED: $*"; echo "--- motcua serve (last lines)"; tail -20 "$WORK/serve.log" 2>/dev/null || true; echo "replica test failed"; exit 1; }

step "primary on 127.0.0.1:$P1, standby on $P2, motcua on $P3 (in $WORK)"
pg_init primary
pg_start primary "$P1"
"$BIN/psql" -h 127.0.0.1 -p "$P1" -U postgres -qc "CREATE DATABASE motcua" >/dev/null
PRIMARY="postgres://postgres@127.0.0.1:$P1/motcua"
STANDBY="postgres://postgres@127.0.0.1:$P2/motcua"
export MOTCUA_DATA_DIR="$WORK/data" DATABASE_URL="$PRIMARY" MOTCUA_SECOND_FACTOR=optional MOTCUA_HTTP_PORT="$P3"
"$MOTCUA" migrate >/dev/null
"$MOTCUA" demo --dossiers 0 >/dev/null

step "standby: pg_basebackup -R (streaming replication from the primary)"
install -d -m 700 "$WORK/standby"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/standby"
as_pg "$BIN/pg_basebackup -h 127.0.0.1 -p $P1 -U postgres -D $WORK/standby -R -X stream -c fast" >/dev/null
pg_start standby "$P2"
[ "$("$BIN/psql" "$STANDBY" -tAc 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"

DATABASE_READ_URL="$STANDBY" "$MOTCUA" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
BASE="http://127.0.0.1:$P3"
wait_for "curl -sf $BASE/readyz | jq -e '.standby == \"up\"'" 60 || fail "motcua did not report the standby up: $(curl -s $BASE/readyz)"
token() { curl -sf -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"demo\"}" | jq -r .access_token; }
WRITER=$(token motcua.0002003h99)   # the commune's one-stop officer
READER=$(token lanhdao.0002003h99)  # the commune's leader, reading the same unit's list
[ ${#WRITER} = 64 ] && [ ${#READER} = 64 ] || fail "sign-in failed"
receive() {
  curl -sf -X POST "$BASE/api/v1/dossiers" -H "authorization: Bearer $WRITER" -H 'content-type: application/json' \
    -d '{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa"}}' | jq -r .code
}
lists() { curl -sf "$BASE/api/v1/dossiers?limit=200" -H "authorization: Bearer $1" | jq -e --arg c "$2" 'any(.items[]; .code == $c)' >/dev/null; }
standby_reads() { curl -sf "$BASE/metrics" -H "authorization: Bearer $READER_ADMIN" | awk -F' ' '/^motcua_heavy_reads\{served_by="standby"\}/ {print int($2)}'; }
READER_ADMIN=$(token admin)

step "1. replay paused on the standby; a dossier received"
"$BIN/psql" "$STANDBY" -qtAc 'SELECT pg_wal_replay_pause()' >/dev/null
CODE=$(receive) || true
[ -n "$CODE" ] && [ "$CODE" != null ] || fail "the reception failed"
lists "$WRITER" "$CODE" || fail "the officer who received $CODE does not see it (read-your-writes)"
echo "    the officer who received $CODE sees it at once (their reads wait for the standby or go to the primary)"
lists "$READER" "$CODE" && fail "the leader's list has $CODE while the standby's replay is paused: not served by the standby"
echo "    the leader's list, served by the paused standby, does not have it yet"

step "2. replay resumed"
"$BIN/psql" "$STANDBY" -qtAc 'SELECT pg_wal_replay_resume()' >/dev/null
wait_for "lists $READER $CODE" 30 || fail "the standby never caught up with $CODE"
N=$(standby_reads)
[ "${N:-0}" -gt 0 ] || fail "/metrics counts no read served by the standby"
echo "    the leader's list has it; /metrics: $N heavy reads served by the standby"

step "3. standby stopped; receptions go on"
as_pg "$BIN/pg_ctl -D $WORK/standby -m fast stop" >/dev/null
CODES=()
for i in 1 2 3 4 5; do c=$(receive) || true; [ -n "$c" ] && [ "$c" != null ] || fail "reception $i failed with the standby down"; CODES+=("$c"); done
for c in "${CODES[@]}"; do lists "$READER" "$c" || fail "$c missing from the leader's list with the standby down"; done
curl -sf "$BASE/readyz" | jq -e '.status == "ready"' >/dev/null || fail "the instance is not ready with the standby down"
echo "    5 dossiers received, every list whole (from the primary); /readyz: $(curl -s $BASE/readyz | jq -c .)"

step "4. standby started again"
pg_start standby "$P2"
wait_for "curl -sf $BASE/readyz | jq -e '.standby == \"up\"'" 60 || fail "motcua did not see the standby again: $(curl -s $BASE/readyz)"
BEFORE=$(standby_reads)
for c in "${CODES[@]}"; do wait_for "lists $READER $c" 30 || fail "$c missing after the standby's restart"; done
AFTER=$(standby_reads)
[ "$AFTER" -gt "$BEFORE" ] || fail "reads did not go back to the standby ($BEFORE → $AFTER)"
ON_PRIMARY=$("$BIN/psql" "$PRIMARY" -tAc 'SELECT COUNT(*) FROM dossiers')
wait_for "[ \"\$($BIN/psql $STANDBY -tAc 'SELECT COUNT(*) FROM dossiers')\" = $ON_PRIMARY ]" 30 || fail "the standby does not hold the primary's $ON_PRIMARY dossiers"
echo "    the standby caught up: $ON_PRIMARY dossiers on both; reads served by it again ($BEFORE → $AFTER)"

step "5. failover: the primary is lost, the standby promoted, MotCua pointed at it"
LAST="${CODES[4]}"
kill "$SERVE_PID" && wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=""
pg_stop_now primary
as_pg "$BIN/pg_ctl -D $WORK/standby -w -t 60 promote" >/dev/null || fail "the standby was not promoted"
[ "$("$BIN/psql" "$STANDBY" -tAc 'SELECT pg_is_in_recovery()')" = f ] || fail "the promoted standby is still in recovery"
DATABASE_URL="$STANDBY" "$MOTCUA" audit verify >"$WORK/verify.log" 2>&1 || { cat "$WORK/verify.log"; fail "motcua audit verify failed on the promoted standby"; }
DATABASE_URL="$STANDBY" "$MOTCUA" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
wait_for "curl -sf $BASE/readyz | jq -e '.status == \"ready\"'" 60 || fail "motcua is not ready on the promoted standby"
[ "$("$BIN/psql" "$STANDBY" -tAc 'SELECT COUNT(*) FROM dossiers')" = "$ON_PRIMARY" ] || fail "the promoted standby lost dossiers"
NEXT=$(receive) || true   # the officer's session lives in the database: it survived the failover
[ -n "$NEXT" ] && [ "$NEXT" != null ] || fail "reception failed after the failover"
code_follows "$LAST" "$NEXT" || fail "the code after $LAST is $NEXT, not the next one"
lists "$READER" "$NEXT" || fail "$NEXT missing from the leader's list after the failover"
echo "    audit verify passed on the promoted standby; $ON_PRIMARY dossiers kept; sessions kept; the next code is $NEXT (after $LAST)"
echo "replica test passed"
