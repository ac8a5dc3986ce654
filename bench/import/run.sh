#!/bin/sh
# bench/import: 1,000,000 result rows (25 columns, ВПР-like, 36 procedures, school by school, as
# a region exports them: bench/import/gen.c) imported into a
# fresh database from CSV and from XLSX, with peak memory; the reference in the same script is
# SQLite's own `.import` of the same CSV into a plain table (no validation, no indexes).
# Each line gives wall and CPU (user + system) time: the machine is shared, CPU is steadier.
# The XLSX run takes the first XROWS rows (default 400,000): a million rows' sheet unpacks to
# more than the 512 MiB the reader accepts from one part (src/ingest/xlsx_zip.c), so it is
# refused as a zip bomb; its CSV twin of the same rows runs beside it for the ratio.
# Usage: sh bench/import/run.sh [ROWS [XROWS]]   (from the repository root, after `make`)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
XN=${2:-400000}
W=$(mktemp -d /tmp/msoko-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
make -s build/msoko build/tools/csv2xlsx >/dev/null
cc -O2 -o "$W/gen" bench/import/gen.c
"$W/gen" "$W/r.csv" "$W/s.csv" "$N"
M=${M:-build/msoko}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }

run() { # run LABEL FILE ROWS → prints rows/s, CPU and peak RSS
    rm -f "$W/b.db"*
    $M init --db "$W/b.db" >/dev/null
    $M import --db "$W/b.db" --kind schools "$W/s.csv" >/dev/null
    t0=$(now)
    /usr/bin/time -f "%U %S %M" -o "$W/rss" $M import --db "$W/b.db" --kind results "$2" >/dev/null
    t1=$(now)
    s=$(secs "$t0" "$t1")
    cpu=$(awk '{printf "%.2f", $1 + $2}' "$W/rss")
    echo "$1: $3 rows in $s s = $(awk -v n="$3" -v s="$s" 'BEGIN{printf "%d", n/s}') rows/s, CPU $cpu s, peak $(($(awk '{print $3}' "$W/rss") / 1024)) MB"
    echo "$s" >"$W/$1.s"
    echo "$cpu" >"$W/$1.cpu"
}
run csv "$W/r.csv" "$N"
# reference: sqlite3 .import of the same file (plain table, no checks)
rm -f "$W/ref.db"
t0=$(now)
/usr/bin/time -f "%U %S" -o "$W/refcpu" \
    sqlite3 "$W/ref.db" ".mode csv" ".separator ;" ".import $W/r.csv raw" >/dev/null 2>&1
t1=$(now)
ref=$(secs "$t0" "$t1")
refcpu=$(awk '{printf "%.2f", $1 + $2}' "$W/refcpu")
echo "reference sqlite3 .import: $ref s, CPU $refcpu s; msoko csv / reference = $(awk -v a="$(cat "$W/csv.s")" -v b="$ref" 'BEGIN{printf "%.2f", a/b}') wall, $(awk -v a="$(cat "$W/csv.cpu")" -v b="$refcpu" 'BEGIN{printf "%.2f", a/b}') CPU"
[ "$XN" -lt "$N" ] || XN=$N
head -n $((XN + 1)) "$W/r.csv" >"$W/x.csv"
build/tools/csv2xlsx "$W/x.csv" "$W/x.xlsx" --constant-memory
run xlsx "$W/x.xlsx" "$XN"
run csv-of-xlsx "$W/x.csv" "$XN"
echo "xlsx / csv of the same $XN rows = $(awk -v a="$(cat "$W/xlsx.cpu")" -v b="$(cat "$W/csv-of-xlsx.cpu")" 'BEGIN{printf "%.2f", a/b}') CPU, $(awk -v a="$(cat "$W/xlsx.s")" -v b="$(cat "$W/csv-of-xlsx.s")" 'BEGIN{printf "%.2f", a/b}') wall"
