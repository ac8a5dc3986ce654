#!/bin/sh
# bench/report: the municipal PDF of a 30-school municipality (target < 2 s) and the school
# reports of every school of a 2,000-school region with --all-schools (target < 1 min), each
# against a reference in the same script: `msoko show` of the same year (loading the view
# models the report is built from, and printing one as JSON), so the ratio says what writing
# the document costs on top of reading the data.
# Usage: sh bench/report/run.sh [SCHOOLS] [DB]   (DB is reused when it exists)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
DB=${2:-/tmp/msoko-bench-report-$N.db}
SMALL=/tmp/msoko-bench-report-30.db
make -s build/msoko >/dev/null
M=build/msoko
export MSOKO_METHODS="$PWD/methods"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", a/b; else print "n/a"}'; }
out=$(mktemp -d /tmp/msoko-bench-report-XXXXXX)
trap 'rm -rf "$out"' EXIT

# --- 30 schools: the municipal PDF ---------------------------------------------------------------
if [ ! -f "$SMALL" ]; then
    $M init --db "$SMALL" >/dev/null
    $M demo --db "$SMALL" --schools 30 --years 2021-2024 --seed 1 >/dev/null
    $M analyze --db "$SMALL" --year 2023 >/dev/null
    $M analyze --db "$SMALL" --year 2024 >/dev/null
fi
t0=$(now); $M show --db "$SMALL" --year 2024 dashboard >/dev/null; t1=$(now)
ref=$(secs "$t0" "$t1")
t0=$(now); $M report --db "$SMALL" --year 2024 -o "$out/m.pdf" 2>/dev/null; t1=$(now)
pdf=$(secs "$t0" "$t1")
pages=$(pdfinfo "$out/m.pdf" | awk '/^Pages:/ { print $2 }')
size=$(wc -c <"$out/m.pdf")
$M report --db "$SMALL" --year 2024 --format xlsx -o "$out/m.xlsx" 2>/dev/null
echo "30 schools: municipal PDF $pdf s ($pages pages, $size bytes; XLSX $(wc -c <"$out/m.xlsx") bytes);" \
     "reference (show dashboard) $ref s; PDF / reference = $(ratio "$pdf" "$ref"); target < 2 s"

# --- the region: every school's report -----------------------------------------------------------
if [ ! -f "$DB" ]; then
    $M init --db "$DB" >/dev/null
    $M demo --db "$DB" --schools "$N" --years 2022-2024 >/dev/null
fi
# the analysis is not part of the report's time
$M show --db "$DB" --year 2024 dashboard | grep -q '"run_at"' || $M analyze --db "$DB" --year 2024 >/dev/null
$M show --db "$DB" --year 2023 dashboard | grep -q '"run_at"' || $M analyze --db "$DB" --year 2023 >/dev/null
code=$($M show --db "$DB" --year 2024 schools | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
t0=$(now); $M show --db "$DB" --year 2024 school "$code" >/dev/null; t1=$(now)
ref=$(secs "$t0" "$t1")
t0=$(now); $M report --db "$DB" --year 2024 --all-schools -o "$out/all" 2>/dev/null; t1=$(now)
all=$(secs "$t0" "$t1")
n=$(ls "$out/all" | wc -l)
total=$(du -sk "$out/all" | cut -f1)
pages=$(pdfinfo "$out/all/$code.pdf" | awk '/^Pages:/ { print $2 }')
echo "$N schools: $n school PDFs in $all s ($(nproc) workers; $pages pages and" \
     "$(wc -c <"$out/all/$code.pdf") bytes each, $total KiB in all); reference (show one school," \
     "loading the year) $ref s; all reports / reference = $(ratio "$all" "$ref"); target < 60 s"
