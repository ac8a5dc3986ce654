#!/bin/sh
# The objectivity coefficient from re-checked works (issue 16 item 4, INVALSI's method,
# method/obj_coef.h) end to end on the demo: analyze, draw a re-check of ВПР math 5 (the listed
# schools and four control schools), the experts' scores (one point either way at every school,
# two points lower at the schools the demo planted as inflated), analyze again. A planted school
# gets a coefficient below every ordinary school's and its corrected results are lower than the
# raw ones; a school without re-checked works says «нет перепроверенных работ»; a work re-checked
# again counts with its latest round; the school page, the list, its CSV and XLSX, the card and
# the справка show the coefficient.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
q() { dbsql "$db" "$1"; }

expect_ok "before any re-check: analyze --json" "$M" analyze --db "$db" --year 2024 --json
expect_eq "…no school has a coefficient" "$(jq '.indicators.objectivity_coefficient.schools | length' "$T/out")" 0
expect_ok "draw a re-check of ВПР math 5 with four control schools" \
    "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 --control 4 -o "$T/s1.csv"
# experts: ±1 point by row (…, −1, 0, +1, …) everywhere, 2 more points off at planted schools
q "SELECT s.code || ';' || r.pupil_code || ';' || r.primary_score || ';' ||
     (SELECT count(*) FROM demo_truth t WHERE t.school_id = s.id AND t.what = 'inflated')
   FROM recheck_work w JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id
   WHERE w.round_id = 1" >"$T/school.txt"
awk -F';' 'NR == FNR { p[$1 ";" $2] = $3; f[$1 ";" $2] = $4; next }
    FNR == 1 { print "Код ОО;Код участника;Первичный балл"; next }
    { k = $1 ";" $2; x = p[k] + (FNR % 3) - 1; if (f[k] == 1) x -= 2; if (x < 0) x = 0
      print k ";" x }' "$T/school.txt" "$T/s1.csv" >"$T/experts.csv"
