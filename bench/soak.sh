#!/usr/bin/env bash
# The chaos soak for MINUTES: the e2e test ChaosSoakE2ETest (e2e-tests) run longer. It packages the five services,
# starts them as processes on a broker process of its own (and the machine's PostgreSQL), drives the bench workflow
# plus an email step while it SIGKILLs and restarts a random service or the broker every few seconds and mixes in
# hostile records; at the end it prints the counts and fails if a promise broke. See bench/README.md, "Chaos soak".
#   bench/soak.sh MINUTES [-Dsoak.rate=10] [-Dsoak.hostilePerSecond=2] [-Dsoak.faultEverySeconds=5] [-Dsoak.seed=N]
#                         [-Dsoak.drainMinutes=8]
# Nothing else of the project may run meanwhile (two cores: another mesh or a build skews it). The figures are also
# written to e2e-tests/target/soak-report.txt; the services' logs are in e2e-tests/target/mesh-logs.
set -euo pipefail
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "usage: bench/soak.sh MINUTES [-Dsoak.<option>=value ...]" >&2
  exit 2
fi
MINUTES="$1"
shift
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
exec ./mvnw -B -pl e2e-tests -am verify -Dtest=ChaosSoakE2ETest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$MINUTES" "$@"
