#!/bin/sh
# Contests (issue 19 item 6; seed 000 §VII table 1, row 7 «Результативность участия обучающихся
# в мероприятиях различных уровней — федеральный; региональный; муниципальный. При наличии
# победителей и призеров: до 5 до 4»): the contests template loads the example (by its header,
# no --kind needed) and re-imports in place; broken files are refused with row and column and the
# database unchanged; undo removes the batch; on the demo, rating criterion 7 is fed from the
# contests: every school's points equal the act's reading recomputed from the stored rows
# (pupils' winners and prize-winners only; the best level: federal 5, regional 4, municipal 0).
. "$(dirname "$0")/tap.inc"
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb c)
E="$MSOKO_ROOT/examples"
export MSOKO_METHODS="$MSOKO_ROOT/methods"
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null
expect_ok "the example loads by its header" "$M" import --db "$db" "$E/contests-2024.csv"
expect_grep "…as the contests template" "шаблон contests, строк 6, загружено 6" "$T/out"
expect_eq "…a pupil or a teacher by code in each row" \
    "$(q "SELECT count(*) FROM contest WHERE (pupil_code IS NULL) <> (teacher_code IS NULL)")" 6
expect_eq "…levels and results as codes" \
    "$(q "SELECT level || ':' || status FROM contest ORDER BY id" | paste -sd, -)" \
    "federal:prizewinner,regional:winner,municipal:winner,regional:participant,municipal:prizewinner,municipal:participant"
expect_eq "…the teacher's row" "$(q "SELECT teacher_code FROM contest WHERE teacher_code IS NOT NULL")" t0007
expect_ok "re-import" "$M" import --db "$db" --kind contests "$E/contests-2024.csv"
expect_grep "…replaces the schools' rows of the year" "загружено 6, заменено прежних 6" "$T/out"
expect_eq "…no doubles" "$(q "SELECT count(*) FROM contest")" 6

# ---- broken files: row and column, nothing written ----
sum=$("$M" stats --db "$db" --checksum)
H='Год;Код ОО;Уровень;Конкурс;Результат;Код обучающегося;Код педагога'
bad() { # NAME ROW EXPECTED-MESSAGE — the file is $T/bad.csv
    expect_exit 1 "$1" "$M" import --db "$db" --kind contests "$T/bad.csv"
    expect_grep "…says where and why" "$2" "$T/err"
    expect_eq "…the database is unchanged" "$("$M" stats --db "$db" --checksum)" "$sum"
}
printf '%s\n2024;sch100001;федеральный;К1;призёр;p1;\n2024;sch100002;всемирный;К2;победитель;p2;\n' "$H" >"$T/bad.csv"
bad "an unknown level" "bad.csv:3:3: уровень конкурса: неизвестное значение «всемирный»"
printf '%s\n2024;sch100001;федеральный;К1;лауреат;p1;\n' "$H" >"$T/bad.csv"
bad "an unknown result" "bad.csv:2:5: результат: неизвестное значение «лауреат»"
printf '%s\n2024;sch100001;федеральный;К1;призёр;p1;t1\n' "$H" >"$T/bad.csv"
bad "a pupil and a teacher in one row" "bad.csv:2:7: указаны и код обучающегося, и код педагога"
printf '%s\n2024;sch100001;федеральный;К1;призёр;;\n' "$H" >"$T/bad.csv"
bad "no participant" "bad.csv:2:6: не указан участник: код обучающегося или код педагога"
printf '%s\n2024;sch100001;федеральный;;призёр;p1;\n' "$H" >"$T/bad.csv"
bad "no title" "bad.csv:2:4: не указано название конкурса"
printf '%s\n2024;nosuch;региональный;К1;призёр;p1;\n' "$H" >"$T/bad.csv"
bad "an unknown school" "bad.csv:2:2:"
printf 'Год;Код ОО;Конкурс;Результат;Код обучающегося\n2024;sch100001;К1;призёр;p1\n' >"$T/bad.csv"
bad "no level column" "bad.csv:1: нет обязательного столбца «level»"
batch=$(q "SELECT max(id) FROM import_batch WHERE kind = 'contests'")
expect_ok "undo the last contests import" "$M" import --db "$db" --undo "$batch"
expect_eq "…removes its rows" "$(q "SELECT count(*) FROM contest")" 0

# ---- the demo: rating criterion 7 from the contests ----
d=$(newdb demo)
"$M" init --db "$d" >/dev/null
"$M" demo --db "$d" --schools 30 --years 2021-2024 --seed 1 >"$T/demo.out"
expect_grep "the demo has contests" "участников конкурсов" "$T/demo.out"
expect_eq "…of all three levels, pupils and teachers" \
    "$(dbsql "$d" "SELECT count(DISTINCT level) || ' ' || CASE WHEN count(pupil_code) > 0 THEN 1 ELSE 0 END || ' ' || CASE WHEN count(teacher_code) > 0 THEN 1 ELSE 0 END FROM contest WHERE year = 2024")" "3 1 1"
expect_ok "analyze 2024" "$M" analyze --db "$d" --year 2024 --json
jq -r '.rating[] | "\(.school) \(.criteria.contests)"' "$T/out" | sort >"$T/got"
# the act's reading from the rows: a pupil winner or prize-winner at a level gives its points,
# the school gets the best level's (a teacher's prize counts for nothing here)
dbsql "$d" "SELECT s.code || ' ' || coalesce((SELECT max(CASE c.level WHEN 'federal' THEN 5 WHEN 'regional' THEN 4 ELSE 0 END)
    FROM contest c WHERE c.school_id = s.id AND c.year = 2024 AND c.pupil_code IS NOT NULL
    AND c.status IN ('winner', 'prizewinner')), 0) FROM school s ORDER BY s.code" >"$T/want"
expect_eq "every school's criterion 7 = the act's points from the stored rows" "$(cat "$T/got")" "$(cat "$T/want")"
expect_eq "…some schools get 5, some 4, some 0" "$(cut -d' ' -f2 "$T/got" | sort -u | paste -sd,)" "0,4,5"
expect_eq "…the evidence names the levels and the reading" \
    "$(jq -r '[.rating[] | .evidence.contests | select(.points == 5)][0] | "\(.measure) \(.combine) \(.federal > 0)"' "$T/out")" "contest_level best true"
expect_eq "…no school «нет данных» in a year with contests" \
    "$(jq '[.rating[] | .evidence.contests | select(.note == "нет данных")] | length' "$T/out")" 0
expect_ok "the same without the snapshot" "$M" analyze --db "$d" --year 2024 --json --no-snapshot
expect_eq "…the same points" "$(jq -r '.rating[] | "\(.school) \(.criteria.contests)"' "$T/out" | sort)" "$(cat "$T/got")"
done_testing
