#!/bin/sh
# bench/soak: a bounded soak of msoko serve on loopback — mixed page views (one connection,
# requests back to back, rotating over every school's page, the lists, procedures, open data,
# CSV and JSON), a web import (check + confirm) every SOAK_IMPORT_EVERY seconds that replaces
# the same rows (so the data stay the same size), a web analysis every SOAK_ANALYZE_EVERY
# seconds and a backup download every SOAK_BACKUP_EVERY seconds. Every SOAK_INTERVAL seconds
# it samples the server's RSS and the p50/p99 latency of the page views of that interval and
# prints a row; at the end, whether RSS grew: the median of the last third of the samples
# against the first third, after the warm-up (the first SOAK_WARMUP seconds, default 180: the
# page caches of the pool connections and the loaded years fill in the first two or three minutes).
# Usage: sh bench/soak/run.sh [DB]   (from the repository root; SOAK_SECONDS=300 for 5 minutes;
#        SOAK_SCHOOLS sets the size of the generated municipality, default 300)
set -eu
cd "$(dirname "$0")/../.."
DB=${1:-/tmp/msoko-soak-${SOAK_SCHOOLS:-300}.db}
DUR=${SOAK_SECONDS:-1800}
IVL=${SOAK_INTERVAL:-30}
WARM=${SOAK_WARMUP:-180}
IMP_EVERY=${SOAK_IMPORT_EVERY:-20}
ANA_EVERY=${SOAK_ANALYZE_EVERY:-60}
BAK_EVERY=${SOAK_BACKUP_EVERY:-300}
command -v curl >/dev/null || { echo "bench/soak: curl is missing (sh scripts/deps.sh)" >&2; exit 1; }
make -s build/msoko >/dev/null
M=$PWD/build/msoko
export MSOKO_METHODS=$PWD/methods
if [ ! -f "$DB" ]; then
    echo "bench/soak: generating a municipality of ${SOAK_SCHOOLS:-300} schools in $DB …"
    $M init --db "$DB" >/dev/null
    $M demo --db "$DB" --schools "${SOAK_SCHOOLS:-300}" --years 2022-2024 >/dev/null
    $M analyze --db "$DB" --year 2024 >/dev/null
fi
$M user add soak --role admin --password soak-pass-12 --db "$DB" >/dev/null 2>&1 ||
    $M user passwd soak --password soak-pass-12 --db "$DB" >/dev/null
W=$(mktemp -d /tmp/msoko-soak-XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    [ -n "${spid:-}" ] && kill -TERM "$spid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT INT TERM
$M serve --db "$DB" --listen 127.0.0.1:0 --threads 4 >"$W/serve.log" 2>&1 &
spid=$!
U=""
for i in $(seq 1 600); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$W/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] || { cat "$W/serve.log"; exit 1; }
curl -s -c "$W/jar" -o "$W/page" "$U/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$W/page" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -b "$W/jar" -c "$W/jar" -o /dev/null --data-urlencode "csrf=$tok" -d "login=soak&password=soak-pass-12" "$U/login"
curl -s -b "$W/jar" -o "$W/page" "$U/imports"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$W/page" | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$csrf" ] || { echo "bench/soak: login failed" >&2; exit 1; }
sqlite3 "$DB" "SELECT code FROM school ORDER BY code" >"$W/codes"
nschools=$(wc -l <"$W/codes")
# the imported file: one РКР result per pupil of the first ten schools (replaced every time)
{
    echo 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка'
    head -10 "$W/codes" | awk '{ for (i = 1; i <= 40; i++) printf "2024;РКР;математика;8;%s;soak%s%03d;%d;%d\n", $1, NR, i, i % 20, 2 + i % 4 }'
} >"$W/imp.csv"
# every page of the mix, school pages rotating over all schools
awk -v u="$U" '{
    print u "/schools/" $1 "?year=2024"
    if (NR % 3 == 0) print u "/open/schools/" $1 "?year=2024"
    if (NR % 5 == 0) print u "/schools/" $1 "?year=2024&format=json"
    if (NR % 7 == 0) { print u "/?year=2024"; print u "/schools?year=2024" }
    if (NR % 11 == 0) { print u "/lists/shnor?year=2024"; print u "/lists/risk?year=2024"
                        print u "/lists/rating?year=2024"; print u "/lists/objectivity?year=2024" }
    if (NR % 13 == 0) { print u "/procedures/VPR-math-5?year=2024"; print u "/procedures/OGE-rus-9?year=2024"
                        print u "/schools?year=2024&format=csv"; print u "/open?year=2024" }
    if (NR % 17 == 0) { print u "/imports"; print u "/plan"; print u "/forms"; print u "/api" }
}' "$W/codes" >"$W/urls"

