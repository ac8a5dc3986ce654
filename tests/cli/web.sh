#!/bin/sh
# msoko serve over HTTP with curl: every route × role, the errors 401/403/404/413/422, a school
# operator who tries another school's URL (HTML and JSON), a public request for a cell of 3
# pupils (suppressed), forms without a CSRF token refused, the import form end to end (check,
# confirm, undo), the login limiter, static assets with ETags, and a clean stop on SIGTERM.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb web)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
# a procedure with 3 pupils in one school: a cell the public must never see
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000003;x001;10;4\n2024;РКР;математика;7;sch000003;x002;5;3\n2024;РКР;математика;7;sch000003;x003;2;2\n' >"$T/small.csv"
"$M" import --db "$db" "$T/small.csv" >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
expect_ok "user add admin" "$M" user add boss --role admin --password 'boss-pass-1' --db "$db"
expect_ok "user add analyst" "$M" user add ann --role analyst --password 'ann-pass-12' --db "$db"
expect_ok "user add school operator" "$M" user add op1 --role school --school sch000001 --password 'op1-pass-12' --db "$db"
expect_exit 1 "user add: unknown school" "$M" user add op2 --role school --school nope --password 'op2-pass-12' --db "$db"
expect_grep "…names the school" "нет школы с кодом «nope»" "$T/err"
expect_exit 1 "user add: login taken" "$M" user add ann --role analyst --password 'ann-pass-12' --db "$db"
expect_exit 2 "user add: school role needs --school" "$M" user add op3 --role school --db "$db"
expect_exit 2 "user add: short password" "$M" user add op4 --role analyst --password short --db "$db"
expect_ok "user add with a generated password" "$M" user add gen --role analyst --db "$db"
expect_grep "…prints it" "Пароль: " "$T/out"
expect_ok "user role" "$M" user role gen --role school --school sch000002 --db "$db"
expect_ok "user passwd" "$M" user passwd gen --password 'gen-pass-12' --db "$db"
expect_ok "user list" "$M" user list --db "$db"
expect_grep "…shows the operator's school" "gen	school	sch000002" "$T/out"
expect_eq "every user change is audited" \
    "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action LIKE 'user.%'")" 6
expect_eq "passwords are stored as argon2id hashes" \
    "$(dbsql "$db" "SELECT count(*) FROM \"user\" WHERE pass_hash LIKE '\$argon2id\$%'")" 4

"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens ($U)" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }

