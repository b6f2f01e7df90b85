#!/usr/bin/env bash
# Benchmark against a running mesh (start it with deploy/local/run.sh --detach first).
#   bench/run.sh [triggers] [rate-per-second]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
./mvnw -B -q -pl bench -am -DskipTests install
./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.engageflow.bench.Bench "$@"
