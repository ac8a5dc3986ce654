#!/bin/sh
# msoko show: the view models the web pages and the report are built from. The dashboard agrees
# with analyze --json; roles: the public never sees a cell of fewer than 5 pupils nor the
# lists of findings; a school operator sees its own school and is refused another's.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" analyze --db "$db" --year 2024 --json >"$T/a.json"
j() { jq -r "$1" "$2"; }

expect_ok "dashboard" "$M" show --db "$db" --year 2024 dashboard
cp "$T/out" "$T/d.json"
expect_eq "ШНОР count = analyze" "$(j '.lists.shnor.count' "$T/d.json")" "$(j '.shnor|length' "$T/a.json")"
expect_eq "risk count = analyze" "$(j '.lists.risk.count' "$T/d.json")" "$(j '.risk|length' "$T/a.json")"
expect_eq "objectivity count = analyze" "$(j '.lists.objectivity.count' "$T/d.json")" "$(j '.objectivity|length' "$T/a.json")"
expect_eq "rating top = analyze" "$(j '.rating.top[0].school.code' "$T/d.json")" "$(j '.rating[0].school' "$T/a.json")"
expect_eq "objectivity index = analyze" "$(j '.indicators[] | select(.key=="objectivity_index") | .value' "$T/d.json")" "$(j '.indicators.objectivity_index' "$T/a.json")"
expect_eq "30 schools" "$(j '.counts.schools' "$T/d.json")" 30
parts=$(dbsql "$db" "SELECT count(*) FROM result r JOIN procedure p ON p.id=r.procedure_id WHERE p.year=2024 AND r.absent=0 AND r.retake=0 AND r.past_graduate=0")
aggs=$(dbsql "$db" "SELECT coalesce(sum(a.participants),0) FROM result_aggregate a JOIN procedure p ON p.id=a.procedure_id WHERE p.year=2024")
expect_eq "participants = counted rows + aggregates" "$(j '.counts.participants' "$T/d.json")" $((parts + aggs))

shnor=$(j '.shnor[0].school' "$T/a.json")
expect_ok "school page of a ШНОР school" "$M" show --db "$db" --year 2024 school "$shnor"
cp "$T/out" "$T/s.json"
expect_grep "…shows the ШНОР badge" '"shnor"' "$T/s.json"
expect_grep "…and why" "получили «2» — порог 30 %" "$T/s.json"
expect_eq "…with 3+ years of dynamics" "$(j '[.dynamics[] | select((.points|length) >= 3)] | length > 0' "$T/s.json")" true
m2=$(dbsql "$db" "SELECT count(*) FROM result r JOIN procedure p ON p.id=r.procedure_id JOIN school s ON s.id=r.school_id WHERE p.year=2024 AND p.kind='VPR' AND p.subject='math' AND p.grade=5 AND s.code='$shnor' AND r.mark=2 AND r.absent=0 AND r.retake=0")
expect_eq "«2» count of ВПР math 5 = the database" "$(j '.procedures[] | select(.proc.key=="VPR-math-5") | .school.m2' "$T/s.json")" "$m2"

expect_ok "procedure page" "$M" show --db "$db" --year 2024 procedure VPR-math-5 --school "$shnor"
cp "$T/out" "$T/p.json"
expect_eq "histogram sums to participants with a score" "$(j '.histogram.school | add' "$T/p.json")" \
    "$(dbsql "$db" "SELECT count(*) FROM result r JOIN procedure p ON p.id=r.procedure_id JOIN school s ON s.id=r.school_id WHERE p.year=2024 AND p.kind='VPR' AND p.subject='math' AND p.grade=5 AND s.code='$shnor' AND r.absent=0 AND r.retake=0 AND r.primary_score IS NOT NULL")"
expect_eq "cut-offs from the scale" "$(j '.scale.cut3' "$T/p.json")" 7
expect_eq "journal table adds up" "$(j '.journal.school | .lowered + .confirmed + .raised == .n' "$T/p.json")" true
expect_eq "tasks have municipal success" "$(j '.tasks | length > 5' "$T/p.json")" true
# the tasks where the school lags most: the (at most 3) most negative differences ≤ −5 p.p.
want=$(j '[.tasks[] | select(.diff != null and .diff <= -0.05)] | sort_by(.diff) | .[:3] | map(.label) | join(",")' "$T/p.json")
expect_eq "…the tasks the school lags most, most behind first" "$(j '.tasks_lag | map(.label) | join(",")' "$T/p.json")" "$want"
expect_eq "…and the ШНОР school does lag somewhere" "$(j '.tasks_lag | length > 0' "$T/p.json")" true
expect_eq "…marked in the table" "$(j '[.tasks[] | select(.lag)] | length' "$T/p.json")" "$(j '.tasks_lag | length' "$T/p.json")"
expect_exit 1 "an unknown procedure" "$M" show --db "$db" --year 2024 procedure VPR-math-99
expect_grep "…says so" "процедуры «VPR-math-99» в 2024 году нет" "$T/err"
expect_exit 1 "an unknown school" "$M" show --db "$db" --year 2024 school nosuch
expect_exit 1 "an unknown list" "$M" show --db "$db" --year 2024 list nosuch

