#!/bin/sh
# The web security pass (OWASP ASVS 4.0 level 2), one check per point: the password policy and
# logins (V2.1), session fixation and rotation, logout everywhere, the password change (V3),
# lockout and its audit row, the per-login backoff, parallel guesses, equal time for missing
# logins (V2.2), the open redirect after login (V5.1.5), path traversal in every path parameter
# and static file with encoded variants (V12.3), request smuggling basics (two Content-Length,
# CL+TE, an unknown coding), too many query arguments, oversized bodies per route (413) and
# refusals before a body is read, a slow client cut off by the absolute deadline (V13), IDOR on
# every id-taking route for every role (V4.2), security headers (V14.4), cookies with Secure and
# __Host- behind a trusted TLS proxy (V3.4).
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb sec)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 12 --years 2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/000-vladikavkaz-concept.csv" >/dev/null

# ---- V2.1 the password policy and logins (CLI: the same rule the web uses) ----
expect_exit 1 "user add: an empty login is refused" "$M" user add "" --role analyst --password 'long-enough-1' --db "$db"
expect_grep "…saying so" "имя пользователя не может быть пустым" "$T/err"
expect_exit 2 "password of 9 characters is refused" "$M" user add p1 --role analyst --password '123456789' --db "$db"
expect_grep "…the rule: at least 10" "не меньше 10 символов" "$T/err"
expect_exit 2 "8 Cyrillic letters (16 bytes) are 8 characters: refused" "$M" user add p2 --role analyst --password 'короткий' --db "$db"
expect_exit 2 "the login as the password is refused" "$M" user add analyst2024x --role analyst --password 'Analyst2024x' --db "$db"
expect_grep "…saying so" "не должен повторять имя" "$T/err"
expect_exit 2 "a common password is refused" "$M" user add p3 --role analyst --password 'qwertyuiop' --db "$db"
expect_grep "…saying so" "самых частых" "$T/err"
expect_exit 2 "passwd applies the policy too" "$M" user passwd p3 --password 'Password123' --db "$db"
expect_eq "…no user was added by the refusals" "$(q "SELECT count(*) FROM \"user\"")" 0
expect_ok "user add admin" "$M" user add boss --role admin --password 'boss-pass-1' --db "$db"
expect_ok "user add analyst" "$M" user add ann --role analyst --password 'ann-pass-12' --db "$db"
expect_ok "user add operator of school A" "$M" user add op1 --role school --school sch000001 --password 'op1-pass-12' --db "$db"
expect_ok "user add operator of school B" "$M" user add op2 --role school --school sch000002 --password 'op2-pass-12' --db "$db"

start() { # LOG [serve args…]: starts a server, sets U and the pid in $spid
    log=$1; shift
    "$M" serve --db "$db" --listen 127.0.0.1:0 --threads 4 "$@" >"$log" 2>&1 &
    spid=$!
    U=""
    for i in $(seq 1 100); do
        U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$log" 2>/dev/null)
        [ -n "$U" ] && break
        sleep 0.1
    done
}
start "$T/s1.log"; pid1=$spid; U1=$U
[ -n "$U1" ] && ok "serve listens ($U1)" || { not_ok "serve did not start"; cat "$T/s1.log"; done_testing; exit 1; }
start "$T/s2.log" --trusted-proxy 127.0.0.1; pid2=$spid; U2=$U
[ -n "$U2" ] && ok "serve behind a trusted proxy listens ($U2)" || { not_ok "serve 2 did not start"; cat "$T/s2.log"; }
U=$U1

