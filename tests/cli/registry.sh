#!/bin/sh
# Registries of the acts (issue 15 items 2–3; seed 001 п. 1.13, 4.8, 7.4, 8.x, 9.x): every kind's
# example file loads (CSV in CP1251 and UTF-8, XLSX); a broken file is refused with each bad row
# and column named and the database unchanged (checksum before and after); a pupil's name is
# refused in the gifted registry; fill-gifted adds the municipal-and-higher winners and prizers
# of the year's olympiads, as counted in the database, once; confirm is the analyst's, with an
# audit row; the teachers per school are the hand-counted figures of the example; over HTTP a
# school operator sees and loads only their own school's rows, the public gets no registry.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 missing (scripts/deps.sh)"; exit 0; }
db=$(newdb reg)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01T09:00:00Z
E="$MSOKO_ROOT/examples"
q() { dbsql "$db" "$1"; }
# rj WHERE FILTER: jq's FILTER over the array of the data of the registry rows WHERE picks
# (json_extract is SQLite's spelling)
rj() { q "SELECT data FROM registry_row WHERE $1 ORDER BY code" | jq -rs "$2"; }
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null
"$M" import --db "$db" --kind olympiads "$E/olympiads-2024.csv" >/dev/null

# ---- good files of every kind ----
for k in teacher teacher_course expert gifted reserve practice; do
    expect_ok "the example of $k loads" "$M" registry import --db "$db" --kind $k "$E/registry-$k-2024.csv"
done
expect_eq "…teachers: 7 rows (CP1251 file)" "$(q "SELECT count(*) FROM registry_row WHERE kind='teacher'")" 7
expect_eq "…a choice is stored as its code, yes/no as 1/0, a decimal comma as a number" \
    "$(rj "kind='teacher' AND code='t100002-01'" '.[] | "\(.category) \(.young) \(.load_hours)"')" "conformity 0 22.5"
expect_eq "…a date as ISO" "$(rj "kind='teacher_course' AND code='t100002-01'" '.[].start')" "2024-01-15"
expect_eq "…one audit row per file" "$(q "SELECT count(*) FROM audit WHERE action='registry.import'")" 6
expect_ok "the XLSX of teachers loads and replaces the rows of its schools" "$M" registry import --db "$db" --kind teacher "$E/registry-teacher-2024.xlsx"
expect_grep "…replaced 7" "записано 7, заменено 7" "$T/out"
expect_eq "…still 7 rows" "$(q "SELECT count(*) FROM registry_row WHERE kind='teacher'")" 7

# ---- the teachers per school, counted by hand from the example files ----
expect_ok "teachers per school" "$M" registry teachers --db "$db" --year 2024
# sch100001: 4 teachers, высшая 2, первая 1, СЗД 0, без категории 1, young 1, mentors 2, hours 36+72, deficits 3
expect_grep "…sch100001" "$(printf 'sch100001\t4\t2\t1\t0\t1\t1\t2\t108\t3')" "$T/out"
expect_grep "…sch100002" "$(printf 'sch100002\t2\t0\t1\t1\t0\t1\t0\t60\t1')" "$T/out"
expect_grep "…the total" "$(printf 'Всего\t7\t3\t2\t1\t1\t2\t3\t168\t5')" "$T/out"
expect_ok "list with a filter by a choice's word" "$M" registry list --db "$db" --kind teacher --where category=высшая --json
expect_eq "…3 rows" "$(grep -c '"code": "t1' "$T/out")" 3

