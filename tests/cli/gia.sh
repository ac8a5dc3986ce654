#!/bin/sh
# The procedures of issue 19 п. 5 end to end, on hand-built files with known answers
# (tests/data/gia): ГВЭ-11 beside ЕГЭ per school and subject; trial ЕГЭ and ОГЭ as their own
# kinds, against the real exam of the year (mean and share of «2», the difference); admission to
# ГИА from the итоговое собеседование (a retake that passes admits, an absent pupil does not);
# 9th graders with honours («Аттестат с отличием») against their ОГЭ marks; repeaters and the
# 10th → 11th grade retention from the context; НИКО, метапредметная диагностика and готовность
# к школе with levels in the mark column; a level for ВПР refused with row and column. Then the
# school and procedure pages and the справка (pdftotext) show them.
. "$(dirname "$0")/tap.inc"
E="$MSOKO_ROOT/examples"
D="$MSOKO_ROOT/tests/data/gia"
db=$(newdb g)
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null

for f in ege-rus-2024 trial-ege-rus-2024 gve11-rus-2024 oge-math-2024 trial-oge-math-2024 \
    graduates9-2024 interview-2024 context-2024 context-wide-2024 niko-math6-2024 meta-2024 \
    ready-2024; do
    expect_ok "$f imports" "$M" import --db "$db" "$D/$f.csv"
done
expect_eq "kinds stored" "$(dbsql "$db" "SELECT kind||':'||subject||':'||grade FROM procedure ORDER BY kind" | paste -sd' ' -)" \
    "EGE:rus:11 EGE_T:rus:11 GVE11:rus:11 INTERVIEW:interview:9 META:meta:6 NIKO:math:6 OGE:math:9 OGE_T:math:9 READY:ready:1"
expect_eq "НИКО levels stored as marks 5 5 4 4 4 3 3 3 3 2" "$(dbsql "$db" "SELECT r.mark FROM result r JOIN procedure p ON p.id = r.procedure_id WHERE p.kind = 'NIKO' ORDER BY CAST(substr(r.pupil_code, 2) AS INTEGER)" | tr -d '\n')" "5544433332"

sum0=$(dbsql "$db" "SELECT count(*), coalesce(sum(mark), 0) FROM result")
expect_exit 1 "a level for ВПР is refused" "$M" import --db "$db" "$D/vpr-level-2024.csv"
expect_grep "…with row and column" "vpr-level-2024.csv:3:7: уровень «высокий» бывает только у диагностических работ" "$T/err"
expect_eq "database unchanged" "$(dbsql "$db" "SELECT count(*), coalesce(sum(mark), 0) FROM result")" "$sum0"

j() { python3 -c "import json,sys; d=json.load(open('$T/out')); print($1)"; }
expect_ok "gia page" "$M" show --db "$db" --year 2024 gia
expect_eq "ЕГЭ/ГВЭ sch100001: ЕГЭ 6 pupils mean 53.33, ГВЭ mean mark 3.4, «2» 0.2" \
    "$(j '[(r["exam"]["participants"], round(r["exam"]["mean"],2), r["gve"]["mean"], r["gve"]["share2"]) for r in d["ege_gve"] if r["school"] and r["school"]["code"]=="sch100001"][0]')" "(6, 53.33, 3.4, 0.2)"
expect_eq "trial ЕГЭ sch100002: 30 → 70, «2» 0.4 → 0" \
    "$(j '[(r["trial"]["mean"], r["real"]["mean"], r["diff_mean"], r["diff_share2"]) for r in d["trial"] if r["school"] and r["school"]["code"]=="sch100002"][0]')" "(30.0, 70.0, 40.0, -0.4)"
expect_eq "trial ОГЭ sch100001: mean mark 2.8 → 3.8" \
    "$(j '[(r["trial"]["mean"], r["real"]["mean"], r["trial"]["share2"]) for r in d["trial"] if r["exam_kind"]=="OGE" and r["school"]][0]')" "(2.8, 3.8, 0.4)"
expect_eq "admission: 5 of 6 (retake passes, absent does not)" \
    "$(j '[(r["pupils"], r["admitted"]) for r in d["admission"] if r["school"] is None][0]')" "(6, 5)"
expect_eq "honours: 3, below «5» 2, with «3» 1, a signal" \
    "$(j '[(r["honours"], r["below5"], r["three"], r["signal"]) for r in d["honours"] if r["school"]][0]')" "(3, 2, 1, True)"