st() { # JAR PATH [curl args…]: the status; body in $T/body, headers in $T/hdr
    jar=$1; path=$2; shift 2
    curl -s --path-as-is -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"
}
expect_status() { # NAME WANT JAR PATH [curl args…]
    name=$1; want=$2; shift 2
    got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 600 "$T/body" | sed 's/^/#   /'; fi
}
expect_in() { # NAME "WANT1 WANT2" JAR PATH [curl args…]: the status is one of them
    name=$1; want=$2; shift 2
    got=$(st "$@")
    case " $want " in *" $got "*) ok "$name ($got)" ;; *) not_ok "$name: HTTP $got, want one of $want" ;; esac
}
login() { # JAR LOGIN PASSWORD [curl args…]: a fresh jar, the login form's token, the POST
    jar=$1; l=$2; p=$3; shift 3
    : >"$jar"
    st "$jar" /login "$@" >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$jar" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$l" --data-urlencode "password=$p" "$@"
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
cookie() { sed -n "s/.*	$2	//p" "$1" | tail -1; } # JAR NAME: the cookie's value in a jar
raw() { # FILE: send the bytes as they are; the status line of the answer
    curl -s --max-time 5 "telnet://${U#http://}" <"$1" 2>/dev/null | head -1 | tr -d '\r'
}
pub="$T/pub.jar"; : >"$pub"
# a login form whose body trickles a byte a second: it runs beside the checks below and is
# judged at the end (the body's deadline is 30 s, whatever keeps arriving)
(
    t0=$(date +%s)
    (printf 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n'
     for i in $(seq 1 70); do printf 'a'; sleep 1; done) |
        curl -s --max-time 80 "telnet://${U#http://}" >"$T/trickle.out" 2>/dev/null
    echo $(( $(date +%s) - t0 )) >"$T/trickle.dt"
) &
trickle=$!

# ---- V3.2.1 session fixation: a token planted before the login is worth nothing ----
fix="$T/fix.jar"
planted=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tmsoko_session\t%s\n' "$planted" >"$fix"
expect_status "a planted session token opens nothing" 401 "$fix" "/schools"
st "$fix" /login >/dev/null
tok=$(csrf_of)
expect_status "login with the planted token in the jar" 303 "$fix" /login --data-urlencode "csrf=$tok" -d "login=ann&password=ann-pass-12"
t1=$(cookie "$fix" msoko_session)
[ -n "$t1" ] && [ "$t1" != "$planted" ] && ok "…the login issued a new token" || not_ok "the session token after login is «$t1»"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tmsoko_session\t%s\n' "$planted" >"$T/old.jar"
expect_status "…the planted token still opens nothing" 401 "$T/old.jar" "/schools"
expect_status "…the new one works" 200 "$fix" "/schools"
# a second login from a logged-in browser rotates the token and ends the first
st "$fix" "/schools" >/dev/null
tok=$(csrf_of)
cp "$fix" "$T/before.jar"
expect_status "a login from a logged-in browser" 303 "$fix" /login --data-urlencode "csrf=$tok" -d "login=ann&password=ann-pass-12"
t2=$(cookie "$fix" msoko_session)
[ -n "$t2" ] && [ "$t2" != "$t1" ] && ok "…gets a new token" || not_ok "token not rotated: «$t1» → «$t2»"
expect_status "…and the token it came with is ended" 401 "$T/before.jar" "/schools"
st "$pub" /login >/dev/null
pre=$(cookie "$pub" msoko_pre)
[ ${#pre} -eq 64 ] && ok "the login form sets a pre-session cookie" || not_ok "no pre-session cookie: «$pre»"
expect_status "…which is not a session" 401 "$T/none.jar" "/schools" -b "msoko_session=$pre"
login "$T/s.jar" ann ann-pass-12 >/dev/null
expect_grep "…session cookie: HttpOnly, SameSite=Strict, Path=/" "Path=/; HttpOnly; SameSite=Strict" "$T/hdr"
expect_eq "…no Secure flag over plain HTTP without a trusted proxy" "$(grep -c 'Secure' "$T/hdr")" 0

# ---- V3.4 cookies behind a TLS proxy: __Host- and Secure; the headers of others ignored ----
U=$U2
expect_eq "behind the trusted proxy with X-Forwarded-Proto: https, login" \
    "$(login "$T/tls.jar" ann ann-pass-12 -H 'X-Forwarded-Proto: https')" 303
expect_grep "…the cookie is __Host-msoko_session" "Set-Cookie: __Host-msoko_session=" "$T/hdr"
expect_grep "…with Secure and Path=/" "Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure" "$T/hdr"
expect_eq "…and no Domain" "$(grep -ci 'domain=' "$T/hdr")" 0
expect_grep "…HSTS is sent" "Strict-Transport-Security: max-age=31536000" "$T/hdr"
tlst=$(sed -n 's/.*__Host-msoko_session=\([0-9a-f]*\);.*/\1/p' "$T/hdr")
expect_status "…the __Host- session opens pages over TLS" 200 "$pub" "/schools" -H 'X-Forwarded-Proto: https' -b "__Host-msoko_session=$tlst"
expect_eq "plain HTTP through the same proxy: the plain cookie" "$(login "$T/plain.jar" ann ann-pass-12)" 303
plain=$(cookie "$T/plain.jar" msoko_session)
expect_status "…a plain cookie does not count over TLS (it may have been set over HTTP)" 401 "$pub" "/schools" -H 'X-Forwarded-Proto: https' -b "msoko_session=$plain"
U=$U1
expect_eq "X-Forwarded-Proto from an untrusted client is ignored" "$(login "$T/x.jar" ann ann-pass-12 -H 'X-Forwarded-Proto: https')" 303
expect_eq "…no __Host- cookie, no Secure" "$(grep -c '__Host-\|Secure' "$T/hdr")" 0

# ---- V3.3.4 logout everywhere ----
login "$T/a1.jar" ann ann-pass-12 >/dev/null
login "$T/a2.jar" ann ann-pass-12 >/dev/null
login "$T/b1.jar" boss boss-pass-1 >/dev/null
expect_status "the account page" 200 "$T/a1.jar" /account
expect_grep "…offers «Выйти на всех устройствах»" "Выйти на всех устройствах" "$T/body"
tok=$(csrf_of)
expect_status "logout everywhere without the CSRF token is refused" 403 "$T/a1.jar" /logout/all -d "x=1"
expect_status "logout everywhere" 303 "$T/a1.jar" /logout/all -d "csrf=$tok"
expect_status "…this browser is logged out" 401 "$T/a1.jar" /schools
expect_status "…the other browser too" 401 "$T/a2.jar" /schools
expect_status "…the sessions of the login-from-TLS too" 401 "$pub" "/schools" -H 'X-Forwarded-Proto: https' -b "__Host-msoko_session=$tlst"
expect_status "…another person's session stays" 200 "$T/b1.jar" /schools
expect_eq "…no session of ann left" "$(q "SELECT count(*) FROM session s JOIN \"user\" u ON u.id = s.user_id WHERE u.login = 'ann'")" 0
expect_eq "…audited" "$(q "SELECT count(*) FROM audit WHERE action = 'session.end_all' AND \"user\" = 'ann'")" 1

# ---- V2.1.5 the password change ----
login "$T/o1.jar" op1 op1-pass-12 >/dev/null
login "$T/o2.jar" op1 op1-pass-12 >/dev/null
st "$T/o1.jar" /account >/dev/null
tok=$(csrf_of)
expect_grep "the account page has the change form" 'action="/account/password"' "$T/body"
expect_status "change without the CSRF token is refused" 403 "$T/o1.jar" /account/password -d "current=op1-pass-12&password=new-pass-345&password2=new-pass-345"
expect_status "change with a wrong current password" 422 "$T/o1.jar" /account/password --data-urlencode "csrf=$tok" -d "current=wrong-pass-99&password=new-pass-345&password2=new-pass-345"
expect_grep "…says so" "Текущий пароль введён неверно" "$T/body"
expect_status "change to a short password" 422 "$T/o1.jar" /account/password --data-urlencode "csrf=$tok" -d "current=op1-pass-12&password=short1&password2=short1"
expect_grep "…names the rule" "не меньше 10 символов" "$T/body"
expect_status "change to a common password" 422 "$T/o1.jar" /account/password --data-urlencode "csrf=$tok" -d "current=op1-pass-12&password=1q2w3e4r5t&password2=1q2w3e4r5t"
expect_status "change with a mistyped repeat" 422 "$T/o1.jar" /account/password --data-urlencode "csrf=$tok" -d "current=op1-pass-12&password=new-pass-345&password2=new-pass-346"
expect_eq "…nothing changed yet" "$(login "$T/o3.jar" op1 op1-pass-12)" 303
expect_status "change the password" 303 "$T/o1.jar" /account/password --data-urlencode "csrf=$tok" -d "current=op1-pass-12&password=new-pass-345&password2=new-pass-345"
expect_grep "…back to the account page" "Location: /account?done=1" "$T/hdr"
expect_status "…this browser stays logged in (with a new token)" 200 "$T/o1.jar" /schools/sch000001
expect_status "…the other sessions are ended" 401 "$T/o2.jar" /schools/sch000001
expect_status "…and the one opened meanwhile" 401 "$T/o3.jar" /schools/sch000001
expect_eq "…the old password no longer works" "$(login "$T/o4.jar" op1 op1-pass-12)" 422
expect_eq "…the new one does" "$(login "$T/o4.jar" op1 new-pass-345)" 303
expect_eq "…audited" "$(q "SELECT count(*) FROM audit WHERE action = 'user.passwd' AND \"user\" = 'op1'")" 1

