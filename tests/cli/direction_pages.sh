#!/bin/sh
# The nine directions of the МСОКО, each through its management cycle, as pages, API, console and
# report (issue 15 items 4–5): on the demo, the analysis' finding «directions» (DIRECTIONS.md §4)
# gives /directions and /directions/КОД in HTML and JSON (the same objects as `msoko show
# directions`), the dashboard's row of nine, and the справка's section «Направления МСОКО».
# The numbers the pages show are checked on a planted finding with hand-known values: statuses
# counted, the schools outside the target named with their recommendations, a 2023 decision
# answering the direction (its list ШНОР gives it the direction) with the direction's indicators
# before (2023) and after (2024). The guest sees municipal values only (no school, no decision,
# a count of fewer than 5 people hidden); a school operator sees its own school only.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb dir)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2023 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null

# ---- the analysis' own finding, when the engine computes it ----
expect_ok "msoko show directions" "$M" show directions --db "$db" --year 2024
cp "$T/out" "$T/real.json"
expect_eq "…always the nine, in their order" "$(jq -r '[.items[].code] | join(",")' "$T/real.json")" \
    "training,shnor,talents,career,objectivity,heads,methodical,dpo,upbringing"
stored=$(q "SELECT evidence FROM finding WHERE method = 'directions' AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)")
if [ -n "$stored" ]; then
    echo "$stored" | jq 'if type == "array" then . else .directions end' >"$T/stored.json"
    for code in $(jq -r '.[].code' "$T/stored.json"); do
        expect_eq "…$code: the status analyze stored" "$(jq -r --arg c "$code" '.items[] | select(.code == $c) | .status' "$T/real.json")" \
            "$(jq -r --arg c "$code" '.[] | select(.code == $c) | .status' "$T/stored.json")"
    done
    expect_eq "…the counts add up" "$(jq '.counts.on_target + .counts.below + .counts.no_data' "$T/real.json")" 9
else
    ok "# SKIP the engine stores no «directions» finding on this branch yet"
fi

