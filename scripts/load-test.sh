#!/usr/bin/env bash
# HTTP load test (a benchmark, not a test): real `motcua serve` processes (release build) on the
# demo province, driven by wrk endpoint by endpoint, at 16 and 64 concurrent clients. Receptions
# run twice: all at one unit (one day's counter row, the worst case) and spread over six units.
#   scripts/load-test.sh sqlite|postgres [instances=1|2] [seconds=10]
# Prints a markdown table (requests/s, p50, p99, errors) to paste into docs/BENCHMARKS.md, with
# /healthz (one SELECT 1) as the baseline measured in the same run. With two instances the
# clients are split between them (no proxy in between). wrk runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite}; N=${2:-1}; SECONDS_EACH=${3:-10}
BIN=.build/release/motcua
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "==> building the release binary"; swift build -c release >/dev/null; }
DIR=$(mktemp -d /tmp/motcua-load.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ "$DB" = postgres ] && [ -n "${DBNAME:-}" ] && psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1; rm -rf "$DIR"; }
trap cleanup EXIT
export MOTCUA_DATA_DIR="$DIR/data" MOTCUA_SECOND_FACTOR=optional MOTCUA_RATE_LIMITS=off
if [ "$DB" = postgres ]; then
  scripts/pg.sh start >/dev/null
  ADMIN_URL=$(scripts/pg.sh url); DBNAME="load_$$"
  psql -q "$ADMIN_URL" -c "CREATE DATABASE $DBNAME" >/dev/null
  export DATABASE_URL="${ADMIN_URL%/*}/$DBNAME"
fi
echo "==> seeding the demo province ($DB): 2000 dossiers"
"$BIN" migrate >/dev/null && "$BIN" demo --dossiers 2000 >/dev/null && "$BIN" pki init >/dev/null
ports=()
for i in $(seq 1 "$N"); do
  port=$((18080 + i)); ports+=("$port")
  MOTCUA_HTTP_PORT=$port "$BIN" serve > "$DIR/serve-$i.log" 2>&1 < /dev/null & pids+=($!)
done
for port in "${ports[@]}"; do curl -s --retry 60 --retry-connrefused --retry-delay 1 --retry-max-time 120 "http://127.0.0.1:$port/healthz" >/dev/null; done
base="http://127.0.0.1:${ports[0]}"
token() { curl -s -X POST "$base/api/v1/auth/token" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"demo\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'; }
export OFFICER_TOKEN=$(token motcua.0002003h99) ADMIN_TOKEN=$(token admin)
# The six communes' window officers, for receptions spread over units (create-spread.lua).
SPREAD=""
for c in 1 2 3 4 5 6; do SPREAD="$SPREAD${SPREAD:+,}000.20.0$c.H99=$(token motcua.000200${c}h99)"; done
export SPREAD
CODE=$(curl -s "$base/api/v1/dossiers?limit=1" -H "authorization: Bearer $OFFICER_TOKEN" | sed 's/.*"code":"\([^"]*\)".*/\1/')
PERIOD=$(date -u +%Y-%m)
# name | path | lua script
endpoints=(
  "baseline: GET /healthz|/healthz|officer.lua"
  "counter reception: POST /api/v1/dossiers|/api/v1/dossiers|create.lua"
  "counter reception, six units: POST /api/v1/dossiers|/api/v1/dossiers|create-spread.lua"
  "workbench list: GET /api/v1/dossiers?limit=20|/api/v1/dossiers?limit=20|officer.lua"
  "dossier page: GET /api/v1/dossiers/{code}|/api/v1/dossiers/$CODE|officer.lua"
  "tracking page: GET /tra-cuu/{code}|/tra-cuu/$CODE|officer.lua"
  "dashboard: GET /api/v1/index|/api/v1/index?unit=000.00.00.H99\&period=$PERIOD|leader.lua"
)
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else { sub(/s$/,"",v); print v*1000 } }'; }
echo
echo "| endpoint | clients | instances | database | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|---|"
for clients in 16 64; do
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name path lua <<< "$e"
    per=$((clients / N)); outs=(); wrks=()
    for port in "${ports[@]}"; do
      out="$DIR/wrk-$port.txt"; outs+=("$out")
      wrk -t1 -c"$per" -d"${SECONDS_EACH}s" --latency -s "scripts/load/$lua" "http://127.0.0.1:$port${path//\\/}" > "$out" 2>&1 & wrks+=($!)
    done
    wait "${wrks[@]}"
    rps=0; p50=0; p99=0; errors=0
    for out in "${outs[@]}"; do
      r=$(awk '/Requests\/sec/ {print $2}' "$out"); rps=$(awk -v a="$rps" -v b="${r:-0}" 'BEGIN{print a+b}')
      a=$(awk '$1=="50%" {print $2}' "$out" | ms); b=$(awk '$1=="99%" {print $2}' "$out" | ms)
      p50=$(awk -v x="$p50" -v y="${a:-0}" 'BEGIN{print (y>x)?y:x}'); p99=$(awk -v x="$p99" -v y="${b:-0}" 'BEGIN{print (y>x)?y:x}')
      n=$(awk '/Non-2xx/ {print $5}' "$out"); s=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out")
      errors=$((errors + ${n:-0} + ${s:-0}))
    done
    printf "| %s | %d | %d | %s | %.0f | %.1f | %.1f | %d |\n" "$name" "$clients" "$N" "$DB" "$rps" "$p50" "$p99" "$errors"
  done
done
echo
echo "==> $(nproc) cores, $(date -u +%F), $DB, $N instance(s), 2000 seeded dossiers plus those created during the run, ${SECONDS_EACH} s per row; wrk on the same machine"