# ---- V2.2 lockout, backoff, parallel guesses, equal time (behind the proxy: X-Forwarded-For
# gives each check its own address) ----
U=$U2
for i in 1 2 3 4 5; do login "$T/y.jar" boss "wrong-$i" -H "X-Forwarded-For: 10.0.0.1" >/dev/null; done
expect_eq "5 failures from one address: the sixth try from it is limited (429)" \
    "$(login "$T/y.jar" boss boss-pass-1 -H "X-Forwarded-For: 10.0.0.1")" 429
expect_grep "…says when to retry" "Повторите через" "$T/body"
expect_eq "…the lockout is an audit row" \
    "$(q "SELECT count(*) FROM audit WHERE action = 'login.lockout' AND object = 'boss' AND \"user\" = 'адрес 10.0.0.1'")" 1
expect_eq "…its after image names the address and what was closed, nobody's role" \
    "$(q "SELECT after FROM audit WHERE action = 'login.lockout' AND object = 'boss'" | jq -r '"\(.address) \(.closed)"') [$(q "SELECT role || school FROM audit WHERE action = 'login.lockout' AND object = 'boss'")]" \
    "10.0.0.1 вход с этого адреса закрыт на 15 мин; входы под этим именем замедлены []"
sleep 3 # the per-login backoff after 5 failures is 2 s
expect_eq "…the owner from another address still gets in (no lock for everybody)" \
    "$(login "$T/z.jar" boss boss-pass-1 -H "X-Forwarded-For: 10.0.0.2")" 303
