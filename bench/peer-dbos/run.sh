#!/usr/bin/env bash
# The bench workflow on DBOS Transact 1.1.0-m6 (Java 17): one JVM with an HTTP ingress, its workflow state in
# bench_peer_dbos_sys and its coupons (with the transactional step's outputs) in bench_peer_dbos.
#
#   bench/peer-dbos/run.sh install               build if needed (./mvnw -f bench/peer-dbos/pom.xml package;
#                                                BUILD=1 always)
#   bench/peer-dbos/run.sh start                 install; fresh databases; start the JVM
#   bench/peer-dbos/run.sh stop                  stop it and wait until it is gone
#   bench/peer-dbos/run.sh [N] [RATE] [options]  start, run the load generator against it (bench/run.sh options,
#                                                e.g. --warmup 500 or --find-max), stop
#
# Port (loopback): 18090 (DBOS_PEER_PORT to change). JAVA_OPTS: JVM flags (default -Xmx512m).
# State (logs, pids) lives in bench/.run/peer-dbos (git-ignored).
set -euo pipefail
# shellcheck source=../peers/lib.sh
source "$(dirname "$0")/../peers/lib.sh"
peer_dirs "$0" # HERE, ROOT, STATE, PIDS, LOGS
PORT="${DBOS_PEER_PORT:-18090}"
DB=bench_peer_dbos

install() {
  if [ ! -f "$HERE/target/peer-dbos.jar" ] || [ "${BUILD:-0}" = 1 ]; then
    log "building bench/peer-dbos"
    (cd "$ROOT" && ./mvnw -B -q -f bench/peer-dbos/pom.xml package)
  fi
}

start() {
  install
  stop_pids "$PIDS"
  mkdir -p "$PIDS" "$LOGS"
  fresh_db "$DB" "$ROOT/bench/peers/coupons.sql"
  fresh_db "${DB}_sys"
  log "starting the DBOS peer on 127.0.0.1:$PORT"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags
  PORT="$PORT" DBOS_SYSTEM_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/${DB}_sys" \
  APP_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" PGUSER=postgres \
    nohup java ${JAVA_OPTS:--Xmx512m} -jar "$HERE/target/peer-dbos.jar" >"$LOGS/dbos.log" 2>&1 &
  echo $! >"$PIDS/dbos-jvm.pid"
  WATCH_PID=$! wait_for "the DBOS peer" 90 grep -q "listening" "$LOGS/dbos.log"
  log "DBOS peer up: POST http://127.0.0.1:$PORT/workflows/{id}; log in $LOGS"
}

peer_main dbos "http://127.0.0.1:$PORT/workflows/{id}" "$DB,${DB}_sys" "$@"
