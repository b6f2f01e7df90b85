#!/usr/bin/env bash
# The load generator: against a running mesh (start it with deploy/local/run.sh --detach first), or a peer
# (--target http, see bench/peer-restate/run.sh and bench/peer-dbos/run.sh). --help lists every option.
#   bench/run.sh [triggers] [rate-per-second] [--warmup N] [--find-max [--p99-bound-ms 1000]] ...
# Builds the bench module first unless SKIP_BUILD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f bench/target/classpath.txt ]; then
  ./mvnw -B -q -pl bench -am -DskipTests install
  ./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.engageflow.bench.Bench "$@"
