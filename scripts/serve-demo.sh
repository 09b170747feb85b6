#!/usr/bin/env bash
# Serves the demo province with the national systems simulated: starts `motcua sim dvcqg` and
# `motcua sim population` on 127.0.0.1 (unless DVCQG_URL / POPULATION_URL point elsewhere),
# points MotCua at them, and stops them when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/motcua
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
wait_port() {  # waits until something listens on 127.0.0.1:$1 (the simulator prints its URL when ready)
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "simulator on port $1 did not start; see $2" >&2; return 1
}
mkdir -p data
if [ -z "${DVCQG_URL:-}" ]; then
  "$BIN" sim dvcqg --port 8091 --unit 000.00.00.H99 > data/sim-dvcqg.log 2>&1 & pids+=($!)
  wait_port 8091 data/sim-dvcqg.log
  export DVCQG_URL=http://127.0.0.1:8091 DVCQG_USERNAME=motcua DVCQG_PASSWORD=motcua DVCQG_UNIT=000.00.00.H99
  echo "==> DVCQG portal simulator on $DVCQG_URL (log data/sim-dvcqg.log; what it holds: $DVCQG_URL/sim/dump)"
fi
if [ -z "${POPULATION_URL:-}" ]; then
  "$BIN" sim population --port 8092 > data/sim-population.log 2>&1 & pids+=($!)
  wait_port 8092 data/sim-population.log
  export POPULATION_URL=http://127.0.0.1:8092 POPULATION_CLIENT_ID=motcua POPULATION_CLIENT_SECRET=motcua-secret
  echo "==> population database simulator on $POPULATION_URL (try 001190012345)"
fi
echo "==> open http://127.0.0.1:${MOTCUA_HTTP_PORT:-8080} (accounts: README.md)"
"$BIN" serve
