#!/bin/sh
# The admin's pages over HTTP (msoko serve, curl; src/web/admin.c): the first run makes one admin
# only while the database has no account (also when browsers race), with CSRF and the key serve
# printed, and is gone after; /admin/users and /admin/forms answer 401 to the public and 403 to the analyst and the
# school operator, refuse bad input in Russian leaving the database as it was (msoko stats
# --checksum), and do what they say: a password the admin gives out is shown once, is the only
# one that works and is temporary (its owner may open only the account page until they set
# their own), a disabled account cannot sign in, an uploaded form file's error names its line.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 missing (scripts/deps.sh)"; exit 0; }
db=$(newdb admin)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
serve() { # DB: starts the server, sets U and pid
    "$M" serve --db "$1" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
    pid=$!
    U=""
    for i in $(seq 1 100); do
        U=$(sed -n 's/.*сервер работает: \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
        [ -n "$U" ] && break
        sleep 0.1
    done
    sleep 0.2
    K=$(sed -n 's/.*\/setup?key=\([0-9a-f]*\) .*/\1/p' "$T/serve.log")
}
serve "$db"
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
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
sum() { "$M" stats --db "$db" --checksum; }
unchanged() { # NAME: the database is what it was at the last «mark»
    expect_eq "$1" "$(sum)" "$mark"
}

# ---- the first run ----
expect_status "an empty database: / sends the public to /setup" 303 "$T/p.jar" /
expect_grep "…Location /setup" "Location: /setup" "$T/hdr"
expect_status "…and so does /login" 303 "$T/p.jar" /login
expect_eq "serve printed the first run's key" "${#K}" 32
expect_status "/setup without the key: 403" 403 "$T/p.jar" /setup
expect_grep "…saying where the key is" "его печатает msoko serve при запуске" "$T/body"
expect_status "…with another key: 403" 403 "$T/p.jar" "/setup?key=0123456789abcdef0123456789abcdef"
expect_status "/setup?key=KEY offers the first admin" 200 "$T/p.jar" "/setup?key=$K"
expect_grep "…in Russian" "Первый запуск: создайте учётную запись администратора" "$T/body"
expect_grep "…the key goes with the form" "name=\"key\" value=\"$K\"" "$T/body"
tok=$(csrf_of)
mark=$(sum)
expect_status "a first run without the CSRF token: 403" 403 "$T/p.jar" /setup -d "key=$K&login=boss&password=boss-pass-123&password2=boss-pass-123"
expect_status "…with another browser's token: 403" 403 "$T/other.jar" /setup --data-urlencode "csrf=$tok" -d "key=$K&login=boss&password=boss-pass-123&password2=boss-pass-123"
expect_status "…without the key: 403" 403 "$T/p.jar" /setup --data-urlencode "csrf=$tok" -d 'login=boss&password=boss-pass-123&password2=boss-pass-123'
expect_status "passwords that differ: 422" 422 "$T/p.jar" /setup --data-urlencode "csrf=$tok" -d "key=$K&login=boss&password=boss-pass-123&password2=boss-pass-124"
expect_grep "…told so" "Пароль и его повтор не совпадают" "$T/body"
expect_grep "…the login kept" 'value="boss"' "$T/body"
expect_status "a common password: 422" 422 "$T/p.jar" /setup --data-urlencode "csrf=$tok" -d "key=$K&login=boss&password=qwertyuiop&password2=qwertyuiop"
expect_grep "…the CLI's rule" "этот пароль из числа самых частых" "$T/body"
expect_status "a login with a space: 422" 422 "$T/p.jar" /setup --data-urlencode "csrf=$tok" --data-urlencode 'login=big boss' -d "key=$K&password=boss-pass-123&password2=boss-pass-123"
expect_grep "…told why" "без пробелов" "$T/body"
unchanged "…none of them changed the database"
expect_status "the first admin: 303 to the users page" 303 "$T/a.jar" /setup --data-urlencode "csrf=$tok" -d "key=$K&login=boss&password=boss-pass-123&password2=boss-pass-123" -b "$T/p.jar"
expect_grep "…Location /admin/users" "Location: /admin/users?first=1" "$T/hdr"
expect_eq "…one admin, one audit row user.setup by boss/admin with the address, no hash" \
    "$(q "SELECT login || ':' || role FROM \"user\"" | paste -sd, -) $(q "SELECT action || ' ' || \"user\" || '/' || role FROM audit") $(q "SELECT after FROM audit" | jq -r .address) $(q "SELECT CASE WHEN after LIKE '%argon%' THEN 1 ELSE 0 END FROM audit")" \
    "boss:admin user.setup boss/admin 127.0.0.1 0"