# st JAR PATH [curl args…]: the status code; the body is in $T/body, headers in $T/hdr
st() {
    jar=$1; path=$2; shift 2
    curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"
}
expect_status() { # NAME WANT JAR PATH [curl args…]
    name=$1; want=$2; shift 2
    got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 600 "$T/body" | sed 's/^/#   /'; fi
}
login() { # JAR LOGIN PASSWORD
    : >"$1"
    st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3"
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
pub="$T/pub.jar"; : >"$pub"

# ---- the public ----
expect_status "public: / sends to the open data" 303 "$pub" /
expect_grep "…Location /open" "Location: /open" "$T/hdr"
expect_status "public: /open" 200 "$pub" "/open?year=2024"
expect_grep "…security header CSP without inline scripts" "script-src 'self'" "$T/hdr"
expect_grep "…frame-ancestors none" "frame-ancestors 'none'" "$T/hdr"
expect_grep "…nosniff" "X-Content-Type-Options: nosniff" "$T/hdr"
expect_grep "…says small groups are hidden" "менее 5 участников" "$T/body"
expect_status "public: open school page" 200 "$pub" "/open/schools/sch000003?year=2024"
for p in "/schools" "/schools/sch000001" "/lists/shnor" "/lists/rating" "/procedures/VPR-math-5" "/imports"; do
    expect_status "public: $p needs a login (401)" 401 "$pub" "$p"
done
expect_grep "…the 401 page has the login form" 'action="/login"' "$T/body"
expect_status "public: JSON 401" 401 "$pub" /schools -H 'Accept: application/json'
expect_grep "…as JSON" '"status":401' "$T/body"
expect_status "public: /api" 200 "$pub" /api
expect_status "unknown page: 404" 404 "$pub" /no/such/page
expect_status "static CSS" 200 "$pub" /static/style.css
etag=$(sed -n 's/^ETag: *\(.*\)\r$/\1/p' "$T/hdr")
[ -n "$etag" ] && ok "…has an ETag" || not_ok "static CSS has no ETag"
expect_grep "…and Cache-Control" "Cache-Control: public" "$T/hdr"
expect_status "static CSS again: 304 Not Modified" 304 "$pub" /static/style.css -H "If-None-Match: $etag"
expect_status "static JS" 200 "$pub" /static/app.js
expect_status "unknown static file: 404" 404 "$pub" /static/nope.js

# the cell of 3 pupils: the analyst sees it, the public gets null and "suppressed"
expect_status "public JSON of a school with a 3-pupil cell" 200 "$pub" "/open/schools/sch000003?year=2024" -H 'Accept: application/json'
cp "$T/body" "$T/pub3.json"
expect_eq "…the 3-pupil cell is suppressed" \
    "$(jq -c '[.procedures[] | select(.proc.key == "RKR-math-7") | .school | {participants, m2, suppressed}]' "$T/pub3.json")" \
    '[{"participants":null,"m2":null,"suppressed":true}]'
expect_eq "…no count of 3 anywhere in that row" \
    "$(jq '[.procedures[] | select(.proc.key == "RKR-math-7") | .school | .. | numbers] | length' "$T/pub3.json")" 0
expect_eq "…no findings for the public" "$(jq 'has("findings")' "$T/pub3.json")" false
expect_status "public /open as JSON" 200 "$pub" "/open?year=2024&format=json"
expect_eq "…while the municipal total of that procedure (all schools) is shown" \
    "$(jq -c '[.procedures[] | select(.proc.key == "RKR-math-7") | .marks.participants > 5]' "$T/body")" '[true]'

# ---- login ----
expect_status "login without a CSRF token is refused" 403 "$pub" /login -d "login=ann&password=ann-pass-12"
expect_eq "login: wrong password" "$(login "$T/x.jar" ann wrong-password)" 422
expect_grep "…says so" "Неверное имя пользователя или пароль" "$T/body"
expect_eq "login: analyst" "$(login "$T/ann.jar" ann ann-pass-12)" 303
expect_grep "…session cookie is HttpOnly and SameSite=Strict" "HttpOnly; SameSite=Strict" "$T/hdr"
expect_eq "login: admin" "$(login "$T/boss.jar" boss boss-pass-1)" 303
expect_eq "login: school operator" "$(login "$T/op.jar" op1 op1-pass-12)" 303
expect_grep "…lands on its school" "Location: /schools/sch000001" "$T/hdr"
expect_eq "sessions are stored hashed, not as the cookie" \
    "$(dbsql "$db" "SELECT count(*) FROM session WHERE token_hash = '$(sed -n 's/.*msoko_session\t//p' "$T/ann.jar")'")" 0

# ---- every route × role ----
for role in ann boss; do
    j="$T/$role.jar"
    for p in "/?year=2024" "/schools?year=2024" "/schools/sch000001?year=2024" "/schools/sch000002?year=2024" \
             "/procedures/VPR-math-5?year=2024" "/procedures/VPR-math-5?year=2024&school=sch000002" \
             "/lists/shnor?year=2024" "/lists/risk?year=2024" "/lists/objectivity?year=2024" \
             "/lists/rating?year=2024" "/imports" "/open" "/open/schools/sch000001" "/api"; do
        expect_status "$role: $p" 200 "$j" "$p"
    done
done
j="$T/ann.jar"
st "$j" "/?year=2024" >/dev/null
expect_grep "dashboard: h1 states the year" "Сводка муниципалитета за 2024 год" "$T/body"
expect_grep "dashboard: year selector" "2022/2023" "$T/body"
expect_grep "dashboard: logout form carries the CSRF token" 'action="/logout"' "$T/body"
expect_status "schools filtered by list" 200 "$j" "/schools?year=2024&list=shnor"
expect_grep "…one of the ШНОР schools" "badge-shnor" "$T/body"
expect_grep "…the filter form keeps the chosen list" '<option value="shnor" selected>' "$T/body"
expect_status "schools filtered by type and locality" 200 "$j" "/schools?year=2024&type=gymnasium&locality=urban"
expect_grep "…keeps the chosen type" '<option value="gymnasium" selected>' "$T/body"
expect_eq "…lists only urban gymnasia" "$(grep -o -E '<td( data-label="[^"]*")?>гимназия</td><td( data-label="[^"]*")?>городская</td>' "$T/body" | wc -l)" \
    "$(dbsql "$db" "SELECT count(*) FROM school WHERE type = 'gymnasium' AND locality = 'urban'")"
shnor=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY s.code LIMIT 1")
expect_status "the school page of a ШНОР school" 200 "$j" "/schools/$shnor?year=2024"
expect_grep "…shows the badge" 'badge-shnor' "$T/body"
expect_grep "…and why it is listed" "Почему школа в списках" "$T/body"
expect_status "ШНОР list as CSV" 200 "$j" "/lists/shnor?year=2024&format=csv"
expect_grep "…is CSV" "Content-Type: text/csv" "$T/hdr"
# the demo's ШНОР of 2024: two low schools (the third recovers in 2024, demo_truth shnor_recovered)
nshnor=$(dbsql "$db" "SELECT count(*) FROM finding f WHERE f.method = 'shnor' AND f.run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)")
expect_eq "…the demo's ШНОР of 2024: 2 schools" "$nshnor" 2
expect_eq "…has exactly the rows shown (header + $nshnor)" "$(grep -c '' "$T/body")" $((nshnor + 1))
st "$j" "/lists/shnor?year=2024" >/dev/null
expect_eq "…the page shows the same $nshnor" "$(grep -o '<tr><td>sch[0-9]*' "$T/body" | wc -l)" "$nshnor"
# the verdicts people read are the vocabulary's words, not codes (src/base/vocab.c, issue 13)
codes='inflated_mean|journal_mismatch|cohort_jump|boundary_peaks|medal|profile_inversion|identical_tasks|rise_fall|material|staff|contingent|results|AB|A|B'
expect_eq "…its verdicts name the act's criteria" "$(grep -o -E "<td( data-label=\"[^\"]*\")?>(<a [^>]*>)?Критери(й|и) [12]" "$T/body" | wc -l)" "$nshnor"
for l in shnor risk objectivity; do
    st "$j" "/lists/$l?year=2024" >/dev/null
    expect_eq "list $l: no verdict is a code" "$(grep -c -E "<td>($codes)(,[a-z_]+)*</td>" "$T/body")" 0
    st "$j" "/lists/$l?year=2024&format=csv" >/dev/null
    expect_eq "…nor in its CSV" "$(tail -n +2 "$T/body" | cut -d';' -f3 | grep -c -x -E "\"?($codes)(,[a-z_]+)*\"?")" 0
    expect_eq "…which has rows in Russian" "$(tail -n +2 "$T/body" | cut -d';' -f3 | LC_ALL=C grep -c "$(printf '[\320\321]')")" "$(($(grep -c '' "$T/body") - 1))"
