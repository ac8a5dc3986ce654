#!/bin/sh
# bench/web: wrk against msoko serve on the 2,000-school region (msoko demo --schools 2000
# --years 2022-2024, or the DB given), 64 connections on loopback for MSOKO_BENCH_SECONDS
# (30) each, as an analyst: pages kept (the dashboard and a ШНОР school's page asked again and
# again: the server answers from its rendered pages) and pages built anew (each request another
# school's page, bench/web/rotate.lua; the dashboard, a procedure, the ШНОР list and the list of
# schools with an argument of their own, bench/web/anew.lua). Reports requests/s, p50/p99
# latency, errors and the server's CPU time per request (from /proc: steadier than requests/s
# on a machine shared with other work), and each built-anew page against the kept dashboard
# in the same run. REF=/path/to/msoko runs the same with that binary (the one before a change)
# and prints after / before for p99 and CPU.
# The server runs with --trusted-proxy 127.0.0.1: all 64 connections come from one address, as
# behind the proxy of a deployment; without it the per-address cap (32) refuses half of them
# and wrk counts them as read errors. wrk waits 20 s for an answer (its 2 s default cut the
# slowest pages off). Target (issue 18): a page built anew p99 ≤ 30 ms.
# Usage: sh bench/web/run.sh [DB]
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
W=$(mktemp -d /tmp/msoko-bench-web-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$W"' EXIT
year=$(sqlite3 "$DB" "SELECT max(year) FROM analysis_run")
school=$(sqlite3 "$DB" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY s.code LIMIT 1")
[ -n "$school" ] || school=$(sqlite3 "$DB" "SELECT code FROM school ORDER BY code LIMIT 1")
proc=$(sqlite3 "$DB" "SELECT kind || '-' || subject || '-' || grade FROM procedure WHERE year = $year AND kind = 'VPR' ORDER BY subject, grade LIMIT 1")
sqlite3 "$DB" "SELECT code FROM school ORDER BY random()" >"$W/codes"
# CPU time (user + system, ms) the server has used so far
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$pid/stat" 2>/dev/null || echo 0; }
# ms: wrk's latency ("1.23s", "45.6ms", "789us") in milliseconds
ms() { awk -v x="$1" 'BEGIN { u = x; sub(/[0-9.]+/, "", u); v = x + 0;
    printf "%.2f", u == "s" ? v * 1000 : u == "us" ? v / 1000 : v }'; }
# measure LABEL NAME CPU0: a line "NAME req/s p50 p99 cpu errors" into $W/LABEL from $W/out
measure() {
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$W/out")
    p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$W/out")")
    p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$W/out")")
    n=$(awk '/requests in/ { print $1 }' "$W/out")
    # errors: socket errors (connect, read, write, timeout) and answers other than 2xx/3xx
    errs=$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 }
        /Non-2xx/ { s += $5 } END { print s + 0 }' "$W/out")
    [ "${n:-0}" -gt 0 ] 2>/dev/null || n=0
    cpu=$(awk -v a="$(cpu_ms)" -v b="$3" -v n="$n" 'BEGIN { printf "%.2f", n ? (a - b) / n : 0 }')
    echo "$2 $rps $p50 $p99 $cpu $errs" >>"$W/$1"
}
# bench BIN LABEL: start BIN's server, every page, stop it
bench() {
    log="$W/$2.log"
    t0=$(date +%s.%N)
    $1 serve --db "$DB" --listen 127.0.0.1:0 --trusted-proxy 127.0.0.1 >"$log" 2>&1 &
    pid=$!
    U=""
    for i in $(seq 1 600); do
        U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$log")
        [ -n "$U" ] && break
        sleep 0.1
    done
    [ -n "$U" ] || { cat "$log"; exit 1; }
    t1=$(date +%s.%N)
    printf 'bench/web: %s server up in %.1f s (the newest year loaded before listening)\n' "$2" \
        "$(echo "$t1 - $t0" | bc)"
    curl -s -c "$W/jar" "$U/login" -o "$W/login"
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$W/login" | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -b "$W/jar" -c "$W/jar" -o /dev/null -d "csrf=$tok&login=bench&password=bench-pass-1" "$U/login"
    session=$(awk '$6 == "msoko_session" { print $7 }' "$W/jar")
    H="Cookie: msoko_session=$session"
    for path in "/?year=$year" "/schools/$school?year=$year"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "$H" "$U$path")
        [ "$code" = 200 ] || { echo "bench/web: $path answered $code" >&2; exit 1; }
    done
    for path in "/?year=$year" "/schools/$school?year=$year"; do # kept
        c0=$(cpu_ms)
        wrk -t2 -c64 -d"${DUR}s" --timeout 20s --latency -H "$H" "$U$path" >"$W/out"
        measure "$2" "kept:$path" "$c0"
    done
    c0=$(cpu_ms)
    SCHOOLS="$W/codes" wrk -t2 -c64 -d"${DUR}s" --timeout 20s --latency -s bench/web/rotate.lua -H "$H" "$U/" >"$W/out"
    measure "$2" "anew:/schools/(all-in-turn)" "$c0"
    for path in "/?year=$year" "/procedures/$proc?year=$year" "/lists/shnor?year=$year" \
        "/schools?year=$year"; do
        c0=$(cpu_ms)
        PAGE="$path" wrk -t2 -c64 -d"${DUR}s" --timeout 20s --latency -s bench/web/anew.lua -H "$H" "$U/" >"$W/out"
        measure "$2" "anew:$path" "$c0"
    done
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}
bench "$M" this
[ -n "${REF:-}" ] && bench "$REF" ref
echo "bench/web: $DB, 64 connections, ${DUR} s a page, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-36s %9s %9s %9s %8s  %s\n' page req/s "p50 ms" "p99 ms" "CPU ms" errors
while read -r name rps p50 p99 cpu errs; do
    printf '  %-36s %9s %9s %9s %8s  %s\n' "$name" "$rps" "$p50" "$p99" "$cpu" "$errs"
done <"$W/this"
# the reference of each page built anew in this run: the kept dashboard (what the cache saves)
kept=$(awk 'NR == 1 { print $4, $5 }' "$W/this")
echo "  built anew / kept dashboard (p99, CPU per request):"
awk -v k="$kept" 'BEGIN { split(k, r, " ") } /^anew:/ {
    printf "    %-34s p99 %6.1f×  CPU %6.1f×\n", $1, $4 / r[1], $5 / (r[2] > 0 ? r[2] : 1) }' "$W/this"
if [ -n "${REF:-}" ]; then
    echo "  reference $REF:"
    while read -r name rps p50 p99 cpu errs; do
        printf '  %-36s %9s %9s %9s %8s  %s\n' "$name" "$rps" "$p50" "$p99" "$cpu" "$errs"
    done <"$W/ref"
    echo "  this / reference (p99, CPU per request):"
    paste -d' ' "$W/this" "$W/ref" | awk '{ printf "    %-34s p99 %6.2f  CPU %6.2f\n", $1,
        $4 / ($10 > 0 ? $10 : 1), $5 / ($11 > 0 ? $11 : 1) }'
fi
