#!/bin/sh
# bench/demo: `msoko demo --schools N` (default 2000, a whole region) over 2021–2024: rows,
# seconds, peak memory. Reference in the same script: SQLite copying the same result rows
# into a fresh database with the same schema (INSERT … SELECT), i.e. the bare cost of
# writing them on this machine; the ratio says how much the generator adds.
# Then the first analysis after it, which writes the model snapshot, against the rows.
# Usage: sh bench/demo/run.sh [SCHOOLS]
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
W=$(mktemp -d /tmp/msoko-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
make -s build/msoko >/dev/null
M=build/msoko
now() { date +%s.%N; }
$M init --db "$W/d.db" >/dev/null
t0=$(now)
/usr/bin/time -f "%M" -o "$W/rss" $M demo --db "$W/d.db" --schools "$N" --years 2021-2024 >"$W/out"
t1=$(now)
demo=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
rows=$(sqlite3 "$W/d.db" "SELECT count(*) FROM result")
echo "demo: $N schools, $rows result rows, $demo s, peak $(($(cat "$W/rss") / 1024)) MB"
$M init --db "$W/c.db" >/dev/null
t0=$(now)
sqlite3 "$W/c.db" "ATTACH '$W/d.db' AS d; PRAGMA foreign_keys=OFF; BEGIN;
  INSERT INTO school SELECT * FROM d.school; INSERT INTO procedure SELECT * FROM d.procedure;
  INSERT INTO result SELECT * FROM d.result; COMMIT;"
t1=$(now)
ref=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
echo "reference (SQLite copying the same rows): $ref s; demo / reference = $(awk -v a="$demo" -v b="$ref" 'BEGIN{printf "%.2f", a/b}')"
# the first analysis after the demo writes the model snapshot of its years (a read-only
# command such as `msoko show` cannot, and reads the rows until one has: docs/performance.md);
# against the same analysis from the rows, then the second analysis, from the snapshot
export MSOKO_METHODS=methods
secs_of() { t0=$(now); "$@" >/dev/null; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}'; }
first=$(secs_of $M analyze --db "$W/d.db" --year 2024 --json)
again=$(secs_of $M analyze --db "$W/d.db" --year 2024 --json)
rows=$(secs_of $M analyze --db "$W/d.db" --year 2024 --json --no-snapshot)
echo "first analysis after the demo (writes the snapshot): $first s; again: $again s; from the rows: $rows s;" \
    "first / rows = $(awk -v a="$first" -v b="$rows" 'BEGIN{printf "%.2f", a/b}')," \
    "again / rows = $(awk -v a="$again" -v b="$rows" 'BEGIN{printf "%.2f", a/b}')"
