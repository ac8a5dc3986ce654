#!/bin/sh
# bench/objectivity: precision and recall of the list «ОО с признаками необъективности»
# (msoko analyze, methods/objectivity.ini) against the cases the demo generator planted.
# Two municipalities are built in /tmp: seed 1 with the default mix (30 schools) and seed 7
# with 60 schools. Truth = demo_truth what IN ('inflated', 'weak_medalists'): the list is meant
# to find both marking inflation (signs 1–4) and medals by inflated journal marks (sign 5).
# Scored: the schools of findings with method = 'objectivity' of the latest analysis run of
# 2024. Usage: sh bench/objectivity/run.sh [SEED:SCHOOLS ...]   (DBs are rebuilt every run)
set -eu
cd "$(dirname "$0")/../.."
make -s build/msoko >/dev/null
M=build/msoko
Y=2024
[ $# -gt 0 ] || set -- 1:30 7:60
summary=""
for spec in "$@"; do
    seed=${spec%%:*}
    n=${spec#*:}
    db=/tmp/msoko-bench-objectivity-$seed-$n.db
    rm -f "$db"
    $M init --db "$db" >/dev/null
    $M demo --db "$db" --schools "$n" --years 2021-$Y --seed "$seed" >/dev/null
    $M analyze --db "$db" --year $Y --json >/tmp/msoko-bench-objectivity-$seed.json
    res=$(sqlite3 -separator ' ' "$db" "
      WITH listed AS (
        SELECT DISTINCT f.school_id AS id FROM finding f
        WHERE f.method = 'objectivity'
          AND f.run_id = (SELECT max(id) FROM analysis_run WHERE year = $Y)),
      truth AS (
        SELECT DISTINCT school_id AS id FROM demo_truth
        WHERE what IN ('inflated', 'weak_medalists'))
      SELECT (SELECT count(*) FROM listed),
             (SELECT count(*) FROM truth),
             (SELECT count(*) FROM listed WHERE id IN (SELECT id FROM truth)),
             coalesce((SELECT group_concat(s.code, ',') FROM listed l JOIN school s ON s.id = l.id
                       WHERE l.id NOT IN (SELECT id FROM truth)), '-'),
             coalesce((SELECT group_concat(s.code || '(' || t.what || ')', ',')
                       FROM demo_truth t JOIN school s ON s.id = t.school_id
                       WHERE t.what IN ('inflated', 'weak_medalists')
                         AND t.school_id NOT IN (SELECT id FROM listed)), '-');")
    set -- $res
    listed=$1 truth=$2 tp=$3 fp=$4 fn=$5
    p=$(awk -v t="$tp" -v l="$listed" 'BEGIN{ if (l > 0) printf "%.2f", t/l; else print "n/a"}')
    r=$(awk -v t="$tp" -v l="$truth" 'BEGIN{ if (l > 0) printf "%.2f", t/l; else print "n/a"}')
    echo "seed $seed, $n schools: listed $listed, planted $truth, found $tp; P=$p R=$r;" \
         "false positives: $fp; missed: $fn"
    summary="$summary${summary:+; }seed $seed P=$p R=$r"
done
echo "objectivity detection: $summary"
