#!/usr/bin/env bash
# Runs every test on this machine: makes sure PostgreSQL is installed and running, then builds and verifies all
# modules with the Maven wrapper (unit tests, @QuarkusTest on the in-JVM Kafka broker and the real PostgreSQL,
# then the end-to-end tests that start the five packaged services as processes, the console's in headless Chromium,
# installed with apt-get when missing). Ends with the Surefire totals.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

"$ROOT/deploy/local/ensure-postgres.sh" || exit 1

# The console's browser test (e2e-tests ConsoleBrowserE2ETest) drives Debian's Chromium through its chromedriver.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "[chromium] not installed: installing chromium and chromium-driver with apt-get"
  sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq chromium chromium-driver >/dev/null || exit 1
fi

./mvnw -B verify "$@"
status=$?

# One Surefire summary over every module, as the last lines of the output.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob("*/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(path).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)); e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
print("[INFO] Results (all modules):")
print("[INFO] ")
print(f"[{'ERROR' if f or e else 'INFO'}] Tests run: {t}, Failures: {f}, Errors: {e}, Skipped: {s}")
PY
exit $status
