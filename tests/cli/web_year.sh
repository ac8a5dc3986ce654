#!/bin/sh
# The analyst's year in the browser, over HTTP with curl (issue 14): the import form's year is
# optional (the file's own year wins, a chosen year only fills a file without one, a conflict
# names both), the error sits on its field and the chosen file is kept; the list of schools
# never asks for a year.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
export MSOKO_METHODS="$MSOKO_ROOT/methods"
X="$MSOKO_ROOT/examples"
db=$(newdb empty)
"$M" init --db "$db" >/dev/null
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null

# the CLI: the same rule (one import for both doors)
cdb=$(newdb cli)
"$M" init --db "$cdb" >/dev/null
"$M" import --db "$cdb" "$X/schools.csv" >/dev/null
expect_exit 1 "CLI: a chosen year that differs from the file's is refused" \
    "$M" import --db "$cdb" --year 2024 "$X/f1-vpr-math5-2023.xlsx"
expect_grep "…naming both years" "в файле указан 2023 год, а для загрузки выбран 2024" "$T/err"
expect_ok "CLI: the same year as the file's loads" "$M" import --db "$cdb" --year 2023 "$X/f1-vpr-math5-2023.xlsx"
expect_eq "…as 2023" "$(dbsql "$cdb" "SELECT DISTINCT year FROM procedure ORDER BY year" | paste -sd, -)" 2023

