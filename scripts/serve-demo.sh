#!/usr/bin/env bash
# Serves the demo province with the national systems simulated: starts `motcua sim dvcqg`,
# `motcua sim population` and two `motcua sim oidc` (single sign-on, e-ID) on 127.0.0.1 (unless DVCQG_URL / POPULATION_URL point elsewhere),
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
# Sign-in providers: officials' single sign-on portal and the citizens' e-ID (VNeID).
public_url=${MOTCUA_PUBLIC_URL:-http://127.0.0.1:${MOTCUA_HTTP_PORT:-8080}}
if [ -z "${MOTCUA_SSO_ISSUER:-}" ]; then
  "$BIN" sim oidc --realm officials --port 8093 --motcua-url "$public_url" > data/sim-sso.log 2>&1 & pids+=($!)
  wait_port 8093 data/sim-sso.log
  export MOTCUA_SSO_ISSUER=http://127.0.0.1:8093 MOTCUA_SSO_CLIENT_ID=motcua MOTCUA_SSO_CLIENT_SECRET=motcua-secret
  echo "==> officials' single sign-on simulator on $MOTCUA_SSO_ISSUER (the demo officials, password demo; an account's first single sign-on asks for its MotCua password once: demo)"
fi
if [ -z "${MOTCUA_EID_ISSUER:-}" ]; then
  "$BIN" sim oidc --realm citizens --port 8094 --motcua-url "$public_url" > data/sim-eid.log 2>&1 & pids+=($!)
  wait_port 8094 data/sim-eid.log
  export MOTCUA_EID_ISSUER=http://127.0.0.1:8094 MOTCUA_EID_CLIENT_ID=motcua MOTCUA_EID_CLIENT_SECRET=motcua-secret
  echo "==> e-ID (VNeID) simulator on $MOTCUA_EID_ISSUER (sign in as 001190012345, password demo)"
fi
# The demo accounts have no authenticator app: processing with a password alone is allowed here
# (production default: required; docs/SECURITY.md). Single sign-on signs officials in at level 2.
export MOTCUA_SECOND_FACTOR=${MOTCUA_SECOND_FACTOR:-optional}
echo "==> second factor for processing: $MOTCUA_SECOND_FACTOR (demo; the default is required)"
echo "==> open http://127.0.0.1:${MOTCUA_HTTP_PORT:-8080} (accounts: README.md)"
"$BIN" serve
