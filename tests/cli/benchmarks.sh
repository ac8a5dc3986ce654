#!/bin/sh
# What msoko compares with (issue 19), end to end: a year's scale changes a pupil's mark
# against the default; the example scales load and say they are examples; a ФИС ОКО statistics
# file with RF, region and municipality rows imports and the school page shows the four levels;
# external lists import and the reconciliation names the differences.
. "$(dirname "$0")/tap.inc"
E="$MSOKO_ROOT/examples"
db=$(newdb b)
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null

# ---- scales per year ----
printf '%s\n' 'Год;Вид процедуры;Предмет;Параллель;Код ОО;Код участника;Первичный балл' \
    '2024;ВПР;Математика;5;sch100001;p1;12' '2025;ВПР;Математика;5;sch100001;p1;12' >"$T/r.csv"
mark() { dbsql "$db" "SELECT r.mark FROM result r JOIN procedure p ON p.id=r.procedure_id WHERE p.year=$1 AND r.pupil_code='p1'"; }
expect_ok "results of 2024 and 2025 load" "$M" import --db "$db" "$T/r.csv"
expect_eq "2025 before its scale: the default gives «4» to 12 points" "$(mark 2025)" 4
expect_ok "the example scales of 2025 load (recognised by their header)" "$M" import --db "$db" "$E/scales-vpr-2025.csv"
expect_grep "the template is named" "шаблон scales" "$T/out"
cat "$T/out" "$T/err" >"$T/all"
expect_grep "a scale after results says to load the results again" "загрузите файлы результатов заново" "$T/all"
expect_eq "ten scales of 2025" "$(dbsql "$db" "SELECT count(*) FROM scale WHERE year=2025")" 10
expect_ok "results loaded again" "$M" import --db "$db" "$T/r.csv"
expect_eq "2025: the year's scale gives «3» to 12 points" "$(mark 2025)" 3
expect_eq "2024: the default still gives «4»" "$(mark 2024)" 4
expect_ok "show procedure" "$M" show --db "$db" --year 2025 procedure VPR-math-5
expect_grep "the page shows the scale's year" '"year": 2025,' "$T/out"
expect_grep "and that it is an example" '"example": true' "$T/out"
expect_ok "show procedure of 2024" "$M" show --db "$db" --year 2024 procedure VPR-math-5
expect_grep "2024 runs on the default" '"example": false' "$T/out"
printf '%s\n' 'Год;Вид процедуры;Предмет;Максимальный балл;Минимальный балл;Первичный балл;Тестовый балл' \
    '2025;ЕГЭ;Русский язык;50;24;;' '2025;ЕГЭ;Русский язык;;;1;3' '2025;ЕГЭ;Русский язык;;;2;5' >"$T/ege.csv"
expect_ok "an ЕГЭ scale with its primary → test table" "$M" import --db "$db" --kind scales "$T/ege.csv"
expect_eq "two pairs" "$(dbsql "$db" "SELECT count(*) FROM scale_point")" 2
expect_ok "re-import" "$M" import --db "$db" --kind scales "$T/ege.csv"
expect_eq "still two pairs" "$(dbsql "$db" "SELECT count(*) FROM scale_point")" 2
printf '%s\n' 'Год;Вид процедуры;Предмет;Код ОО;Код участника;Первичный балл' \
    '2025;ЕГЭ;Русский язык;sch100001;e1;2' '2025;ЕГЭ;Русский язык;sch100001;e2;7' >"$T/ege-r.csv"
expect_ok "ЕГЭ results with primary scores only" "$M" import --db "$db" "$T/ege-r.csv"
expect_eq "the year's table gives the test score; a score not in it stays unknown" "$(dbsql "$db" "SELECT coalesce(CAST(test_score AS TEXT), '-') FROM result WHERE pupil_code IN ('e1','e2') ORDER BY pupil_code" | paste -sd' ' -)" "5 -"
last=$("$M" import --db "$db" --list | tail -1 | cut -f1)
"$M" import --db "$db" --undo "$last" >/dev/null
last=$(dbsql "$db" "SELECT max(id) FROM import_batch WHERE kind='scales'")
expect_ok "undo the ЕГЭ scale" "$M" import --db "$db" --undo "$last"
expect_eq "the 2025 ЕГЭ scale is gone" "$(dbsql "$db" "SELECT count(*) FROM scale WHERE year=2025 AND kind='EGE'")" 0
printf '%s\n' 'Год;Вид процедуры;Предмет;Параллель;Максимальный балл;Отметка 3 от;Отметка 4 от' \
    '2025;ВПР;Математика;6;16;10;6' >"$T/bad.csv"
