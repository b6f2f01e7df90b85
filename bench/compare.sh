#!/usr/bin/env bash
# This project against its two peers, back to back on this machine, each warmed the same way, one table:
#
#   bench/compare.sh N RATE [bench options]     e.g. bench/compare.sh 2000 200, or bench/compare.sh 1 1 --find-max
#
# 1. builds the load generator and bench/peer-dbos and installs bench/peer-restate first (deploy/local/run.sh
#    packages the services itself if they are not yet), so that no build competes with a measurement;
# 2. this project: deploy/local/run.sh --detach (HTTP_ALLOWED_HOSTS=127.0.0.1 for the sink), bench/run.sh, then
#    deploy/local/run.sh stop; 3. Restate: bench/peer-restate/run.sh; 4. DBOS: bench/peer-dbos/run.sh — each with
#    the same N, RATE and options (a warm-up phase, not measured, comes first: --warmup, see bench/run.sh --help);
# 5. prints the table and writes bench/target/compare/compare.{json,txt,png}; each system's own report is in
#    bench/target/compare/<system>/bench-report.{json,html,png}.
# Exits non-zero when any system's run failed (an instance not completed, a coupon missing or doubled).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
# shellcheck source=peers/lib.sh
source bench/peers/lib.sh
if [ $# -lt 2 ]; then echo "usage: bench/compare.sh N RATE [bench options]" >&2; exit 2; fi
N=$1 RATE=$2
shift 2
OUT="$ROOT/bench/target/compare"
MESH_PIDS="$ROOT/deploy/local/.run/pids"

stop_mesh() {
  [ -d "$MESH_PIDS" ] || return 0
  local pids
  pids=$(cat "$MESH_PIDS"/*.pid 2>/dev/null || true)
  deploy/local/run.sh stop
  for pid in $pids; do # run.sh stop only signals them; wait until each is gone
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "mesh process $pid still running: KILL"; kill -9 "$pid" || true; fi
  done
}
cleanup() {
  stop_mesh
  bench/peer-restate/run.sh stop
  bench/peer-dbos/run.sh stop
}
# the mesh's fixed ports (deploy/local/run.sh) and the peers': another mesh or peer on them would be measured instead
busy=$(ss -Htln | awk '{print $4}' | grep -oE ':(808[0-4]|9092|9093|2525|8025|18080|19070|15122|19080|18090)$' \
  | sort -u | tr '\n' ' ' || true)
if [ -n "$busy" ]; then
  log "ports in use: $busy- another mesh or peer is running (ss -ltnp shows whose); stop it first"
  exit 1
fi

trap cleanup EXIT

log "building the load generator and the DBOS peer; installing the Restate peer"
./mvnw -B -q -pl bench -am -DskipTests install
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
./mvnw -B -q -f bench/peer-dbos/pom.xml package
bench/peer-restate/run.sh install
rm -rf "$OUT"
mkdir -p "$OUT"
failed=()
export SKIP_BUILD=1

log "1/3 engageflow: $N triggers at $RATE/s"
# bounded: a service that accepts but never answers its readiness probe would otherwise hold the run forever
HTTP_ALLOWED_HOSTS=127.0.0.1 timeout 900 deploy/local/run.sh --detach >"$OUT/mesh-start.log" 2>&1 \
  || { cat "$OUT/mesh-start.log"; exit 1; }
bench/run.sh "$N" "$RATE" "$@" --out "$OUT/engageflow" | tee "$OUT/engageflow.log" || failed+=(engageflow)
stop_mesh

log "2/3 restate: $N triggers at $RATE/s"
BENCH_OUT="$OUT/restate" bench/peer-restate/run.sh "$N" "$RATE" "$@" | tee "$OUT/restate.log" || failed+=(restate)

log "3/3 dbos: $N triggers at $RATE/s"
BENCH_OUT="$OUT/dbos" bench/peer-dbos/run.sh "$N" "$RATE" "$@" | tee "$OUT/dbos.log" || failed+=(dbos)

echo
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.engageflow.bench.Compare "$OUT" \
  engageflow="$OUT/engageflow" restate="$OUT/restate" dbos="$OUT/dbos"
log "table, JSON and PNG in $OUT (compare.txt, compare.json, compare.png)"
if [ ${#failed[@]} -gt 0 ]; then log "FAILED runs: ${failed[*]}"; exit 1; fi
