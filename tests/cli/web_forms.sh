#!/bin/sh
# The monitoring forms and the roadmap over HTTP (msoko serve, curl): a school operator fills
# its own school's risk-context form (draft, messages next to the field, submit), cannot open or
# post another school's form, cannot approve, cannot change a submitted or approved form; the
# analyst sees who has not submitted by the deadline, returns a form with a comment and approves
# it, after which `analyze` puts the school in the risk list; the dashboard and /plan show the
# roadmap items due this month and overdue, and a status set on /plan takes an item off.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb wf)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/004-izobilny-objectivity.csv" "$MSOKO_ROOT/methods/roadmaps/000-vladikavkaz-concept.csv" >/dev/null
risk() { "$M" analyze --db "$db" --year 2024 --json | jq -r '[.risk[].school] | join(",")'; }
before=$(risk)
sc=$(q "SELECT code FROM school WHERE ',$before,' NOT LIKE '%,' || code || ',%' ORDER BY code LIMIT 1")
other=$(q "SELECT code FROM school WHERE code <> '$sc' ORDER BY code LIMIT 1")
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$sc" --password op-pass-123 --db "$db" >/dev/null
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
an="$T/an.jar"; op="$T/op.jar"
login "$an" ann ann-pass-12
login "$op" op op-pass-123
F="/forms/risk_context"

# ---- the roadmap on the dashboard and /plan (today 15 March 2024) ----
overdue=$("$M" plan list --db "$db" --year 2024 --overdue --json | jq .count)
due=$("$M" plan list --db "$db" --year 2024 --due-month --json | jq .count)
expect_eq "the plans of 2024 have overdue items and items due in March" "$([ "$overdue" -gt 0 ] && [ "$due" -gt 0 ] && echo yes)" yes
expect_status "analyst: dashboard" 200 "$an" "/?year=2024"
expect_grep "…counts the overdue items" "Просрочено пунктов: $overdue" "$T/body"
expect_grep "…and those due this month" "срок в этом месяце: $due" "$T/body"
expect_grep "…names a March item (seed 000, 1.12, «март»)" "Мониторинг организации индивидуальной работы со слабоуспевающими" "$T/body"
expect_status "analyst: /plan" 200 "$an" "/plan?year=2024"
expect_grep "…lists overdue items (seed 004 1.5, «октябрь» → 31.10.2023)" "Проведение собеседования с администрацией образовательных организаций" "$T/body"
tok=$(csrf_of)
id=$(q "SELECT id FROM plan_item WHERE roadmap = '000-vladikavkaz-concept' AND number = '1.6'")
expect_status "a status without the CSRF token is refused" 403 "$an" "/plan/$id/status" --data "status=done"
expect_status "analyst marks 000 1.6 done" 303 "$an" "/plan/$id/status" --data-urlencode "csrf=$tok" --data "status=done" --data-urlencode "note=Приказ № 5"
expect_eq "…stored, with the note and who" "$(q "SELECT status || '|' || note || '|' || updated_by FROM plan_item WHERE id = $id")" "done|Приказ № 5|ann"
expect_eq "…one item fewer overdue" "$("$M" plan list --db "$db" --year 2024 --overdue --json | jq .count)" "$((overdue - 1))"
expect_status "a school operator cannot open /plan" 403 "$op" "/plan"