expect_eq "…while the locked address stays locked" \
    "$(login "$T/y.jar" boss boss-pass-1 -H "X-Forwarded-For: 10.0.0.1")" 429
# a spray from many addresses: past 5 failures the login is slowed down
for i in 1 2 3 4 5; do login "$T/y.jar" op2 "wrong-$i" -H "X-Forwarded-For: 10.1.0.$i" >/dev/null; done
expect_eq "5 failures of one login from 5 addresses: the next try at once waits (429)" \
    "$(login "$T/y.jar" op2 op2-pass-12 -H "X-Forwarded-For: 10.1.0.9")" 429
grep -qE "Повторите через [12] с\." "$T/body" && ok "…for seconds, not a 15-minute lock" ||
    not_ok "the backoff message: $(grep -o 'Повторите через[^<]*' "$T/body")"
# parallel wrong passwords: at most 5 are checked
: >"$T/par"
st "$T/par.jar" /login -H "X-Forwarded-For: 10.2.0.1" >/dev/null
tok=$(csrf_of)
pids=""
for i in 1 2 3 4 5 6 7 8 9 10; do
    curl -s -o /dev/null -w '%{http_code}\n' -b "$T/par.jar" -H "X-Forwarded-For: 10.2.0.1" \
        --data-urlencode "csrf=$tok" -d "login=ann&password=wrong-par-$i" "$U/login" >>"$T/par" &
    pids="$pids $!"