# ---- a broken file: every error with its row and column, nothing written ----
sum=$("$M" stats --db "$db" --checksum)
printf 'Код педагога;Код ОО;Год;Должность;Квалификационная категория;Молодой специалист;Нагрузка, часов в неделю\r\nt9;sch100001;2024;учитель;высшая;нет;20\r\nt10;sch100001;2024;учитель;вторая;нет;20\r\nt11;nosuch;2024;учитель;первая;может быть;900\r\n' >"$T/bad.csv"
expect_exit 1 "a broken teachers file is refused" "$M" registry import --db "$db" --kind teacher "$T/bad.csv"
expect_grep "…row 3, column 5: an unknown category" "bad.csv:3:5: «Квалификационная категория»: «вторая» — ожидается одно из: высшая, первая, соответствие, без категории" "$T/err"
expect_grep "…row 4, column 2: an unknown school" "bad.csv:4:2: «Код ОО»: школы с кодом «nosuch» нет" "$T/err"
expect_grep "…row 4, column 6: not yes/no" "bad.csv:4:6: «Молодой специалист»: «может быть»" "$T/err"
expect_grep "…row 4, column 7: out of range" "bad.csv:4:7: «Нагрузка, часов в неделю»: «900»" "$T/err"
expect_grep "…nothing written" "ошибок: 4 — ничего не записано" "$T/err"
printf 'Код педагога;Код ОО;Год;Должность\r\nt1;sch100001;2024;учитель\r\n' >"$T/nocol.csv"
expect_exit 1 "a file without a required column" "$M" registry import --db "$db" --kind teacher "$T/nocol.csv"
expect_grep "…named" "нет обязательного столбца «Квалификационная категория»" "$T/err"
printf 'ФИО;Код обучающегося;Код ОО;Предмет;Основание\r\nИванов Иван;o1;sch100001;Математика;конкурс\r\n' >"$T/fio.csv"
expect_exit 1 "a names column in the gifted registry" "$M" registry import --db "$db" --kind gifted --year 2024 "$T/fio.csv"
expect_grep "…refused with its column" "fio.csv:1:1: столбец «ФИО» — имена людей" "$T/err"
printf 'Код обучающегося;Код ОО;Предмет;Основание\r\nИванов Иван;sch100001;Математика;конкурс\r\n' >"$T/fio2.csv"
expect_exit 1 "a name in the pupil's code column" "$M" registry import --db "$db" --kind gifted --year 2024 "$T/fio2.csv"
expect_grep "…refused" "fio2.csv:2:1: «Код обучающегося»: «Иванов Иван» похоже на фамилию и имя" "$T/err"
printf 'Код педагога;Код ОО;Год;Должность;Квалификационная категория;Молодой специалист\r\nt1;sch100001;2024;учитель;высшая;нет\r\nt1;sch100001;2024;учитель;первая;нет\r\n' >"$T/dup.csv"
expect_exit 1 "the same teacher twice" "$M" registry import --db "$db" --kind teacher "$T/dup.csv"
expect_grep "…row 3 names row 2" "dup.csv:3: строка повторяет строку 2" "$T/err"
expect_eq "…the database is as it was" "$("$M" stats --db "$db" --checksum)" "$sum"

# ---- gifted pupils from the olympiads (seed 001 п. 4.8) ----
want=$(q "SELECT count(*) FROM (SELECT DISTINCT school_id, pupil_code, subject FROM olympiad_result WHERE year=2024 AND stage IN ('municipal','regional','final') AND status IN ('winner','prizewinner')) AS w")
have=$(q "SELECT count(*) FROM registry_row r WHERE kind='gifted' AND year=2024 AND EXISTS(SELECT 1 FROM olympiad_result o JOIN subject s ON s.code=o.subject WHERE o.year=2024 AND o.school_id=r.school_id AND o.pupil_code=r.code AND o.stage IN ('municipal','regional','final') AND o.status IN ('winner','prizewinner'))")
expect_eq "the olympiads have winners and prizers (${want})" "$([ "$want" -gt 0 ] && echo yes)" yes
expect_ok "fill-gifted" "$M" registry fill-gifted --db "$db" --year 2024
expect_grep "…counts the olympiad results" "результатов олимпиад (победители и призёры муниципального и выше этапов) $want," "$T/out"
all=$(rj "kind='gifted' AND year=2024" 'map(select(.stage != null)) | length')
expect_eq "…every one is a row; the $have the import had are kept as they were" "$((all + have))" "$want"
expect_eq "…unconfirmed" "$(rj "kind='gifted'" 'map(select(.stage != null and (.confirmed == 1 or .confirmed == true))) | length')" 0
expect_eq "…the basis names the stage and status" "$(rj "kind='gifted'" 'map(select((.basis // "") | startswith("ВсОШ, муниципальный этап, "))) | length')" "$all"
n=$(q "SELECT count(*) FROM registry_row WHERE kind='gifted'")
expect_ok "fill-gifted again" "$M" registry fill-gifted --db "$db" --year 2024
expect_grep "…adds nothing" "добавлено строк 0" "$T/out"
expect_eq "…no duplicates" "$(q "SELECT count(*) FROM registry_row WHERE kind='gifted'")" "$n"
pupil=$(q "SELECT code || '|' || data FROM registry_row WHERE kind='gifted' ORDER BY code" |
    while IFS='|' read -r c d; do printf '%s' "$d" | jq -e '.stage != null' >/dev/null && { echo "$c"; break; }; done)
