#!/bin/sh
# Issue 15 «Done when»: a decision recorded in 2023 for the ШНОР schools shows its before/after
# in the 2024 analysis, page and report. The demo plants one low school that recovers in 2024
# (demo_truth 'shnor_recovered') and keeps the others low; the order of scripts/demo.sh names
# every ШНОР school of 2023. The recovered school must read «вышла из списка» with the share of
# «2» of each procedure that listed it — at or above the threshold in 2023, below it in 2024 —
# in `msoko show decisions`, on /decisions and in the справка (pdftotext); a low school stays.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
command -v pdftotext >/dev/null || { echo "1..0 # SKIP pdftotext missing (poppler-utils)"; exit 0; }
db=$(newdb eff)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01T09:00:00Z
q() { dbsql "$db" "$1"; }
# numbers are written with a no-break space before «%»; the checks read plain spaces
NB=$(printf '\302\240')
plain() { sed "s/$NB/ /g" "$1" >"$1.plain" && mv "$1.plain" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
rec=$(q "SELECT s.code FROM demo_truth t JOIN school s ON s.id = t.school_id WHERE t.what = 'shnor_recovered'")
expect_eq "the demo plants one school that recovers in 2024" "$(echo "$rec" | grep -c .)" 1
expect_eq "…and keeps two that stay low" "$(q "SELECT count(*) FROM demo_truth WHERE what = 'low_results'")" 2
"$M" analyze --db "$db" --year 2023 >/dev/null
# as scripts/demo.sh: the order names the 2023 ШНОР list
set -- $("$M" show --db "$db" --year 2023 list shnor | jq -r '.items[].school.code' | sed 's/^/--school /')
expect_grep "…$rec is on the 2023 ШНОР list" "--school $rec" "$(printf '%s\n' "$*" >"$T/list23"; echo "$T/list23")"
expect_ok "the order of 2023" "$M" decision add --db "$db" --year 2023 --kind приказ --number 112-о --date 15.09.2023 \
    --text "Об организации адресной методической помощи школам с низкими образовательными результатами" \
    --list shnor --responsible "Методический кабинет" --due 31.05.2024 "$@"
expect_ok "the 2024 analysis" "$M" analyze --db "$db" --year 2024
expect_grep "…says who left" "из списка «ШНОР» вышла 1 школа из 3" "$T/out"

# ---- msoko show decisions: the page's view model ----
expect_ok "msoko show decisions" "$M" show --db "$db" --year 2024 decisions
cp "$T/out" "$T/d.json"
me() { jq -c --arg s "$rec" '.previous.items[0].schools[] | select(.code == $s)' "$T/d.json"; }
expect_eq "…$rec left the list" "$(me | jq -r .moved_text)" "вышла из списка «ШНОР» в анализе 2024 года"
expect_eq "…at least one school stayed" "$(jq '[.previous.items[0].schools[] | select(.moved == "stayed")] | length >= 1' "$T/d.json")" true
expect_eq "…it has measures" "$(me | jq '.measures | length >= 2')" true
expect_eq "…each at or above 30 % in 2023 and below it in 2024" "$(me | jq '[.measures[] | .before >= 0.3 and .after < 0.3] | all')" true
expect_eq "…and better" "$(me | jq '[.measures[] | .better and .diff < 0] | all')" true
# the before share is the 2023 analysis' own evidence, the after one the 2024 results
m1=$(me | jq -c '.measures[0]')
label=$(echo "$m1" | jq -r .label)
pct() { echo "$1" | jq -r '(. * 1000 | round) / 10 | tostring | if test("\\.") then . else . + ".0" end | sub("\\."; ",")'; }
before=$(pct "$(echo "$m1" | jq .before)"); after=$(pct "$(echo "$m1" | jq .after)")
sname=$(me | jq -r .name)
expect_eq "…formatted for the reader ($label: $before % → $after %)" "$(echo "$before$after" | grep -c '^[0-9]*,[0-9][0-9]*,[0-9]$')" 1
expect_ok "msoko decision list says the same" "$M" decision list --db "$db" --year 2023
plain "$T/out"
expect_grep "…$label: $before % → $after %" "$label: $before % → $after %" "$T/out"

# ---- the справка ----
expect_ok "the справка of 2024" "$M" report --db "$db" --year 2024 --format pdf -o "$T/r.pdf"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
plain "$T/r.txt"
expect_grep "…the decisions' table" "Управленческие решения по итогам анализа 2023 года и их результат в 2024 году" "$T/r.txt"
line=$(grep -n "$sname вышла из списка" "$T/r.txt" | head -1)
expect_eq "…$sname «вышла из списка» in it" "$([ -n "$line" ] && echo yes)" yes
expect_eq "…on the same row: $before % and $after %" "$(echo "$line" | grep -c "$before %  *$after %")" 1
expect_grep "…a school that stayed" "осталась в списке" "$T/r.txt"

# ---- the web page /decisions ----
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
: >"$T/serve.log"
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
jar="$T/an.jar"; : >"$jar"
st() { path=$1; shift; curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
st /login >/dev/null
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
st /login --data-urlencode "csrf=$tok" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" >/dev/null
expect_eq "/decisions?year=2024" "$(st "/decisions?year=2024")" 200
# the school's row: its name, «вышла из списка», the first measure with both shares
plain "$T/body"
tr -d '\n' <"$T/body" | grep -o "<tr class=\"moved-out\">.*" | sed 's/<\/tr>.*//' >"$T/row"
expect_grep "…a row of a school that left" "$sname</a></td><td data-label=\"Итог\" rowspan=\"$(me | jq ".measures | length")\">вышла из списка «ШНОР» в анализе 2024 года" "$T/row"
expect_grep "…its measure" "$label" "$T/row"
expect_grep "…2023: $before %" ">$before %<" "$T/row"
expect_grep "…2024: $after %" ">$after %<" "$T/row"
expect_eq "…and a row of a school that stayed" "$(grep -c 'class="moved-stayed"' "$T/body" | grep -vc '^0$')" 1
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -q "ERROR: AddressSanitizer\|runtime error" "$T/serve.log" && { not_ok "the server ran clean"; sed 's/^/#   /' "$T/serve.log" | head -30; } || ok "the server ran clean"
done_testing
