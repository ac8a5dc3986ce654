#!/bin/sh
# The audit log you can read: the admin opens /admin/audit and filters it by user, action,
# school and dates (each filter checked against the table itself), reads each change's before
# and after (JSON pretty-printed, HTML escaped), pages through it, exports it as CSV and XLSX
# (formula text neutralised); the analyst and the school operator get a 403 naming their role,
# a visitor without a login a 401 (the server's rule: a login is what is missing).
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db=$(newdb audit)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 10 --seed 1 >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/000-vladikavkaz-concept.csv" >/dev/null
USER=cli-admin "$M" user add boss --role admin --password 'boss-pass-1' --db "$db" >/dev/null
USER=cli-admin "$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
USER=cli-admin "$M" user add op --role school --school sch000002 --password 'op-pass-123' --db "$db" >/dev/null
USER=cli-admin "$M" user role op --role school --school sch000003 --db "$db" >/dev/null
# a row whose before/after are JSON with markup in them, in January
q "INSERT INTO audit(at, \"user\", action, object, before, after) VALUES('2024-01-10T10:00:00Z', 'ann', 'import', 'sch000004', '{\"school\":\"sch000004\",\"name\":\"<script>alert(1)</script>\"}', '{\"school\":\"sch000004\",\"rows\":[1,2]}')"
# and one whose user looks like a formula
q "INSERT INTO audit(at, \"user\", action, object, before, after) VALUES('2024-02-01T08:00:00Z', '=cmd|''/c calc''!A0', 'user.passwd', '@x', NULL, '-1')"

"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
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
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 600 "$T/body" | sed 's/^/#   /'; fi
}
login() { : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
ad="$T/ad.jar"; an="$T/an.jar"; op="$T/op.jar"; pub="$T/pub.jar"; : >"$pub"
login "$ad" boss boss-pass-1
login "$an" ann ann-pass-12
login "$op" op op-pass-123

# changes made through the web by the analyst: a plan item's status with markup in the note,
# and an analysis
st "$an" "/plan?year=2024" >/dev/null
tok=$(csrf_of)
id=$(q "SELECT id FROM plan_item WHERE number = '1.6' LIMIT 1")
expect_status "analyst changes a plan item" 303 "$an" "/plan/$id/status" --data-urlencode "csrf=$tok" --data "status=done" --data-urlencode "note=<b>Приказ № 5</b>"
expect_status "analyst runs the analysis" 303 "$an" /analyze --data-urlencode "csrf=$tok" --data "year=2024"
total=$(q "SELECT count(*) FROM audit")

# ---- who may read it ----
expect_status "analyst: /admin/audit is 403" 403 "$an" /admin/audit
expect_grep "…naming the role that may" "администратор" "$T/body"
expect_grep "…and the analyst's own" "аналитик" "$T/body"
expect_eq "…no row of the log in the answer" "$(grep -c 'boss-pass\|cli-admin' "$T/body")" 0
expect_status "analyst: the CSV export is 403 too" 403 "$an" "/admin/audit?format=csv"
expect_status "school operator: 403" 403 "$op" /admin/audit -H 'Accept: application/json'
expect_grep "…names the operator's role" "оператор школы" "$T/body"
expect_status "without a login: 401 with the login form" 401 "$pub" /admin/audit
expect_grep "…the login form" 'action="/login"' "$T/body"
expect_status "without a login: the XLSX export is 401" 401 "$pub" "/admin/audit?format=xlsx"
expect_status "/api lists the route for the admin role" 200 "$pub" "/api?format=json"
expect_eq "…" "$(jq -r '.routes[] | select(.path == "/admin/audit") | .role' "$T/body")" admin

# ---- the admin reads it ----
expect_status "admin: the log" 200 "$ad" /admin/audit
expect_grep "…h1 says how many" "Журнал изменений: $total записей" "$T/body"
expect_grep "…the menu leads here" 'href="/admin/audit"' "$T/body"
expect_grep "…the JSON before is pretty-printed and escaped" "{
  &quot;school&quot;: &quot;sch000004&quot;," "$T/body"
expect_grep "…markup in it shown as text" "&lt;script&gt;alert(1)&lt;/script&gt;" "$T/body"
expect_eq "…never as markup" "$(grep -c '<script>alert' "$T/body")" 0
expect_grep "…the plan note escaped" "note=&lt;b&gt;Приказ № 5&lt;/b&gt;" "$T/body"
expect_grep "…before and after of the role change, pretty-printed" "&quot;school&quot;: &quot;sch000002&quot;" "$T/body"
expect_grep "…actions by name" "смена роли" "$T/body"
expect_status "admin: the log as JSON" 200 "$ad" "/admin/audit?format=json"
expect_eq "…total" "$(jq .total "$T/body")" "$total"
expect_eq "…newest first" "$(jq -c '[.rows[].id] == ([.rows[].id] | sort | reverse)' "$T/body")" true
expect_eq "…the analysis row by the analyst" "$(jq -r '[.rows[] | select(.action == "analyze")][0].user' "$T/body")" ann
expect_eq "…the user.role row has before and after" \
    "$(jq -c '[.rows[] | select(.action == "user.role")][0] | [.before, .after] | map(fromjson? // . | .school? // .)' "$T/body")" '["sch000002","sch000003"]'

j() { st "$ad" "/admin/audit?format=json&$1" >/dev/null; }
j "user=ann"
expect_eq "filter by user: the analyst's rows" "$(jq .total "$T/body")" "$(q "SELECT count(*) FROM audit WHERE \"user\" = 'ann'")"
expect_eq "…only hers" "$(jq -r '[.rows[].user] | unique | join(",")' "$T/body")" ann
j "action=user"
expect_eq "filter by action «user»: every user.* row" "$(jq .total "$T/body")" "$(q "SELECT count(*) FROM audit WHERE action LIKE 'user.%'")"
j "action=user.role"
expect_eq "filter by one action" "$(jq .total "$T/body")" 1
j "school=sch000002"
expect_eq "filter by school: the rows naming it" "$(jq -r '[.rows[].action] | join(",")' "$T/body")" "user.role,user.add"
j "school=sch000004"
expect_eq "…the JSON row of another school" "$(jq -r '[.rows[].id] | length' "$T/body")" 1
j "from=15.03.2024&to=15.03.2024"
expect_eq "filter by dates (дд.мм.гггг): the day's rows" "$(jq .total "$T/body")" "$(q "SELECT count(*) FROM audit WHERE substr(at, 1, 10) = '2024-03-15'")"
j "from=2024-01-01&to=2024-01-31"
expect_eq "…(гггг-мм-дд): January's one row" "$(jq -r '[.rows[].action] | join(",")' "$T/body")" import
j "from=2024-02-02&user=ann&action=plan"
expect_eq "filters combine" "$(jq .total "$T/body")" "$(q "SELECT count(*) FROM audit WHERE \"user\" = 'ann' AND action LIKE 'plan.%' AND at >= '2024-02-02'")"
expect_status "a wrong date" 200 "$ad" "/admin/audit?from=31.31.2024"
expect_grep "…is named at the top" "Дата «с»: ожидается дд.мм.гггг" "$T/body"
expect_grep "…and kept in its field" 'value="31.31.2024"' "$T/body"