done
for p in $pids; do wait "$p"; done
expect_eq "10 parallel wrong passwords: 5 checked (422), the rest refused (429)" \
    "$(grep -c 422 "$T/par") $(grep -c 429 "$T/par")" "5 5"
# the same work for a login that does not exist
tm() { curl -s -o /dev/null -w '%{time_total}' -b "$T/tm.jar" -H "X-Forwarded-For: $1" --data-urlencode "csrf=$tok2" -d "login=$2&password=wrong-pass-00" "$U/login"; }
st "$T/tm.jar" /login -H "X-Forwarded-For: 10.3.0.1" >/dev/null
tok2=$(csrf_of)
e=0; m=0
for i in 1 2 3; do
    e=$(awk -v a="$e" -v b="$(tm 10.3.0.$i boss)" 'BEGIN { print a + b }')
    m=$(awk -v a="$m" -v b="$(tm 10.3.1.$i no-such-login-$i)" 'BEGIN { print a + b }')
done
[ "$(awk -v m="$m" -v e="$e" 'BEGIN { print (m * 3 > e) }')" = 1 ] && ok "a missing login takes as long as a wrong password (${m}s vs ${e}s for 3)" ||
    not_ok "a missing login answers faster: ${m}s vs ${e}s for 3 (enumeration)"
expect_eq "…and gets the same answer" "$(login "$T/y.jar" no-such-login wrong-pass-00 -H "X-Forwarded-For: 10.3.2.1")" 422
expect_grep "…word for word" "Неверное имя пользователя или пароль" "$T/body"
U=$U1

# ---- V5.1.5 the open redirect after login ----
for n in '/%09/evil.example/' '//evil.example/' '/\evil.example' '/%5Cevil.example' '/%2F%2Fevil.example' \
         'https://evil.example/' '/%0d%0aSet-Cookie:x=1' '%2F%09%2Fevil.example%2F' '/ /evil.example'; do
    : >"$T/r.jar"; st "$T/r.jar" /login >/dev/null; tok=$(csrf_of)
    got=$(st "$T/r.jar" /login --data-urlencode "csrf=$tok" -d "login=ann&password=ann-pass-12" -d "next=$n")
    loc=$(sed -n 's/^Location: *\(.*\)\r$/\1/p' "$T/hdr")
    expect_eq "next=$n after login goes to / (HTTP $got)" "$loc" "/"
done
: >"$T/r.jar"; st "$T/r.jar" /login >/dev/null; tok=$(csrf_of)
st "$T/r.jar" /login --data-urlencode "csrf=$tok" -d "login=ann&password=ann-pass-12" --data-urlencode "next=/schools?year=2024" >/dev/null
expect_grep "a local next is followed" "Location: /schools?year=2024" "$T/hdr"
expect_status "the login form's hidden next is checked too" 200 "$pub" "/login?next=%2F%09%2Fevil.example%2F"
expect_grep "…and holds /" 'name="next" value="/"' "$T/body"

