# Shell helpers shared by bench/peer-restate/run.sh, bench/peer-dbos/run.sh and bench/compare.sh (sourced).
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q)
# Coupons of one run: contacts are named RUNTAG-PHASE-N by the load generator, which binds ? to its run tag.
PEER_COUPONS_SQL="SELECT count(*) FROM coupon WHERE contact_id LIKE ? || '-%'"

# peer_dirs SCRIPT: a peer script's folders: HERE (its own), ROOT (the checkout), and its run state in
# bench/.run/<peer>: STATE, PIDS (NAME.pid of each process it starts), LOGS
peer_dirs() {
  HERE="$(cd "$(dirname "$1")" && pwd)"
  ROOT="$(cd "$HERE/../.." && pwd)"
  STATE="$ROOT/bench/.run/$(basename "$HERE")"
  PIDS="$STATE/pids"
  LOGS="$STATE/logs"
}

log() { printf '[bench] %s\n' "$*"; }

# fresh_db NAME [SQL-FILE]: drop and create a database, then apply the file to it
fresh_db() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  if [ -n "${2:-}" ]; then "${PSQL[@]}" -d "$1" -f "$2"; fi
}

# wait_for DESCRIPTION SECONDS COMMAND...: poll once a second until the command succeeds; with WATCH_PID set,
# give up at once when that process has ended
wait_for() {
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 "$secs"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "${WATCH_PID:-}" ] && ! kill -0 "$WATCH_PID" 2>/dev/null; then log "$what exited; see its log"; return 1; fi
    sleep 1
  done
  log "$what did not come up in $secs s"; return 1
}

# stop_pids DIR: TERM each process of DIR/*.pid, wait until it is gone (KILL after 20 s), remove the pid files
stop_pids() {
  local dir=$1 f pid name
  [ -d "$dir" ] || return 0
  for f in "$dir"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    if kill -0 "$pid" 2>/dev/null; then log "stopping $name ($pid)"; kill "$pid" 2>/dev/null || true; fi
  done
  for f in "$dir"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then log "$name ($pid) still running: KILL"; kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$f"
  done
}

# peer_main NAME URL DATABASES ARGS...: the command line both peer scripts share; each defines install, start and
# PIDS. ARGS: install | start | stop | [N] [RATE] [bench options] (start, the load generator against it, stop).
# DATABASES: the peer's databases, its coupons in the first.
peer_main() {
  local name=$1 url=$2 databases=$3
  shift 3
  case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop_pids "$PIDS" ;;
    *)
      start
      trap 'stop_pids "$PIDS"' EXIT
      "$ROOT/bench/run.sh" "$@" --target http --name "$name" --url "$url" --pids "$PIDS" \
        --pg-databases "$databases" --coupons-jdbc "jdbc:postgresql://127.0.0.1:5432/${databases%%,*}" \
        --coupons-sql "$PEER_COUPONS_SQL" ${BENCH_OUT:+--out "$BENCH_OUT"}
      ;;
  esac
}
