#!/bin/sh
# Management decisions and their effect (issue 15 item 4, seed 001 п. 1.17–1.18): on the demo, a
# приказ of 2023 names two ШНОР schools of the 2023 analysis; the 2024 analysis, msoko decision
# list, /decisions, the school page and the справка show for each whether it left the list and
# the share of «2» on each procedure that put it there, in 2023 and in 2024 — numbers checked
# against the results in the database. Bad input is refused with the reason and nothing
# written; the operator of a named school sees its own row only, another school's operator and
# the public see nothing.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb dec)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2023 --json >"$T/a23.json"
s1=$(jq -r '[.shnor[].school] | sort | .[0]' "$T/a23.json")
s2=$(jq -r '[.shnor[].school] | sort | .[1]' "$T/a23.json")
other=$(q "SELECT code FROM school WHERE code NOT IN ('$s1', '$s2') ORDER BY code LIMIT 1")
expect_eq "the 2023 analysis lists two ШНОР schools or more ($s1, $s2)" "$([ -n "$s1" ] && [ -n "$s2" ] && [ "$s1" != null ] && echo yes)" yes

# ---- refused input: nothing written ----
sum=$("$M" stats --db "$db" --checksum)
expect_exit 1 "an unknown kind" "$M" decision add --db "$db" --year 2023 --kind указ --date 12.09.2023 --text x
expect_grep "…named" "вид решения «указ» не знаком" "$T/err"
expect_exit 1 "no such day" "$M" decision add --db "$db" --year 2023 --kind приказ --date 31.09.2023 --text x
expect_grep "…named" "дата решения «31.09.2023»" "$T/err"
expect_exit 1 "a due date before the decision" "$M" decision add --db "$db" --year 2023 --kind приказ --date 12.09.2023 --due 01.09.2023 --text x
expect_grep "…named" "срок исполнения 01.09.2023 раньше даты решения 12.09.2023" "$T/err"
expect_exit 1 "an empty text" "$M" decision add --db "$db" --year 2023 --kind приказ --date 12.09.2023 --text '  '
expect_grep "…named" "Текст решения: не заполнено" "$T/err"
expect_exit 1 "an unknown school among good ones" "$M" decision add --db "$db" --year 2023 --kind приказ --date 12.09.2023 --text x --school "$s1" --school nosuch
expect_grep "…named" "школы с кодом «nosuch» нет" "$T/err"
expect_exit 1 "an unknown list" "$M" decision add --db "$db" --year 2023 --kind приказ --date 12.09.2023 --text x --list top
expect_eq "…the database is as it was" "$("$M" stats --db "$db" --checksum)" "$sum"

# ---- the decision of 2023 and its effect in 2024 ----
expect_ok "a приказ of 2023 for two ШНОР schools" "$M" decision add --db "$db" --year 2023 --kind Приказ --number 45-о --date 12.09.2023 \
    --text "Об организации адресной методической помощи" --list shnor --school "$s1" --school "$s2" --responsible "Методический кабинет" --due 31.05.2024
expect_grep "…recorded" "Решение 1 записано (школ: 2)" "$T/out"
expect_eq "…one audit row" "$(q "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1")" "decision.add decision:1"
expect_ok "before the 2024 analysis" "$M" decision list --db "$db" --year 2023 --json
expect_eq "…the effect waits for it" "$(jq -r '.items[0].effect_text' "$T/out")" "результат будет виден после анализа 2024 года"
"$M" analyze --db "$db" --year 2024 --json >"$T/a24.json"
expect_eq "the 2024 analysis carries the decision" "$(jq -r '.decisions[0].title' "$T/a24.json")" "Приказ от 12.09.2023 № 45-о"
in24() { jq -r --arg s "$1" '[.shnor[].school] | index($s) != null' "$T/a24.json"; }
want_moved() { [ "$(in24 "$1")" = true ] && echo stayed || echo out; }
expect_eq "…$s1: stayed or left as the 2024 list says" "$(jq -r --arg s "$s1" '.decisions[0].schools[] | select(.code == $s) | .moved' "$T/a24.json")" "$(want_moved "$s1")"
expect_eq "…$s2 too" "$(jq -r --arg s "$s2" '.decisions[0].schools[] | select(.code == $s) | .moved' "$T/a24.json")" "$(want_moved "$s2")"
nout=$( (for s in "$s1" "$s2"; do want_moved "$s"; done) | grep -c '^out$')
expect_eq "…and the sentence counts them" "$(jq -r '.decisions[0].effect_text' "$T/a24.json")" \
    "из списка «ШНОР» $( [ "$nout" -eq 1 ] && echo вышла || echo вышли) $nout $( [ "$nout" -eq 1 ] && echo школа || { [ "$nout" -eq 0 ] && echo школ || echo школы; }) из 2"
