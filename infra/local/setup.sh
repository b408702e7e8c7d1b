#!/usr/bin/env bash
# Installs the local dependencies pinned in package.json/package-lock.json: Azurite and the sample data.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "Node.js is required (https://nodejs.org)" >&2; exit 1; }
if [ ! -x node_modules/.bin/azurite ] || [ ! -f node_modules/vega-datasets/data/seattle-weather.csv ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