# ---- V12.3 path traversal in every path parameter and static file ----
login "$T/ann.jar" ann ann-pass-12 >/dev/null
for p in "/static/" "/schools/" "/procedures/" "/lists/" "/open/schools/" "/forms/" "/forms/risk_context/"; do
    for x in '..' '%2e%2e' '%2e%2e%2f%2e%2e%2fetc%2fpasswd' '..%2f..%2fetc%2fpasswd' '%252e%252e%252f' \
             '%c0%ae%c0%ae%c0%af' '%e0%80%ae%e0%80%ae' '.%2e/.%2e/' '..%5c..%5c' '%00' 'a%0a' '%ff'; do
        got=$(st "$T/ann.jar" "$p$x")
        case $got in 400|404) ok "GET $p$x: $got" ;; *) not_ok "GET $p$x: HTTP $got" ;; esac
    done
done
expect_status "a static file reached through ..: 400" 400 "$pub" "/static/../static/style.css"
expect_status "…encoded: 400" 400 "$pub" "/static/%2e%2e/static/style.css"
expect_status "…through an encoded slash: 400" 400 "$pub" "/open/..%2fstatic%2fstyle.css"
expect_status "an empty segment: 400" 400 "$pub" "/static//style.css"
expect_status "the import confirmation with a path for a token" 422 "$T/ann.jar" /imports/confirm -d "csrf=$(st "$T/ann.jar" /imports >/dev/null; csrf_of)&token=../../etc&name=passwd"
expect_status "…with a path for a name" 422 "$T/ann.jar" /imports/confirm -d "csrf=$(csrf_of)&token=0123456789abcdef0123456789abcdef&name=../../../etc/passwd"
expect_eq "no answer above carried a password file" "$(grep -c 'root:' "$T/body")" 0
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;y001;10;9\n' >"$T/bad.csv"
st "$T/ann.jar" /imports >/dev/null
expect_status "a web import with an error" 422 "$T/ann.jar" /imports -F "csrf=$(csrf_of)" -F "file=@$T/bad.csv"
expect_grep "…names the file as sent, with row and column" "bad.csv:2:8:" "$T/body"
expect_eq "…and never the staging folder or its token" "$(grep -c 'msoko-upload' "$T/body")" 0

# ---- V13 request smuggling basics, too many arguments ----
printf 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\nConnection: close\r\n\r\nabcde' >"$T/r1"
expect_eq "two Content-Length headers: 400" "$(raw "$T/r1")" "HTTP/1.1 400 Bad Request"
printf 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n' >"$T/r2"
expect_eq "Content-Length with Transfer-Encoding: 400" "$(raw "$T/r2")" "HTTP/1.1 400 Bad Request"
printf 'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n' >"$T/r3"
expect_eq "a coding other than chunked: 400" "$(raw "$T/r3")" "HTTP/1.1 400 Bad Request"
printf 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\nConnection: close\r\n\r\nabcde' >"$T/r4"
expect_eq "a Content-Length that is not digits: 400" "$(raw "$T/r4")" "HTTP/1.1 400 Bad Request"
printf 'GET /open HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n' >"$T/r5"
expect_eq "two Host headers: 400" "$(raw "$T/r5")" "HTTP/1.1 400 Bad Request"
printf 'GET /open HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nabcde\r\n0\r\n\r\n' >"$T/r8"
expect_eq "a GET with a chunked body: 413 (a GET takes none)" "$(raw "$T/r8" | cut -c1-12)" "HTTP/1.1 413"
printf 'GET /open HTTP/1.1\r\nConnection: close\r\n\r\n' >"$T/r7"
expect_eq "HTTP/1.1 without Host: 400 (RFC 9112 §3.2)" "$(raw "$T/r7")" "HTTP/1.1 400 Bad Request"
printf 'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n5\r\nlogin\r\n0\r\n\r\n' >"$T/r6"
expect_eq "chunked alone is fine (a login form without its token: 403)" "$(raw "$T/r6")" "HTTP/1.1 403 Forbidden"
args=$(seq 1 1000 | sed 's/^/a/;s/$/=1/' | paste -sd'&' -)
expect_status "a GET with 1,000 arguments: 414" 414 "$pub" "/open?$args"
expect_grep "…with a Russian page" "Слишком много параметров в адресе" "$T/body"
args=$(seq 1 6000 | sed 's/^/a/' | paste -sd'&' -)
# (a jar without cookies: curl 7.88 drops a cookie from so long a request, and the blank line
# that ends the headers with it)
expect_status "…with 6,000: 414 too (not a closed connection)" 414 "$T/args.jar" "/open?$args"