done
expect_status "schools as CSV with a filter" 200 "$j" "/schools?year=2024&list=risk&format=csv"
expect_eq "…rows of the risk zone + header" "$(grep -c '' "$T/body")" \
    $(( $(dbsql "$db" "SELECT count(DISTINCT school_id) FROM finding WHERE method = 'risk'") + 1 ))
expect_status "analyst: JSON API of a school" 200 "$j" "/schools/sch000003?year=2024" -H 'Accept: application/json'
expect_eq "…is the view model" "$(jq -r '.school.code' "$T/body")" sch000003
expect_eq "…the analyst sees the 3 pupils" \
    "$(jq '[.procedures[] | select(.proc.key == "RKR-math-7") | .school.participants][0]' "$T/body")" 3
expect_status "analyst: JSON of the dashboard" 200 "$j" "/?year=2024" -H 'Accept: application/json'
expect_eq "…counts 30 schools" "$(jq '.counts.schools' "$T/body")" 30
expect_status "analyst: unknown school 404" 404 "$j" "/schools/sch999999?year=2024"
expect_grep "…offers the list it came from" 'href="/schools"' "$T/body"
expect_status "analyst: unknown list 404" 404 "$j" "/lists/bogus?year=2024"
expect_status "analyst: unknown procedure 404" 404 "$j" "/procedures/VPR-chem-99?year=2024"
expect_status "analyst: a year without data" 200 "$j" "/?year=2030"

