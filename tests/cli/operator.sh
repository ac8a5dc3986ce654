#!/bin/sh
# The school operator in the browser (issue 14 п. 7, «the school cannot answer»), over HTTP with
# curl on the demo: «Весь рейтинг» opens for the operator (other schools' rows in the public
# form, as `msoko show --role school:X list rating` has them: one decision), the other lists
# stay the analyst's in both doors; the school page shows the addressed recommendations of its
# справка, the forms it has to hand in with their deadlines, «просрочено», and a returned form
# with the analyst's comment; the ШНОР-support form goes to the ШНОР schools only; the roadmap's
# year selector offers the year the analysis planned for; every reason on the school page links
# to the chart of its evidence card.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb op)
# 15 October 2024: the ШНОР-support form of 2024 was due on 30 September
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 35 --years 2022-2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" analyze --db "$db" --year 2024 --json >"$T/a.json"
shnor=$(jq -r '[.shnor[].school] | sort | join(" ")' "$T/a.json")
sc=$(jq -r '[.shnor[].school] | sort | .[0]' "$T/a.json")
nshnor=$(jq '.shnor | length' "$T/a.json")
other=$(q "SELECT code FROM school WHERE ' $shnor ' NOT LIKE '% ' || code || ' %' ORDER BY code LIMIT 1")
expect_eq "the demo has ШНОР schools and others ($sc, $other)" "$([ "$nshnor" -gt 0 ] && [ -n "$other" ] && echo yes)" yes
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$sc" --password op-pass-123 --db "$db" >/dev/null
"$M" user add op2 --role school --school "$other" --password op2-pass-12 --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
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
an="$T/an.jar"; op="$T/op.jar"; op2="$T/op2.jar"
login "$an" ann ann-pass-12
login "$op" op op-pass-123
login "$op2" op2 op2-pass-12
S="/schools/$sc?year=2024"

# ---- 1. «Весь рейтинг» ----
expect_status "operator: its school page" 200 "$op" "$S"
href=$(grep -o '<a href="/lists/rating[^"]*">Весь рейтинг</a>' "$T/body" | sed 's/<a href="//;s/".*//;s/&amp;/\&/g')
expect_eq "…links «Весь рейтинг»" "$href" "/lists/rating?year=2024"
expect_status "…and the link opens for the operator (was 403)" 200 "$op" "$href"
expect_grep "…the rating table" 'class="rating-table"' "$T/body"
expect_grep "…its own row links its own page" "href=\"/schools/$sc?year=2024\"" "$T/body"
expect_grep "…another school's row links that school's open data" "href=\"/open/schools/$other?year=2024\"" "$T/body"
expect_eq "…and never another school's analyst page" "$(grep -o 'href="/schools/sch[0-9]*?year=2024"' "$T/body" | grep -vc "/schools/$sc?")" 0
expect_status "operator: the rating as JSON" 200 "$op" "/lists/rating?year=2024" -H 'Accept: application/json'
jq -S '.items' "$T/body" >"$T/web_items.json"
expect_eq "…other schools' rows carry no evidence (the public form)" \
    "$(jq --arg s "$sc" '[.[] | select(.school.code != $s) | select(has("evidence") or has("text"))] | length' "$T/web_items.json")" 0
expect_eq "…its own row is whole" "$(jq -r --arg s "$sc" '[.[] | select(.school.code == $s) | has("evidence")] | @csv' "$T/web_items.json")" "true"
"$M" show --db "$db" --year 2024 --role public list rating | jq -S --arg s "$sc" '[.items[] | select(.school.code != $s)]' >"$T/pub.json"
# what a row shows (the CLI prints reals to 6 digits: compare the integers the table has)
row() { jq -c 'map({c: .school.code, rank, points, criteria, prev_rank, prev_points, e: has("evidence"), va: (.value_added | if . then .rank else null end)})' "$@"; }
expect_eq "…other rows are exactly the public's (small cells suppressed the same way)" \
    "$(jq --arg s "$sc" '[.[] | select(.school.code != $s)]' "$T/web_items.json" | row)" "$(row "$T/pub.json")"