# a school of 3 pupils: imported the way a department would
"$M" import --db "$db" "$MSOKO_ROOT/examples/schools.csv" >/dev/null
head -4 "$MSOKO_ROOT/examples/results-vpr-math5-2024.csv" >"$T/three.csv"
expect_ok "import a class of 3" "$M" import --db "$db" "$T/three.csv"
small=$(iconv -f cp1251 -t utf-8 "$T/three.csv" | sed -n 2p | cut -d';' -f5)
expect_ok "analyst sees the class of 3" "$M" show --db "$db" --year 2024 school "$small"
expect_eq "…with its counts" "$(j '.procedures[] | select(.proc.key=="VPR-math-5") | .school.participants' "$T/out")" 3
expect_eq "…and marks" "$(j '.procedures[] | select(.proc.key=="VPR-math-5") | .school.m5 != null' "$T/out")" true
expect_ok "the class of 3 on the procedure page" "$M" show --db "$db" --year 2024 procedure VPR-math-5 --school "$small"
expect_eq "…names no lagging task from 3 works" "$(j '.tasks_lag | length' "$T/out")" 0
expect_ok "public school page" "$M" show --db "$db" --year 2024 --role public school "$small"
cp "$T/out" "$T/pub.json"
expect_eq "public: the cell of 3 is suppressed" "$(j '.procedures[] | select(.proc.key=="VPR-math-5") | .school.suppressed' "$T/pub.json")" true
expect_eq "public: no mark counts of it" "$(j '[.procedures[] | select(.proc.key=="VPR-math-5") | .school | .m2, .m3, .m4, .m5, .share2, .mean_primary] | map(select(. != null)) | length' "$T/pub.json")" 0
expect_eq "public: not even its size" "$(j '.procedures[] | select(.proc.key=="VPR-math-5") | .school.participants' "$T/pub.json")" null
expect_eq "public: no findings" "$(j '.findings | length' "$T/pub.json")" 0
expect_ok "public procedure page" "$M" show --db "$db" --year 2024 --role public procedure VPR-math-5
expect_eq "public: the row of 3 is suppressed there too" "$(j ".schools[] | select(.school.code==\"$small\") | .marks.m2" "$T/out")" null
expect_eq "public: no histogram bar under 5" "$(j '[.histogram.municipality[] | select(. != null and . < 5 and . > 0)] | length' "$T/out")" 0
expect_ok "public dashboard" "$M" show --db "$db" --year 2024 --role public dashboard
expect_eq "public: list counts without names" "$(j '.lists.shnor | [.count > 0, (.schools|length)] | @csv' "$T/out")" "true,0"
expect_exit 1 "public: the ШНОР list is refused" "$M" show --db "$db" --year 2024 --role public list shnor
expect_ok "public: the rating is open" "$M" show --db "$db" --year 2024 --role public list rating

expect_ok "operator: own school" "$M" show --db "$db" --year 2024 --role "school:$shnor" school "$shnor"
expect_grep "…with its findings" "получили «2»" "$T/out"
other=$(j '.rating[0].school' "$T/a.json")
expect_exit 1 "operator: another school is refused" "$M" show --db "$db" --year 2024 --role "school:$shnor" school "$other"
expect_grep "…naming who may see it" "доступна её оператору, аналитику и администратору" "$T/err"
expect_exit 1 "operator: the ШНОР list is refused, as on the web (view_list_allowed)" "$M" show --db "$db" --year 2024 --role "school:$other" list shnor
expect_grep "…saying what it may open" "открыт рейтинг ОО" "$T/err"
expect_ok "operator: the rating is open" "$M" show --db "$db" --year 2024 --role "school:$other" list rating
expect_eq "…its own row whole (with the evidence)" "$(j "[.items[] | select(.school.code==\"$other\") | has(\"evidence\")] | @csv" "$T/out")" "true"
expect_eq "…every other row in the public form (no evidence)" "$(j "[.items[] | select(.school.code!=\"$other\") | select(has(\"evidence\"))] | length" "$T/out")" 0
expect_ok "years" "$M" show --db "$db" years
expect_eq "…newest first" "$(j '.[0]' "$T/out")" 2024
expect_exit 2 "no page" "$M" show --db "$db" --year 2024
done_testing
