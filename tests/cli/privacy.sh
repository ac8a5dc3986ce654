#!/bin/sh
# The public never learns a number of a group under 5 pupils. On the demo municipality plus a
# class of 3 pupils, fetch everything the public can fetch — every public route of the web as
# HTML and JSON for every year (the route table's public rows: /, /login, /setup, /open, /directions[/КОД],
# /open/schools/КОД, /api, /static) and `msoko show --role public` for every view — then try to
# recover each hidden cell (tests/cli/privacy_attack.py): a number shown as is, municipality +
# difference, municipality − the visible schools, a school's total − its visible cells,
# histogram bars from band totals, task shares and journal marks of one school, rating criteria
# and the rating total − the other criteria, numbers drawn in charts. Any recovery fails.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing (scripts/deps.sh)"; exit 0; }
db=$(newdb privacy)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
# a class of 3 pupils in a procedure every other school of which is shown
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000003;x001;10;4\n2024;РКР;математика;7;sch000003;x002;5;3\n2024;РКР;математика;7;sch000003;x003;2;2\n' >"$T/small.csv"
expect_ok "import a class of 3 pupils" "$M" import --db "$db" "$T/small.csv"
# a procedure of three schools: 3 pupils with task scores, 7 with them, 6 without any (so the
# municipal task shares minus the 7 would give the 3 back unless those are hidden too)
{ printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка;1 (2б);2 (2б)\n'
  for i in 1 2 3; do printf '2024;РКР;биология;8;sch000003;b3%02d;%d;%d;%d;%d\n' $i $((i + 1)) $((i + 2)) $((i % 3)) 1; done
  for i in 1 2 3 4 5 6 7; do printf '2024;РКР;биология;8;sch000002;b2%02d;%d;%d;%d;%d\n' $i $((i % 4 + 1)) $((i % 3 + 3)) $((i % 3)) $((i % 2 + 1)); done
} >"$T/tasks.csv"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n' >"$T/notasks.csv"
for i in 1 2 3 4 5 6; do printf '2024;РКР;биология;8;sch000001;b1%02d;3;%d\n' $i $((i % 3 + 3)) >>"$T/notasks.csv"; done
expect_ok "import a procedure with task scores" "$M" import --db "$db" "$T/tasks.csv"
expect_ok "…and a school of it without" "$M" import --db "$db" "$T/notasks.csv"
for y in 2023 2024; do "$M" analyze --db "$db" --year $y >/dev/null; done
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null

"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
get() { curl -s -o "$2" -w '%{http_code}' -b "$T/jar" -c "$T/jar" "$U$1"; }
mkdir -p "$T/pub/web" "$T/pub/cli" "$T/truth"

# ---- the truth: the analyst's view of every procedure of every year ----
: >"$T/jar"
get /login "$T/login.html" >/dev/null
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$T/jar" -c "$T/jar" --data-urlencode "csrf=$tok" \
    --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
years="2021 2022 2023 2024"
schools=$(dbsql "$db" "SELECT code FROM school ORDER BY code")
ntruth=0
for y in $years; do
    get "/?year=$y&format=json" "$T/dash-$y.json" >/dev/null
    for k in $(jq -r '.procedures[].proc.key' "$T/dash-$y.json"); do
        get "/procedures/$k?year=$y&format=json" "$T/truth/proc-$y-$k.json" >/dev/null
        ntruth=$((ntruth + 1))
    done
done
expect_eq "the analyst's view of every procedure fetched" "$(ls "$T/truth" | wc -l)" "$ntruth"
for y in 2023 2024; do "$M" show --db "$db" --year $y list rating >"$T/truth/rating-$y.json"; done
# the procedures asked for school by school (the class of 3 and another with small cells)
narrow="RKR-math-7 RKR-bio-8 $(for k in $(jq -r '.procedures[].proc.key' "$T/dash-2024.json"); do
    jq -r --arg k "$k" '[.schools[] | select(.marks.participants < 5)] | if length > 0 then $k else empty end' \
        "$T/truth/proc-2024-$k.json"; done | grep -v '^RKR-math-7$\|^RKR-bio-8$' | head -1)"
for k in $narrow; do
    for s in $schools; do
        get "/procedures/$k?year=2024&school=$s&format=json" "$T/truth/proc-2024-$k-$s.json" >/dev/null
    done
