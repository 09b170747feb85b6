#!/usr/bin/env bash
# The shipped deployment files at work, on loopback:
#   scripts/deploy-test.sh [path/to/motcua]      (default .build/debug/motcua)
#   1. the systemd units pass `systemd-analyze verify`;
#   2. deploy/nginx/motcua.conf, as shipped (only ports, certificate and log paths moved to a
#      temporary folder), passes `nginx -t` and serves two `motcua serve` instances on one
#      PostgreSQL over TLS: plain HTTP is redirected, answers carry HSTS and nginx's request id
#      (the one in its access log), sign-in and receptions go through the proxy;
#   3. one instance is killed (SIGKILL): receptions through the proxy go on without an error,
#      and the dossier codes stay consecutive.
# Everything runs in a temporary folder and is stopped at the end; the last line says
# "deploy test passed" or why it failed. Used by `swift test --filter DeployTests`.
set -euo pipefail
. "$(dirname "$0")/lib/live.sh" "$@"
require_tools curl jq openssl nginx systemd-analyze
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
live_workdir deploy
for _ in 1 2 3 4 5; do free_port; done
PG=${PORTS[0]} A=${PORTS[1]} B=${PORTS[2]} HTTP=${PORTS[3]} HTTPS=${PORTS[4]}
HOST=motcua.sonha.gov.vn   # the shipped server_name; curl is told it is 127.0.0.1
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  pg_stop_now pg
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "FAILED: $*"
  for f in a.log b.log nginx-error.log; do echo "--- $f (last lines)"; tail -15 "$WORK/$f" 2>/dev/null || true; done
  echo "deploy test failed"; exit 1
}

