#!/usr/bin/env bash
# The portal's browser tests: Debian's chromium (installed when missing), playwright-core under Node's test runner,
# against real servers on Azurite. Needs the portal built (infra/local/setup.sh) and the server built (Debug), as
# ./test.sh does first. Ends with "N passed, N failed[, N skipped]".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
    || { echo "chromium could not be installed"; echo "0 passed, 1 failed"; exit 1; }
fi
[ -f portal/dist/index.html ] || infra/local/setup.sh
out="$(mktemp)"
node --test --test-concurrency=1 --test-reporter=tap --test-reporter-destination="$out" --test-reporter=spec \
  --test-reporter-destination=stdout tests/portal/*.test.mjs
status=$?
count() { grep -E "^# $1 [0-9]+" "$out" | tail -1 | awk '{print $3}'; }
passed=$(count pass); failed=$(count fail); skipped=$(count skipped); cancelled=$(count cancelled)
passed=${passed:-0}; failed=$(( ${failed:-0} + ${cancelled:-0} )); skipped=${skipped:-0}
rm -f "$out"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$status" -eq 0 ]