"$M" user add op --role school --school sch100001 --password op-pass-123 --db "$db" >/dev/null
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
expect_exit 1 "a school operator cannot confirm" "$M" registry confirm --db "$db" --code "$pupil" --user op
expect_ok "the analyst confirms $pupil" "$M" registry confirm --db "$db" --code "$pupil" --user ann
expect_eq "…confirmed" "$(rj "kind='gifted' AND code='$pupil'" 'map(.confirmed | if . == true then 1 else . end | tostring) | join(",")')" 1
expect_eq "…one audit row by ann" "$(q "SELECT \"user\" || ' ' || action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1")" "ann registry.confirm registry:gifted:$pupil"
expect_ok "export CSV" "$M" registry export --db "$db" --kind teacher --output "$T/t.csv"
expect_ok "…which loads back unchanged" "$M" registry import --db "$db" --kind teacher "$T/t.csv"
expect_grep "…7 rows" "строк 7, записано 7, заменено 7" "$T/out"
expect_ok "export XLSX" "$M" registry export --db "$db" --kind expert --output "$T/e.xlsx"
expect_ok "…which loads back" "$M" registry import --db "$db" --kind expert "$T/e.xlsx"
printf 'Код обучающегося;Код ОО;Год;Класс;Предмет;Основание;Подтверждено аналитиком\r\no001099;sch100001;2024;7;Химия;конкурс;да\r\n' >"$T/conf.csv"
expect_exit 1 "a school operator cannot load a confirmed gifted pupil" "$M" registry import --db "$db" --kind gifted --user op "$T/conf.csv"
expect_grep "…told why" "conf.csv:2:7: «Подтверждено аналитиком»: подтверждает аналитик" "$T/err"
expect_ok "the operator's list at the console" "$M" registry list --db "$db" --kind teacher --user op
expect_eq "…its school only" "$(grep -c sch100002 "$T/out")" 0