expect_eq "…and some totals are suppressed there (criteria under 5 pupils)" \
    "$(jq '[.[] | select(.points == null)] | length > 0' "$T/pub.json")" true
"$M" show --db "$db" --year 2024 --role "school:$sc" list rating | jq -S '.items' >"$T/cli_items.json"
expect_eq "msoko show --role school:X list rating gives the web's rows (one decision)" \
    "$(row "$T/cli_items.json")" "$(row "$T/web_items.json")"
expect_status "operator: the rating CSV" 200 "$op" "/lists/rating?year=2024&format=csv"
expect_eq "…a row per rated school" "$(($(wc -l <"$T/body") - 1))" "$(jq length "$T/web_items.json")"
expect_status "operator: the ШНОР list stays the analyst's (403)" 403 "$op" "/lists/shnor?year=2024"
expect_grep "…saying what it may open" "открыт рейтинг ОО" "$T/body"
expect_exit 1 "…and msoko show refuses it to the operator too" "$M" show --db "$db" --year 2024 --role "school:$sc" list shnor
expect_grep "…with the same words" "открыт рейтинг ОО" "$T/err"
expect_status "the analyst still opens the ШНОР list" 200 "$an" "/lists/shnor?year=2024"

# ---- 2. recommendations on the school page ----
"$M" show --db "$db" --year 2024 --role "school:$sc" school "$sc" >"$T/page.json"
nrec=$(jq '.recommendations | length' "$T/page.json")
rec1=$(jq -r '.recommendations[0].text' "$T/page.json")
expect_eq "the ШНОР school has addressed recommendations" "$([ "$nrec" -gt 0 ] && echo yes)" yes
expect_status "operator: its school page" 200 "$op" "$S"
expect_grep "…has «Рекомендации»" '<section id="recommendations"><h2>Рекомендации</h2>' "$T/body"
expect_grep "…with the first recommendation of its справка" "$rec1" "$T/body"
expect_eq "…all of them" "$(sed -n '/id="recommendations"/,/<\/section>/p' "$T/body" | grep -o '<li><p>' | wc -l)" "$nrec"
expect_grep "…each with its ground" "Основание: $(jq -r '.recommendations[0].reason' "$T/page.json")" "$T/body"
expect_eq "…the act's file name is not on the page" "$(sed -n '/id="recommendations"/,/<\/section>/p' "$T/body" | grep -c "$(jq -r '.recommendations[0].act' "$T/page.json")")" 0
expect_status "…the same in the page's JSON" 200 "$op" "$S" -H 'Accept: application/json'
expect_eq "…as msoko show has them" "$(jq -c '.recommendations' "$T/body")" "$(jq -c '.recommendations' "$T/page.json")"
expect_eq "the public's school data have no recommendations" \
    "$("$M" show --db "$db" --year 2024 --role public school "$sc" | jq '.recommendations | length')" 0

# ---- 3. forms: the ШНОР form for ШНОР schools, deadlines, «просрочено», returned ----
F=/forms/shnor_support
expect_status "analyst: the ШНОР-support form's completeness" 200 "$an" "$F?period=2024"
expect_grep "…says who hands it in" "Сдают: школы списка «ШНОР» по анализу 2024 года" "$T/body"
expect_eq "…lists the ШНОР schools of 2024 only (not all 35)" \
    "$(grep -o '<td>sch[0-9]*</td>' "$T/body" | sed 's/<[^>]*>//g' | sort | tr '\n' ' ' | sed 's/ $//')" "$shnor"
