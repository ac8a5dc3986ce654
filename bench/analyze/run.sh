#!/bin/sh
# bench/analyze: `msoko analyze` of a 2,000-school region over 3 years (model load reported
# separately), against a reference in the same script: the same ШНОР rule in plain SQL over
# the same SQLite file (bench/analyze/shnor.sql). Also checks both give the same ШНОР list.
# Usage: sh bench/analyze/run.sh [SCHOOLS] [DB]   (DB is reused when it exists)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
DB=${2:-/tmp/msoko-bench-region-$N.db}
make -s build/msoko >/dev/null
M=build/msoko
now() { date +%s.%N; }
if [ ! -f "$DB" ]; then
    $M init --db "$DB" >/dev/null
    $M demo --db "$DB" --schools "$N" --years 2022-2024 >/dev/null
fi
Y=2024
t0=$(now)
$M analyze --db "$DB" --year $Y --json --timing >/tmp/msoko-analyze.json 2>/tmp/msoko-analyze.timing
t1=$(now)
total=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
cat /tmp/msoko-analyze.timing
t0=$(now)
sqlite3 "$DB" ".parameter set :Y $Y" ".read bench/analyze/shnor.sql" >/tmp/msoko-shnor-sql.txt
t1=$(now)
ref=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
methods=$(sed -n 's/.*методики: \([0-9.]*\).*/\1/p' /tmp/msoko-analyze.timing)
shnor=$(sed -n 's/.*(ШНОР \([0-9.]*\).*/\1/p' /tmp/msoko-analyze.timing)
ratio() { awk -v a="$1" -v b="${2:-0}" 'BEGIN{ if (b > 0) printf "%.1f", a/b; else print "n/a"}'; }
echo "msoko analyze: $total s in all; SQL reference (ШНОР only): $ref s;" \
     "reference / msoko ШНОР = $(ratio "$ref" "$shnor"); reference / all msoko methods = $(ratio "$ref" "$methods")"
sqlite3 "$DB" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id
  WHERE f.method = 'shnor' AND f.run_id = (SELECT max(id) FROM analysis_run WHERE year = $Y)
  ORDER BY s.code" >/tmp/msoko-shnor-c.txt
if cmp -s /tmp/msoko-shnor-c.txt /tmp/msoko-shnor-sql.txt; then
    echo "same ШНОР list: $(wc -l </tmp/msoko-shnor-sql.txt) schools"
else
    echo "ШНОР lists differ: msoko $(wc -l </tmp/msoko-shnor-c.txt), SQL $(wc -l </tmp/msoko-shnor-sql.txt)"
fi
