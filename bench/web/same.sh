#!/bin/sh
# bench/web/same.sh: the pages of two msoko binaries on the same database, byte for byte —
# the check that a change to how the server keeps or builds a year (src/view/, src/web/) leaves
# every page as it was. Both servers run on DB at once (reading only: the snapshot is current)
# and are asked the same pages with the same session (the CSRF token in each form is the
# session's, so the HTML is comparable; the public's login token, new on every page, is
# blanked): the dashboard, the schools, school pages (one on each list, the first three codes),
# procedure pages (the municipality and a school), the four lists, the reconciliation, the
# directions and each direction (and its CSV), evidence cards and open data, as the analyst, as
# the operator of the first ШНОР school and as the public, in HTML and JSON.
# Usage: sh bench/web/same.sh OLD_BIN NEW_BIN DB   (prints «same: N pages» or the differing ones,
# exit 1 when any differs)
set -eu
OLD=$1 NEW=$2 DB=$3
cd "$(dirname "$0")/../.."
W=$(mktemp -d /tmp/msoko-same-XXXXXX)
p1= p2=
trap '[ -n "$p1" ] && kill -TERM $p1 2>/dev/null; [ -n "$p2" ] && kill -TERM $p2 2>/dev/null; rm -rf "$W"' EXIT
"$NEW" user add same --role analyst --password same-pass-1 --db "$DB" >/dev/null 2>&1 ||
    "$NEW" user passwd same --password same-pass-1 --db "$DB" >/dev/null
start() { # BIN LOG: the server's address into $W/LOG.url
    : >"$W/$2"
    "$1" serve --db "$DB" --listen 127.0.0.1:0 >"$W/$2" 2>&1 &
    echo $! >"$W/$2.pid"
    for i in $(seq 1 600); do
        u=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$W/$2")
        [ -n "$u" ] && { echo "$u" >"$W/$2.url"; return 0; }
        sleep 0.1
    done
    cat "$W/$2" >&2
    exit 1
}
start "$OLD" old
p1=$(cat "$W/old.pid")
start "$NEW" new
p2=$(cat "$W/new.pid")
U1=$(cat "$W/old.url") U2=$(cat "$W/new.url")
year=$(sqlite3 "$DB" "SELECT max(year) FROM analysis_run")
q() { sqlite3 "$DB" "$1"; }
on_list() { q "SELECT s.code FROM finding f JOIN analysis_run r ON r.id = f.run_id JOIN school s ON s.id = f.school_id WHERE r.year = $year AND f.method = '$1' ORDER BY s.code LIMIT 1"; }
# the operator of the first ШНОР school sees its own rows whole and the others' as the public
own=$(on_list shnor)
"$NEW" user add sameop --role school --school "$own" --password same-pass-1 --db "$DB" >/dev/null 2>&1 ||
    "$NEW" user role sameop --role school --school "$own" --db "$DB" >/dev/null
"$NEW" user passwd sameop --password same-pass-1 --db "$DB" >/dev/null
login() { # LOGIN: its session cookie
    rm -f "$W/jar"
    curl -s -c "$W/jar" "$U1/login" -o "$W/login"
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$W/login" | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -b "$W/jar" -c "$W/jar" -o /dev/null -d "csrf=$tok&login=$1&password=same-pass-1" "$U1/login"
    awk '$6 == "msoko_session" { print $7 }' "$W/jar"
}
session=$(login same)
opsession=$(login sameop)
[ -n "$session" ] && [ -n "$opsession" ] || { echo "same.sh: no session" >&2; exit 1; }
{
    echo "/?year=$year"
    echo "/schools?year=$year"
    for m in shnor risk objectivity; do
        c=$(on_list $m)
        [ -n "$c" ] && echo "/schools/$c?year=$year" && echo "/schools/$c/flags/$m?year=$year"
    done
    c=$(on_list rating)
    [ -n "$c" ] && echo "/schools/$c/flags/rating?year=$year"
    for c in $(q "SELECT code FROM school ORDER BY code LIMIT 3"); do echo "/schools/$c?year=$year"; done
    first=$(q "SELECT code FROM school ORDER BY code LIMIT 1")
    for k in $(q "SELECT DISTINCT kind || '-' || subject || '-' || grade FROM procedure WHERE year = $year ORDER BY 1 LIMIT 6"); do
        echo "/procedures/$k?year=$year"
        echo "/procedures/$k?year=$year&school=$first"
    done
    for l in shnor risk objectivity rating reconcile; do echo "/lists/$l?year=$year"; done
    echo "/directions?year=$year"
    for d in $(sed -n 's/^code *= *//p' methods/directions/*.ini); do
        echo "/directions/$d?year=$year"
        echo "/directions/$d?year=$year&format=csv"
    done
    echo "/open?year=$year"
    echo "/open/schools/$first?year=$year"
} >"$W/paths"
n=0 bad=0
while read -r path; do
    for who in analyst school public; do
        for form in html json; do
            set -- -s -o
            hdr="X-Msoko-Same: 1"
            [ $form = json ] && hdr="Accept: application/json"
            ck="Cookie: msoko_session=$session"
            [ $who = school ] && ck="Cookie: msoko_session=$opsession"
            [ $who = public ] && ck="X-Msoko-Same: 1"
            curl -s -H "$hdr" -H "$ck" -o "$W/a" -w '%{http_code}' "$U1$path" >"$W/ca"
            curl -s -H "$hdr" -H "$ck" -o "$W/b" -w '%{http_code}' "$U2$path" >"$W/cb"
            n=$((n + 1))
            echo "$who $(cat "$W/ca")" >>"$W/codes"
            # a visitor without a session gets a new login token with every page: not content
            for f in a b; do
                sed -i 's/name="csrf" value="[0-9a-f]*"/name="csrf" value="…"/g; s/"login_csrf":"[0-9a-f]*"/"login_csrf":"…"/g' "$W/$f"
            done
            if ! cmp -s "$W/a" "$W/b" || ! cmp -s "$W/ca" "$W/cb"; then
                bad=$((bad + 1))
                echo "differs: $who $form $path ($(cat "$W/ca") / $(cat "$W/cb"), $(wc -c <"$W/a") / $(wc -c <"$W/b") bytes)"
                [ -n "${SAME_KEEP:-}" ] && cp "$W/a" "$SAME_KEEP.$bad.old" && cp "$W/b" "$SAME_KEEP.$bad.new"
            fi
        done
    done
done <"$W/paths"
echo "bench/web/same.sh: $n pages ($(wc -l <"$W/paths") paths × analyst/operator/public × HTML/JSON), $bad differ"
echo "  answers: $(sort "$W/codes" | uniq -c | awk '{ printf "%s%s %s × %s", (NR > 1 ? ", " : ""), $2, $3, $1 }')"
[ "$bad" = 0 ]