expect_grep "…late: «просрочено»" '<span class="badge badge-risk overdue">просрочено</span>' "$T/body"
expect_ok "msoko form completeness counts the same schools" "$M" form completeness --db "$db" shnor_support --period 2024
expect_grep "…$nshnor of them" "Школ $nshnor:" "$T/out"
expect_status "a form of every school still lists all 35" 200 "$an" "/forms/risk_context?period=2024"
expect_eq "…35 rows" "$(grep -o '<td>sch[0-9]*</td>' "$T/body" | wc -l)" 35
expect_status "non-ШНОР operator: /forms" 200 "$op2" /forms
expect_eq "…has no ШНОР-support form" "$(grep -c "$F/" "$T/body")" 0
expect_grep "…but the forms of every school" "/forms/risk_context/$other" "$T/body"
expect_status "…opening it anyway: told it is not its form" 200 "$op2" "$F/$other?period=2024"
expect_grep "…why" "Эту форму сдают школы списка «ШНОР» по анализу 2024 года" "$T/body"
expect_grep "…nothing to edit" 'name="v_shnor_teachers_total" value="" inputmode="decimal" size="10" disabled' "$T/body"
tok=$(csrf_of)
sum=$("$M" stats --db "$db" --checksum)
expect_status "…posting it is refused (409)" 409 "$op2" "$F/$other" --data-urlencode "csrf=$tok" --data "period=2024&action=save&v_shnor_teachers_total=10"
expect_grep "…with the reason" "заполняется только школами списка «ШНОР» по анализу 2024 года" "$T/body"
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_exit 1 "…nor by the command line" "$M" form fill --db "$db" shnor_support --school "$other" --period 2024 shnor_teachers_total=10
expect_eq "…still nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"

expect_status "ШНОР operator: /forms as JSON" 200 "$op" /forms -H 'Accept: application/json'
expect_eq "…has the ШНОР-support form, due 30.09.2024, overdue" \
    "$(jq -c '.forms[] | select(.code == "shnor_support") | [.due, .overdue]' "$T/body")" '["2024-09-30",true]'
expect_eq "…a form due later is not overdue" \
    "$(jq -c '[.forms[] | select(.due > "2024-10-15") | .overdue] | unique' "$T/body")" '[false]'
expect_status "…its school page" 200 "$op" "$S"
expect_grep "…lists the forms" '<section id="forms"><h2>Формы мониторинга</h2>' "$T/body"
expect_grep "…the ШНОР-support one with its deadline and «просрочено»" "$F/$sc?period=2024\">Поддержка школ с низкими образовательными результатами (ШНОР)</a></td><td>2023/2024 учебный год</td><td>30.09.2024 <span class=\"badge badge-risk overdue\">просрочено</span>" "$T/body"
fill() { # JAR ACTION: the ШНОР-support form of $sc, every required field
    st "$1" "$F/$sc" --data-urlencode "csrf=$tok" --data "period=2024&action=$2" \
        --data "v_shnor_teachers_total=20&v_shnor_diag_subject=10&v_shnor_diag_method=8&v_shnor_diag_psych=5&v_shnor_supported=12&v_shnor_iom=4&v_shnor_events=1&v_shnor_productive=0"; }