expect_ok "import the experts' scores" "$M" recheck import --db "$db" --round 1 "$T/experts.csv"
expect_ok "analyze again" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
planted=$(q "SELECT DISTINCT s.code FROM recheck_work w
             JOIN school s ON s.id = w.school_id JOIN demo_truth t ON t.school_id = s.id
             AND t.what = 'inflated' WHERE w.round_id = 1 ORDER BY s.code" | paste -sd' ' -)
ordinary=$(q "SELECT DISTINCT s.code FROM recheck_work w
              JOIN school s ON s.id = w.school_id WHERE w.round_id = 1 AND s.id NOT IN
              (SELECT school_id FROM demo_truth WHERE what = 'inflated') ORDER BY s.code" | paste -sd' ' -)
[ -n "$planted" ] && [ -n "$ordinary" ] && ok "the round has planted ($planted) and ordinary ($ordinary) schools" ||
    not_ok "the round lacks planted or ordinary schools"
expect_eq "every re-checked school has a coefficient" \
    "$(jq '.indicators.objectivity_coefficient.schools | length' "$T/a.json")" \
    "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1")"
coef() { jq -r --arg s "$1" ".indicators.objectivity_coefficient.schools[\$s].$2" "$T/a.json"; }
maxp=0; minr=9
for s in $planted; do maxp=$(awk -v a="$maxp" -v b="$(coef "$s" coefficient)" 'BEGIN { print (b > a ? b : a) }'); done
for s in $ordinary; do minr=$(awk -v a="$minr" -v b="$(coef "$s" coefficient)" 'BEGIN { print (b < a ? b : a) }'); done
expect_eq "every planted school's coefficient ($maxp at most) is below every ordinary one's ($minr at least)" \
    "$(awk -v a="$maxp" -v b="$minr" 'BEGIN { print (a < b) }')" 1
expect_eq "…and the planted schools' intervals lie below 1" \
    "$(for s in $planted; do coef "$s" 'ci[1]'; done | awk '$1 >= 1 { n++ } END { print n + 0 }')" 0
expect_eq "…the ordinary schools' intervals hold 1" \
    "$(for s in $ordinary; do echo "$(coef "$s" 'ci[0]') $(coef "$s" 'ci[1]')"; done | awk '$1 > 1 || $2 < 1 { n++ } END { print n + 0 }')" 0
p1=${planted%% *}
expect_eq "$p1: the corrected mean primary score is lower than the raw one" \
    "$(jq -r --arg s "$p1" '.indicators.objectivity_coefficient.schools[$s].procedures[0] | (.corrected.mean_primary < .raw.mean_primary)' "$T/a.json")" true
expect_eq "…the corrected share of «4»–«5» no higher, of «2» no lower" \
    "$(jq -r --arg s "$p1" '.indicators.objectivity_coefficient.schools[$s].procedures[0] | (.corrected.share45 <= .raw.share45 and .corrected.share2 >= .raw.share2)' "$T/a.json")" true
expect_eq "…the raw mean is the school's mean primary score of the procedure" \
    "$(jq -r --arg s "$p1" '.indicators.objectivity_coefficient.schools[$s].procedures[0].raw.mean_primary * 1000 | round' "$T/a.json")" \
    "$(q "SELECT CAST(round(avg(r.primary_score) * 1000) AS INTEGER) FROM result r JOIN procedure p ON p.id = r.procedure_id JOIN school s ON s.id = r.school_id WHERE s.code = '$p1' AND p.year = 2024 AND p.kind = 'VPR' AND p.subject = 'math' AND p.grade = 5 AND r.absent = 0 AND r.retake = 0 AND r.past_graduate = 0 AND r.primary_score IS NOT NULL")"
# the ratio by hand: Σ experts / Σ school over the school's works of the round
expect_eq "…its ratio is Σ experts' / Σ school's points" \
    "$(jq -r --arg s "$p1" '.indicators.objectivity_coefficient.schools[$s].ratio * 10000 | round' "$T/a.json")" \
    "$(q "SELECT CAST(round(sum(w.expert_primary) / sum(r.primary_score) * 10000) AS INTEGER) FROM recheck_work w JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id WHERE w.round_id = 1 AND s.code = '$p1'")"
expect_eq "the coefficient is stored with the findings" \
    "$(q "SELECT evidence FROM finding WHERE method = 'indicators' AND run_id = (SELECT max(id) FROM analysis_run)" | jq -r --arg s "$p1" '.objectivity_coefficient.schools[$s].coefficient | type')" number
listed1=$(q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'objectivity' AND f.run_id = (SELECT max(id) FROM analysis_run) AND s.code = '$p1'")
expect_eq "…and beside the listed school's signs" \
    "$(q "SELECT evidence FROM finding WHERE method = 'objectivity' AND run_id = (SELECT max(id) FROM analysis_run) AND school_id = (SELECT id FROM school WHERE code = '$p1')" | jq -r .coefficient.works)" 10
[ "$listed1" = "$p1" ] || not_ok "$p1 is not listed"
none=$(q "SELECT code FROM school WHERE id NOT IN (SELECT school_id FROM recheck_work) ORDER BY code LIMIT 1")
expect_ok "show school $none (no re-checked works)" "$M" show --db "$db" --year 2024 school "$none"
expect_eq "…says «нет перепроверенных работ», no coefficient" "$(jq -c '[.coefficient.none, .coefficient.text, .coefficient.coefficient]' "$T/out")" '[true,"нет перепроверенных работ",null]'
expect_ok "show school $p1" "$M" show --db "$db" --year 2024 school "$p1"
expect_grep "…the coefficient's sentence" "эксперты подтвердили" "$T/out"
expect_ok "…the public gets no coefficient" "$M" show --db "$db" --year 2024 --role public school "$p1"
expect_eq "…(null)" "$(jq -c '.coefficient' "$T/out")" null
expect_ok "show list objectivity" "$M" show --db "$db" --year 2024 list objectivity
expect_eq "…lists every re-checked school's coefficient, listed and control" "$(jq '.coefficients | length' "$T/out")" \
    "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1")"
expect_eq "…the control schools are marked not listed" "$(jq '[.coefficients[] | select(.listed | not)] | length' "$T/out")" \
    "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1 AND control = 1")"