serve() { # DB: start msoko serve, set U and pid
    "$M" serve --db "$1" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
    pid=$!
    U=""
    for i in $(seq 1 100); do
        U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
        [ -n "$U" ] && break
        sleep 0.1
    done
    [ -n "$U" ] && ok "serve listens ($U)" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
}
st() { # JAR PATH [curl args…]: the status; body in $T/body, headers in $T/hdr
    jar=$1; path=$2; shift 2
    curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"
}
expect_status() { # NAME WANT JAR PATH [curl args…]
    name=$1; want=$2; shift 2
    got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 600 "$T/body" | sed 's/^/#   /'; fi
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
field_of() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
login() { # JAR LOGIN PASSWORD
    : >"$1"
    st "$1" /login >/dev/null
    st "$1" /login --data-urlencode "csrf=$(csrf_of)" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null
}
no_grep() { # NAME PATTERN FILE
    if grep -qF -- "$2" "$3"; then not_ok "$1: «$2» found"; else ok "$1"; fi
}

serve "$db"
a="$T/a.jar"
login "$a" ann 'ann-pass-12'
expect_status "empty database: the import form" 200 "$a" /imports
expect_grep "…the year is empty, «из файла»" 'id="year" name="year" inputmode="numeric" value="" placeholder="из файла"' "$T/body"
no_grep "…never «0»" 'value="0"' "$T/body"
c=$(csrf_of)
expect_status "the list of schools checks with the year left empty" 200 "$a" /imports -F "csrf=$c" -F "file=@$X/schools.csv" -F kind= -F year=
expect_grep "…no errors" "Ошибок нет: строк 5" "$T/body"
expect_status "a wrong year is an error" 422 "$a" /imports -F "csrf=$c" -F "file=@$X/schools.csv" -F kind= -F year=20x4
expect_grep "…on the year field" '<p class="error-message" id="year-error">Год: ожидается число' "$T/body"
expect_grep "…the summary links to the year field" 'href="#year"' "$T/body"
no_grep "…not on the file field" 'id="file-error"' "$T/body"
expect_grep "…the chosen file is kept and named" 'Выбран файл «schools.csv»' "$T/body"
tok=$(field_of token)
expect_status "…checked again without choosing it anew" 200 "$a" /imports -F "csrf=$c" -F "token=$tok" -F "name=schools.csv" -F kind= -F year=
expect_grep "…no errors" "Ошибок нет: строк 5" "$T/body"
tok=$(field_of token)
expect_status "…and loaded" 303 "$a" /imports/confirm -F "csrf=$c" -F "token=$tok" -F "name=schools.csv" -F kind= -F year=
expect_status "the list of schools chosen by name never asks for a year" 200 "$a" /imports -F "csrf=$c" -F "file=@$X/schools.csv" -F kind=schools -F year=
expect_grep "…the year field is hidden" 'id="year-field" hidden' "$T/body"
expect_status "…and ignores a stray year" 200 "$a" /imports -F "csrf=$c" -F "file=@$X/schools.csv" -F kind=schools -F year=0
expect_status "the file's own year wins over nothing chosen" 200 "$a" /imports -F "csrf=$c" -F "file=@$X/f1-vpr-math5-2023.xlsx" -F kind= -F year=
expect_grep "…loads as 2023" "Охват: ВПР, математика, 5 класс, 2023" "$T/body"
expect_status "a chosen year that differs from the file's" 422 "$a" /imports -F "csrf=$c" -F "file=@$X/f1-vpr-math5-2023.xlsx" -F kind= -F year=2024
expect_grep "…is an error naming both" "в файле указан 2023 год, а для загрузки выбран 2024" "$T/body"
expect_grep "…the chosen year is shown back" 'id="year" name="year" inputmode="numeric" value="2024"' "$T/body"
expect_grep "…the file is kept" 'Выбран файл «f1-vpr-math5-2023.xlsx»' "$T/body"
tok=$(field_of token)
expect_status "…cleared, the kept file checks" 200 "$a" /imports -F "csrf=$c" -F "token=$tok" -F "name=f1-vpr-math5-2023.xlsx" -F kind= -F year=
expect_grep "…as 2023" "Охват: ВПР, математика, 5 класс, 2023" "$T/body"
printf 'Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\nВПР;математика;6;sch100001;y001;10;4\n' >"$T/noyear.csv"
expect_status "a file without a year and none chosen" 422 "$a" /imports -F "csrf=$c" -F "file=@$T/noyear.csv" -F kind= -F year=
expect_grep "…says the year is missing" "нет года" "$T/body"
expect_status "…with a chosen year it checks" 200 "$a" /imports -F "csrf=$c" -F "file=@$T/noyear.csv" -F kind= -F year=2022
expect_grep "…as that year" "Охват: ВПР, математика, 6 класс, 2022" "$T/body"
kill -TERM "$pid"; wait "$pid"

# ---- freshness of the analysis (demo municipality) ----
ddb=$(newdb demo)
"$M" init --db "$ddb" >/dev/null
"$M" demo --db "$ddb" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" analyze --db "$ddb" --year 2024 >/dev/null
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$ddb" >/dev/null
"$M" user add op1 --role school --school sch000001 --password 'op1-pass-12' --db "$ddb" >/dev/null
serve "$ddb"
login "$a" ann 'ann-pass-12'
o="$T/o.jar"
login "$o" op1 'op1-pass-12'
pub="$T/pub.jar"; : >"$pub"
expect_status "dashboard after the analysis" 200 "$a" "/?year=2024"
expect_grep "…dated «Анализ от дд.мм.гггг чч:мм»" "$(date -u +'Анализ от %d.%m.%Y')" "$T/body"
no_grep "…no banner while the data is as analysed" 'id="stale"' "$T/body"
expect_status "a year without analysis" 200 "$a" "/?year=2023"
expect_grep "…says so" "Анализ за 2023 год ещё не выполнен" "$T/body"
expect_status "…its school page" 200 "$a" "/schools/sch000001?year=2023"
no_grep "…does not say the school is on no list" "не входит в списки" "$T/body"
expect_grep "…says there is no analysis" 'id="no-analysis"' "$T/body"
expect_status "…its ШНОР list" 200 "$a" "/lists/shnor?year=2023"
no_grep "…does not call the list empty" "Список пуст" "$T/body"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;z001;10;4\n2024;РКР;математика;7;sch000004;z002;7;3\n' >"$T/rkr.csv"
"$M" import --db "$ddb" "$T/rkr.csv" >/dev/null
sleep 1.2 # the server re-reads the store's stamp once a second (src/web/cache.c)
expect_status "dashboard after an import" 200 "$a" "/?year=2024"
expect_grep "…the banner" "Данные изменились после анализа" "$T/body"
expect_grep "…the re-run button posts to the analysis" '<form method="post" action="/analyze"><input type="hidden" name="csrf" value="' "$T/body"
expect_grep "…«Перезапустить анализ»" "Перезапустить анализ</button>" "$T/body"
c=$(csrf_of)
expect_status "the list says it too" 200 "$a" "/lists/shnor?year=2024"
expect_grep "…the banner" "Данные изменились после анализа" "$T/body"
expect_status "the school operator sees the banner" 200 "$o" "/schools/sch000001?year=2024"
expect_grep "…the banner" "Данные изменились после анализа" "$T/body"
no_grep "…without the re-run button" "Перезапустить анализ" "$T/body"
expect_status "JSON: analysis.stale" 200 "$a" "/?year=2024" -H 'Accept: application/json'
expect_eq "…true, one change" "$(jq -c '[.analysis.stale, .analysis.changes]' "$T/body")" "[true,1]"
expect_status "the re-run without a CSRF token is refused" 403 "$a" /analyze --data-urlencode year=2024
expect_status "the re-run" 303 "$a" /analyze --data-urlencode "csrf=$c" --data-urlencode year=2024
expect_status "…the dashboard" 200 "$a" "/?year=2024"
no_grep "…has no banner" 'id="stale"' "$T/body"
expect_grep "…dates the data it was made on" "по данным на" "$T/body"

# ---- the list of schools: the filter form as the page gives it ----
expect_status "schools list" 200 "$a" "/schools?year=2024"
expect_grep "…the search box is empty" '<input id="q" name="q" value="">' "$T/body"
no_grep "…no «—» in it" 'name="q" value="—"' "$T/body"
expect_status "«Показать» with the form as it is" 200 "$a" "/schools?year=2024&q=&type=&locality=&list="
expect_eq "…lists all 30 schools" "$(grep -c '<tr><td>sch0000' "$T/body")" 30
csv=$(grep -o 'href="[^"]*format=csv"' "$T/body" | head -1 | sed 's/^href="//;s/"$//;s/&amp;/\&/g')
expect_eq "…its CSV link keeps the filters empty" "$csv" "?year=2024&type=&locality=&list=&q=&format=csv"
expect_status "«Скачать CSV»" 200 "$a" "/schools$csv"
expect_eq "…downloads the header and 30 schools" "$(grep -c . "$T/body")" 31
expect_status "a search by name part" 200 "$a" "/schools?year=2024&q=sch00000"
expect_eq "…finds the 9 schools whose code has it" "$(grep -c '<tr><td>sch0000' "$T/body")" 9

# ---- ЕГЭ by test score, as ФИС ОКО shows it; figures counted by hand in the database ----
q() { dbsql "$ddb" "$1"; }
# r2: a mean rounded to 2 places, printed as jq prints it (no trailing zeros)
R2=' function r2(x,  s) { s = sprintf("%.2f", x); sub(/0+$/, "", s); sub(/\.$/, "", s); return s }'
ege="FROM result r JOIN procedure p ON p.id = r.procedure_id WHERE p.kind = 'EGE' AND p.subject = 'rus' AND p.year = 2024 AND r.absent = 0 AND r.retake = 0 AND r.past_graduate = 0"
# (sums of CASE, not of comparisons: PostgreSQL does not add booleans; means rounded in awk, as
# neither round(double, n) nor printf is spelled the same on both engines)
fig=$(q "SELECT count(*) || ' ' || avg(test_score) || ' ' || sum(CASE WHEN test_score < (SELECT min_test FROM scale WHERE kind = 'EGE' AND subject = 'rus' AND year IN (0, 2024) ORDER BY year DESC LIMIT 1) THEN 1 ELSE 0 END) || ' ' || sum(CASE WHEN test_score >= 81 THEN 1 ELSE 0 END) || ' ' || sum(CASE WHEN test_score = 100 THEN 1 ELSE 0 END) $ege" | awk "$R2"' { $2 = r2($2) } 1')
expect_status "ЕГЭ procedure as JSON" 200 "$a" "/procedures/EGE-rus-11?year=2024" -H 'Accept: application/json'
expect_eq "…participants, mean test score, below the minimum, 81–100, 100 points as counted" \
    "$(jq -r '.municipality | "\(.participants) \(.mean_test * 100 | round / 100) \(.below_min) \(.n81) \(.n100)"' "$T/body")" "$fig"
expect_eq "…the histogram counts test scores 0..100 of every participant" \
    "$(jq -r '"\(.histogram.municipality | length) \(.histogram.municipality | add)"' "$T/body")" "101 ${fig%% *}"
expect_eq "…bars of scores 81..100 sum to the 81–100 count" \
    "$(jq -r '[.histogram.municipality[81:][]] | add' "$T/body")" "$(echo "$fig" | cut -d' ' -f4)"
expect_eq "…the scale names the minimum" "$(jq -r '.scale.min_test' "$T/body")" \
    "$(q "SELECT min_test FROM scale WHERE kind = 'EGE' AND subject = 'rus' AND year IN (0, 2024) ORDER BY year DESC LIMIT 1")"
big=$(q "SELECT s.code $(echo "$ege" | sed 's/WHERE/JOIN school s ON s.id = r.school_id WHERE/') GROUP BY s.code ORDER BY count(*) DESC LIMIT 1")
expect_eq "…the largest school's mean test score as counted" \
    "$(jq -r --arg c "$big" '.schools[] | select(.school.code == $c) | .marks | "\(.participants) \(.mean_test * 100 | round / 100)"' "$T/body")" \
    "$(q "SELECT count(*) || ' ' || avg(test_score) $ege AND r.school_id = (SELECT id FROM school WHERE code = '$big')" | awk "$R2"' { $2 = r2($2) } 1')"
expect_status "ЕГЭ procedure page" 200 "$a" "/procedures/EGE-rus-11?year=2024"
mean1=$(q "SELECT avg(test_score) $ege" | awk '{ printf "%.1f", $1 }' | tr . ,)
expect_grep "…leads with the mean test score" "средний тестовый балл $mean1;" "$T/body"
expect_grep "…the test-score histogram with the minimum line" "распределение тестовых баллов и минимальный балл" "$T/body"
expect_grep "…per-school bars of the mean test score" "средний тестовый балл по школам" "$T/body"
no_grep "…no «от —» scale" "от —" "$T/body"
expect_status "dashboard" 200 "$a" "/?year=2024"
expect_grep "…a column of the mean test score" '<th scope="col" class="num">Средний тестовый балл</th>' "$T/body"
expect_status "open data: the largest school" 200 "$pub" "/open/schools/$big?year=2024"
n100=$(q "SELECT sum(CASE WHEN test_score = 100 THEN 1 ELSE 0 END) $ege AND r.school_id = (SELECT id FROM school WHERE code = '$big')")
expect_status "…as JSON" 200 "$pub" "/open/schools/$big?year=2024" -H 'Accept: application/json'
jq -r '.procedures[] | select(.proc.key == "EGE-rus-11") | .school.n100' "$T/body" >"$T/n100"
if [ "$n100" -gt 0 ] && [ "$n100" -lt 5 ]; then
    expect_eq "…its $n100 pupils with 100 points are not counted for the public" "$(cat "$T/n100")" null
else
    expect_eq "…its 100-pointers ($n100, not 1–4) are shown" "$(cat "$T/n100")" "$n100"
fi
kill -TERM "$pid"; wait "$pid"
done_testing
