#!/bin/sh
# Exhaustion probe of msoko serve on the loopback (bounded, about a minute): RSS with 20
# unfinished uploads, trickled bodies, 5,000 half-sent requests. Figures in docs/web.md.
# Usage: sh bench/websec/run.sh [MSOKO_BIN]
set -e
M=${1:-${MSOKO_BIN:-$(pwd)/build/msoko}}
T=$(mktemp -d /tmp/msoko-websec-XXXXXX)
trap 'kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
export MSOKO_METHODS="$(cd "$(dirname "$0")/../.." && pwd)/methods"
"$M" init --db "$T/b.db" >/dev/null
"$M" demo --db "$T/b.db" --schools 30 --years 2024 --seed 1 >/dev/null
"$M" serve --db "$T/b.db" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
python3 "$(dirname "$0")/exhaust.py" "$U" "$pid" 20 5000
