#!/usr/bin/env bash
# The Python client's tests: Debian's python3 (3.11) with pytest, pandas and tqdm from Debian (installed when missing),
# against a real server on Azurite started by the test session (tests/python/stack.py). Needs the sample data
# (infra/local/setup.sh) and the server built (Debug; SERVER_DLL overrides), as ./test.sh does first.
# Ends with "N passed, N failed[, N skipped]"; exits non-zero on a failure.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
python=/usr/bin/python3
export SERVER_DLL="${SERVER_DLL:-$root/functions/Orchestrator.Server/bin/Debug/net10.0/Orchestrator.Server.dll}"
if ! "$python" -c 'import pytest, pandas, tqdm' 2>/dev/null; then
  echo "installing Debian's python3-pytest, python3-pandas and python3-tqdm"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-pytest python3-pandas python3-tqdm) >/dev/null 2>&1 \
    || { echo "the Python test packages could not be installed"; echo "0 passed, 1 failed"; exit 1; }
fi
[ -f infra/local/node_modules/vega-datasets/data/seattle-weather.csv ] || infra/local/setup.sh
report="$(mktemp)"
PYTHONDONTWRITEBYTECODE=1 "$python" -m pytest tests/python -p no:cacheprovider -v --junitxml="$report" "$@"
status=$?
read -r passed failed skipped < <("$python" - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1, 0); sys.exit()
suites = [root] if root.tag == "testsuite" else list(root)
total = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(total - failed - skipped, failed, skipped)
PY
)
rm -f "$report"
# pytest exits 1 on failures, 2-4 when interrupted or misused, 5 when nothing ran: none of them is a pass.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ]
