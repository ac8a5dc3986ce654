#!/bin/sh
# Procedures of issue 19 п. 4 end to end, on hand-built files with known answers: итоговое
# сочинение «зачёт/незачёт» imports (was «нет столбцов с результатом»), bad words and a
# «зачёт» for ВПР are refused with row and column and leave the database unchanged; the
# procedure page shows participation (participants / (participants + absent)) per school and
# the ОВЗ breakdown (hidden under 5, both groups); the справка's first table is participation
# and it has the сочинение section (pdftotext).
. "$(dirname "$0")/tap.inc"
E="$MSOKO_ROOT/examples"
D="$MSOKO_ROOT/tests/data/procedures"
db=$(newdb p)
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null

expect_ok "итоговое сочинение (зачёт/незачёт) imports" "$M" import --db "$db" "$E/results-essay-2024.csv"
expect_grep "40 rows, 6 absent" "загружено 40 (из них отсутствовали 6)" "$T/out"
expect_eq "stored as ESSAY essay 11" "$(dbsql "$db" "SELECT kind||' '||subject||' '||grade FROM procedure")" "ESSAY essay 11"
expect_eq "31 зачёт, 3 незачёт" "$(dbsql "$db" "SELECT sum(CASE WHEN mark=5 THEN 1 ELSE 0 END)||' '||sum(CASE WHEN mark=2 THEN 1 ELSE 0 END) FROM result")" "31 3"

sum0=$(dbsql "$db" "SELECT count(*), coalesce(sum(mark), 0) FROM result")
expect_exit 1 "a word that is neither зачёт nor незачёт is refused" "$M" import --db "$db" "$D/essay-bad-word-2024.csv"
expect_grep "…with row, column and the word" "essay-bad-word-2024.csv:3:5" "$T/err"
expect_grep "…said in Russian" "ожидается «зачёт» или «незачёт», получено «может быть»" "$T/err"
expect_exit 1 "«зачёт» for a ВПР is refused" "$M" import --db "$db" --grade 5 "$D/vpr-pass-2024.csv"
expect_eq "database unchanged after the refusals" "$(dbsql "$db" "SELECT count(*), coalesce(sum(mark), 0) FROM result")" "$sum0"

expect_ok "ВПР with ОВЗ and absentees imports" "$M" import --db "$db" --grade 5 "$D/vpr-ovz-2024.csv"

# procedure page: participation per school and municipality
j() { python3 -c "import json,sys; d=json.load(open('$T/out')); print($1)"; }
expect_ok "procedure page of the сочинение" "$M" show --db "$db" --year 2024 procedure ESSAY-essay-11
expect_eq "municipal participation 34 of 40" "$(j 'd["participation"]["municipality"]["participants"], d["participation"]["municipality"]["enrolled"], d["participation"]["municipality"]["share"]')" "34 40 0.85"
expect_eq "sch100003: 6 of 10, low" "$(j '[(s["participation"]["share"], s["participation"]["low"]) for s in d["participation"]["schools"] if s["school"]["code"]=="sch100003"][0]')" "(0.6, True)"
expect_eq "sch100002: зачёт 8 of 10" "$(j '[s["pass"]["pass"] for s in d["participation"]["schools"] if s["school"]["code"]=="sch100002"][0]')" "8"
expect_eq "title without the subject twice" "$(j 'd["proc"]["title"]')" "Итоговое сочинение, 11 класс"
expect_ok "procedure page of ВПР" "$M" show --db "$db" --year 2024 procedure VPR-math-5
expect_eq "ВПР sch100001 participation 15 of 20" "$(j '[(s["participation"]["participants"], s["participation"]["share"]) for s in d["participation"]["schools"] if s["school"]["code"]=="sch100001"][0]')" "(15, 0.75)"
expect_eq "ОВЗ: 5 pupils, success 2/5" "$(j 'd["ovz"]["municipality"]["ovz"]["participants"], d["ovz"]["municipality"]["ovz"]["success"]')" "5 0.4"
expect_eq "without ОВЗ: 20 pupils, 1 «2»" "$(j 'd["ovz"]["municipality"]["others"]["participants"], d["ovz"]["municipality"]["others"]["m2"]')" "20 1"
expect_ok "…one school's ОВЗ group" "$M" show --db "$db" --year 2024 procedure VPR-math-5 --school sch100002
expect_eq "no ОВЗ pupil at sch100002: null" "$(j 'd["ovz"]["school"]')" "None"
expect_ok "public page" "$M" show --db "$db" --year 2024 --role public procedure VPR-math-5
expect_eq "public: sch100001's 5 absent shown, share 0.75" "$(j '[s["participation"]["share"] for s in d["participation"]["schools"] if s["school"]["code"]=="sch100001"][0]')" "0.75"
expect_ok "school page" "$M" show --db "$db" --year 2024 school sch100003
expect_eq "school page: сочинение participation 0.6" "$(j '[p["participation"]["share"] for p in d["procedures"] if p["proc"]["kind"]=="ESSAY"][0]')" "0.6"

# the справка: participation first, the сочинение section with its numbers
expect_ok "справка PDF" "$M" report --db "$db" --year 2024 -o "$T/r.pdf"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
first=$(grep -m1 -o "Таблица 1 — [^,]*" "$T/r.txt")
expect_eq "the first table is participation" "$first" "Таблица 1 — Участие в оценочных процедурах"
expect_grep "сочинение: 85,0 % took part" "Итоговое сочинение, 11 класс: участвовали 85,0 %" "$T/r.txt"
expect_grep "…31 of 34 зачёт" "(31 из 34)" "$T/r.txt"
expect_grep "low participation listed" "МКОУ «ООШ с. Ивановка»" "$T/r.txt"
expect_grep "ОВЗ section" "Результаты обучающихся с ОВЗ и без ОВЗ" "$T/r.txt"
tr -s ' ' <"$T/r.txt" >"$T/rs.txt"
expect_grep "participation row: 34 wrote, 6 absent, 85 %, 1 low school" "Итоговое сочинение, 11 класс 34 6 85,0 % 1" "$T/rs.txt"
done_testing
