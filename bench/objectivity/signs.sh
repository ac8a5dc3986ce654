#!/bin/sh
# Which sign fires at which school: the diagnostic behind docs/methods.md («Что было не так»).
# For each municipality built by bench/objectivity/run.sh (or any demo DB analysed for 2024),
# one line per school and sign: the school, its type, what the generator planted there ("-" =
# nothing) and the sign's findings as procedure=value/threshold. Schools listed without
# anything planted come first: they are the false positives to explain. Only listed schools
# have findings: to see every sign, analyse again with a copy of methods/objectivity.ini that
# says min_signs = 1 (msoko analyze --db DB --year 2024 --methods /tmp/x/objectivity.ini).
# Usage: sh bench/objectivity/signs.sh [DB ...]   (default: the DBs of the last run.sh)
set -eu
[ $# -gt 0 ] || set -- /tmp/msoko-bench-objectivity-*.db
for db in "$@"; do
    echo "== $db"
    sqlite3 -separator ' ' "$db" "
      WITH f AS (SELECT * FROM finding WHERE method = 'objectivity'
                   AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)),
      s AS (SELECT f.school_id, json_extract(j.value, '$.sign') AS sign,
                   json_extract(j.value, '$.kind') || ':' || json_extract(j.value, '$.subject')
                   || ':' || json_extract(j.value, '$.grade') || '='
                   || round(json_extract(j.value, '$.value'), 3) || '/'
                   || round(json_extract(j.value, '$.threshold'), 3) AS what
            FROM f, json_each(f.evidence, '$.signs') j),
      t AS (SELECT school_id, group_concat(what) AS planted FROM demo_truth GROUP BY school_id)
      SELECT sc.code, sc.type, coalesce(t.planted, '-'), s.sign, group_concat(s.what, ' ')
      FROM s JOIN school sc ON sc.id = s.school_id LEFT JOIN t ON t.school_id = s.school_id
      GROUP BY s.school_id, s.sign
      ORDER BY coalesce(t.planted, '-') LIKE '%inflated%' OR coalesce(t.planted, '-') LIKE '%weak%',
               sc.code;"
done