# ---- V13 oversized bodies per route, refusals before the body is read ----
head -c 9000 /dev/zero | tr '\0' 'a' >"$T/9k"
expect_status "login: a body over 8 KB is 413" 413 "$pub" /login --data-binary "@$T/9k"
expect_status "…sent chunked (no length to refuse it by): 413 too" 413 "$pub" /login -H 'Transfer-Encoding: chunked' --data-binary "@$T/9k"
head -c 200000 /dev/zero | tr '\0' 'a' >"$T/200k"
expect_in "analyst: a 200 KB form body is under the cap of forms (not 413)" "403 422" "$T/ann.jar" /analyze --data-binary "@$T/200k"
head -c 300000 /dev/zero | tr '\0' 'a' >"$T/300k"
login "$T/op1.jar" op1 new-pass-345 >/dev/null
expect_status "operator: a 300 KB form body is 413" 413 "$T/op1.jar" /forms/risk_context/sch000001 --data-binary "@$T/300k"
printf 'POST /imports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000\r\n\r\nxxxxxxxxxx' >"$T/up"
expect_eq "an unauthenticated 30 MB upload is refused (401) before its body" "$(raw "$T/up")" "HTTP/1.1 401 Unauthorized"
printf 'POST /imports HTTP/1.1\r\nHost: x\r\nCookie: msoko_session=%s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000\r\n\r\nxxxxxxxxxx' "$(cookie "$T/op1.jar" msoko_session)" >"$T/up2"
expect_eq "an operator's 30 MB upload is refused (403) before its body" "$(raw "$T/up2")" "HTTP/1.1 403 Forbidden"
printf 'POST /imports HTTP/1.1\r\nHost: x\r\nCookie: msoko_session=%s\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 40000000\r\n\r\nxxxxxxxxxx' "$(cookie "$T/ann.jar" msoko_session)" >"$T/up3"
expect_eq "an analyst's 40 MB upload: 413 before its body" "$(raw "$T/up3" | cut -c1-12)" "HTTP/1.1 413"

# ---- V13 a slow client: the absolute deadline is not moved by trickled bytes ----
t0=$(date +%s)
(printf 'GET /open HTTP/1.1\r\nHost: x\r\n'; for i in $(seq 1 20); do printf 'X'; sleep 1; done) |
    curl -s --max-time 30 "telnet://${U#http://}" >/dev/null 2>&1
dt=$(( $(date +%s) - t0 ))
[ "$dt" -ge 8 ] && [ "$dt" -le 16 ] && ok "headers trickled a byte a second are cut off after about 10 s ($dt s)" ||
    not_ok "a trickling client was held for $dt s (want about 10)"
expect_status "…the server answers others meanwhile and after" 200 "$pub" "/open"

