#!/usr/bin/env bash
# Starts Azurite (Blob, Queue, Table) on 127.0.0.1 in the background unless it already answers; --disableTelemetry:
# by default Azurite sends usage data out, and the local default makes no outbound connection.
# Usage: infra/local/azurite.sh [data-dir] [blob-port]   (queue = blob+1, table = blob+2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-$root/.data/azurite}"
blob="${2:-10000}"
queue=$((blob + 1)); table=$((blob + 2))

if (echo > "/dev/tcp/127.0.0.1/$blob") 2>/dev/null; then
  echo "Azurite already listening on 127.0.0.1:$blob"
  exit 0
fi
[ -x "$here/node_modules/.bin/azurite" ] || "$here/setup.sh"
mkdir -p "$data"
# The three services side by side in one process (azurite-services.mjs says why).
nohup node "$here/azurite-services.mjs" --silent --skipApiVersionCheck --loose --disableTelemetry --location "$data" \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" > "$data/azurite.log" 2>&1 &
echo $! > "$data/azurite.pid"
for _ in $(seq 1 60); do
  if (echo > "/dev/tcp/127.0.0.1/$blob") 2>/dev/null && (echo > "/dev/tcp/127.0.0.1/$queue") 2>/dev/null \
    && (echo > "/dev/tcp/127.0.0.1/$table") 2>/dev/null; then echo "Azurite started (pid $(cat "$data/azurite.pid")), data in $data"; exit 0; fi
  sleep 0.5
done
echo "Azurite did not start; see $data/azurite.log" >&2
exit 1
