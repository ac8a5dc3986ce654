#!/bin/sh
# The rating as a table (seed 000, табл. 1): a column per criterion, total, rank, last year's
# rank and total; a filter and a server-side sort; CSV and XLSX with exactly the rows shown,
# numbers as numeric cells; the same rows in the JSON.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing"; exit 0; }
X2T="$MSOKO_ROOT/build/tools/xlsx2tsv"
db=$(newdb t)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2023-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2023 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; tap_cleanup' EXIT
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; done_testing; exit 1; }
J="$T/jar"
st() { curl -s -o "$T/body" -w '%{http_code}' -b "$J" -c "$J" "$@"; }
st "$U/login" >/dev/null
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
st "$U/login" --data-urlencode "csrf=$tok" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" >/dev/null

expect_eq "rating page" "$(st "$U/lists/rating?year=2024")" 200
for h in "Место" "1.1 ВПР, НОО" "4 ГИА" "7 Конкурсы" "Сумма баллов" "Место в прошлом году" "Сумма в прошлом году" "Скачать XLSX"; do
    expect_grep "…column/link «$h»" "$h" "$T/body"
done
rows=$(grep -o '<tr><td' "$T/body" | wc -l)
expect_eq "…one row per school (30)" "$rows" 30

# the JSON: the rows and their order; sorted by a criterion descending
st "$U/lists/rating?year=2024&sort=gia&dir=desc&format=json" >/dev/null
cp "$T/body" "$T/sorted.json"
python3 - "$T/sorted.json" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["table"]["data"]
g = [r["gia"] for r in rows]
assert g == sorted(g, reverse=True), g
assert all(r["prev_rank"] is None or isinstance(r["prev_rank"], int) for r in rows)
assert any(isinstance(r["prev_rank"], int) for r in rows), "no last year"
print("\n".join(r["code"] for r in rows))
PY
expect_eq "JSON: sorted by ГИА descending, last year's rank beside" "$?" 0
sed -n '1,$p' "$T/py" | grep '^sch' >"$T/json_codes"

# a filter: rural schools only
st "$U/lists/rating?year=2024&locality=rural&sort=gia&dir=desc&format=json" >/dev/null
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('\n'.join(r['code'] for r in d['table']['data']))" "$T/body" >"$T/rural"
nr=$(wc -l <"$T/rural")
st "$U/lists/rating?year=2024&locality=rural" >/dev/null
expect_eq "filter: rural rows on the page = in the JSON" "$(grep -o '<tr><td' "$T/body" | wc -l)" "$nr"
[ "$nr" -gt 0 ] && [ "$nr" -lt 30 ] && ok "…a proper subset ($nr)" || not_ok "…rural rows: $nr"

# CSV: exactly these rows, in this order
st "$U/lists/rating?year=2024&locality=rural&sort=gia&dir=desc&format=csv" >/dev/null
tail -n +2 "$T/body" | cut -d';' -f2 | tr -d '\r' >"$T/csv_codes"
expect_eq "CSV: the rows shown, same order" "$(cat "$T/csv_codes")" "$(cat "$T/rural")"
expect_grep "CSV: header" "Место;Код;Школа" "$T/body"

# XLSX: the same rows; numbers are numeric cells
st "$U/lists/rating?year=2024&locality=rural&sort=gia&dir=desc&format=xlsx" >/dev/null
cp "$T/body" "$T/r.xlsx"
"$X2T" "$T/r.xlsx" >"$T/x.tsv" 2>"$T/x.err"
tail -n +2 "$T/x.tsv" | cut -f2 >"$T/x_codes"
expect_eq "XLSX: the rows shown, same order" "$(cat "$T/x_codes")" "$(cat "$T/rural")"
unzip -p "$T/r.xlsx" xl/worksheets/sheet1.xml >"$T/sheet.xml" 2>/dev/null
n_num=$(grep -o '<c r="A2"[^>]*><v>' "$T/sheet.xml" | wc -l)
expect_eq "XLSX: the rank is a number cell (not text)" "$n_num" 1
t_str=$(grep -o '<c r="A2"[^>]*t="s"' "$T/sheet.xml" | wc -l)
expect_eq "…not a string cell" "$t_str" 0

# ---- the ШНОР, risk and objectivity lists: filters by school and procedure, the same rows in
# every output (issue 14 «Lists as tables») ----
q() { dbsql "$db" "$1"; }
latest="(SELECT max(id) FROM analysis_run WHERE year = 2024)"
listed() { q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = '$1' AND f.run_id = $latest $2 ORDER BY s.code" | paste -sd, -; }
codes_of() { grep -o '<tr><td>sch[0-9]*</td>' "$T/body" | sed 's/<[^>]*>//g' | sort | paste -sd, -; }
for l in shnor risk objectivity; do
    expect_eq "$l: the whole list without filters" "$(st "$U/lists/$l?year=2024")" 200
    expect_eq "…every listed school" "$(codes_of)" "$(listed "$l")"
    st "$U/lists/$l?year=2024&locality=rural" >/dev/null
    expect_eq "$l, rural: the rural schools of the list only" "$(codes_of)" "$(listed "$l" "AND s.locality = 'rural'")"
    expect_grep "…says how many of how many" "Показано школ: $(listed "$l" "AND s.locality = 'rural'" | tr ',' '\n' | grep -c .) из $(listed "$l" | tr ',' '\n' | grep -c .)" "$T/body"
    st "$U/lists/$l?year=2024&locality=rural&format=csv" >/dev/null
    expect_eq "…the CSV holds the same rows" "$(tail -n +2 "$T/body" | cut -d';' -f1 | tr -d '\r' | sort | paste -sd, -)" "$(listed "$l" "AND s.locality = 'rural'")"
    st "$U/lists/$l?year=2024&locality=rural&format=xlsx" >/dev/null
    cp "$T/body" "$T/$l.xlsx"
    expect_eq "…the XLSX too" "$("$X2T" "$T/$l.xlsx" 2>/dev/null | awk -F'\t' 'NR > 1 && $1 != "" {print $1}' | grep '^sch' | sort | paste -sd, -)" "$(listed "$l" "AND s.locality = 'rural'")"
done
# by procedure: the ШНОР schools whose evidence names ВПР Russian grade 6
# (the evidence read with jq: json_each is SQLite's)
want=$(q "SELECT s.code || '|' || f.evidence FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.run_id = $latest ORDER BY s.code" |
    while IFS='|' read -r c e; do
        printf '%s' "$e" | jq -e '[.low[]? | select(.kind == "VPR" and .subject == "rus" and .grade == 6)] | length > 0' >/dev/null && echo "$c"
    done | sort -u | paste -sd, -)
st "$U/lists/shnor?year=2024&kind=VPR&subject=rus&grade=6" >/dev/null
expect_eq "ШНОР by ВПР, Russian, grade 6: the schools its evidence names" "$(codes_of)" "$want"
expect_grep "…the choices name the procedure in words" '<option value="VPR" selected>ВПР</option>' "$T/body"
st "$U/lists/shnor?year=2024&kind=EGE&subject=nosuch" >/dev/null
expect_grep "a filter nothing passes says so" "Под эти условия не подходит ни одна школа списка" "$T/body"
done_testing