# a second round of the same works (same seed), scored as the school did: the latest counts
expect_ok "draw the same works again" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 --control 4 -o "$T/s2.csv"
awk -F';' 'NR == FNR { p[$1 ";" $2] = $3; next } FNR == 1 { print "Код ОО;Код участника;Первичный балл"; next }
    { print $1 ";" $2 ";" p[$1 ";" $2] }' "$T/school.txt" "$T/s2.csv" >"$T/same.csv"
expect_ok "experts confirm every score in round 2" "$M" recheck import --db "$db" --round 2 "$T/same.csv"
expect_ok "analyze" "$M" analyze --db "$db" --year 2024 --json
expect_eq "…each work counts once, with its latest round: coefficient 1, interval [1, 1]" \
    "$(jq -c --arg s "$p1" '.indicators.objectivity_coefficient.schools[$s] | [.works, .coefficient, .ci]' "$T/out")" '[10,1,[1,1]]'
expect_ok "round 3 gives the first scores back" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 --control 4 -o "$T/s3.csv"
expect_ok "…imported" "$M" recheck import --db "$db" --round 3 "$T/experts.csv"
"$M" analyze --db "$db" --year 2024 >/dev/null

# pages over HTTP: the school page, the list with its CSV and XLSX, the card; the справка
command -v curl >/dev/null || { ok "# SKIP curl missing"; done_testing; exit; }
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
get() { curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar" -c "$T/jar" "$@"; }
: >"$T/jar"; get "$U/login" >/dev/null
c=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
get "$U/login" --data-urlencode "csrf=$c" --data-urlencode login=ann --data-urlencode password=ann-pass-12 >/dev/null
expect_eq "the school page" "$(get "$U/schools/$p1?year=2024")" 200
expect_grep "…has the coefficient's section" 'id="coefficient"' "$T/body"
expect_grep "…with raw and corrected results side by side" "Средний первичный балл</th><th scope=\"col\" class=\"num\">С поправкой" "$T/body"
get "$U/schools/$none?year=2024" >/dev/null
expect_grep "a school without re-checked works says so" "нет перепроверенных работ" "$T/body"
expect_eq "the objectivity list" "$(get "$U/lists/objectivity?year=2024")" 200
expect_grep "…has the coefficients' table" 'id="coefficients"' "$T/body"
expect_grep "…and the link to the XLSX" "format=xlsx" "$T/body"
get "$U/lists/objectivity?year=2024&format=csv" >/dev/null
expect_grep "the list's CSV has the coefficient column" "Коэффициент объективности;95 % интервал" "$T/body"
expect_eq "…a value for $p1" "$(grep "^$p1;" "$T/body" | awk -F';' '{ print ($(NF-1) != "") }')" 1
expect_eq "the list's XLSX" "$(get "$U/lists/objectivity?year=2024&format=xlsx")" 200
cp "$T/body" "$T/o.xlsx"
X2T="$MSOKO_ROOT/build/tools/xlsx2tsv"
if [ -x "$X2T" ]; then
    "$X2T" "$T/o.xlsx" "Коэффициент объективности" >"$T/coef.tsv"
    expect_grep "…its sheet of coefficients has raw and corrected columns" "Средний балл с поправкой" "$T/coef.tsv"
    expect_eq "…a row per re-checked school" "$(($(wc -l <"$T/coef.tsv") - 1))" \
        "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1")"
else
    ok "# SKIP build/tools/xlsx2tsv not built"
fi
expect_eq "the card of $p1's flag" "$(get "$U/schools/$p1/flags/objectivity?year=2024")" 200
expect_grep "…shows the coefficient" "Коэффициент объективности по перепроверке работ" "$T/body"
kill -TERM "$pid"; wait "$pid"
expect_ok "the справка of the municipality" "$M" report --db "$db" --year 2024 --format html -o "$T/r.html"
expect_grep "…says what the coefficient found" "вычислен для" "$T/r.html"
expect_ok "the справка of $p1" "$M" report --db "$db" --year 2024 --format html --school "$p1" -o "$T/s.html"
expect_grep "…raw → corrected" "средний первичный балл" "$T/s.html"
expect_ok "the справка of $none" "$M" report --db "$db" --year 2024 --format html --school "$none" -o "$T/n.html"
expect_grep "…no re-checked works" "нет перепроверенных работ" "$T/n.html"
done_testing
