#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for user postgres without a password (trust on
# loopback only), installing it with apt-get when it is missing. Idempotent; used by .ci/run and the launcher.
set -euo pipefail

PGPORT="${PGPORT:-5432}"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "[postgres] not installed: installing with apt-get"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq postgresql >/dev/null
fi

read -r VERSION CLUSTER < <(pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}')
if [ -z "${VERSION:-}" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
  CLUSTER=main
  sudo_if_needed pg_createcluster "$VERSION" "$CLUSTER" --port "$PGPORT"
fi

HBA="/etc/postgresql/$VERSION/$CLUSTER/pg_hba.conf"
if ! sudo_if_needed grep -q "engageflow: loopback trust" "$HBA"; then
  echo "[postgres] allowing passwordless loopback connections in $HBA"
  sudo_if_needed sed -i '1i # engageflow: loopback trust (local development and tests only)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$HBA"
  RELOAD=1
fi

if ! pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
  echo "[postgres] starting cluster $VERSION/$CLUSTER"
  sudo_if_needed pg_ctlcluster "$VERSION" "$CLUSTER" start
elif [ "${RELOAD:-0}" = 1 ]; then
  sudo_if_needed pg_ctlcluster "$VERSION" "$CLUSTER" reload
fi

for _ in $(seq 1 30); do
  if psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    echo "[postgres] ready on 127.0.0.1:$PGPORT"
    exit 0
  fi
  sleep 1
done
echo "[postgres] did not become ready on 127.0.0.1:$PGPORT" >&2
exit 1