# the measures: the 2023 procedures that put s1 on the list, the share of «2» in 2023 and 2024
share() { # SCHOOL YEAR KIND SUBJECT GRADE → the share of «2» (below the minimum for ЕГЭ) as analyze counts it
    q "SELECT round(1.0 * sum(CASE WHEN (p.kind = 'EGE' AND r.test_score IS NOT NULL AND r.test_score < coalesce((SELECT min_test FROM scale sc WHERE sc.kind = p.kind AND sc.subject = p.subject AND sc.grade = p.grade AND (sc.year = p.year OR sc.year IS NULL) ORDER BY sc.year IS NULL LIMIT 1), 0)) OR (p.kind <> 'EGE' AND r.mark = 2) OR (p.kind = 'EGE' AND p.subject = 'math_base' AND r.mark = 2) THEN 1 ELSE 0 END) / count(*), 4)
       FROM result r JOIN procedure p ON p.id = r.procedure_id JOIN school s ON s.id = r.school_id
       WHERE s.code = '$1' AND p.year = $2 AND p.kind = '$3' AND p.subject = '$4' AND p.grade = $5 AND r.absent = 0 AND r.retake = 0 AND r.past_graduate = 0"
}
jq -c --arg s "$s1" '.shnor[] | select(.school == $s) | .low[] | select(.year == 2023 and .kind == "VPR")' "$T/a23.json" | head -2 >"$T/low.txt"
expect_eq "…$s1 has ВПР procedures that made it ШНОР in 2023" "$([ -s "$T/low.txt" ] && echo yes)" yes
while IFS= read -r low; do
    k=$(echo "$low" | jq -r .kind); sub=$(echo "$low" | jq -r .subject); g=$(echo "$low" | jq -r .grade)
    m=$(jq -c --arg s "$s1" --arg sub "$sub" --argjson g "$g" '.decisions[0].schools[] | select(.code == $s) | .measures[] | select(.label | test("\\b\($g) класс")) | select(.label | test(if $sub == "math" then "математика" else "русский" end))' "$T/a24.json" | head -1)
    expect_eq "…$k $sub $g: 2023 share = the analysis' own" "$(echo "$m" | jq '.before * 10000 | round')" "$(echo "$low" | jq '.share * 10000 | round')"
    expect_eq "…2024 share = the results' share of «2»" "$(echo "$m" | jq '.after * 10000 | round')" "$(printf '%.0f' "$(echo "$(share "$s1" 2024 "$k" "$sub" "$g") * 10000" | bc)")"
    expect_eq "…the change = after − before" "$(echo "$m" | jq '(.after - .before - .diff) | fabs < 0.0001')" true
done <"$T/low.txt"
expect_ok "msoko analyze prints it" "$M" analyze --db "$db" --year 2024
expect_grep "…under its heading" "Управленческие решения по итогам анализа 2023 года и их результат:" "$T/out"
expect_grep "…with its title" "Приказ от 12.09.2023 № 45-о: Об организации адресной методической помощи" "$T/out"
expect_ok "msoko decision list" "$M" decision list --db "$db" --year 2023
expect_grep "…names $s1 and what happened" "$s1 " "$T/out"
expect_eq "…in Russian numbers" "$(grep -cE "доля «2»: [0-9]+,[0-9].+ → [0-9]+,[0-9]" "$T/out" | grep -vc "^0$")" 1
printf '%%PDF-1.4 приказ\n' >"$T/prikaz.pdf"
expect_ok "a file attached" "$M" decision attach --db "$db" 1 "$T/prikaz.pdf"
expect_exit 1 "…not to a decision that does not exist" "$M" decision attach --db "$db" 99 "$T/prikaz.pdf"
: >"$T/empty.pdf"
expect_exit 1 "…nor an empty file" "$M" decision attach --db "$db" 1 "$T/empty.pdf"

# ---- the справка ----
expect_ok "the справка of 2024" "$M" report --db "$db" --year 2024 --format pdf -o "$T/r.pdf"
pdftotext "$T/r.pdf" "$T/r.txt"
expect_grep "…has the section" "Управленческие решения и их результат" "$T/r.txt"
expect_grep "…its table" "Управленческие решения по итогам анализа 2023 года и их" "$T/r.txt"
expect_ok "the school's report of $s1" "$M" report --db "$db" --year 2024 --school "$s1" --format pdf -o "$T/s.pdf"
pdftotext "$T/s.pdf" "$T/s.txt"
expect_grep "…has the decision too" "Приказ от 12.09.2023" "$T/s.txt"
expect_ok "the school's report of $other" "$M" report --db "$db" --year 2024 --school "$other" --format pdf -o "$T/o.pdf"
pdftotext "$T/o.pdf" "$T/o.txt"
if grep -q "Приказ от 12.09.2023" "$T/o.txt"; then not_ok "…another school's report has no decision not naming it"; else ok "…another school's report has no decision not naming it"; fi

