#!/bin/sh
# Per-sign precision and recall against the planted cases: each DB of bench/objectivity/run.sh
# is analysed again with min_signs = 1 (every sign lists a school by itself), then for each
# sign: schools it marks, how many of them are planted (inflated or weak_medalists) and how
# many of the planted it marks. P = planted marked / marked; R = planted marked / planted.
# The demo plants inflated grade-4 results, journal marks, generous checking and copied works
# (sign 7) in its inflated schools; not turned-over task profiles or rise-then-fall cohorts:
# signs 6 and 8 only meet noise there.
# Usage: sh bench/objectivity/persign.sh [DB ...]   (default: the DBs of the last run.sh)
set -eu
cd "$(dirname "$0")/../.."
M=build/msoko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^min_signs *=.*/min_signs = 1/' methods/objectivity.ini >"$tmp/objectivity.ini"
[ $# -gt 0 ] || set -- /tmp/msoko-bench-objectivity-*.db
for db in "$@"; do
    $M analyze --db "$db" --year 2024 --methods "$tmp/objectivity.ini" --json >/dev/null
    echo "== $db"
    sqlite3 -separator ' ' "$db" "
      WITH f AS (SELECT * FROM finding WHERE method = 'objectivity'
                   AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)),
      s AS (SELECT DISTINCT f.school_id AS id, json_extract(j.value, '$.sign') AS sign
            FROM f, json_each(f.evidence, '$.signs') j),
      t AS (SELECT DISTINCT school_id AS id FROM demo_truth
            WHERE what IN ('inflated', 'weak_medalists'))
      SELECT sign, count(*), sum(id IN (SELECT id FROM t)), (SELECT count(*) FROM t)
      FROM s GROUP BY sign ORDER BY sign;" |
        awk '{ printf "%-18s marked %3d, planted among them %3d of %3d; P=%.2f R=%.2f\n",
                      $1, $2, $3, $4, $3 / $2, $3 / $4 }'
done