expect_eq "retention 18 of 20, repeaters 3 of 300" \
    "$(j '[(r["retention"], r["repeaters_share"]) for r in d["contingent"] if r["school"] and r["school"]["code"]=="sch100001"][0]')" "(0.9, 0.01)"
expect_eq "wide context by its Russian name: sch100002 repeaters 2" \
    "$(j '[r["repeaters"] for r in d["contingent"] if r["school"] and r["school"]["code"]=="sch100002"][0]')" "2.0"
expect_eq "НИКО levels 0.1 0.4 0.3 0.2" \
    "$(j '[(l["share2"], l["share3"], l["share4"], l["share5"]) for x in d["diagnostics"] if x["proc"]["kind"]=="NIKO" for l in [x["levels"]]][0]')" "(0.1, 0.4, 0.3, 0.2)"
expect_ok "public gia page" "$M" show --db "$db" --year 2024 --role public gia
expect_eq "public: no honours rows" "$(j 'len(d["honours"])')" "0"
expect_eq "public: 1 pupil not admitted — admitted hidden" "$(j '[r["admitted"] for r in d["admission"] if r["school"] is None][0]')" "None"

expect_ok "dashboard" "$M" show --db "$db" --year 2024 dashboard
expect_eq "the procedure list names every new kind" "$(j 'sorted(p["proc"]["kind"] for p in d["procedures"])')" \
    "['EGE', 'EGE_T', 'GVE11', 'INTERVIEW', 'META', 'NIKO', 'OGE', 'OGE_T', 'READY']"
expect_ok "gia as another school's operator" "$M" show --db "$db" --year 2024 --role school:sch100002 gia
expect_eq "…sees no honours of sch100001, nor the total" "$(j 'len(d["honours"])')" "0"
expect_ok "school page" "$M" show --db "$db" --year 2024 school sch100001
expect_eq "school page carries its trial rows" "$(j 'len(d["gia"]["trial"]), d["gia"]["honours"][0]["three"]')" "2 1"
# seed 003 п. 1.8 «Анализ результатов выпускников 9 классов, достигших особых успехов в
# обучении»: the honours with a «3» on ОГЭ give sch100001 an addressed recommendation (issue 19)
expect_eq "…an addressed recommendation for the honours with a «3» on ОГЭ" \
    "$(j '[(r["school"]["code"], r["finding"].endswith("получили «3» на ОГЭ — 1"), "п. 1.8" in r["act"]) for r in d["recommendations"] if r["rule"] == "honours_three"]')" \
    "[('sch100001', True, True)]"
expect_ok "school page of sch100002 (no honours)" "$M" show --db "$db" --year 2024 school sch100002
expect_eq "…no such recommendation" "$(j 'sum(r["rule"] == "honours_three" for r in d["recommendations"])')" "0"
expect_ok "trial procedure page" "$M" show --db "$db" --year 2024 procedure EGE_T-rus-11
expect_eq "procedure page: trial against ЕГЭ, municipality first" "$(j 'd["trial"][0]["school"], round(d["trial"][0]["diff_mean"],2)')" "None 23.64"
expect_eq "procedure title" "$(j 'd["proc"]["title"]')" "Пробный ЕГЭ, русский язык, 11 класс"

expect_ok "справка PDF" "$M" report --db "$db" --year 2024 -o "$T/r.pdf"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
tr -s ' ' <"$T/r.txt" >"$T/rs.txt"
expect_grep "section" "ГИА, пробные экзамены, диагностики и контингент" "$T/r.txt"
expect_grep "ЕГЭ/ГВЭ table" "Результаты ЕГЭ (ОГЭ) и ГВЭ по предметам, 2024 год" "$T/r.txt"
expect_grep "trial row sch100002: 30,0 40,0 % 70,0 0,0 % 40,0" "30,0 40,0 % 70,0 0,0 % 40,0" "$T/rs.txt"
expect_grep "admission row" "Итоговое собеседование, 9 класс 6 5 83,3 %" "$T/rs.txt"
expect_grep "honours sentence" "Школ, где у выпускника с аттестатом с отличием есть «3» на ОГЭ: 1." "$T/rs.txt"
expect_grep "retention row" "МБОУ «СОШ № 1» 3 1,0 % 20 18 90,0 %" "$T/rs.txt"
expect_grep "diagnostics row" "НИКО, математика, 6 класс 10 100,0 % 10,0 % 40,0 % 30,0 % 20,0 %" "$T/rs.txt"
tr '\n' ' ' <"$T/rs.txt" | tr -s ' ' >"$T/r1.txt"
expect_grep "act named, not a seed" "(Дорожная карта МСОКО г. Кизляра, п. 1.10)" "$T/r1.txt"
expect_ok "school справка" "$M" report --db "$db" --year 2024 --school sch100001 -o "$T/s.pdf"
pdftotext -layout "$T/s.pdf" "$T/s.txt"
expect_grep "school справка: trial table" "Пробные экзамены и экзамены того же года" "$T/s.txt"
tr '\n' ' ' <"$T/s.txt" | tr -s ' ' >"$T/s1.txt"
expect_grep "…its recommendation on the honours" "аттестат с отличием, по предметам, где на ОГЭ получена отметка «3»" "$T/s1.txt"