done
expect_eq "the class of 3 is in the truth" \
    "$(jq '[.schools[] | select(.school.code == "sch000003") | .marks.participants][0]' "$T/truth/proc-2024-RKR-math-7.json")" 3

# ---- everything the public can fetch from the web ----
: >"$T/jar"
bad=0
for y in $years; do
    for f in html json; do
        st=$(get "/open?year=$y&format=$f" "$T/pub/web/open-$y.$f")
        [ "$st" = 200 ] || bad=$((bad + 1))
        # the nine directions (issue 15): municipal values only for the public
        st=$(get "/directions?year=$y&format=$f" "$T/pub/web/directions-$y.$f")
        [ "$st" = 200 ] || bad=$((bad + 1))
        for c in training shnor talents career objectivity heads methodical dpo upbringing; do
            st=$(get "/directions/$c?year=$y&format=$f" "$T/pub/web/direction-$y-$c.$f")
            [ "$st" = 200 ] || bad=$((bad + 1))
        done
        for s in $schools; do
            st=$(get "/open/schools/$s?year=$y&format=$f" "$T/pub/web/school-$y-$s.$f")
            [ "$st" = 200 ] || bad=$((bad + 1))
        done
    done
done
expect_eq "every public page of every year answers 200" "$bad" 0
# /setup: the first run, a 404 once the database has an account (tests/cli/web_admin.sh)
for p in / /login /setup /api "/api?format=json" /static/style.css /static/app.js; do
    get "$p" "$T/pub/web/other-$(printf %s "$p" | tr -c 'a-z0-9' _).txt" >/dev/null
done
# the route table: every public GET route is fetched above
jq -r '.routes[] | select(.role == "public" and .method == "GET") | .path' \
    "$T/pub/web/other-_api_format_json.txt" | sort >"$T/public-routes"
expect_eq "the public GET routes are the ones this test fetches" "$(tr '\n' ' ' <"$T/public-routes")" \
    "/ /api /directions /directions/: /login /open /open/schools/: /setup /static/: "

# ---- everything `msoko show --role public` gives ----
sp() { out=$1; shift; "$M" show --db "$db" --year 2024 --role public "$@" >"$T/pub/cli/$out" 2>>"$T/show.err"; }
: >"$T/show.err"
sp dashboard.json dashboard
sp schools.json schools
sp rating-2024.json list rating
"$M" show --db "$db" --year 2023 --role public list rating >"$T/pub/cli/rating-2023.json"
for s in $schools; do sp "school-$s.json" school "$s"; done
sp directions.json directions
for c in shnor objectivity talents; do sp "direction-$c.json" directions "$c"; done
for k in $(jq -r '.procedures[].proc.key' "$T/dash-2024.json"); do sp "proc-$k.json" procedure "$k"; done
for k in $narrow; do
    for s in $schools; do sp "proc-$k-$s.json" procedure "$k" --school "$s"; done
done
expect_eq "show --role public: every view answered" \
    "$(find "$T/pub/cli" -size 0 | wc -l)" 0
expect_eq "…with nothing on stderr" "$(head -c 300 "$T/show.err")" ""
for l in shnor risk objectivity; do
    expect_exit 1 "show --role public: the $l list is refused" "$M" show --db "$db" --year 2024 --role public list $l
done

# ---- the attack ----
python3 "$MSOKO_ROOT/tests/cli/privacy_attack.py" "$T/pub" "$T/truth" >"$T/attack.txt" 2>&1
grep '^#' "$T/attack.txt" | head -30
nhidden=$(sed -n 's/^# truth: [0-9]* cells, \([0-9]*\) of them.*/\1/p' "$T/attack.txt")
[ "${nhidden:-0}" -gt 100 ] && ok "the demo has $nhidden cells under 5 pupils to attack" ||
    not_ok "too few hidden cells to attack: «$nhidden»"
for ch in direct difference total-minus-others school-total histogram tasks journal rating chart; do
    n=$(awk -v c="$ch" '$1 == c { print $2 }' "$T/attack.txt")
    expect_eq "no hidden number recovered through: $ch" "${n:-missing}" 0
done
kill "$pid"
wait "$pid" 2>/dev/null
done_testing