st "$op" "$F/$sc?period=2024" >/dev/null
tok=$(csrf_of)
expect_eq "the ШНОР operator submits it" "$(fill "$op" submit)" 303
st "$op" /forms -H 'Accept: application/json' >/dev/null
expect_eq "…no longer overdue" "$(jq '.forms[] | select(.code == "shnor_support") | .overdue' "$T/body")" false
st "$an" "$F/$sc?period=2024" >/dev/null
atok=$(csrf_of)
expect_status "the analyst returns it with a comment" 303 "$an" "$F/$sc/return" --data-urlencode "csrf=$atok" --data "period=2024" --data-urlencode "comment=Уточните число педагогов с ИОМ"
expect_status "«Моя школа» after the return" 200 "$op" "$S"
expect_grep "…says a form came back" "Возвращено на доработку: 1" "$T/body"
expect_grep "…with the analyst's comment" 'Комментарий аналитика: «Уточните число педагогов с ИОМ»' "$T/body"
expect_grep "…the form is marked returned" "возвращена на доработку" "$T/body"
expect_status "…the form's page says so" 200 "$op" "$F/$sc?period=2024"
expect_grep "…in a notice" 'Форма возвращена на доработку. Комментарий аналитика: <span id="comment">Уточните число педагогов с ИОМ' "$T/body"
expect_grep "…past due again, not handed in" 'id="overdue">просрочено' "$T/body"
expect_status "/forms says the same" 200 "$op" /forms
expect_grep "…with the comment" "Комментарий аналитика: Уточните число педагогов с ИОМ" "$T/body"
expect_eq "msoko show school has the same forms" \
    "$("$M" show --db "$db" --year 2024 --role "school:$sc" school "$sc" | jq -c '.forms.returned, (.forms.items[] | select(.code == "shnor_support") | .comment)' | tr '\n' ' ')" '1 "Уточните число педагогов с ИОМ" '

# ---- 4. the roadmap's years ----
py=$(q "SELECT DISTINCT year FROM plan_item ORDER BY year DESC LIMIT 1")
expect_eq "the analysis planned items for the next year" "$py" 2025
expect_eq "…which has no results (the results years lack it)" "$("$M" show --db "$db" years | jq 'index(2025)')" null
expect_status "analyst: /plan" 200 "$an" "/plan?year=2024"
expect_grep "…the year selector offers 2025" '<a href="/plan?year=2025">2024/2025</a>' "$T/body"
expect_grep "…and the results years" '<a href="/plan?year=2023">2022/2023</a>' "$T/body"
expect_status "…/plan of 2025" 200 "$an" "/plan?year=2025"
expect_grep "…marks 2025 as chosen" '<strong aria-current="true">2024/2025</strong>' "$T/body"
expect_grep "…lists the items the analysis made" "в план проверок отдела образования на 2025 год" "$T/body"
n25=$(q "SELECT count(*) FROM plan_item WHERE year = 2025")
expect_grep "…all of them" "Пункты: $n25 из $n25" "$T/body"
expect_eq "msoko show plan names the same years" "$("$M" show --db "$db" --year 2024 plan | jq -c '.plan_years[:2]')" '[2025,2024]'

# ---- 5. each reason links to its chart ----
expect_status "analyst: the ШНОР school's page" 200 "$an" "$S"
cp "$T/body" "$T/school.html"
nreasons=$(jq '[.findings[].text[]] | length' "$T/page.json")
expect_eq "…a chart link beside each of its $nreasons reasons" "$(grep -o 'class="reason-chart" href="[^"]*"' "$T/school.html" | wc -l)" "$nreasons"
for l in $(jq -r '.findings[].method' "$T/page.json"); do
    n=$(jq --arg l "$l" '[.findings[] | select(.method == $l) | .text[]] | length' "$T/page.json")
    expect_eq "…$n of them to the $l card's chart" "$(grep -o "class=\"reason-chart\" href=\"/schools/$sc/flags/$l?year=2024#chart\"" "$T/school.html" | wc -l)" "$n"
    expect_status "…which opens" 200 "$an" "/schools/$sc/flags/$l?year=2024"
    expect_grep "…at its chart" 'id="chart"' "$T/body"
done
expect_status "operator: the same links on its page" 200 "$op" "$S"
expect_eq "…as many" "$(grep -o 'class="reason-chart"' "$T/body" | wc -l)" "$nreasons"
href=$(grep -o 'class="reason-chart" href="[^"]*"' "$T/body" | head -1 | sed 's/.*href="//;s/"$//;s/#.*//')
expect_status "…and the operator opens the card" 200 "$op" "$href"
expect_grep "…at its chart" 'id="chart"' "$T/body"

kill -TERM "$pid"
wait "$pid" 2>/dev/null
done_testing
