#!/bin/sh
# bench/import: 1,000,000 result rows (25 columns, ВПР-like, 30 procedures, school by school, as
# a region exports them: bench/import/gen.c) imported into a
# fresh database from CSV and from XLSX, with peak memory; the reference in the same script is
# SQLite's own `.import` of the same CSV into a plain table (no validation, no indexes).
# Usage: sh bench/import/run.sh [ROWS]     (from the repository root, after `make`)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
W=$(mktemp -d /tmp/msoko-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
make -s build/msoko build/tools/csv2xlsx >/dev/null
cc -O2 -o "$W/gen" bench/import/gen.c
"$W/gen" "$W/r.csv" "$W/s.csv" "$N"
M=build/msoko
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }

run() { # run LABEL FILE → prints rows/s and peak RSS
    rm -f "$W/b.db"*
    $M init --db "$W/b.db" >/dev/null
    $M import --db "$W/b.db" --kind schools "$W/s.csv" >/dev/null
    t0=$(now)
    /usr/bin/time -f "%M" -o "$W/rss" $M import --db "$W/b.db" --kind results "$2" >/dev/null
    t1=$(now)
    s=$(secs "$t0" "$t1")
    echo "$1: $N rows in $s s = $(awk -v n="$N" -v s="$s" 'BEGIN{printf "%d", n/s}') rows/s, peak $(($(cat "$W/rss") / 1024)) MB"
    echo "$s" >"$W/$1.s"
}
run csv "$W/r.csv"
# reference: sqlite3 .import of the same file (plain table, no checks)
rm -f "$W/ref.db"
t0=$(now)
sqlite3 "$W/ref.db" ".mode csv" ".separator ;" ".import $W/r.csv raw" >/dev/null 2>&1
t1=$(now)
ref=$(secs "$t0" "$t1")
echo "reference sqlite3 .import: $ref s; msoko csv / reference = $(awk -v a="$(cat "$W/csv.s")" -v b="$ref" 'BEGIN{printf "%.2f", a/b}')"
build/tools/csv2xlsx "$W/r.csv" "$W/r.xlsx" --constant-memory
run xlsx "$W/r.xlsx"
