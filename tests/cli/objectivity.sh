#!/bin/sh
# Detection power of the list «ОО с признаками необъективности» (issue 5, METHODS.md §2) on two
# demo municipalities of different size and mix: seed 1 with 30 schools (the demo of `make
# demo`) and seed 3 with 45. Truth = demo_truth 'inflated' and 'weak_medalists' (what the
# generator planted); the list must find at least 90 % of them (recall) and at least 80 % of
# it must be planted (precision), with methods/objectivity.ini. bench/objectivity/run.sh prints
# the same figures for more seeds.
. "$(dirname "$0")/tap.inc"
for spec in 1:30 3:45; do
    seed=${spec%%:*} n=${spec#*:}
    db=$(newdb "demo-$seed")
    "$M" init --db "$db" >/dev/null
    "$M" demo --db "$db" --schools "$n" --seed "$seed" >/dev/null
    expect_ok "seed $seed, $n schools: analyze 2024" \
        env MSOKO_METHODS="$MSOKO_ROOT/methods" "$M" analyze --db "$db" --year 2024 --json
    cp "$T/out" "$T/a-$seed.json"
    set -- $(dbsql "$db" "
      WITH listed AS (SELECT DISTINCT school_id AS id FROM finding WHERE method = 'objectivity'
                        AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)),
           truth AS (SELECT DISTINCT school_id AS id FROM demo_truth
                     WHERE what IN ('inflated', 'weak_medalists'))
      SELECT (SELECT count(*) FROM listed), (SELECT count(*) FROM truth),
             (SELECT count(*) FROM listed WHERE id IN (SELECT id FROM truth))" | tr '|' ' ')
    listed=$1 truth=$2 tp=$3
    # P ≥ 0.8 ⇔ 5·tp ≥ 4·listed; R ≥ 0.9 ⇔ 10·tp ≥ 9·truth
    if [ "$truth" -gt 0 ] && [ $((10 * tp)) -ge $((9 * truth)) ]; then
        ok "seed $seed: recall $tp/$truth ≥ 0.9"
    else not_ok "seed $seed: recall $tp/$truth ≥ 0.9"; fi
    if [ "$listed" -gt 0 ] && [ $((5 * tp)) -ge $((4 * listed)) ]; then
        ok "seed $seed: precision $tp/$listed ≥ 0.8"
    else not_ok "seed $seed: precision $tp/$listed ≥ 0.8"; fi
    # no planted low-result school is listed: the peaks sign no longer mistakes a weak school's
    # «3» cut-off in the middle of its distribution for a peak
    expect_eq "seed $seed: no ШНОР school in the list" "$(dbsql "$db" "
      SELECT count(*) FROM finding f JOIN demo_truth t ON t.school_id = f.school_id
      WHERE f.method = 'objectivity' AND t.what = 'low_results'
        AND f.run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)")" 0
done
# every listed school has two signs, or a peak or a medal alone ([objectivity] min_signs = 2,
# alone_signs = medal, boundary_peaks)
bad=$(jq '[.objectivity[] | [.signs[].sign] | unique
           | select(length < 2 and (index("medal") == null) and (index("boundary_peaks") == null))]
          | length' "$T/a-1.json")
expect_eq "seed 1: each listed school meets min_signs or alone_signs" "$bad" 0
# a peak finding carries the school-wide test it was decided by
expect_eq "seed 1: peaks carry school_total with its p-value below 0.01" "$(jq '[.objectivity[].signs[]
    | select(.sign == "boundary_peaks") | .school_total.p_value < 0.01] | all' "$T/a-1.json")" true
done_testing