expect_status "…signed in: the users page" 200 "$T/a.jar" "/admin/users?first=1"
expect_grep "…says the admin was created" "Учётная запись администратора создана" "$T/body"
csrf=$(csrf_of)
mark=$(sum)
expect_status "/setup is gone once an account exists (404), with the key too" 404 "$T/p2.jar" "/setup?key=$K"
st "$T/p3.jar" /login >/dev/null
t3=$(csrf_of)
expect_status "…a POST with the login form's valid token is refused (404)" 404 "$T/p3.jar" /setup --data-urlencode "csrf=$t3" -d "key=$K&login=evil&password=evil-pass-123&password2=evil-pass-123"
expect_status "…and for the signed-in admin (404)" 404 "$T/a.jar" /setup --data-urlencode "csrf=$csrf" -d "key=$K&login=evil&password=evil-pass-123&password2=evil-pass-123"
unchanged "…no account was added"
expect_status "/login is the login form again" 200 "$T/p4.jar" /login
kill "$pid"; wait "$pid" 2>/dev/null

# two browsers race on another empty database: one admin
race=$(newdb race)
"$M" init --db "$race" >/dev/null
serve "$race"
for k in 1 2 3 4; do st "$T/r$k.jar" "/setup?key=$K" >/dev/null; eval "rt$k=\$(csrf_of)"; done
for k in 1 2 3 4; do
    eval "tk=\$rt$k"
    curl -s -o /dev/null -w '%{http_code}\n' -b "$T/r$k.jar" -c "$T/r$k.jar" --data-urlencode "csrf=$tk" \
        -d "key=$K&login=racer$k&password=racer-pass-123&password2=racer-pass-123" "$U/setup" >>"$T/race.codes" &
done
wait_n=0
while [ "$(wc -l <"$T/race.codes" 2>/dev/null || echo 0)" -lt 4 ] && [ $wait_n -lt 300 ]; do sleep 0.1; wait_n=$((wait_n + 1)); done
expect_eq "four first runs at once make one admin" "$(dbsql "$race" "SELECT count(*) || ' ' || (SELECT count(*) FROM audit WHERE action = 'user.setup') FROM \"user\"")" "1 1"
expect_eq "…one 303, three 404" "$(sort "$T/race.codes" | tr '\n' ' ')" "303 404 404 404 "
kill "$pid"; wait "$pid" 2>/dev/null

# ---- the users page: who may open it ----
serve "$db"
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" import --db "$db" "$MSOKO_ROOT/examples/schools.csv" >/dev/null
"$M" user add op --role school --school sch100001 --password op-pass-123 --db "$db" >/dev/null
login() { # JAR LOGIN PASSWORD
    st "$1" /login >/dev/null
    lt=$(csrf_of)
    st "$1" /login --data-urlencode "csrf=$lt" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null
}
login "$T/a.jar" boss boss-pass-123
login "$T/n.jar" ann ann-pass-12
login "$T/o.jar" op op-pass-123
st "$T/a.jar" /admin/users >/dev/null
csrf=$(csrf_of)
st "$T/n.jar" /forms >/dev/null
ncsrf=$(csrf_of)
st "$T/o.jar" /forms >/dev/null
ocsrf=$(csrf_of)
st "$T/a.jar" /admin/users >/dev/null
expect_grep "the users page lists each account with its role in Russian" "<td>оператор школы</td>" "$T/body"
expect_grep "…the operator's school" "sch100001" "$T/body"
expect_grep "…the analyst in Russian" "<td>аналитик</td>" "$T/body"
expect_grep "…the last sign-in" "Последний вход" "$T/body"
mark=$(sum)
for path in /admin/users /admin/forms; do
    expect_status "GET $path: the public 401" 401 "$T/pub.jar" "$path"
    expect_status "…the analyst 403" 403 "$T/n.jar" "$path"
    expect_grep "…which role may" "доступна роли «администратор»" "$T/body"
    expect_status "…the school operator 403" 403 "$T/o.jar" "$path"