# a database made before migration 15 gets the kinds, subjects and elements on its next open
# (SQLite only: the file is rewound with PRAGMA user_version, SQLite's own schema version)
if [ "${MSOKO_TEST_STORE:-sqlite}" = sqlite ]; then
old=$(newdb old)
# the objects of the migrations after 15, so they can run again on the rewound file
LATER="DROP TABLE moved_row; DROP INDEX school_municipality; ALTER TABLE user DROP COLUMN regional; ALTER TABLE user DROP COLUMN municipality_id; ALTER TABLE school DROP COLUMN municipality_id; DROP TABLE municipality; DROP INDEX finding_run; DROP INDEX submission_waiting; DROP INDEX data_value_element; DROP INDEX registry_row_filter; DROP TABLE registry_row; DROP TABLE contest; DROP INDEX decision_direction; ALTER TABLE decision DROP COLUMN direction;"
"$M" init --db "$old" >/dev/null
dbsql "$old" "DELETE FROM proc_kind WHERE code IN ('OGE_T','EGE_T','META','READY'); DELETE FROM subject WHERE code IN ('meta','ready'); DELETE FROM data_element WHERE code IN ('pupils_repeaters','pupils_grade10','pupils_grade11'); $LATER PRAGMA user_version = 14;"
expect_ok "an old database opens" "$M" import --db "$old" --kind schools "$E/schools.csv"
expect_eq "migration 15: 4 kinds, 2 subjects, 3 elements after the others" \
    "$(dbsql "$old" "SELECT (SELECT count(*) FROM proc_kind WHERE code IN ('OGE_T','EGE_T','META','READY')) || ' ' || (SELECT count(*) FROM subject WHERE code IN ('meta','ready')) || ' ' || (SELECT group_concat(ord, ',') FROM (SELECT ord FROM data_element WHERE code IN ('pupils_repeaters','pupils_grade10','pupils_grade11') ORDER BY ord))")" "4 2 16,17,18"
expect_ok "…and takes a trial ЕГЭ" "$M" import --db "$old" "$D/trial-ege-rus-2024.csv"
fi

# the school page of the web (an analyst): the trial table, admission, honours, contingent
"$M" user add ann --role analyst --password 'ann-pass-123' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
jar="$T/ann.jar"
curl -s -o "$T/body" -c "$jar" "$U/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$tok" --data-urlencode "login=ann" \
    --data-urlencode "password=ann-pass-123" "$U/login"
curl -s -o "$T/page.html" -b "$jar" "$U/schools/sch100001?year=2024"
expect_grep "web school page: trial section" "Пробные экзамены и ГИА" "$T/page.html"
expect_grep "…trial ЕГЭ mean 43,3" ">43,3<" "$T/page.html"
expect_grep "…admission" "допущены 5 из 6" "$T/page.html"
expect_grep "…honours with the signal" "признак возможной необъективности отметок" "$T/page.html"
expect_grep "…retention" "18 из 20 (90,0" "$T/page.html"
curl -s -o "$T/proc.html" -b "$jar" "$U/procedures/EGE_T-rus-11?year=2024"
expect_grep "web procedure page of the trial: the table" "Пробный экзамен и экзамен того же года" "$T/proc.html"
expect_grep "…municipal difference 23,6" ">23,6<" "$T/proc.html"
kill "$pid"
wait "$pid" 2>/dev/null
done_testing