# ---- over HTTP ----
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
st() {
    jar=$1; path=$2; shift 2
    curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"
}
expect_status() { # NAME WANT JAR PATH [curl args…]
    name=$1; want=$2; shift 2
    got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 800 "$T/body" | sed 's/^/#   /'; fi
}
login() { : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
pub="$T/pub.jar"; an="$T/an.jar"; op="$T/op.jar"; : >"$pub"
login "$an" ann ann-pass-12
login "$op" op op-pass-123

for p in /registries /registries/teacher "/registries/teacher?format=csv" "/registries/gifted?format=xlsx" /registries/teacher/new; do
    expect_status "the public: $p is closed" 401 "$pub" "$p"
    expect_eq "…and shows no row" "$(grep -c 't100001\|o001000' "$T/body")" 0
done
expect_status "the public's open data" 200 "$pub" /open
expect_eq "…links no registry" "$(grep -c 'href="/registries' "$T/body")" 0
expect_status "the analyst: teachers" 200 "$an" /registries/teacher
expect_grep "…sch100002's rows too" "t100002-01" "$T/body"
expect_status "the analyst: registries with the teachers per school" 200 "$an" "/registries?year=2024"
expect_grep "…sch100001's hours of courses" '<td data-label="Часов курсов за 3 года" class="num">108</td>' "$T/body"
expect_status "the analyst: search by category" 200 "$an" "/registries/teacher?f_category=conformity"
expect_grep "…finds one" "Найдено строк: 1" "$T/body"
expect_status "the analyst: search by a choice's word" 200 "$an" "/registries/teacher?q=%D0%B2%D1%8B%D1%81%D1%88%D0%B0%D1%8F"
expect_grep "…finds the three with высшая" "Найдено строк: 3" "$T/body"
expect_status "the operator: teachers" 200 "$op" /registries/teacher
expect_grep "…its own rows" "t100001-01" "$T/body"
expect_eq "…no other school's" "$(grep -c 't100002\|t100003' "$T/body")" 0
expect_status "the operator: CSV" 200 "$op" "/registries/teacher?format=csv"
expect_eq "…its 4 rows and the header" "$(grep -c . "$T/body")" 5
expect_eq "…no other school" "$(grep -c sch100002 "$T/body")" 0
expect_status "the operator: gifted, search by another school" 200 "$op" "/registries/gifted?school=sch100002"
expect_eq "…still only its own" "$(grep -c 'o002001' "$T/body")" 0
other=$(q "SELECT id FROM registry_row WHERE kind='teacher' AND code='t100002-01'")
expect_status "the operator: another school's row" 403 "$op" "/registries/teacher/$other"
own=$(q "SELECT id FROM registry_row WHERE kind='teacher' AND code='t100001-01'")
expect_status "…its own row's form" 200 "$op" "/registries/teacher/$own"
expect_grep "…filled in" 'value="t100001-01"' "$T/body"
expect_status "…but not under another kind's address" 404 "$op" "/registries/expert/$own"
st "$op" /registries/teacher >/dev/null; tok=$(csrf_of)
sum=$("$M" stats --db "$db" --checksum)
expect_status "the operator uploads a file with another school's row" 422 "$op" /registries/teacher/upload -F "csrf=$tok" -F "file=@$E/registry-teacher-2024.csv"
expect_grep "…refused with the row" "строка 6, столбец 2:" "$T/body"
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
LC_ALL=C grep -av 'sch10000[23]' "$E/registry-teacher-2024.csv" >"$T/own.csv"
st "$op" /registries/teacher >/dev/null; tok=$(csrf_of)
expect_status "the operator uploads its own rows" 200 "$op" /registries/teacher/upload -F "csrf=$tok" -F "file=@$T/own.csv"
expect_grep "…loaded" "записано строк 4, заменено 4" "$T/body"
st "$op" /registries/teacher/new >/dev/null; tok=$(csrf_of)
expect_status "the operator adds a teacher with the form" 303 "$op" /registries/teacher/new --data-urlencode "csrf=$tok" \
    --data-urlencode v_code=t100001-09 --data-urlencode v_school=sch100001 --data-urlencode v_year=2024 --data-urlencode v_position=teacher \
    --data-urlencode v_category=first --data-urlencode v_young=да --data-urlencode v_load_hours=18
expect_eq "…written with an audit row" "$(rj "code='t100001-09'" '.[].category') $(q "SELECT action FROM audit ORDER BY id DESC LIMIT 1")" "first registry.add"
st "$op" /registries/teacher/new >/dev/null; tok=$(csrf_of)
expect_status "…but not for another school" 422 "$op" /registries/teacher/new --data-urlencode "csrf=$tok" \
    --data-urlencode v_code=t100002-09 --data-urlencode v_school=sch100002 --data-urlencode v_year=2024 --data-urlencode v_position=teacher \
    --data-urlencode v_category=first --data-urlencode v_young=нет
expect_eq "…nothing written" "$(q "SELECT count(*) FROM registry_row WHERE code='t100002-09'")" 0
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done_testing