# ---- forms: what each one sees ----
expect_status "school: /forms" 200 "$op" /forms
expect_grep "…links its own risk form" "href=\"$F/$sc?period=2024\"" "$T/body"
expect_status "school: another school's form is 403" 403 "$op" "$F/$other?period=2024"
expect_status "school: its own form" 200 "$op" "$F/$sc?period=2024"
expect_grep "…starts from the values loaded by file" "в полях — значения, загруженные файлом" "$T/body"
t36=$(q "SELECT CAST(value AS INTEGER) FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = '$sc' AND period = '2024' AND element = 'teachers_total'")
expect_grep "…teachers_total prefilled" "name=\"v_teachers_total\" value=\"$t36\"" "$T/body"
tok=$(csrf_of)
# every field as it is, with overrides: post NAME=VALUE…
post() { jar=$1; path=$2; action=$3; shift 3
    set -- "$@"
    args=""
    for kv in $(q "SELECT element || '=' || CAST(value AS INTEGER) FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = '$sc' AND period = '2024'"); do
        k=${kv%%=*}; v=${kv#*=}
        for o in "$@"; do [ "${o%%=*}" = "$k" ] && v=${o#*=}; done
        args="$args --data-urlencode v_$k=$v"
    done
    # shellcheck disable=SC2086
    st "$jar" "$path" --data-urlencode "csrf=$tok" --data "period=2024" --data "action=$action" $args; }
sum=$("$M" stats --db "$db" --checksum)
got=$(post "$op" "$F/$other" save)
expect_eq "school: posting another school's form is 403" "$got" 403
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
got=$(post "$op" "$F/$sc" save internet=2)
expect_eq "a yes/no field with «2» is refused (422)" "$got" 422
expect_grep "…the message is next to the field" 'id="e_internet">Скоростной интернет: «2»: ожидается «да» или «нет»' "$T/body"
expect_grep "…the field is marked invalid" 'aria-invalid="true" aria-describedby="e_internet"' "$T/body"
expect_grep "…and listed on top with a link to it" '<li><a href="#v_internet">Скоростной интернет: «2»: ожидается' "$T/body"
expect_grep "…the other values stay as typed" "name=\"v_teachers_total\" value=\"$t36\"" "$T/body"
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"
got=$(post "$op" "$F/$sc" submit teachers_36h=$((t36 + 1)))
expect_eq "submitting more 36-hour teachers than teachers is refused (422)" "$got" 422
expect_grep "…the rule's message next to teachers_36h" 'id="e_teachers_36h">Педагогов с нагрузкой 36 часов и более не может быть больше, чем педагогов всего' "$T/body"
expect_eq "…kept as a draft" "$(q "SELECT status FROM submission WHERE form = 'risk_context'")" draft
got=$(post "$op" "$F/$sc" submit internet=0)
expect_eq "school submits its form with no internet" "$got" 303
expect_grep "…back to the page" "Location: $F/$sc?period=2024&done=submitted" "$T/hdr"
expect_status "…shown as submitted" 200 "$op" "$F/$sc?period=2024"
expect_grep "…status" 'id="status">сдана' "$T/body"
expect_grep "…fields disabled" 'name="v_internet" disabled' "$T/body"
expect_eq "a submitted form does not change the risk list" "$(risk)" "$before"
got=$(post "$op" "$F/$sc" save internet=1)
expect_eq "school cannot change a submitted form (409)" "$got" 409
expect_status "school cannot approve (403)" 403 "$op" "$F/$sc/approve" --data-urlencode "csrf=$tok" --data "period=2024"

# ---- the analyst ----
expect_status "analyst: completeness of the risk form" 200 "$an" "$F?period=2024"
expect_grep "…the school to review" "сдана — <a href=\"$F/$sc?period=2024\">проверить</a>" "$T/body"
expect_status "analyst: attendance for February, due 5 March" 200 "$an" "/forms/attendance?period=2024-02"
expect_grep "…past due, 30 schools missing (a count that needs no plural: «Школ, …: 1» reads right too)" "Срок сдачи прошёл. Школ, не сдавших форму: 30" "$T/body"
expect_status "analyst: the school's page" 200 "$an" "$F/$sc?period=2024"
expect_grep "…offers approve and return" "/approve" "$T/body"
expect_grep "…return is the secondary button, approve the main one" '<button type="submit" class="secondary">Вернуть на доработку</button>' "$T/body"
expect_grep "…approve stays the main (green) one" '<button type="submit">Утвердить</button>' "$T/body"
atok=$(csrf_of)
expect_status "returning without a comment is refused" 422 "$an" "$F/$sc/return" --data-urlencode "csrf=$atok" --data "period=2024" --data "comment="
expect_status "analyst returns it with a comment" 303 "$an" "$F/$sc/return" --data-urlencode "csrf=$atok" --data "period=2024" --data-urlencode "comment=Уточните доступ в интернет"
expect_status "school sees the comment" 200 "$op" "$F/$sc?period=2024"
expect_grep "…in the page" 'id="comment">Уточните доступ в интернет' "$T/body"
expect_grep "…status returned" 'id="status">возвращена на доработку' "$T/body"
got=$(post "$op" "$F/$sc" submit internet=0)
expect_eq "school confirms and submits again" "$got" 303
expect_status "analyst approves" 303 "$an" "$F/$sc/approve" --data-urlencode "csrf=$atok" --data "period=2024"
after=$(risk)
case ",$after," in *",$sc,"*) ok "after approval and analyze, $sc is in the risk list";; *) not_ok "after approval and analyze, $sc is in the risk list";; esac
got=$(post "$op" "$F/$sc" save internet=1)
expect_eq "school cannot edit an approved form (409)" "$got" 409
expect_grep "…told why" "утверждена: изменять её нельзя" "$T/body"
tok=$atok
got=$(post "$an" "$F/$sc" save internet=1)
expect_eq "…nor can the analyst" "$got" 409
expect_status "the history shows who changed internet" 200 "$an" "$F/$sc?period=2024"
expect_grep "…draft by the operator, approval by the analyst" "<td>ann</td><td>Скоростной интернет</td><td>утверждено</td><td>да → нет</td>" "$T/body"
expect_status "JSON API of the page" 200 "$an" "$F/$sc?period=2024" -H 'Accept: application/json'
expect_eq "…status approved" "$(jq -r .status "$T/body")" approved
expect_eq "…16 fields" "$(jq '.fields | length' "$T/body")" 16
expect_status "analyst: the risk form's indicator table" 200 "$an" "$F/table?period=2024"
mun=$(q "SELECT 100.0 * sum(CASE WHEN element = 'teachers_36h' THEN value END) / sum(CASE WHEN element = 'teachers_total' THEN value END) FROM data_value WHERE period = '2024' AND school_id IN (SELECT school_id FROM data_value WHERE period = '2024' AND element = 'teachers_36h' INTERSECT SELECT school_id FROM data_value WHERE period = '2024' AND element = 'teachers_total')" | awk '{ printf "%.1f", $1 }' | tr . ,)
expect_grep "…the municipal 36-hour share is the share of sums ($mun %)" "<td class=\"num\" data-mun=\"cur\">$mun" "$T/body"
expect_grep "…a yes/no element in words (the approved internet = 0)" '<td class="num">нет</td>' "$T/body"
expect_eq "…head counts and yes/no never as «20,0» or «1,0»" "$(grep -o '<td class="num"[^>]*>[0-9 ]*,[0-9]</td>' "$T/body" | head -3)" ""
expect_grep "…the period in words" "показатели за 2023/2024 учебный год" "$T/body"
expect_status "the forms list" 200 "$an" "/forms"
expect_grep "…names a half-year as people say it" "2-е полугодие 2023/2024 учебного года" "$T/body"
expect_grep "…and a month" "февраль 2024" "$T/body"
expect_eq "…no period code like 2024-H2" "$(grep -o '>[^<]*20[0-9][0-9]-H[12][^<]*<' "$T/body" | head -3)" ""
expect_status "…as XLSX" 200 "$an" "$F/table?period=2024&format=xlsx"
expect_grep "…a spreadsheet" "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "$T/hdr"
expect_eq "…a zip" "$(head -c 2 "$T/body")" "PK"
expect_status "school: the municipal table is 403" 403 "$op" "$F/table?period=2024"
kill -TERM "$pid"
wait "$pid"
done_testing