# ---- the web ----
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$s1" --password op-pass-123 --db "$db" >/dev/null
"$M" user add op2 --role school --school "$other" --password op2-pass-12 --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
st() { jar=$1; path=$2; shift 2; curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
expect_status() { name=$1; want=$2; shift 2; got=$(st "$@"); if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 600 "$T/body" | sed 's/^/#   /'; fi; }
login() { : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
an="$T/an.jar"; op="$T/op.jar"; op2="$T/op2.jar"; pub="$T/pub.jar"; : >"$pub"
login "$an" ann ann-pass-12; login "$op" op op-pass-123; login "$op2" op2 op2-pass-12
expect_status "analyst: /decisions of 2024" 200 "$an" "/decisions?year=2024"
expect_grep "…last year's decision with its effect" "Решения по итогам анализа 2022/2023 и их результат" "$T/body"
expect_grep "…its title" "Приказ от 12.09.2023 № 45-о" "$T/body"
expect_grep "…the effect sentence" "$(jq -r '.decisions[0].effect_text' "$T/a24.json")" "$T/body"
expect_grep "…the form offers the ШНОР schools of 2024 to tick" "name=\"school\" value=\"$(jq -r '.shnor[0].school' "$T/a24.json")\"" "$T/body"
csrf=$(csrf_of)
sum=$("$M" stats --db "$db" --checksum)
# a school of the 2024 list (the demo's first low school leaves it in 2024): its checkbox
t1=$(jq -r '[.shnor[].school] | sort | .[0]' "$T/a24.json")
expect_status "a decision with a bad date through the web" 422 "$an" "/decisions?year=2024" --data-urlencode "csrf=$csrf" --data "year=2024&kind=order&date=40.10.2024&list=shnor&school=$t1" --data-urlencode "text=Провести семинар"
expect_grep "…says why" "дата решения «40.10.2024»" "$T/body"
expect_grep "…keeps what was typed" "Провести семинар" "$T/body"
expect_grep "…and the ticked school" "value=\"$t1\" checked" "$T/body"
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_status "a protocol of 2024 for $s1 and a typed code" 303 "$an" "/decisions?year=2024" --data-urlencode "csrf=$csrf" --data "year=2024&kind=protocol&number=3&date=01.10.2024&list=shnor&school=$s1" --data-urlencode "other=$other" --data-urlencode "text=Заслушать руководителей"
expect_eq "…stored with both schools" "$(q "SELECT s.code FROM decision_school ds JOIN school s ON s.id = ds.school_id WHERE ds.decision_id = 2 ORDER BY s.code" | paste -sd, -)" "$(printf '%s\n%s\n' "$s1" "$other" | sort | paste -sd,)"
expect_status "…its page" 200 "$an" "/decisions/2?year=2024"
expect_grep "…waits for the 2025 analysis" "результат будет виден после анализа 2025 года" "$T/body"
expect_status "the decision of 2023" 200 "$an" "/decisions/1?year=2024"
expect_grep "…lists its file" "prikaz.pdf" "$T/body"
fid=$(q "SELECT max(id) FROM decision_file")
expect_status "…which downloads" 200 "$an" "/decisions/files/$fid"
expect_eq "…byte for byte" "$(sha256sum <"$T/body")" "$(sha256sum <"$T/prikaz.pdf")"
expect_status "the school page of $s1 (analyst)" 200 "$an" "/schools/$s1?year=2024"
expect_grep "…has «Управленческие решения»" '<section id="decisions"><h2>Управленческие решения</h2>' "$T/body"
expect_status "the operator of $s1: its school page" 200 "$op" "/schools/$s1?year=2024"
expect_grep "…shows the decision naming it" "Приказ от 12.09.2023 № 45-о" "$T/body"
expect_status "…opens it" 200 "$op" "/decisions/1?year=2024"
if grep -q "/schools/$s2?" "$T/body"; then not_ok "…without the other school's row"; else ok "…without the other school's row"; fi
expect_status "…downloads its file" 200 "$op" "/decisions/files/$fid"
expect_status "…but not the decisions page" 403 "$op" "/decisions?year=2024"
expect_status "another school's operator: the decision" 403 "$op2" "/decisions/1?year=2024"
expect_status "…nor its file" 403 "$op2" "/decisions/files/$fid"
if grep -q "PDF-1.4" "$T/body"; then not_ok "…no byte of it"; else ok "…no byte of it"; fi
st "$pub" "/decisions/1?year=2024" >/dev/null
if grep -q "Приказ от 12.09.2023" "$T/body"; then not_ok "the public sees no decision"; else ok "the public sees no decision"; fi
expect_status "…nor the file (a login first)" 401 "$pub" "/decisions/files/$fid"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -q "ERROR: AddressSanitizer\|runtime error" "$T/serve.log" && { not_ok "the server ran clean"; sed 's/^/#   /' "$T/serve.log" | head -30; } || ok "the server ran clean"
done_testing