done
expect_status "the analyst may not add a user (403)" 403 "$T/n.jar" /admin/users --data-urlencode "csrf=$ncsrf" -d 'login=x1&role=admin'
expect_status "…nor reset a password (403)" 403 "$T/n.jar" /admin/users/boss/password --data-urlencode "csrf=$ncsrf"
expect_status "…nor change a role (403)" 403 "$T/n.jar" /admin/users/ann/role --data-urlencode "csrf=$ncsrf" -d 'role=admin'
expect_status "…nor disable or delete (403)" 403 "$T/n.jar" /admin/users/boss/disable --data-urlencode "csrf=$ncsrf"
expect_status "…nor load a form (403)" 403 "$T/n.jar" /admin/forms -F "csrf=$ncsrf" -F "file=@$MSOKO_ROOT/methods/forms/shnor-support.ini"
expect_status "the operator may not make itself an admin (403)" 403 "$T/o.jar" /admin/users/op/role --data-urlencode "csrf=$ocsrf" -d 'role=admin'
expect_status "the admin without the CSRF token: 403" 403 "$T/a.jar" /admin/users -d 'login=x2&role=analyst'
unchanged "…the refusals changed nothing"

# ---- bad input: a Russian message, the database unchanged ----
bad() { # NAME WANT_STATUS MESSAGE PATH [curl args…]
    name=$1; want=$2; msg=$3; shift 3
    expect_status "$name ($want)" "$want" "$T/a.jar" "$@"
    expect_grep "…«$msg»" "$msg" "$T/body"
    unchanged "…the database unchanged"
}
bad "a login with <" 422 "без пробелов, управляющих символов" /admin/users --data-urlencode "csrf=$csrf" --data-urlencode 'login=a<b' -d 'role=analyst'
bad "a login taken" 422 "пользователь «ann» уже есть" /admin/users --data-urlencode "csrf=$csrf" -d 'login=ann&role=analyst'
bad "an operator without a school" 422 "выберите его школу" /admin/users --data-urlencode "csrf=$csrf" -d 'login=op2&role=school&school='
bad "…the login entered is kept" 422 'value="op2"' /admin/users --data-urlencode "csrf=$csrf" -d 'login=op2&role=school&school='
bad "an unknown school" 422 "нет школы с кодом «sch999»" /admin/users --data-urlencode "csrf=$csrf" -d 'login=op2&role=school&school=sch999'
bad "an unknown role" 422 "Выберите роль" /admin/users --data-urlencode "csrf=$csrf" -d 'login=op2&role=root'
bad "a password reset of nobody" 404 "Нет пользователя «ghost»" /admin/users/ghost/password --data-urlencode "csrf=$csrf"
bad "the admin disables itself" 422 "нельзя отключить собственную учётную запись" /admin/users/boss/disable --data-urlencode "csrf=$csrf"
bad "the admin deletes itself" 422 "нельзя удалить собственную учётную запись" /admin/users/boss/delete --data-urlencode "csrf=$csrf" -d confirm=yes
bad "the last admin made an analyst" 422 "последний действующий администратор" /admin/users/boss/role --data-urlencode "csrf=$csrf" -d role=analyst
bad "a delete without «Да, удалить»" 422 "отметьте «Да, удалить»" /admin/users/ann/delete --data-urlencode "csrf=$csrf"
printf '[form]\ncode = probe\nname = Проба\nperiod = year\n\n[element x]\nname = Икс\ntype = count\ncolour = red\n' >"$T/bad.ini"
bad "a form file with an unknown key" 422 "Файл «bad.ini», строка 9: неизвестный ключ «colour» показателя x" /admin/forms -F "csrf=$csrf" -F "file=@$T/bad.ini"
printf '[form]\ncode = probe\nname = Проба\nperiod = week\n' >"$T/week.ini"
bad "…a period that does not exist" 422 "строка 4: period = «week»" /admin/forms -F "csrf=$csrf" -F "file=@$T/week.ini"
printf 'PK\003\004\000\000binary' >"$T/bin.ini"
bad "…a binary file" 422 "не текстовый файл" /admin/forms -F "csrf=$csrf" -F "file=@$T/bin.ini"
bad "…no file" 422 "Выберите файл описания формы" /admin/forms -F "csrf=$csrf"
expect_status "a form file loads (303)" 303 "$T/a.jar" /admin/forms -F "csrf=$csrf" -F "file=@$MSOKO_ROOT/methods/forms/shnor-support.ini"
expect_eq "…one form.load row naming the file as uploaded" "$(q "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1") $(q "SELECT after FROM audit ORDER BY id DESC LIMIT 1" | jq -r '.forms[0].file')" "form.load shnor_support shnor-support.ini"
mark=$(sum)
bad "a deadline that is no number" 422 "целое число дней от 0 до 366" /admin/forms/shnor_support/assign --data-urlencode "csrf=$csrf" -d 'schools=shnor&due_days=10x'
bad "…beyond a year" 422 "целое число дней от 0 до 366" /admin/forms/shnor_support/assign --data-urlencode "csrf=$csrf" -d 'schools=shnor&due_days=400'
bad "an unknown list of schools" 422 "все школы или школы списка" /admin/forms/shnor_support/assign --data-urlencode "csrf=$csrf" -d 'schools=gold&due_days=10'
bad "an unknown form" 404 "Формы «nosuch» нет" /admin/forms/nosuch/assign --data-urlencode "csrf=$csrf" -d 'schools=&due_days=10'
expect_status "assigned to the risk list, 20 days (303)" 303 "$T/a.jar" /admin/forms/shnor_support/assign --data-urlencode "csrf=$csrf" -d 'schools=risk&due_days=20'
expect_eq "…stored, one form.assign row" "$(q "SELECT schools || ' ' || due_days FROM form WHERE code = 'shnor_support'") $(q "SELECT action FROM audit ORDER BY id DESC LIMIT 1") $(q "SELECT after FROM audit ORDER BY id DESC LIMIT 1" | jq -r '"\(.schools) \(.due_days)"')" "risk 20 form.assign risk 20"
st "$T/a.jar" /admin/forms >/dev/null
expect_grep "…and shown chosen" '<option value="risk" selected>Зона риска</option>' "$T/body"

