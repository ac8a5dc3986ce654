#!/bin/sh
# The department names its acts once (methods/municipality.ini, issue 14 «The municipality's own
# acts»): with its own file the school page's ШНОР reasons, the справка's text (PDF) and its
# title page quote the act with its number and date and name the department and the place;
# without the file the defaults are what pages showed before; a broken file is refused with
# the file, the section and the key named, before any command runs.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v pdftotext >/dev/null || { echo "1..0 # SKIP pdftotext missing (poppler-utils)"; exit 0; }
export MSOKO_NOW=2024-03-15T09:00:00Z
cp -r "$MSOKO_ROOT/methods" "$T/own"
cat >"$T/own/municipality.ini" <<'EOF'
[department]
name = Управление образования администрации г. Примерного
place = г. Примерный

[act program]
title = Положение о МСОКО
order = приказ управления образования
number = 123
date = 01.09.2023

[act mscoko]
title = Положение о МСОКО
order = приказ управления образования
number = 123
date = 2023-09-01
EOF
cite="Положение о МСОКО (приказ управления образования от 01.09.2023 № 123)"
db=$(newdb m)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 12 --seed 1 >/dev/null

# without the file: today's wording
mkdir "$T/none"
cp "$MSOKO_ROOT"/methods/shnor.ini "$MSOKO_ROOT"/methods/risk.ini "$MSOKO_ROOT"/methods/objectivity.ini \
    "$MSOKO_ROOT"/methods/rating-vladikavkaz.ini "$MSOKO_ROOT"/methods/recommendations.ini "$T/none/"
expect_ok "analysis without municipality.ini" env MSOKO_METHODS="$T/none" "$M" analyze --db "$db" --year 2024
sch=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY 1 LIMIT 1")
[ -n "$sch" ] && ok "the demo has a ШНОР school ($sch)" || not_ok "no ШНОР school in the demo"
MSOKO_METHODS="$T/none" "$M" report --db "$db" --year 2024 -o "$T/d.pdf" 2>/dev/null
pdftotext -layout "$T/d.pdf" "$T/d.txt"
expect_grep "default title page: the department" "Муниципальный орган управления образованием" "$T/d.txt"
expect_grep "default title page: the place" "Муниципальное образование" "$T/d.txt"
expect_eq "default reasons cite the programme by its title" \
    "$(dbsql "$db" "SELECT count(*) FROM finding WHERE method = 'shnor' AND evidence LIKE '%Программа повышения качества образования в школах г. Норильска, п. 2.1%'" | sed 's/^[1-9][0-9]*$/some/')" some
expect_eq "…and no braces are left" "$(dbsql "$db" "SELECT count(*) FROM finding WHERE evidence LIKE '%{program}%' OR evidence LIKE '%{mscoko}%'")" 0

# the department's own file
export MSOKO_METHODS="$T/own"
expect_ok "analysis with the department's acts" "$M" analyze --db "$db" --year 2024
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
: >"$T/jar"
curl -s -o "$T/login.html" -b "$T/jar" -c "$T/jar" "$U/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$T/jar" -c "$T/jar" --data-urlencode "csrf=$tok" \
    --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
curl -s -b "$T/jar" "$U/schools/$sch?year=2024" >"$T/school.html"
kill "$pid"; wait "$pid" 2>/dev/null
expect_grep "the school page cites the act with its order, date and number" "методика ШНОР: $cite, п. 2.1" "$T/school.html"
expect_eq "…and says a yes/no context element in words, not «1»" \
    "$(grep -cE '<td>Скоростной интернет</td><td class="num">(да|нет)</td>' "$T/school.html")" 1

expect_ok "municipal справка" "$M" report --db "$db" --year 2024 -o "$T/m.pdf"
pdftotext "$T/m.pdf" "$T/m.txt"
tr '\n' ' ' <"$T/m.txt" | tr -s ' ' >"$T/m1.txt"
expect_grep "the справка's text quotes the act" "($cite, п. 1.17, 1.20)" "$T/m1.txt"
pdftotext -f 1 -l 1 "$T/m.pdf" "$T/title.txt"
expect_grep "its title page names the department" "Управление образования администрации г. Примерного" "$T/title.txt"
expect_grep "…and the place" "г. Примерный" "$T/title.txt"
expect_eq "…not the generic department" "$(grep -c 'Муниципальный орган' "$T/title.txt")" 0
expect_ok "a school's справка" "$M" report --db "$db" --year 2024 --school "$sch" -o "$T/s.pdf"
pdftotext "$T/s.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/s.txt"
expect_grep "the school PDF's reasons quote the act" "ШНОР: $cite, п. 2.1" "$T/s.txt"
expect_grep "…and its recommendations" "($cite, п. 1.17;" "$T/s.txt"
expect_ok "flags still win over the file" "$M" report --db "$db" --year 2024 --department "Отдел образования" --place "с. Иное" -o "$T/f.pdf"
pdftotext -f 1 -l 1 "$T/f.pdf" "$T/f.txt"
expect_grep "…the department from --department" "Отдел образования" "$T/f.txt"

# a broken file is refused before the command runs, with the place named
printf '[department]\nname = X\nplace = Y\n[act program]\ntitle = T\ndate = 31/12/2023\n' >"$T/own/municipality.ini"
expect_exit 1 "a bad date is refused" "$M" stats --db "$db"
expect_grep "…naming the section and the value" "[act program]: дата «31/12/2023» — нужно дд.мм.гггг" "$T/err"
printf '[department]\nname = X\nplace = Y\n[act program]\ntitel = T\n' >"$T/own/municipality.ini"
expect_exit 1 "an unknown key is refused" "$M" stats --db "$db"
expect_grep "…naming the key and the allowed ones" "неизвестный ключ «titel»; допустимы title, order, number, date" "$T/err"
printf '[departement]\nname = X\n' >"$T/own/municipality.ini"
expect_exit 1 "an unknown section is refused" "$M" stats --db "$db"
expect_grep "…naming it" "неизвестный раздел [departement]" "$T/err"
done_testing
