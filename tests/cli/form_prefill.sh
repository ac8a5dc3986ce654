#!/bin/sh
# Forms pre-fill what was imported (issue 19 item 7): context values loaded by file appear in a
# school's form for the same element and period, marked «загружено файлом» — before the school
# has filled anything and in its draft for the fields the draft lacks; what the school typed is
# its own and unmarked; a handed-in form shows what was handed in; another period or school
# gets nothing. The same view model in `msoko show form` and on the web page. `msoko form fill`
# stores what the page shows, as the page's «Сохранить» does: the named values and the
# pre-filled ones, in one transaction with one audit row; submit and approve via the CLI then
# hand in and publish the values the page showed.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb f)
E="$MSOKO_ROOT/examples"
export MSOKO_NOW=2024-03-01T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" import --db "$db" --kind schools "$E/schools.csv" >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT/methods/forms/risk-context.ini" >/dev/null
show() { "$M" show --db "$db" --year 2024 form risk_context --school "${1:-sch100001}" --period "${2:-2024}"; }
fld() { jq -c --arg c "$1" '.fields[] | select(.code == $c) | [.value, .prefilled, .imported, .source_label]' "$T/f.json"; }
show >"$T/f.json"
expect_eq "before the import: nothing pre-filled" "$(jq '[.fields[] | select(.prefilled)] | length' "$T/f.json")" 0
expect_ok "import the context file" "$M" import --db "$db" --kind context "$E/context-long-2024.csv"
tt=$(q "SELECT CAST(value AS INTEGER) FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = 'sch100001' AND dv.period = '2024' AND dv.element = 'teachers_total'")
expect_eq "…teachers_total of sch100001 is in the file" "$([ -n "$tt" ] && echo yes)" yes
show >"$T/f.json"
expect_eq "the form shows the loaded value, marked" "$(fld teachers_total)" "[\"$tt\",true,true,\"загружено файлом\"]"
expect_eq "…a yes/no one too" "$(fld internet)" '["1",true,true,"загружено файлом"]'
expect_eq "…every loaded element of the form and only those" \
    "$(jq -r '[.fields[] | select(.imported) | .code] | sort | join(",")' "$T/f.json")" \
    "$(q "SELECT dv.element FROM data_value dv JOIN school s ON s.id = dv.school_id JOIN form_element fe ON fe.element = dv.element AND fe.form = 'risk_context' WHERE s.code = 'sch100001' AND dv.period = '2024' ORDER BY dv.element" | paste -sd, -)"
expect_eq "…an element not in the file stays empty and unmarked" "$(fld lab_phys)" '["",false,false,""]'
show sch100001 2023 >"$T/f.json"
expect_eq "another period: nothing" "$(jq '[.fields[] | select(.prefilled)] | length' "$T/f.json")" 0
nofile=$(q "SELECT code FROM school WHERE id NOT IN (SELECT school_id FROM data_value) ORDER BY code LIMIT 1")
if [ -n "$nofile" ]; then
    show "$nofile" >"$T/f.json"
    expect_eq "a school not in the file: nothing" "$(jq '[.fields[] | select(.prefilled)] | length' "$T/f.json")" 0
fi

# the school's draft: what it typed is its own, the rest still comes from the file
expect_ok "a draft with one value typed" "$M" form fill --db "$db" risk_context --school sch100001 --period 2024 teachers_total=$((tt + 2))
show >"$T/f.json"
expect_eq "…the typed value, unmarked" "$(fld teachers_total)" "[\"$((tt + 2))\",false,false,\"\"]"
# the fill stored the loaded values too (as «Сохранить» on the page): they are the draft's now
expect_eq "…the other loaded values are in the draft, as the page would save them" "$(fld internet)" '["1",false,false,""]'
# issue 19: `form fill` stores what the page shows, as the page's «Сохранить» does — the typed
# value and every pre-filled one (the loaded elements the draft lacked)
sv() { q "SELECT sv.element || '=' || COALESCE(sv.text_value, CAST(sv.value AS TEXT)) FROM submission_value sv JOIN submission su ON su.id = sv.submission_id JOIN school s ON s.id = su.school_id WHERE su.form = 'risk_context' AND s.code = '$1' ORDER BY sv.element" | paste -sd' ' -; }
shown() { jq -r '[.fields[] | select(.value != "") | "\(.code)=\(.value)"] | sort | join(" ")' "$T/f.json"; }
expect_eq "…the draft holds the typed value and the pre-filled ones" \
    "$(q "SELECT element FROM submission_value ORDER BY element" | paste -sd, -)" \
    "$(q "SELECT dv.element FROM data_value dv JOIN school s ON s.id = dv.school_id JOIN form_element fe ON fe.element = dv.element AND fe.form = 'risk_context' WHERE s.code = 'sch100001' AND dv.period = '2024' UNION SELECT 'teachers_total' ORDER BY 1" | paste -sd, -)"
expect_eq "…the typed value stored as typed, not the loaded one" \
    "$(q "SELECT CAST(value AS INTEGER) FROM submission_value WHERE element = 'teachers_total'")" "$((tt + 2))"
