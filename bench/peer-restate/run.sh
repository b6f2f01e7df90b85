#!/usr/bin/env bash
# The bench workflow on Restate (restate-server 1.7.12, the TypeScript SDK 1.17.2 on Node 22, all from npm, pinned
# by package-lock.json), its coupons in its own database bench_peer_restate.
#
#   bench/peer-restate/run.sh install               npm ci (only when node_modules is missing or older than the lock)
#   bench/peer-restate/run.sh start                 npm ci if needed; fresh database and data dir; start
#                                                   restate-server and the service (service.mjs); register it
#   bench/peer-restate/run.sh stop                  stop both and wait until they are gone
#   bench/peer-restate/run.sh [N] [RATE] [options]  start, run the load generator against it (bench/run.sh
#                                                   options, e.g. --warmup 500 or --find-max), stop
#
# Ports (loopback): ingress 18080, admin 19070, node-to-node 15122, the service 19080 (RESTATE_*_PORT to change).
# State (data, logs, pids) lives in bench/.run/peer-restate (git-ignored).
set -euo pipefail
# shellcheck source=../peers/lib.sh
source "$(dirname "$0")/../peers/lib.sh"
peer_dirs "$0" # HERE, ROOT, STATE, PIDS, LOGS
INGRESS_PORT="${RESTATE_INGRESS_PORT:-18080}"
ADMIN_PORT="${RESTATE_ADMIN_PORT:-19070}"
FABRIC_PORT="${RESTATE_FABRIC_PORT:-15122}"
SERVICE_PORT="${RESTATE_SERVICE_PORT:-19080}"
DB=bench_peer_restate

install() {
  if [ ! -x "$HERE/node_modules/node/bin/node" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    log "installing Restate server, SDK and Node 22 from npm (package-lock.json)"
    # SCARF_ANALYTICS: the server package's install-time analytics stay off (no network but the registry here)
    (cd "$HERE" && SCARF_ANALYTICS=false npm ci --no-audit --no-fund --loglevel=error)
  fi
}

start() {
  install
  stop_pids "$PIDS"
  mkdir -p "$PIDS" "$LOGS"
  rm -rf "$STATE/data"
  fresh_db "$DB" "$ROOT/bench/peers/coupons.sql"
  local arch
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  log "starting restate-server (ingress 127.0.0.1:$INGRESS_PORT, admin :$ADMIN_PORT)"
  RESTATE_LISTEN_MODE=tcp RESTATE_DISABLE_TELEMETRY=true \
  RESTATE_BIND_ADDRESS="127.0.0.1:$FABRIC_PORT" RESTATE_ADVERTISED_ADDRESS="http://127.0.0.1:$FABRIC_PORT/" \
  RESTATE_INGRESS__BIND_ADDRESS="127.0.0.1:$INGRESS_PORT" RESTATE_ADMIN__BIND_ADDRESS="127.0.0.1:$ADMIN_PORT" \
    nohup "$HERE/node_modules/@restatedev/restate-server-linux-$arch/bin/restate-server" \
      --base-dir "$STATE/data" --node-name bench --no-logo >"$LOGS/restate-server.log" 2>&1 &
  echo $! >"$PIDS/restate-server.pid"
  WATCH_PID=$! wait_for restate-server 60 curl -sf "http://127.0.0.1:$ADMIN_PORT/health"
  log "starting the service on Node $("$HERE/node_modules/node/bin/node" --version) (127.0.0.1:$SERVICE_PORT)"
  PORT="$SERVICE_PORT" PGDATABASE="$DB" nohup "$HERE/node_modules/node/bin/node" "$HERE/service.mjs" \
    >"$LOGS/node.log" 2>&1 &
  echo $! >"$PIDS/node.pid"
  WATCH_PID=$! wait_for "the service" 30 grep -q "listening" "$LOGS/node.log"
  curl -sf -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$ADMIN_PORT/deployments" \
    -d "{\"uri\": \"http://127.0.0.1:$SERVICE_PORT\"}" >"$LOGS/register.json"
  wait_for "the ingress" 30 curl -sf "http://127.0.0.1:$INGRESS_PORT/restate/health"
  log "Restate peer up: POST http://127.0.0.1:$INGRESS_PORT/Bench/run/send; logs in $LOGS"
}

peer_main restate "http://127.0.0.1:$INGRESS_PORT/Bench/run/send" "$DB" "$@"