now() { date +%s; }
T0=$(now)
END=$((T0 + DUR))
# page views: batches of 40 URLs on one kept-alive connection; each line "time status seconds"
(
    while [ "$(now)" -lt "$END" ]; do
        while read -r a && [ "$(now)" -lt "$END" ]; do
            set -- "$a"
            for k in $(seq 2 40); do read -r b || break; set -- "$@" "$b"; done
            t=$(now)
            for x in "$@"; do printf 'url = "%s"\noutput = /dev/null\n' "$x"; done >"$W/cfg"
            curl -s -b "$W/jar" -K "$W/cfg" -w '%{http_code} %{time_total} %{url_effective}\n' 2>/dev/null |
                awk -v t="$t" '{ print t, $1, $2, $3 }' >>"$W/lat"
        done <"$W/urls"
    done
) &
pids="$pids $!"
# writes: an import (check + confirm) every IMP_EVERY s, an analysis every ANA_EVERY s, a backup
# download every BAK_EVERY s; each line "time kind status"
(
    next_a=$((T0 + ANA_EVERY)); next_b=$((T0 + BAK_EVERY))
    while [ "$(now)" -lt "$END" ]; do
        t=$(now)
        code=$(curl -s -b "$W/jar" -o "$W/chk" -w '%{http_code}' -F "csrf=$csrf" -F "file=@$W/imp.csv" "$U/imports")
        token=$(grep -o 'name="token" value="[0-9a-f]*"' "$W/chk" | sed 's/.*value="//;s/"$//')
        [ "$code" = 200 ] && [ -n "$token" ] &&
            code=$(curl -s -b "$W/jar" -o /dev/null -w '%{http_code}' -d "csrf=$csrf&token=$token&name=imp.csv" "$U/imports/confirm")
        echo "$t import $code" >>"$W/writes"
        if [ "$t" -ge "$next_a" ]; then
            code=$(curl -s -b "$W/jar" -o /dev/null -w '%{http_code}' -d "csrf=$csrf&year=2024" "$U/analyze")
            echo "$t analyze $code" >>"$W/writes"; next_a=$((next_a + ANA_EVERY))
        fi
        if [ "$t" -ge "$next_b" ]; then
            code=$(curl -s -b "$W/jar" -o /dev/null -w '%{http_code}' "$U/admin/backup")
            echo "$t backup $code" >>"$W/writes"; next_b=$((next_b + BAK_EVERY))
        fi
        sleep "$IMP_EVERY"
    done
) &
pids="$pids $!"
: >"$W/lat"; : >"$W/writes"
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$spid/status"; }
echo "bench/soak: $U, $nschools schools, $(wc -l <"$W/urls") URLs in the mix, ${DUR} s, a row every ${IVL} s"
printf '%6s %8s %8s %8s %8s %8s %7s %8s %7s\n' "t, s" "RSS, MB" "pages" "pages/s" "p50, ms" "p99, ms" "errors" "imports" "analyses"
prev=$T0
: >"$W/samples"
while [ "$(now)" -lt "$END" ]; do
    sleep "$IVL"
    t=$(now)
    r=$(rss_mb)
    # the latencies of (prev, t]
    awk -v a="$prev" -v b="$t" '$1 >= a && $1 < b { print $3 * 1000 }' "$W/lat" | sort -n >"$W/slot"
    n=$(wc -l <"$W/slot")
    p50=$(awk -v n="$n" 'NR == int(n * 0.50) + (n * 0.50 > int(n * 0.50)) { printf "%.1f", $1 }' "$W/slot")
    p99=$(awk -v n="$n" 'NR == int(n * 0.99) + (n * 0.99 > int(n * 0.99)) { printf "%.1f", $1 }' "$W/slot")
    errs=$(awk -v a="$prev" -v b="$t" '$1 >= a && $1 < b && $2 !~ /^(200|303|304)$/' "$W/lat" | wc -l)
    imps=$(awk -v a="$prev" -v b="$t" '$1 >= a && $1 < b && $2 == "import" && $3 == 303' "$W/writes" | wc -l)
    anas=$(awk -v a="$prev" -v b="$t" '$1 >= a && $1 < b && $2 == "analyze" && $3 ~ /^(200|303)$/' "$W/writes" | wc -l)
    printf '%6d %8s %8d %8.1f %8s %8s %7d %8d %7d\n' $((t - T0)) "$r" "$n" "$(echo "$n / ($t - $prev)" | bc -l)" \
        "${p50:--}" "${p99:--}" "$errs" "$imps" "$anas"
    echo "$((t - T0)) $r" >>"$W/samples"
    prev=$t
done
kill -0 "$spid" 2>/dev/null || { echo "bench/soak: the server died" >&2; exit 1; }
wfail=$(awk '$2 == "import" && $3 != 303 || $2 == "analyze" && $3 !~ /^(200|303)$/ || $2 == "backup" && $3 != 200' "$W/writes" | wc -l)
total=$(wc -l <"$W/lat")
bad=$(awk '$2 !~ /^(200|303|304)$/' "$W/lat" | wc -l)
echo "bench/soak: $total page views ($bad not 2xx/3xx); writes: $(awk '$2 == "import"' "$W/writes" | wc -l) imports," \
    "$(awk '$2 == "analyze"' "$W/writes" | wc -l) analyses, $(awk '$2 == "backup"' "$W/writes" | wc -l) backups, $wfail failed"
echo "bench/soak: page views by status: $(awk '{ print $2 }' "$W/lat" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')"
[ -n "${SOAK_KEEP:-}" ] && cp "$W/lat" "$W/writes" "$W/samples" "$SOAK_KEEP/"
# RSS: median of the first and the last third of the samples after the warm-up
awk -v w="$WARM" '$1 > w { print $2 }' "$W/samples" >"$W/rss"
k=$(wc -l <"$W/rss")
if [ "$k" -lt 3 ]; then
    echo "bench/soak: too few samples after the warm-up ($k) to judge RSS growth"
    exit 0
fi
third=$((k / 3))
med() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
first=$(head -n "$third" "$W/rss" | med)
last=$(tail -n "$third" "$W/rss" | med)
awk -v a="$first" -v b="$last" -v n="$third" 'BEGIN {
    d = b - a; pct = a > 0 ? 100 * d / a : 0
    printf "bench/soak: RSS median of the first %d samples after warm-up %.1f MB, of the last %d %.1f MB: %+.1f MB (%+.1f %%) — %s\n",
        n, a, n, b, d, pct, (d > 5 && pct > 10) ? "GREW" : "no growth"
    exit (d > 5 && pct > 10) }'