# ---- the school operator ----
j="$T/op.jar"
expect_status "operator: own school" 200 "$j" "/schools/sch000001?year=2024"
expect_status "operator: another school (403)" 403 "$j" "/schools/sch000002?year=2024"
expect_grep "…names the role that can see it" "аналитику муниципалитета" "$T/body"
expect_status "operator: another school as JSON (403)" 403 "$j" "/schools/sch000002?year=2024" -H 'Accept: application/json'
expect_eq "…nothing of that school in the answer" "$(grep -c 'sch000002\b.*participants' "$T/body")" 0
expect_status "operator: the schools list (403)" 403 "$j" "/schools?year=2024"
expect_status "operator: the ШНОР list (403)" 403 "$j" "/lists/shnor?year=2024"
expect_status "operator: imports (403)" 403 "$j" "/imports"
expect_status "operator: the procedure page" 200 "$j" "/procedures/VPR-math-5?year=2024" -H 'Accept: application/json'
expect_eq "…shows no other school" "$(jq '[.schools[].school.code | select(. != "sch000001")] | length' "$T/body")" 0
expect_status "operator: procedure narrowed to another school (403)" 403 "$j" "/procedures/VPR-math-5?year=2024&school=sch000002"
expect_status "operator: / lands on its school" 303 "$j" "/"
st "$j" "/schools/sch000001?year=2024" >/dev/null
opcsrf=$(csrf_of)
expect_status "operator: POST an import (403 by role)" 403 "$j" /imports -F "csrf=$opcsrf" -F "file=@$T/small.csv"

# ---- forms: CSRF, 413, 422, the import flow ----
j="$T/ann.jar"
st "$j" /imports >/dev/null
csrf=$(csrf_of)
[ -n "$csrf" ] && ok "the import form carries a CSRF token" || not_ok "no CSRF token in the import form"
expect_status "import without a CSRF token is refused" 403 "$j" /imports -F "file=@$T/small.csv"
expect_status "import with a wrong CSRF token is refused" 403 "$j" /imports -F "csrf=0000" -F "file=@$T/small.csv"
expect_status "analysis without a CSRF token is refused" 403 "$j" /analyze -d "year=2024"
expect_status "logout without a CSRF token is refused" 403 "$j" /logout -d "x=1"
expect_status "import without a file: 422" 422 "$j" /imports -F "csrf=$csrf" -F "kind=results"
expect_grep "…says what to do" "Выберите файл" "$T/body"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;y001;10;9\n' >"$T/bad.csv"
before=$("$M" stats --db "$db" --checksum)
expect_status "import of a bad file: 422" 422 "$j" /imports -F "csrf=$csrf" -F "file=@$T/bad.csv"
expect_grep "…the CLI's message with row and column" "bad.csv:2:8: отметка должна быть от 2 до 5" "$T/body"
expect_eq "…the database is unchanged" "$("$M" stats --db "$db" --checksum)" "$before"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;Иванов Иван Иванович;10;4\n' >"$T/name.csv"
expect_status "import of a pupil's name as a pupil code: 422" 422 "$j" /imports -F "csrf=$csrf" -F "file=@$T/name.csv"
expect_grep "…codes only, with row and column" "name.csv:2:6: в столбце кода участника — фамилия, имя или инициалы" "$T/body"
expect_eq "…and the database is unchanged" "$("$M" stats --db "$db" --checksum)" "$before"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
expect_status "a form body over the limit: 413" 413 "$j" /analyze --data-binary "@$T/big.txt"
head -c 34000000 /dev/zero >"$T/huge.bin"
expect_status "an upload over 32 MB: 413" 413 "$j" /imports -F "csrf=$csrf" -F "file=@$T/huge.bin"
rm -f "$T/huge.bin"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;y001;10;4\n2024;РКР;математика;7;sch000004;y002;7;3\n' >"$T/good.csv"
st "$j" "/schools/sch000004?year=2024" -H 'Accept: application/json' >/dev/null
n_before=$(jq '[.procedures[] | select(.proc.key == "RKR-math-7") | .school.participants][0]' "$T/body")
st "$j" "/schools/sch000004?year=2024" >/dev/null  # the rendered page is now kept
stale="${TMPDIR:-/tmp}/msoko-upload-$(id -u)/0123456789abcdef0123456789abcdef"
mkdir -p "$stale" && echo x >"$stale/old.csv" && touch -d '2 days ago' "$stale"
expect_status "import check of a good file" 200 "$j" /imports -F "csrf=$csrf" -F "file=@$T/good.csv"
[ ! -e "$stale" ] && ok "…an upload checked 2 days ago and never confirmed is swept" ||
    not_ok "a stale upload is still in $stale"