# ---- a planted finding with hand-known numbers ----
s1=sch000001 s2=sch000003 s3=sch000002
plant() { # YEAR SHARE FAIL1 → the directions of YEAR: ШНОР below its target, talents on it
    cat <<EOF
{"directions": [
 {"code": "shnor", "n": 2, "name": "Работа со школами с низкими образовательными результатами",
  "sections": "seed 001 приложение 4, раздел 3", "goals": ["Повышение качества образования в школах с низкими результатами"],
  "status": "below", "indicators": [
  {"code": "shnor_share", "name": "Доля школ с низкими образовательными результатами", "section": "seed 001 приложение 4, п. 3.8",
   "unit": "%", "level": "municipality", "good": "lower", "source": "анализ msoko", "target": 10.0, "value": $2, "num": 5, "den": 30,
   "status": "below", "dynamics": [{"year": $(($1 - 2)), "value": 23.3}, {"year": $(($1 - 1)), "value": 20.0}, {"year": $1, "value": $2}]},
  {"code": "vpr_fail", "name": "Доля «2» по ВПР", "section": "seed 001 приложение 4, п. 3.8", "unit": "%", "level": "school",
   "good": "lower", "source": "шаблон «Результаты»", "target": 15.0, "value": 12.0, "num": 60, "den": 500, "status": "on_target",
   "dynamics": [{"year": $(($1 - 1)), "value": 13.0}, {"year": $1, "value": 12.0}],
   "schools_outside": [{"school": "$s2", "value": 40.0}, {"school": "$s1", "value": $3}],
   "schools": {"$s1": $3, "$s2": 40.0, "$s3": 5.0}}]},
 {"code": "talents", "n": 3, "name": "Выявление, поддержка и развитие способностей и талантов", "sections": "seed 001 приложение 4, раздел 4",
  "goals": ["Выявление и поддержка одарённых детей"], "status": "on_target", "indicators": [
  {"code": "winners", "name": "Победители и призёры муниципального этапа ВсОШ", "section": "seed 001 приложение 4, п. 4.9",
   "unit": "чел.", "level": "municipality", "good": "higher", "source": "шаблон «Олимпиады»", "target": 3, "value": 4, "num": 4,
   "den": null, "status": "on_target", "dynamics": [{"year": $(($1 - 1)), "value": 2}, {"year": $1, "value": 4}]}]}]}
EOF
}
plant 2023 20.0 30.0 >"$T/f2023.json"
plant 2024 16.7 22.0 >"$T/f2024.json"
# (the file's text as a literal: readfile() is the sqlite3 shell's)
for y in 2023 2024; do
    q "DELETE FROM finding WHERE method = 'directions' AND year = $y;
       INSERT INTO finding(run_id, method, school_id, year, verdict, evidence)
       VALUES((SELECT max(id) FROM analysis_run WHERE year = $y), 'directions', NULL, $y, '', '$(sed "s/'/''/g" "$T/f$y.json")')"
done

# ---- decisions answer a direction (migration 19) ----
sum=$("$M" stats --db "$db" --checksum)
expect_exit 1 "a decision with an unknown direction" "$M" decision add --db "$db" --year 2023 --kind приказ --date 12.09.2023 --text x --direction sport
expect_grep "…named" "направление «sport» не знакомо" "$T/err"
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_ok "a приказ of 2023 on the ШНОР list" "$M" decision add --db "$db" --year 2023 --kind приказ --number 7-о --date 12.09.2023 \
    --text "Об адресной помощи школам" --list shnor --school "$s1" --school "$s2"
expect_eq "…answers direction shnor" "$(q "SELECT direction FROM decision WHERE id = 1")" shnor
expect_ok "a letter of 2024 by the direction's Russian name" "$M" decision add --db "$db" --year 2024 --kind письмо --date 15.09.2024 \
    --text "О муниципальном этапе олимпиады" --direction "Выявление, поддержка и развитие способностей и талантов"
expect_eq "…answers direction talents" "$(q "SELECT direction FROM decision WHERE id = 2")" talents
expect_eq "…its audit row keeps the direction" "$(q "SELECT after FROM audit WHERE action = 'decision.add' ORDER BY id DESC LIMIT 1" | jq -r .direction)" talents

# ---- the list ----
expect_ok "msoko show directions (planted)" "$M" show directions --db "$db" --year 2024
cp "$T/out" "$T/list.json"
expect_eq "…counts: 1 on target, 1 below, 7 without data" "$(jq -c '[.counts.on_target, .counts.below, .counts.no_data, .counts.total]' "$T/list.json")" "[1,1,7,9]"
expect_eq "…the title says it" "$(jq -r .title "$T/list.json")" "Направления МСОКО за 2024 год: цель достигнута в 1 из 9"
expect_eq "…shnor: its indicators counted" "$(jq -c '.items[1] | [.status, .counts.on_target, .counts.below, .n_outside, .decisions]' "$T/list.json")" '["below",1,1,2,1]'
expect_eq "…talents: on target, a decision of 2024" "$(jq -c '.items[2] | [.status, .status_text, .decisions]' "$T/list.json")" '["on_target","цель достигнута",1]'
expect_eq "…training: not computed" "$(jq -c '.items[0] | [.status, .computed]' "$T/list.json")" '["no_data",false]'

# ---- one direction ----
expect_ok "msoko show directions shnor" "$M" show directions --db "$db" --year 2024 shnor
cp "$T/out" "$T/shnor.json"
expect_eq "…title" "$(jq -r .title "$T/shnor.json")" "Работа со школами с низкими образовательными результатами: цель не достигнута по 1 показателю из 2"
expect_eq "…the share fell from 20,0 to 16,7: better" "$(jq -r '.indicators[0].trend' "$T/shnor.json")" better
expect_eq "…two schools outside the target, each once" "$(jq -r '[.schools_outside[].school.code] | sort | join(",")' "$T/shnor.json")" "$s1,$s2"
expect_eq "…with their names from the school list" "$(jq -r --arg s "$s1" '.schools_outside[] | select(.school.code == $s) | .school.name' "$T/shnor.json")" \
    "$(q "SELECT name FROM school WHERE code = '$s1'")"
expect_eq "…a recommendation to each, by the direction's rule" "$(jq -r '[.recommendations[] | .school.code + ":" + .rule] | sort | join(",")' "$T/shnor.json")" "$s1:dir_shnor,$s2:dir_shnor"
expect_eq "…naming the finding" "$(jq -r --arg s "$s1" '.recommendations[] | select(.school.code == $s) | .finding' "$T/shnor.json")" \
    "Доля «2» по ВПР: 22,0 % при цели 15,0 % (Дорожная карта МСОКО г. Горячий Ключ, п. 3.8)"
expect_eq "…the 2023 decision answers it" "$(jq -r '.decisions.previous[0].title' "$T/shnor.json")" "Приказ от 12.09.2023 № 7-о"
expect_eq "…the direction's share before and after" "$(jq -c '.decisions.previous[0].indicators[0] | [.before, .after, .better]' "$T/shnor.json")" "[20,16.7,true]"
expect_eq "…$s1's own value before and after" "$(jq -c --arg s "$s1" '.decisions.previous[0].schools[] | select(.code == $s) | .direction_measures[0] | [.before, .after, .better]' "$T/shnor.json")" "[30,22,true]"
expect_ok "the school page of $s1" "$M" show school "$s1" --db "$db" --year 2024
expect_eq "…has the direction's recommendation too" "$(jq -r '[.recommendations[] | select(.direction == "shnor") | .rule] | join(",")' "$T/out")" dir_shnor
expect_ok "the справка of $s1" "$M" report --db "$db" --year 2024 --school "$s1" --format html -o "$T/s1.html"
expect_grep "…names the indicator it misses" "Доля «2» по ВПР: 22,0 % при цели 15,0 %" "$T/s1.html"
expect_exit 1 "an unknown direction" "$M" show directions --db "$db" --year 2024 sport
expect_grep "…named" "направления «sport» нет" "$T/err"
expect_ok "the guest's view at the console" "$M" show directions --db "$db" --year 2024 --role public shnor
if grep -q "sch0000" "$T/out"; then not_ok "…names no school"; else ok "…names no school"; fi

# ---- the web ----
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$s1" --password op-pass-123 --db "$db" >/dev/null
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
an="$T/an.jar"; op="$T/op.jar"; pub="$T/pub.jar"; : >"$pub"
login "$an" ann ann-pass-12; login "$op" op op-pass-123
expect_status "analyst: /directions" 200 "$an" "/directions?year=2024"
expect_grep "…its h1 answers" "<h1>Направления МСОКО за 2024 год: цель достигнута в 1 из 9</h1>" "$T/body"
expect_grep "…a status is a word, not colour alone" '<span class="badge badge-dir-below">цель не достигнута</span>' "$T/body"
expect_status "…as JSON" 200 "$an" "/directions?year=2024" -H "Accept: application/json"
# the web adds only what its templates read beside a unit (is_share, src/web/page.c)
nodeco='walk(if type == "object" then del(.is_share) else . end)'
expect_eq "…the same model as msoko show" "$(jq -cS "$nodeco" "$T/body")" "$(jq -cS . "$T/list.json")"
expect_status "analyst: /directions/shnor" 200 "$an" "/directions/shnor?year=2024"
expect_grep "…the schools outside the target, linked" "/schools/$s2?year=2024" "$T/body"
expect_grep "…the recommendation" "Разработать программу перехода школы в эффективный режим работы" "$T/body"
expect_grep "…the decision and its effect" "Приказ от 12.09.2023 № 7-о" "$T/body"
expect_grep "…a chart of the dynamics" "<svg" "$T/body"
expect_grep "…the numbers beside it" '<table class="sortable stack" id="indicators-table">' "$T/body"
expect_eq "…the acts by name, never «seed 00…»" "$(grep -c -i 'seed 0' "$T/body")" 0
expect_status "…as JSON (format=json)" 200 "$an" "/directions/shnor?year=2024&format=json"
expect_eq "…the same model as msoko show" "$(jq -cS "$nodeco" "$T/body")" "$(jq -cS . "$T/shnor.json")"
expect_status "…its indicators as CSV" 200 "$an" "/directions/shnor?year=2024&format=csv"
expect_grep "…the header with the three years" "Показатель;Ед.;Цель;2022;2023;2024;Состояние;Динамика" "$T/body"
expect_grep "…a row with numbers for Excel" "Доля школ с низкими образовательными результатами;%;10,00;23,30;20,00;16,70;цель не достигнута" "$T/body"
expect_status "…the schools outside as CSV" 200 "$an" "/directions/shnor?year=2024&format=csv&table=outside"
expect_eq "…exactly the rows shown" "$(tail -n +2 "$T/body" | grep -c ';')" 2
expect_status "an unknown direction" 404 "$an" "/directions/sport?year=2024"
expect_grep "…offers the list" "/directions?year=2024" "$T/body"
expect_status "the dashboard" 200 "$an" "/?year=2024"
expect_eq "…shows the nine at a glance" "$(grep -o 'class="dir-tile dir-[a-z_]*"' "$T/body" | wc -l)" 9
expect_grep "…each with its word" '<span class="badge badge-dir-on_target">цель достигнута</span>' "$T/body"
expect_status "the decision form answers a direction" 200 "$an" "/decisions?year=2024&direction=talents"
expect_grep "…preselected from the link" '<option value="talents" selected>' "$T/body"
expect_status "the guest: /directions" 200 "$pub" "/directions?year=2024"
expect_grep "…the statuses" "цель не достигнута" "$T/body"
expect_status "the guest: /directions/shnor" 200 "$pub" "/directions/shnor?year=2024"
if grep -q "sch0000\|$(q "SELECT name FROM school WHERE code = '$s2'")" "$T/body"; then not_ok "…no school list"; else ok "…no school list"; fi
if grep -q "Приказ от 12.09.2023" "$T/body"; then not_ok "…no decision"; else ok "…no decision"; fi
expect_grep "…the municipal value" "16,7 %" "$T/body"
expect_status "the guest: the schools outside as CSV" 200 "$pub" "/directions/shnor?year=2024&format=csv&table=outside"
expect_eq "…has no row" "$(tail -n +2 "$T/body" | grep -c ';')" 0
expect_status "the guest: talents in JSON" 200 "$pub" "/directions/talents?year=2024&format=json"
expect_eq "…a count of 4 people hidden" "$(jq -c '.indicators[0] | [.value, .small, .dynamics[0].value]' "$T/body")" "[null,true,null]"
expect_eq "…no decisions key" "$(jq 'has("decisions")' "$T/body")" false
expect_status "the operator of $s1: /directions/shnor" 200 "$op" "/directions/shnor?year=2024&format=json"
expect_eq "…its own school only" "$(jq -r '[.schools_outside[].school.code] | join(",")' "$T/body")" "$s1"
expect_eq "…its own recommendation only" "$(jq -r '[.recommendations[].school.code] | join(",")' "$T/body")" "$s1"
expect_eq "…the decision naming it, its own row only" "$(jq -r '[.decisions.previous[].schools[].code] | join(",")' "$T/body")" "$s1"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -q "ERROR: AddressSanitizer\|runtime error" "$T/serve.log" && { not_ok "the server ran clean"; sed 's/^/#   /' "$T/serve.log" | head -30; } || ok "the server ran clean"

# ---- the справка ----
expect_ok "the справка of 2024 (PDF)" "$M" report --db "$db" --year 2024 --format pdf -o "$T/r.pdf"
pdftotext "$T/r.pdf" - | tr '\n' ' ' >"$T/r.txt" # captions break across lines
expect_grep "…has the section «Направления МСОКО»" "Направления МСОКО" "$T/r.txt"
expect_grep "…the nine at a glance" "Направления МСОКО: достижение целевых значений, 2024 год" "$T/r.txt"
expect_grep "…a direction's indicators against targets" "показатели против целевых значений, 2022–2024 годы" "$T/r.txt"
expect_grep "…the schools outside the target" "школы, не достигшие целевых значений, 2024 год" "$T/r.txt"
expect_grep "…the acts by their names" "Дорожная карта МСОКО г. Горячий Ключ, п. 3.8" "$T/r.txt"
expect_eq "…never «seed 00…» (issue 14 п. 5)" "$(grep -c -i 'seed 0' "$T/r.txt")" 0
expect_ok "…HTML" "$M" report --db "$db" --year 2024 --format html -o "$T/r.html"
expect_grep "…has it too" "Направления МСОКО: достижение целевых значений" "$T/r.html"
expect_ok "…XLSX" "$M" report --db "$db" --year 2024 --format xlsx -o "$T/r.xlsx"
expect_eq "…with the sheet «Направления»" "$(unzip -p "$T/r.xlsx" xl/workbook.xml | grep -c 'name="Направления"')" 1
done_testing