expect_eq "…a pre-filled one stored as loaded" "$(q "SELECT value FROM submission_value WHERE element = 'internet'" | sed 's/\.0$//')" 1
# another school: `form fill` with no values stores exactly what its page shows pre-filled
other=$(q "SELECT s.code FROM school s WHERE s.code != 'sch100001' AND s.id IN (SELECT school_id FROM data_value WHERE period = '2024') ORDER BY s.code LIMIT 1")
show "$other" >"$T/f.json"
page=$(shown)
expect_eq "…$other: its page pre-fills values" "$([ -n "$page" ] && echo yes)" yes
# what the operator would type on the page: 0 in the required fields the file left empty
zeros=$(jq -r '[.fields[] | select(.required and .value == "") | "\(.code)=0"] | join(" ")' "$T/f.json")
a0=$(q "SELECT count(*) FROM audit")
expect_ok "…form fill without values" "$M" form fill --db "$db" risk_context --school "$other" --period 2024
show "$other" >"$T/f.json"
expect_eq "…stores the values the page showed" "$(shown)" "$page"
expect_eq "…now the draft's, not pre-filled" "$(jq '[.fields[] | select(.prefilled)] | length' "$T/f.json")" 0
expect_eq "…one audit row (form.draft) for the fill" \
    "$(q "SELECT count(*) || ' ' || max(action) FROM audit WHERE id > $a0")" "1 form.draft"
expect_eq "…whose after-image holds the pre-filled values" \
    "$(q "SELECT CASE WHEN after LIKE '%internet%' THEN 1 ELSE 0 END FROM audit WHERE id > $a0")" 1
expect_eq "…and each stored value has its history row (stage draft)" \
    "$(q "SELECT count(*) FROM value_history vh JOIN school s ON s.id = vh.school_id WHERE s.code = '$other' AND vh.stage = 'draft'")" \
    "$(printf '%s\n' $page | wc -l | tr -d ' ')"
# submit via CLI: the stored values are those the page would hand in (its pre-filled values and
# the typed zeros), and approval publishes them
# shellcheck disable=SC2086
expect_ok "…the required rest typed in" "$M" form fill --db "$db" risk_context --school "$other" --period 2024 $zeros
expect_ok "…and submitted via the CLI" "$M" form submit --db "$db" risk_context --school "$other" --period 2024
want=$(printf '%s\n' $page $zeros | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "…hands in the page's values" "$(sv "$other" | tr ' ' '\n' | sed 's/\.0$//' | sort | tr '\n' ' ' | sed 's/ $//')" "$want"
expect_ok "…approved via the CLI" "$M" form approve --db "$db" risk_context --school "$other" --period 2024
expect_eq "…publishes the same values" "$(q "SELECT dv.element || '=' || COALESCE(dv.text_value, CAST(dv.value AS TEXT)) FROM data_value dv JOIN school s ON s.id = dv.school_id JOIN form_element fe ON fe.element = dv.element AND fe.form = 'risk_context' WHERE s.code = '$other' AND dv.period = '2024'" | sed 's/\.0$//' | sort | tr '\n' ' ' | sed 's/ $//')" "$want"

# ---- the web page ----
"$M" user add op --role school --school sch100001 --password op-pass-123 --db "$db" >/dev/null
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
jar="$T/op.jar"; : >"$jar"
st() { path=$1; shift; curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
st /login >/dev/null
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
st /login --data-urlencode "csrf=$tok" --data-urlencode "login=op" --data-urlencode "password=op-pass-123" >/dev/null
expect_eq "operator: its form" "$(st "/forms/risk_context/sch100001?period=2024")" 200
expect_grep "…the loaded value in the field" 'name="v_pupils_total" value="'"$(q "SELECT CAST(value AS INTEGER) FROM data_value WHERE element = 'pupils_total' AND period = '2024' AND school_id = (SELECT id FROM school WHERE code = 'sch100001')")"'"' "$T/body"
# the CLI fill stored it in the draft: the page shows it as the draft's, unmarked
if grep -q 'id="src_pupils_total"' "$T/body"; then not_ok "…now the draft's, unmarked"; else ok "…now the draft's, unmarked"; fi
expect_grep "…the typed one as typed" "name=\"v_teachers_total\" value=\"$((tt + 2))\"" "$T/body"
if grep -q 'id="src_teachers_total"' "$T/body"; then not_ok "…and not marked"; else ok "…and not marked"; fi
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
grep -q "ERROR: AddressSanitizer\|runtime error" "$T/serve.log" && { not_ok "the server ran clean"; sed 's/^/#   /' "$T/serve.log" | head -30; } || ok "the server ran clean"

# handed in: the form shows what was handed in (the required fields filled from the draft)
show >"$T/f.json"
req=$(jq -r '[.fields[] | select(.required) | "\(.code)=\(if .value == "" then "0" else .value end)"] | join(" ")' "$T/f.json")
# shellcheck disable=SC2086
"$M" form fill --db "$db" risk_context --school sch100001 --period 2024 $req >/dev/null 2>&1
if "$M" form submit --db "$db" risk_context --school sch100001 --period 2024 >"$T/out" 2>"$T/err"; then
    show >"$T/f.json"
    expect_eq "a handed-in form pre-fills nothing" "$(jq '[.fields[] | select(.prefilled)] | length' "$T/f.json")" 0
    expect_eq "…and shows what was handed in" "$(fld teachers_total)" "[\"$((tt + 2))\",false,false,\"\"]"
else
    not_ok "the form could be submitted"; sed 's/^/#   /' "$T/err" | head -5
fi
done_testing
