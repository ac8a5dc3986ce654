#!/bin/sh
# bench/web: wrk against msoko serve on the 2,000-school region (msoko demo --schools 2000
# --years 2022-2024): the dashboard and the page of a ШНОР school, 30 s each at 64 connections
# on loopback, as an analyst; then every request another school's page (bench/web/rotate.lua).
# Reports requests/s, p50/p99 latency, errors and the server's CPU time per request (from
# /proc: steadier than requests/s on a machine shared with other work). Target: p99 under
# 100 ms for the school page, no errors.
# Usage: sh bench/web/run.sh [DB]   (MSOKO_BENCH_SECONDS changes the 30 s)
set -eu
cd "$(dirname "$0")/../.."
DB=${1:-/tmp/msoko-bench-web-2000.db}
DUR=${MSOKO_BENCH_SECONDS:-30}
command -v wrk >/dev/null || { echo "bench/web: wrk is missing (sh scripts/deps.sh)" >&2; exit 1; }
make -s build/msoko >/dev/null
M=build/msoko
if [ ! -f "$DB" ]; then
    echo "bench/web: generating the 2,000-school region in $DB …"
    $M init --db "$DB" >/dev/null
    $M demo --db "$DB" --schools 2000 --years 2022-2024 >/dev/null
    MSOKO_METHODS=methods $M analyze --db "$DB" --year 2024 >/dev/null
fi
$M user add bench --role analyst --password bench-pass-1 --db "$DB" >/dev/null 2>&1 ||
    $M user passwd bench --password bench-pass-1 --db "$DB" >/dev/null
log=$(mktemp)
t0=$(date +%s.%N)
$M serve --db "$DB" --listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; rm -f "$log" "$log.jar" "$log.out"' EXIT
U=""
for i in $(seq 1 600); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] || { cat "$log"; exit 1; }
t1=$(date +%s.%N)
curl -s -c "$log.jar" "$U/login" -o "$log.out"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$log.out" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -b "$log.jar" -c "$log.jar" -o /dev/null -d "csrf=$tok&login=bench&password=bench-pass-1" "$U/login"
session=$(awk '$6 == "msoko_session" { print $7 }' "$log.jar")
school=$(sqlite3 "$DB" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY s.code LIMIT 1")
[ -n "$school" ] || school=$(sqlite3 "$DB" "SELECT code FROM school ORDER BY code LIMIT 1")
# CPU time (user + system, ms) the server has used so far
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat" 2>/dev/null || echo 0; }
# report LABEL CPU0: one line from wrk's output in $log.out
report() {
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$log.out")
    p50=$(awk '$1 == "50%" { print $2 }' "$log.out")
    p99=$(awk '$1 == "99%" { print $2 }' "$log.out")
    n=$(awk '/requests in/ { print $1 }' "$log.out")
    errs=$(awk '/Non-2xx|Socket errors/ { print }' "$log.out" | tr '\n' ' ')
    cpu=$(echo "scale=3; ($(cpu_ms) - $2) / ${n:-1}" | bc)
    printf 'bench/web: %-28s %9s req/s  p50 %8s  p99 %8s  cpu %5.2f ms/req  errors: %s\n' "$1" "$rps" "$p50" "$p99" "$cpu" "${errs:-none}"
}
printf 'bench/web: server up in %.1f s (the newest year loaded before listening)\n' "$(echo "$t1 - $t0" | bc)"
for path in "/?year=2024" "/schools/$school?year=2024"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: msoko_session=$session" "$U$path")
    [ "$code" = 200 ] || { echo "bench/web: $path answered $code" >&2; exit 1; }
    c0=$(cpu_ms)
    wrk -t2 -c64 -d"${DUR}s" --latency -H "Cookie: msoko_session=$session" "$U$path" >"$log.out"
    report "$path" "$c0"
done
# every request another school: pages built from the loaded year rather than kept ones
sqlite3 "$DB" "SELECT code FROM school ORDER BY random()" >"$log.codes"
c0=$(cpu_ms)
SCHOOLS="$log.codes" wrk -t2 -c64 -d"${DUR}s" --latency -s bench/web/rotate.lua \
    -H "Cookie: msoko_session=$session" "$U/" >"$log.out"
report "/schools/(all 2000 in turn)" "$c0"
rm -f "$log.codes"