expect_exit 1 "boundaries out of order are refused" "$M" import --db "$db" --kind scales "$T/bad.csv"
expect_grep "and the message says which" "отметка «4» должна начинаться с большего балла" "$T/err"

# ---- benchmarks: RF, region and municipality rows of «Статистика по отметкам» ----
expect_ok "a statistics file with RF, region and municipality rows imports" "$M" import --db "$db" "$E/statistics-vpr-math5-2024.csv"
expect_grep "as aggregates" "шаблон aggregates, строк 5, загружено 5" "$T/out"
expect_eq "three benchmarks of the procedure" "$(dbsql "$db" "SELECT level || ':' || participants FROM benchmark ORDER BY level" | paste -sd' ' -)" "municipality:412 region:61210 rf:1312455"
expect_eq "with the names the file gives" "$(dbsql "$db" "SELECT name FROM benchmark ORDER BY level" | paste -sd'|' -)" "муниципальный район Северский|Краснодарский край|Вся выборка"
expect_eq "only schools become school aggregates" "$(dbsql "$db" "SELECT count(*) FROM result_aggregate")" 2
expect_ok "show school" "$M" show --db "$db" --year 2024 school sch100002
levels() { python3 -c 'import json,sys; d=json.load(sys.stdin); p=[x for x in d["procedures"] if x["proc"]["key"]=="VPR-math-5"][0]; print(p["nlevels"], " ".join(l["level"] for l in p["levels"]), round(p["region"]["quality"], 4), round(p["rf"]["quality"], 4))' <"$T/out"; }
expect_eq "the school page shows school, municipality, region and RF" "$(levels)" "4 municipality region rf 0.608 0.5532"
expect_ok "show procedure" "$M" show --db "$db" --year 2024 procedure VPR-math-5
expect_grep "the procedure page names the region" '"name": "Краснодарский край"' "$T/out"
expect_ok "re-import" "$M" import --db "$db" "$E/statistics-vpr-math5-2024.csv"
expect_grep "replaces the benchmarks" "заменено прежних 3" "$T/out"
expect_eq "still three benchmarks" "$(dbsql "$db" "SELECT count(*) FROM benchmark")" 3
printf '%s\n' 'Год;Вид процедуры;Предмет;Параллель;Код ОО;Кол-во участников;2;3;4;5' \
    '2024;ВПР;Математика;5;Российская Федерация;10;1;2;3;4' '2024;ВПР;Математика;5;РФ;10;1;2;3;4' \
    '2024;ВПР;Математика;5;субъект;5;1;2;3;4' >"$T/dup.csv"
expect_exit 1 "the RF twice in one file is refused" "$M" import --db "$db" --kind aggregates "$T/dup.csv"
expect_grep "the message says it" "уже была выше в файле" "$T/err"
expect_grep "and a sum above the participants too" "сумма отметок (10) больше числа участников (5)" "$T/err"
last=$("$M" import --db "$db" --list | tail -1 | cut -f1)
expect_ok "undo the statistics file" "$M" import --db "$db" --undo "$last"
expect_eq "its benchmarks are gone" "$(dbsql "$db" "SELECT count(*) FROM benchmark")" 0

# ---- external lists and the reconciliation ----
expect_ok "the example lists load (recognised by their header)" "$M" import --db "$db" "$E/lists-2024.csv"
expect_grep "as lists" "шаблон lists, строк 4, загружено 4" "$T/out"
expect_ok "re-import replaces" "$M" import --db "$db" "$E/lists-2024.csv"
expect_eq "still four rows" "$(dbsql "$db" "SELECT count(*) FROM external_list")" 4
last=$("$M" import --db "$db" --list | tail -1 | cut -f1)
expect_ok "undo the lists" "$M" import --db "$db" --undo "$last"
expect_eq "the lists are gone" "$(dbsql "$db" "SELECT count(*) FROM external_list")" 0
printf '%s\n' 'Год;Код ОО;Список' '2024;sch100001;чёрный список' '2024;sch999999;ШНОР' >"$T/badlist.csv"
expect_exit 1 "an unknown list and school are refused" "$M" import --db "$db" "$T/badlist.csv"
expect_grep "the list is named" "неизвестный список «чёрный список»" "$T/err"
expect_grep "the school too" "школа «sch999999» не найдена" "$T/err"

d=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$d" >/dev/null
"$M" demo --db "$d" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" analyze --db "$d" --year 2024 >/dev/null
codes() { "$M" show --db "$d" --year 2024 list "$1" | sed -n 's/.*"code": "\(sch[0-9]*\)".*/\1/p' | sort -u | tr '\n' ' '; }
ours=$(codes shnor)
set -- $ours
first=$1; second=$2
other=sch000001
case " $ours " in *" $other "*) other=sch000002 ;; esac
printf '%s\n' 'Год;Код ОО;Список;Основание' "2024;$first;ШНОР ФИОКО;" \
    "2024;$other;ШНОР ФИОКО;низкие результаты два года" >"$T/fioko.csv"
