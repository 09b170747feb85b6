#!/usr/bin/env bash
# Fuzzes the public API with schemathesis against its own OpenAPI document: a real `motcua serve`
# (demo data, development PKI, the population simulator) on 127.0.0.1, signed in as a commune
# leader; every operation gets generated valid and invalid input. Fails on any 5xx or any answer
# that does not match the document. Bounded: a fixed seed, 10 examples per operation, 5 minutes.
# Usage: scripts/fuzz-api.sh [path to the motcua binary]   (the test suite runs it; so can you)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/debug/motcua}"
command -v schemathesis >/dev/null || { echo "schemathesis is missing: scripts/ensure-packages.sh test installs it" >&2; exit 2; }
DIR=$(mktemp -d /tmp/motcua-fuzz.XXXXXX)
PORT=$((30000 + RANDOM % 5000)); SIMPORT=$((PORT + 5000))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$DIR"; }
trap cleanup EXIT
# Per-address limits would answer 429 to a fast stream of generated sign-ins; they have their own tests.
export MOTCUA_DATA_DIR="$DIR" MOTCUA_HTTP_PORT="$PORT" MOTCUA_RATE_LIMITS=off
export POPULATION_URL="http://127.0.0.1:$SIMPORT" POPULATION_CLIENT_ID=motcua POPULATION_CLIENT_SECRET=motcua-secret
"$BIN" migrate > "$DIR/setup.log" 2>&1 && "$BIN" demo --dossiers 20 >> "$DIR/setup.log" 2>&1 && "$BIN" pki init >> "$DIR/setup.log" 2>&1 \
  || { cat "$DIR/setup.log"; exit 1; }
"$BIN" sim population --port "$SIMPORT" > "$DIR/sim.log" 2>&1 < /dev/null & pids+=($!)
# The demo accounts sign in with a password only; processing must stay reachable to be fuzzed.
MOTCUA_SECOND_FACTOR=optional "$BIN" serve > "$DIR/serve.log" 2>&1 < /dev/null & pids+=($!)
curl -s --retry 60 --retry-connrefused --retry-delay 1 --retry-max-time 120 "http://127.0.0.1:$PORT/healthz" > /dev/null
curl -s --retry 30 --retry-connrefused --retry-delay 1 --retry-max-time 60 "http://127.0.0.1:$SIMPORT/" > /dev/null || true
token() {
  curl -s -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"demo\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
LEADER=$(token lanhdao.0002003h99); ADMIN=$(token admin)
[ ${#LEADER} -eq 64 ] && [ ${#ADMIN} -eq 64 ] || { echo "sign-in failed: $LEADER $ADMIN"; exit 1; }
fuzz() { # token, extra schemathesis arguments...
  local token=$1; shift
  timeout 300 schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" --no-color \
    -H "Authorization: Bearer $token" --checks not_a_server_error,response_schema_conformance \
    -n 10 --seed 20261122 --request-timeout 30 --max-failures 20 --workers 1 "$@"
}
# Everything as a commune leader; /api/v1/verify takes a raw PDF body, which schemathesis cannot
# generate (its bad input is tested in SignatureAPITests). Then the administrators' routes as one.
fuzz "$LEADER" --exclude-path /api/v1/verify
fuzz "$ADMIN" --include-path-regex '^/api/v1/admin/'