# ---- V4.2 IDOR: every id-taking route × role ----
login "$T/op2.jar" op2 op2-pass-12 >/dev/null
login "$T/boss.jar" boss boss-pass-1 >/dev/null
batch=$(q "SELECT max(id) FROM import_batch")
item=$(q "SELECT min(id) FROM plan_item")
F=/forms/risk_context
st "$T/op1.jar" /schools/sch000001 >/dev/null; c1=$(csrf_of)
for who in pub op1; do
    j="$T/$who.jar"; [ "$who" = pub ] && j=$pub
    w403=403; [ "$who" = pub ] && w403=401
    expect_status "$who: school B's page" $w403 "$j" "/schools/sch000002"
    expect_status "$who: school B's page as JSON" $w403 "$j" "/schools/sch000002?format=json"
    expect_status "$who: a procedure narrowed to school B" $w403 "$j" "/procedures/VPR-math-5?school=sch000002"
    expect_status "$who: school B's form" $w403 "$j" "$F/sch000002?period=2024"
    expect_status "$who: saving school B's form" $w403 "$j" "$F/sch000002" -d "csrf=$c1&period=2024&action=save"
    expect_status "$who: returning school B's form" $w403 "$j" "$F/sch000002/return" -d "csrf=$c1&period=2024"
    expect_status "$who: approving school B's form" $w403 "$j" "$F/sch000002/approve" -d "csrf=$c1&period=2024"
    expect_status "$who: the form's table of all schools" $w403 "$j" "$F/table?period=2024"
    expect_status "$who: undoing an import" $w403 "$j" "/imports/$batch/undo" -d "csrf=$c1"
    expect_status "$who: a roadmap item's status" $w403 "$j" "/plan/$item/status" -d "csrf=$c1&status=done"
    expect_status "$who: the import history" $w403 "$j" "/imports"
    expect_status "$who: the list of schools" $w403 "$j" "/schools"
done
expect_eq "…nothing was changed by them" "$(q "SELECT count(*) FROM plan_item WHERE status = 'done'") $(q "SELECT count(*) FROM import_batch WHERE undone_at IS NOT NULL")" "0 0"
expect_status "op2: its own school B" 200 "$T/op2.jar" "/schools/sch000002"
expect_status "op2: its own form" 200 "$T/op2.jar" "$F/sch000002?period=2024"
expect_status "op2: school A's page" 403 "$T/op2.jar" "/schools/sch000001"
expect_status "op2: school A's form" 403 "$T/op2.jar" "$F/sch000001?period=2024"
expect_status "op1: an unknown school is 403 too (no probing which codes exist)" 403 "$T/op1.jar" "/schools/sch999999"
for who in ann boss; do
    expect_status "$who: school B's page" 200 "$T/$who.jar" "/schools/sch000002"
    expect_status "$who: school B's form" 200 "$T/$who.jar" "$F/sch000002?period=2024"
done
expect_status "public: the open page of school B (open data by design)" 200 "$pub" "/open/schools/sch000002"

# ---- V14.4 security headers on every kind of answer ----
for t in "ann:/" "ann:/schools/sch000001" "ann:/account" "pub:/login" "pub:/open" "pub:/no/such" "ann:/imports" \
         "ann:/schools?format=csv" "ann:/schools/sch000001?format=json" "op1:/schools/sch000002"; do
    who=${t%%:*}; p=${t#*:}; j="$T/$who.jar"; [ "$who" = pub ] && j=$pub
    st "$j" "$p" >/dev/null
    miss=""
    for h in "Content-Security-Policy: default-src 'self'; script-src 'self'" "frame-ancestors 'none'" \
             "X-Content-Type-Options: nosniff" "Referrer-Policy: same-origin" "X-Frame-Options: DENY" \
             "Cache-Control: no-store"; do
        grep -qF "$h" "$T/hdr" || miss="$miss [$h]"
    done
    [ -z "$miss" ] && ok "headers of $p ($who)" || not_ok "headers of $p ($who) lack$miss"
done
st "$pub" /static/style.css >/dev/null
expect_grep "static files: nosniff too" "X-Content-Type-Options: nosniff" "$T/hdr"
expect_eq "…and no inline script or style in any page (CSP without unsafe-inline)" "$(grep -c 'unsafe-inline' "$T/hdr")" 0

wait "$trickle"
dt=$(cat "$T/trickle.dt")
[ "$dt" -ge 28 ] && [ "$dt" -le 40 ] && ok "a body trickled a byte a second is cut off after about 30 s ($dt s)" ||
    not_ok "a trickling body was held for $dt s (want about 30)"

kill -TERM "$pid1" "$pid2"
wait "$pid1"; r1=$?
wait "$pid2"; r2=$?
expect_eq "both servers stop cleanly" "$r1 $r2" "0 0"
done_testing