expect_ok "ФИОКО's ШНОР list imports" "$M" import --db "$d" "$T/fioko.csv"
expect_ok "show reconcile" "$M" show --db "$d" --year 2024 reconcile
rec() { python3 -c 'import json,sys; d=json.load(sys.stdin); l=[x for x in d["lists"] if x["list"]=="shnor_fioko"][0]; print(" ".join(x["school"]["code"] for x in l[sys.argv[1]]))' "$1" <"$T/out"; }
expect_eq "in both: the school on both lists" "$(rec both)" "$first"
expect_eq "only theirs: the school msoko did not list" "$(rec only_theirs)" "$other"
expect_grep "with their reason" '"reason": "низкие результаты два года"' "$T/out"
case " $(rec only_ours) " in *" $second "*) ok "only ours: msoko's other ШНОР school" ;; *) not_ok "only ours lacks $second: $(rec only_ours)" ;; esac
expect_grep "their lists not loaded are said to be so" '"loaded": false' "$T/out"
expect_exit 1 "a school operator may not reconcile" "$M" show --db "$d" --year 2024 --role school:sch000001 reconcile

# ---- the web pages ----
expect_ok "user add analyst" "$M" user add ann --role analyst --password 'ann-pass-12' --db "$d"
printf '%s\n' 'ВПР 2024. Математика. 5 класс. Статистика по отметкам' 'Код ОО;Кол-во участников;2;3;4;5' \
    'Вся выборка;1312455;136495;449860;476420;249680' 'Краснодарский край;61210;4652;19343;23932;13283' >"$T/st.csv"
expect_ok "RF and region rows alone import into the demo" "$M" import --db "$d" "$T/st.csv"
expect_ok "the municipal report" "$M" report --db "$d" --year 2024 --format html -o "$T/m.html"
expect_grep "sets the municipality beside the region and the RF" "Муниципалитет, регион и Российская Федерация, 2024 год" "$T/m.html"
expect_ok "show benchmarks" "$M" show --db "$d" --year 2024 benchmarks
expect_eq "one procedure, three levels" "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["procedures"]), " ".join(l["level"] for l in d["procedures"][0]["levels"]))' <"$T/out")" "1 municipality region rf"
expect_ok "the school's report" "$M" report --db "$d" --year 2024 --school "$first" --format html -o "$T/s.html"
expect_grep "has the four levels side by side" "Школа, муниципалитет, регион и Российская Федерация, 2024 год" "$T/s.html"
expect_grep "naming the region" "Регион (Краснодарский край)" "$T/s.html"
"$M" serve --db "$d" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
if [ -n "$U" ] && command -v curl >/dev/null; then
    jar="$T/jar"; : >"$jar"
    curl -s -o "$T/body" -b "$jar" -c "$jar" "$U/login"
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$tok" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
    code=$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" "$U/lists/reconcile?year=2024")
    expect_eq "GET /lists/reconcile" "$code" 200
    expect_grep "the page names the only-theirs school" "только в их списке</td><td><a href=\"/schools/$other?year=2024\">" "$T/body"
    expect_grep "and says which list is not loaded" "за 2024 год не загружен" "$T/body"
    curl -s -o "$T/body" -b "$jar" "$U/lists/shnor?year=2024"
    expect_grep "the ШНОР list links to the reconciliation" 'href="/lists/reconcile?year=2024"' "$T/body"
    code=$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" "$U/schools/$first?year=2024")
    expect_eq "GET the school page" "$code" 200
    expect_grep "it has a row for the region" "<td>регион</td>" "$T/body"
    expect_grep "and for the RF" "<td>Российская Федерация</td>" "$T/body"
    code=$(curl -s -o "$T/body" -w '%{http_code}' "$U/open/schools/$first?year=2024")
    expect_eq "GET the open school page" "$code" 200
    expect_grep "the public sees the RF beside the school too" "<td>Российская Федерация</td>" "$T/body"
    code=$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" "$U/procedures/VPR-math-5?year=2024")
    expect_grep "the procedure page names the region" "Регион (Краснодарский край)" "$T/body"
    code=$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" "$U/lists/reconcile?year=2024&format=json")
    expect_grep "the same view model as JSON" '"n_only_theirs"' "$T/body"
else
    not_ok "serve did not start"; cat "$T/serve.log"
fi
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

done_testing