# ---- what the actions do ----
expect_status "add an operator of sch100002 (200: the password shown once)" 200 "$T/a.jar" /admin/users --data-urlencode "csrf=$csrf" -d 'login=op2&role=school&school=sch100002'
pw=$(sed -n 's/.*id="new-password">\([A-Za-z0-9]*\)<.*/\1/p' "$T/body")
expect_eq "…a generated password of 16" "${#pw}" 16
expect_grep "…not cached" "Cache-Control: no-store" "$T/hdr"
expect_eq "…stored with its school, one user.add row" "$(q "SELECT u.role || ' ' || s.code FROM \"user\" u JOIN school s ON s.id = u.school_id WHERE login = 'op2'") $(q "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1")" "school sch100002 user.add op2"
expect_eq "…marked temporary" "$(q "SELECT must_change FROM \"user\" WHERE login = 'op2'")" 1
st "$T/a.jar" /admin/users >/dev/null
expect_grep "…and so shown to the admin" "пароль временный: сменит при входе" "$T/body"
login "$T/op2.jar" op2 "$pw"
expect_status "op2 signs in with it: its school's page sends it to the account page" 303 "$T/op2.jar" /schools/sch100002
expect_grep "…Location /account" "Location: /account" "$T/hdr"
expect_status "…which says the password is temporary" 200 "$T/op2.jar" /account
expect_grep "…in Russian" "Ваш пароль выдал администратор, он временный" "$T/body"
o2csrf=$(csrf_of)
expect_status "…any other change is refused until then (403)" 403 "$T/op2.jar" /forms/x/sch100002 --data-urlencode "csrf=$o2csrf" -d period=2024
expect_grep "…saying what to do" "Сначала задайте свой пароль" "$T/body"
expect_status "op2 sets its own password (303)" 303 "$T/op2.jar" /account/password --data-urlencode "csrf=$o2csrf" --data-urlencode "current=$pw" -d 'password=op2-own-pass-1&password2=op2-own-pass-1'
expect_status "…and sees its school" 200 "$T/op2.jar" /schools/sch100002
expect_eq "…no longer temporary" "$(q "SELECT must_change FROM \"user\" WHERE login = 'op2'")" 0
expect_status "reset op2's password (200)" 200 "$T/a.jar" /admin/users/op2/password --data-urlencode "csrf=$csrf"
pw2=$(sed -n 's/.*id="new-password">\([A-Za-z0-9]*\)<.*/\1/p' "$T/body")
[ -n "$pw2" ] && [ "$pw2" != "$pw" ] && ok "…a new password, shown once" || not_ok "…no new password ($pw2)"
expect_status "…op2's session ended (401)" 401 "$T/op2.jar" /schools/sch100002
rm -f "$T/op2.jar"; login "$T/op2.jar" op2 op2-own-pass-1
expect_status "…its own password no longer works" 401 "$T/op2.jar" /schools/sch100002
rm -f "$T/op2.jar"; login "$T/op2.jar" op2 "$pw2"
expect_status "…the new one does, and is temporary again" 303 "$T/op2.jar" /schools/sch100002
expect_status "make op2 an analyst (303)" 303 "$T/a.jar" /admin/users/op2/role --data-urlencode "csrf=$csrf" -d 'role=analyst&school=sch100002'
expect_eq "…an analyst has no school" "$(q "SELECT role || ' ' || coalesce(CAST(school_id AS TEXT), 'none') FROM \"user\" WHERE login = 'op2'")" "analyst none"
expect_status "disable op2 (303)" 303 "$T/a.jar" /admin/users/op2/disable --data-urlencode "csrf=$csrf"
rm -f "$T/op2.jar"; login "$T/op2.jar" op2 "$pw2"
expect_status "…op2 cannot sign in" 401 "$T/op2.jar" /schools
st "$T/a.jar" /admin/users >/dev/null
expect_grep "…shown as «отключён»" "отключён" "$T/body"
expect_status "enable op2 (303)" 303 "$T/a.jar" /admin/users/op2/enable --data-urlencode "csrf=$csrf"
rm -f "$T/op2.jar"; login "$T/op2.jar" op2 "$pw2"
expect_status "…op2 signs in again (to its account page: the password is still temporary)" 303 "$T/op2.jar" /schools
expect_status "delete op2 (303)" 303 "$T/a.jar" /admin/users/op2/delete --data-urlencode "csrf=$csrf" -d confirm=yes
expect_eq "…gone, its sessions too; the audit keeps its rows" "$(q "SELECT count(*) FROM \"user\" WHERE login = 'op2'") $(q "SELECT count(*) FROM audit WHERE object = 'op2'")" "0 7"
expect_eq "…the actions' rows, in order" "$(q "SELECT action || ':' || \"user\" FROM audit WHERE object = 'op2' ORDER BY id" | paste -sd' ' -)" "user.add:boss user.passwd:op2 user.passwd:boss user.role:boss user.disable:boss user.enable:boss user.delete:boss"
st "$T/a.jar" "/admin/audit?action=user" >/dev/null
for w in "первый запуск: администратор создан" "пользователь отключён" "пользователю снова разрешён вход" "пользователь удалён"; do
    expect_grep "the audit page names the action «$w»" "$w" "$T/body"
done
st "$T/a.jar" "/admin/audit?action=form.assign" >/dev/null
expect_grep "…and «форма: кто сдаёт и срок»" "форма: кто сдаёт и срок" "$T/body"
kill "$pid"; wait "$pid" 2>/dev/null
done_testing