step "1. systemd units: systemd-analyze verify"
for unit in motcua.service motcua-worker.service; do
  # The binary's path is checked: point it at the one under test.
  sed "s#/usr/local/bin/motcua#$MOTCUA#" "deploy/systemd/$unit" > "$WORK/$unit"
  out=$(systemd-analyze verify "$WORK/$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
  [ -z "$out" ] || fail "systemd-analyze verify $unit warns: $out"
done
echo "    motcua.service and motcua-worker.service verified"

step "2. PostgreSQL on $PG, motcua on $A and $B, nginx on $HTTP (http) and $HTTPS (https)"
pg_init pg
pg_start pg "$PG"
"$BIN/psql" -h 127.0.0.1 -p "$PG" -U postgres -qc "CREATE DATABASE motcua" >/dev/null
export MOTCUA_DATA_DIR="$WORK/data" DATABASE_URL="postgres://postgres@127.0.0.1:$PG/motcua" MOTCUA_SECOND_FACTOR=optional
# As docs/OPERATIONS.md says for instances behind nginx.
export MOTCUA_TRUSTED_PROXY=127.0.0.1 MOTCUA_PUBLIC_URL="https://$HOST"
"$MOTCUA" migrate >/dev/null
"$MOTCUA" demo --dossiers 0 >/dev/null
MOTCUA_HTTP_PORT=$A "$MOTCUA" serve >"$WORK/a.log" 2>&1 & PIDS+=($!); PID_A=$!
MOTCUA_HTTP_PORT=$B "$MOTCUA" serve >"$WORK/b.log" 2>&1 & PIDS+=($!)

# A certificate for the shipped server_name, and the shipped site with its ports, certificate
# and log paths moved here; the second upstream line uncommented.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
  -keyout "$WORK/site.key" -out "$WORK/site.pem" 2>/dev/null
sed -e "s#listen 80;#listen 127.0.0.1:$HTTP;#" -e "s#listen 443 ssl#listen 127.0.0.1:$HTTPS ssl#" \
  -e "s#server 127.0.0.1:8080 #server 127.0.0.1:$A #" -e "s%# server 127.0.0.1:8081 %server 127.0.0.1:$B %" \
  -e "s#/etc/ssl/certs/$HOST.pem#$WORK/site.pem#" -e "s#/etc/ssl/private/$HOST.key#$WORK/site.key#" \
  -e "s#/var/log/nginx/motcua.access.log#$WORK/access.log#" deploy/nginx/motcua.conf > "$WORK/site.conf"
grep -q "127.0.0.1:$B" "$WORK/site.conf" || fail "the shipped config's upstream block changed: update this script"
USER_LINE=""; [ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
cat > "$WORK/nginx.conf" <<EOF
$USER_LINE
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $WORK/tmp-body; proxy_temp_path $WORK/tmp-proxy;
  fastcgi_temp_path $WORK/tmp-fcgi; uwsgi_temp_path $WORK/tmp-uwsgi; scgi_temp_path $WORK/tmp-scgi;
  access_log off;
  include $WORK/site.conf;
}
EOF
out=$("$NGINX" -t -c "$WORK/nginx.conf" -p "$WORK" 2>&1) || fail "nginx -t: $out"
echo "    nginx -t: the shipped site config is valid"
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" 2>>"$WORK/nginx-error.log" || fail "nginx did not start"
for port in $A $B; do wait_for "curl -sf http://127.0.0.1:$port/readyz" 60 || fail "motcua on $port is not ready"; done

CURL=(curl -s --resolve "$HOST:$HTTPS:127.0.0.1" --cacert "$WORK/site.pem")
BASE="https://$HOST:$HTTPS"
step "3. through nginx"
LOCATION=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Host: $HOST" "http://127.0.0.1:$HTTP/tra-cuu")
[ "$LOCATION" = "https://$HOST/tra-cuu" ] || fail "plain HTTP is not redirected to https (got '$LOCATION')"
echo "    http://$HOST/tra-cuu → $LOCATION"
HEADERS=$("${CURL[@]}" -D - -o "$WORK/readyz.json" "$BASE/readyz") || fail "https://$HOST/readyz did not answer"
jq -e '.status == "ready"' "$WORK/readyz.json" >/dev/null || fail "not ready through the proxy: $(cat "$WORK/readyz.json")"
grep -qi '^strict-transport-security:' <<<"$HEADERS" || fail "no HSTS header behind TLS"
RID=$(awk -F': ' 'tolower($1) == "x-request-id" {print $2}' <<<"$HEADERS" | tr -d '\r')
[ ${#RID} = 32 ] || fail "no X-Request-Id from nginx (got '$RID')"
wait_for "grep -q 'GET /readyz .* id=$RID' $WORK/access.log" 10 || fail "the access log does not name request $RID"
echo "    /readyz over TLS: ready, HSTS sent, X-Request-Id $RID is the id in nginx's access log"
TOKEN=$("${CURL[@]}" -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"username":"motcua.0002003h99","password":"demo"}' | jq -r .access_token)
[ ${#TOKEN} = 64 ] || fail "sign-in through the proxy failed"
receive() {
  "${CURL[@]}" -f -X POST "$BASE/api/v1/dossiers" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d '{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa"}}' | jq -r .code
}
CODES=()
for i in 1 2 3 4 5 6; do c=$(receive) || true; [ -n "$c" ] && [ "$c" != null ] || fail "reception $i through the proxy failed"; CODES+=("$c"); done
# Both instances served: nginx spreads requests over the upstreams (its log names which).
for port in $A $B; do grep -q "POST /api/v1/dossiers .*upstream=127.0.0.1:$port" "$WORK/access.log" || fail "no reception went to the instance on $port"; done
echo "    signed in and received ${#CODES[@]} dossiers through the proxy, on both instances (${CODES[0]} … ${CODES[5]})"

step "4. instance on $A killed (SIGKILL); receptions go on through the proxy"
{ kill -KILL "$PID_A"; wait "$PID_A"; } 2>/dev/null || true
for i in 1 2 3 4 5 6; do c=$(receive) || true; [ -n "$c" ] && [ "$c" != null ] || fail "reception $i after the kill failed"; CODES+=("$c"); done
for ((i = 1; i < ${#CODES[@]}; i++)); do
  code_follows "${CODES[$((i - 1))]}" "${CODES[$i]}" || fail "codes not consecutive: ${CODES[$((i - 1))]} then ${CODES[$i]}"
done
echo "    6 more received without an error (nginx passed them to the live instance); 12 codes consecutive"
echo "deploy test passed"