expect_grep "…no errors" "Ошибок нет" "$T/body"
expect_eq "…nothing written yet" "$("$M" stats --db "$db" --checksum)" "$before"
token=$(grep -o 'name="token" value="[0-9a-f]*"' "$T/body" | sed 's/.*value="//;s/"$//')
expect_status "confirm without CSRF is refused" 403 "$j" /imports/confirm -d "token=$token&name=good.csv"
expect_status "confirm the import" 303 "$j" /imports/confirm -d "csrf=$csrf&token=$token&name=good.csv"
batch=$(sed -n 's/^Location: \/imports?done=\([0-9]*\).*/\1/p' "$T/hdr")
[ -n "$batch" ] && ok "…redirects to the history (batch $batch)" || not_ok "no batch in the redirect"
expect_eq "…the rows are in" "$(dbsql "$db" "SELECT count(*) FROM result WHERE pupil_code LIKE 'y00%'")" 2
expect_eq "…audited" "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action = 'import' AND \"user\" = 'ann'")" 1
expect_status "the kept school page is made anew after the import" 200 "$j" "/schools/sch000004?year=2024" -H 'Accept: application/json'
expect_eq "…and shows the 2 imported pupils (was $n_before)" \
    "$(jq '[.procedures[] | select(.proc.key == "RKR-math-7") | .school.participants][0]' "$T/body")" 2
expect_status "confirming twice" 422 "$j" /imports/confirm -d "csrf=$csrf&token=$token&name=good.csv"
expect_status "the history lists it" 200 "$j" "/imports?done=$batch"
expect_grep "…with the file name" "good.csv" "$T/body"
expect_status "undo the import" 303 "$j" "/imports/$batch/undo" -d "csrf=$csrf"
expect_eq "…the rows are gone" "$(dbsql "$db" "SELECT count(*) FROM result WHERE pupil_code LIKE 'y00%'")" 0
expect_eq "…audited" "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action = 'import.undo'")" 1
expect_status "undo of an unknown batch: 422" 422 "$j" "/imports/99999/undo" -d "csrf=$csrf"
expect_status "analysis from the web" 303 "$j" /analyze -d "csrf=$csrf&year=2024"
expect_status "analysis of a bad year: 422" 422 "$j" /analyze -d "csrf=$csrf&year=abc"
expect_status "GET of a POST-only address: 405" 405 "$j" /analyze

# a kept page carries each session's own CSRF token
login "$T/ann2.jar" ann ann-pass-12 >/dev/null
# 2023 has no analysis: the dashboard's body has the «Запустить анализ» form with a token too
csrfs() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | sed 's/.*value="//;s/"$//' | sort -u | tr '\n' ' '; }
st "$T/ann.jar" "/?year=2023" >/dev/null; t1=$(csrfs)
expect_eq "the 2023 dashboard has the analysis form" "$(grep -c 'action="/analyze"' "$T/body")" 1
st "$T/ann2.jar" "/?year=2023" >/dev/null; t2=$(csrfs)
[ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" != "$t2" ] && ok "two sessions get the same page with their own CSRF tokens" ||
    not_ok "CSRF tokens of two sessions: «$t1» «$t2»"
expect_eq "…each the one of its session, in the layout and in the body" "$t1" "$csrf "

# ---- logout, limiter ----
expect_status "logout" 303 "$j" /logout -d "csrf=$csrf"
expect_status "…the session is gone" 401 "$j" "/schools?year=2024"
for i in 1 2 3 4 5; do login "$T/y.jar" boss "wrong-$i" >/dev/null; done
expect_eq "the sixth failed login in a row is limited (429)" "$(login "$T/y.jar" boss boss-pass-1)" 429
expect_grep "…says when to retry" "Повторите через" "$T/body"
expect_eq "logins are sessions, not audit rows (the audit marks data changes)" \
    "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action = 'login'")" 0

# a staging folder for uploads that others can write into is refused, not written into
mkdir -p "$T/evil/msoko-upload-$(id -u)" && chmod 0777 "$T/evil/msoko-upload-$(id -u)"
TMPDIR="$T/evil" "$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve2.log" 2>&1 &
pid2=$!
U1=$U; U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve2.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
st "$T/boss.jar" /imports >/dev/null
expect_status "an upload folder writable by others is refused" 500 "$T/boss.jar" /imports -F "csrf=$(csrf_of)" -F "file=@$T/good.csv"
expect_grep "…saying so" "чужая или недоступна" "$T/body"
expect_eq "…and nothing was written into it" "$(ls "$T/evil/msoko-upload-$(id -u)" | wc -l)" 0
kill -TERM "$pid2"; wait "$pid2"
U=$U1

kill -TERM "$pid"
wait "$pid"; rc=$?
expect_eq "SIGTERM stops the server cleanly" "$rc" 0
expect_grep "…and it says so" "сервер остановлен" "$T/serve.log"
done_testing
