#!/bin/sh
# The threaded web server under ThreadSanitizer (`make tsan`, not part of `make test`: the build
# takes minutes): a small demo municipality, `msoko serve --threads 8` of build/tsan/msoko, and
# concurrent requests — every page as guest and analyst in HTML and JSON, six analyses at once,
# six imports checked and confirmed at once. Fails when TSan reports a race, except the one
# listed in tests/tsan/suppressions.txt. TAP output.
root=$(cd "$(dirname "$0")/../.." && pwd)
M="$root/build/tsan/msoko"
T=$(mktemp -d /tmp/msoko-tsan-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
[ -x "$M" ] || { echo "not ok 1 - build/tsan/msoko missing: make build/tsan/msoko"; exit 1; }
export TSAN_OPTIONS="halt_on_error=0 suppressions=$root/tests/tsan/suppressions.txt"
db="$T/d.db"
"$M" init --db "$db" >/dev/null && "$M" demo --db "$db" --schools 12 --seed 1 >/dev/null 2>"$T/demo.err" &&
    MSOKO_METHODS="$root/methods" "$M" analyze --db "$db" --year 2024 >/dev/null 2>>"$T/demo.err" &&
    "$M" user add ana --role analyst --password 'tsan-pass-12' --db "$db" >/dev/null 2>>"$T/demo.err" ||
    { not_ok "demo database"; sed 's/^/#   /' "$T/demo.err" | head; exit 1; }
ok "demo database"
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 8 >"$T/serve.out" 2>"$T/serve.err" &
pid=$!
U=
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.out" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; exit 1; }
jar="$T/jar"
curl -s -c "$jar" -b "$jar" "$U/login" -o "$T/login.html"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$jar" -b "$jar" "$U/login" --data-urlencode "csrf=$tok" --data-urlencode "login=ana" \
    --data-urlencode "password=tsan-pass-12" -o /dev/null
curl -s -c "$jar" -b "$jar" "$U/imports" -o "$T/imports.html"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/imports.html" | head -1 | sed 's/.*value="//;s/"$//')
[ -n "$csrf" ] && ok "analyst logged in" || not_ok "analyst login"

# the pages: every school, a few procedures, lists, open data, assets
curl -s -b "$jar" -H 'Accept: application/json' "$U/schools" |
    grep -o '"code":"sch[0-9]*"' | sed 's/"code":"//; s/"//' >"$T/codes"
curl -s -b "$jar" "$U/schools/$(head -1 "$T/codes")" | grep -o 'href="/procedures/[^"]*"' |
    sed 's/href="//; s/"$//; s/&amp;/\&/g' | sort -u | head -6 >"$T/procs"
{
    echo /; echo /open; echo /schools; echo /api; echo /imports
    for l in shnor risk rating objectivity; do echo "/lists/$l"; echo "/lists/$l?format=csv"; done
    sed 's|^|/schools/|' "$T/codes"; sed 's|^|/open/schools/|' "$T/codes"; cat "$T/procs"
    for f in "$root"/web/static/*; do echo "/static/$(basename "$f")"; done
} >"$T/urls"
pages() {
    for r in 1 2; do
        xargs -P 8 -I{} sh -c "curl -s -o /dev/null -b '$jar' '$U{}'; \
            curl -s -o /dev/null -b '$jar' -H 'Accept: application/json' '$U{}'; \
            curl -s -o /dev/null '$U{}'" <"$T/urls"
    done
}
pages
ok "$(wc -l <"$T/urls" | tr -d ' ') addresses × 3 ways × 2 rounds, 8 at a time"

# six analyses at once, pages meanwhile
seq 1 6 | xargs -P 6 -I{} curl -s -o /dev/null -w '%{http_code}\n' -b "$jar" \
    --data-urlencode "csrf=$csrf" --data-urlencode "year=2024" "$U/analyze" >"$T/an.codes" &
pages
wait $!
[ "$(grep -c '^303$' "$T/an.codes")" -eq 6 ] && ok "six analyses at once" ||
    not_ok "six analyses at once: $(tr '\n' ' ' <"$T/an.codes")"

# six imports checked at once, then confirmed at once
H='Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка'
for i in 1 2 3 4 5 6; do
    printf '%s\n2024;РКР;математика;7;%s;t%d01;10;4\n' "$H" "$(sed -n "${i}p" "$T/codes")" "$i" >"$T/g$i.csv"
done
seq 1 6 | xargs -P 6 -I{} sh -c "curl -s -b '$jar' -o '$T/chk{}.html' '$U/imports' -F 'csrf=$csrf' -F 'file=@$T/g{}.csv'"
for i in 1 2 3 4 5 6; do
    echo "$i $(grep -o 'name="token" value="[0-9a-f]*"' "$T/chk$i.html" | sed 's/.*value="//;s/"$//')"
done >"$T/toks"
xargs -P 6 -n 2 sh -c "curl -s -o /dev/null -w '%{http_code}\n' -b '$jar' '$U/imports/confirm' \
    -d \"csrf=$csrf&token=\$1&name=g\$0.csv\"" <"$T/toks" >"$T/imp.codes" &
pages
wait $!
[ "$(grep -c '^303$' "$T/imp.codes")" -eq 6 ] && ok "six imports confirmed at once" ||
    not_ok "six imports confirmed at once: $(tr '\n' ' ' <"$T/imp.codes")"
got=$(sqlite3 "$db" "SELECT count(*) FROM result WHERE pupil_code LIKE 't_01'")
[ "$got" = 6 ] && ok "…their six rows are in" || not_ok "…their rows: $got, want 6"

kill -TERM "$pid"; wait "$pid"; pid=
races=$(grep -c 'WARNING: ThreadSanitizer' "$T/serve.err")
if [ "$races" -eq 0 ]; then ok "no data race reported"; else
    not_ok "ThreadSanitizer reported $races races"
    grep -A14 'WARNING: ThreadSanitizer' "$T/serve.err" | sed 's/^/#   /' | head -60
fi
echo "1..$n"
exit $fail
