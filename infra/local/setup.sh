#!/usr/bin/env bash
# Installs the local dependencies pinned in package.json/package-lock.json (Azurite and the sample data; the portal's
# packages) and builds the portal.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "Node.js is required (https://nodejs.org)" >&2; exit 1; }
if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/vega-datasets/data/seattle-weather.csv ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# The portal (portal/): its packages, then its build into portal/dist, which both hosts' builds copy and serve.
portal="$(cd .. && cd .. && pwd)/portal"
if [ ! -x "$portal/node_modules/.bin/esbuild" ] || [ "$portal/package-lock.json" -nt "$portal/node_modules/.package-lock.json" ]; then
  (cd "$portal" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$portal" && node build.mjs)