# ---- pages of 50 ----
q "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120) INSERT INTO audit(at, \"user\", action, object, before, after) SELECT '2024-03-16T10:00:00Z', 'ann', 'plan.status', 'plan_item:' || i, 'status=planned; note=', 'status=done; note=' FROM n"
total=$(q "SELECT count(*) FROM audit")
pages=$(( (total + 49) / 50 ))
j ""
expect_eq "page 1: 50 rows of $total" "$(jq -r '[(.rows | length), .page, .pages] | map(tostring) | join(" ")' "$T/body")" "50 1 $pages"
expect_eq "…a link to page 2" "$(jq -r .next_href "$T/body")" "/admin/audit?page=2"
last1=$(jq '.rows[-1].id' "$T/body")
j "page=2"
expect_eq "page 2 goes on below page 1" "$(jq ".rows[0].id < $last1" "$T/body")" true
expect_eq "…and back" "$(jq -r .prev_href "$T/body")" "/admin/audit"
j "page=$pages"
expect_eq "the last page has no next" "$(jq -r '[.next_href, (.rows | length)] | map(tostring) | join(" ")' "$T/body")" "null $(( total - 50 * (pages - 1) ))"
j "user=ann&page=2"
expect_eq "the filter stays in the page links" "$(jq -r .prev_href "$T/body")" "/admin/audit?user=ann"

# ---- exports: every matching row, formula text neutralised ----
expect_status "CSV export" 200 "$ad" "/admin/audit?format=csv"
expect_grep "…is CSV" "Content-Type: text/csv" "$T/hdr"
python3 -c 'import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))
print(json.dumps(rows, ensure_ascii=False))' "$T/body" >"$T/csv.json"
expect_eq "…all $total rows and a header" "$(jq length "$T/csv.json")" $((total + 1))
expect_eq "…8 columns a row" "$(jq -c '[.[] | length] | unique' "$T/csv.json")" "[8]"
expect_eq "…the formula user neutralised" "$(jq -r '.[] | select(.[4] == "user.passwd") | .[2]' "$T/csv.json")" "'=cmd|'/c calc'!A0"
expect_eq "…an «after» of «-1» is text: neutralised too" "$(jq -r '.[] | select(.[4] == "user.passwd") | .[7]' "$T/csv.json")" "'-1"
expect_eq "…the number column stays a number" "$(jq -r '.[1:][] | .[0]' "$T/csv.json" | grep -vc '^[0-9][0-9]*$')" 0
expect_status "CSV export with a filter" 200 "$ad" "/admin/audit?format=csv&action=user"
expect_eq "…the filtered rows only" "$(($(python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";"))))' "$T/body") - 1))" \
    "$(q "SELECT count(*) FROM audit WHERE action LIKE 'user.%'")"
expect_status "XLSX export" 200 "$ad" "/admin/audit?format=xlsx"
expect_eq "…a zip" "$(head -c 2 "$T/body")" "PK"
cp "$T/body" "$T/audit.xlsx"
python3 -c 'import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml":
        x = z.read(n).decode()
        if "<f>" in x: print("FORMULA in " + n)
        for t in re.findall(r"<t[^>]*>(.*?)</t>", x, re.S): print(html.unescape(t))' "$T/audit.xlsx" >"$T/xlsx.strings"
expect_grep "…the formula user neutralised" "'=cmd|'/c calc'!A0" "$T/xlsx.strings"
expect_eq "…no text cell starts with = + - @, no formula" "$(grep -c '^[=+@-]\|^FORMULA' "$T/xlsx.strings")" 0
kill "$pid"
wait "$pid" 2>/dev/null
done_testing
