#!/bin/sh
# bench/view: (1) `msoko serve` start on the demo region (2,000 schools, four years): seconds
# until it listens (the newest year loaded before that), CPU and peak memory, with the model
# read from its snapshot, against the same server reading the rows (MSOKO_NO_SNAPSHOT=1, the
# start before the snapshot) in the same script; (2) the per-request cost of each view model,
# as a fraction of loading the year in the same process (bench/view/bench.c).
# REF=/path/to/msoko also starts that binary (the one before a change) on the same file and
# prints this / reference.
# Usage: sh bench/view/run.sh [DB]   (made with msoko demo --schools 2000 --years 2021-2024
# when missing; RUNS=3 server starts each way)
set -eu
cd "$(dirname "$0")/../.."
DB=${1:-/tmp/msoko-bench-demo-2000.db}
RUNS=${RUNS:-3}
make -s build/msoko build/libmsoko.a >/dev/null
M=build/msoko
if [ ! -f "$DB" ]; then
    $M init --db "$DB" >/dev/null
    $M demo --db "$DB" --schools 2000 --years 2021-2024 >/dev/null
    MSOKO_METHODS=methods $M analyze --db "$DB" --year 2024 >/dev/null
fi
W=$(mktemp -d /tmp/msoko-bench-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$W"' EXIT
# start LABEL: one server start into $W/LABEL.runs as "seconds cpu peak-kB"
start() {
    t0=$(date +%s.%N)
    ${BIN:-$M} serve --db "$DB" --listen 127.0.0.1:0 >"$W/log" 2>&1 &
    pid=$!
    i=0
    until grep -q 'http://' "$W/log" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 3000 ] || { cat "$W/log"; exit 1; }
        sleep 0.01
    done
    t1=$(date +%s.%N)
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    echo "$(echo "$t1 - $t0" | bc) $cpu $hwm" >>"$W/$1.runs"
}
median() { sort -n -k"$2" "$W/$1.runs" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
start warm >/dev/null # the first start after a change writes the snapshot
for i in $(seq "$RUNS"); do
    start snap
    MSOKO_NO_SNAPSHOT=1 start rows
    [ -z "${REF:-}" ] || BIN=$REF start ref
done
rows=$(sqlite3 "$DB" "SELECT count(*) FROM result")
echo "bench/view: msoko serve on $DB ($rows result rows, four years), medians of $RUNS starts"
printf '  serve ready, snapshot:       %6.2f s wall, %5.2f s CPU, %4d MB peak\n' \
    "$(median snap 1)" "$(median snap 2)" "$(($(median snap 3) / 1024))"
printf '  reference, rows (before):    %6.2f s wall, %5.2f s CPU, %4d MB peak\n' \
    "$(median rows 1)" "$(median rows 2)" "$(($(median rows 3) / 1024))"
echo "  ratios snapshot / rows: wall $(ratio "$(median snap 1)" "$(median rows 1)")," \
    "CPU $(ratio "$(median snap 2)" "$(median rows 2)"), memory $(ratio "$(median snap 3)" "$(median rows 3)")"
if [ -n "${REF:-}" ]; then
    printf '  reference %s: %6.2f s wall, %5.2f s CPU, %4d MB peak\n' "$REF" \
        "$(median ref 1)" "$(median ref 2)" "$(($(median ref 3) / 1024))"
    echo "  ratios this / reference: wall $(ratio "$(median snap 1)" "$(median ref 1)")," \
        "CPU $(ratio "$(median snap 2)" "$(median ref 2)"), memory $(ratio "$(median snap 3)" "$(median ref 3)")"
fi
echo "  (load $(cut -d' ' -f1-3 /proc/loadavg))"
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags jansson sqlite3) -o build/bench-view \
    bench/view/bench.c build/libmsoko.a $(pkg-config --libs sqlite3 jansson libsodium libmicrohttpd xlsxwriter libzip expat cairo pangocairo inih) -lm -lpthread
build/bench-view "$DB" 2024 20
