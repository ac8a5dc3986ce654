#!/bin/sh
# The role × scope matrix (issue 17 item 2, «Done when»): a demo of three municipalities, and an
# operator of a school of A, an analyst of A, an analyst of B, a regional analyst, an admin and a
# guest. Every GET route of the route table (read from /api, so a new route is covered or this
# test fails naming it) is requested by each of them, as HTML and as JSON, for a school inside
# and outside their scope: a school page of the scope opens (200), one outside is a 404 with the
# same body as a school that never existed; no answer names a school code outside the person's
# scope; the guest never sees a count under 5, for the region and per municipality (?mo=).
# POST routes that name a school are refused for a school outside the scope, and change nothing.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq missing (scripts/deps.sh)"; exit 0; }
db="$T/scope.db"
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-15T09:00:00Z
q() { sqlite3 "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --municipalities 3 --years 2022-2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" demo forms --db "$db" --years 2024-2024 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
codes() { q "SELECT s.code FROM school s JOIN municipality m ON m.id = s.municipality_id WHERE m.code = '$1' ORDER BY s.code"; }
codes 1 >"$T/in1"; codes 2 >"$T/in2"; codes 3 >"$T/in3"; q "SELECT code FROM school ORDER BY code" >"$T/all"
expect_eq "three municipalities of 10 schools" "$(wc -l <"$T/in1") $(wc -l <"$T/in2") $(wc -l <"$T/in3")" "10 10 10"
a1=$(head -1 "$T/in1"); a2=$(sed -n 2p "$T/in1"); b1=$(head -1 "$T/in2"); c1=$(head -1 "$T/in3")
# a decision addressed to a school of B and one to a school of A (their pages, their files)
"$M" decision add --db "$db" --year 2024 --kind приказ --date 12.09.2024 --text "О школе Б" --school "$b1" >/dev/null
"$M" decision add --db "$db" --year 2024 --kind приказ --date 12.09.2024 --text "О школе А" --school "$a1" >/dev/null
decB=$(q "SELECT d.id FROM decision d JOIN decision_school ds ON ds.decision_id = d.id JOIN school s ON s.id = ds.school_id WHERE s.code = '$b1'")
decA=$(q "SELECT d.id FROM decision d JOIN decision_school ds ON ds.decision_id = d.id JOIN school s ON s.id = ds.school_id WHERE s.code = '$a1'")
regB=$(q "SELECT r.id FROM registry_row r JOIN school s ON s.id = r.school_id WHERE s.code = '$b1' ORDER BY r.id LIMIT 1")
regkB=$(q "SELECT r.kind FROM registry_row r WHERE r.id = '$regB'")
regA=$(q "SELECT r.id FROM registry_row r JOIN school s ON s.id = r.school_id WHERE s.code = '$a1' AND r.kind = '$regkB' ORDER BY r.id LIMIT 1")
form=$(q "SELECT code FROM form ORDER BY code LIMIT 1")
expect_eq "decisions and registry rows of A and B to look at" "$([ -n "$decA" ] && [ -n "$decB" ] && [ -n "$regA" ] && [ -n "$regB" ] && echo yes)" yes

"$M" user add op --role school --school "$a1" --password op-pass-1234 --db "$db" >/dev/null
"$M" user add ana --role analyst --municipality 1 --password ana-pass-1234 --db "$db" >/dev/null
"$M" user add anb --role analyst --municipality "Абинский район" --password anb-pass-1234 --db "$db" >/dev/null
"$M" user add reg --role regional --password reg-pass-1234 --db "$db" >/dev/null
"$M" user add adm --role admin --password adm-pass-1234 --db "$db" >/dev/null
expect_exit 2 "--municipality is for an analyst only" "$M" user add x --role regional --municipality 1 --password x-pass-12345 --db "$db"
expect_exit 1 "an unknown municipality is refused" "$M" user add x --role analyst --municipality 9 --password x-pass-12345 --db "$db"
expect_eq "…and no account was made" "$(q "SELECT count(*) FROM user WHERE login = 'x'")" 0
expect_eq "the scope is audited" "$(q "SELECT json_extract(after, '\$.municipality') FROM audit WHERE action = 'user.add' AND object = 'anb'")" 2

# ---- the schools' template: «Муниципалитет» (code or name; МО, Район) ----
idb="$T/imp.db"
"$M" init --db "$idb" >/dev/null
printf 'Код ОО;Наименование ОО;Тип ОО;Местность;Муниципалитет\nsch900001;СОШ № 1;СОШ;город;Абинский район\nsch900002;СОШ № 2;СОШ;село;Абинский район\nsch900003;СОШ № 3;СОШ;город;Крымский район\n' >"$T/s1.csv"
expect_ok "schools with «Муниципалитет» load" "$M" import --db "$idb" --kind schools "$T/s1.csv"
expect_eq "…two municipalities made, the schools in them" "$(sqlite3 "$idb" "SELECT m.code || ':' || m.name || ':' || count(*) FROM school s JOIN municipality m ON m.id = s.municipality_id GROUP BY m.id ORDER BY m.code" | tr '\n' ' ')" "1:Абинский район:2 2:Крымский район:1 "
expect_eq "…each audited in the import's transaction" "$(sqlite3 "$idb" "SELECT group_concat(object, ' ') FROM (SELECT object FROM audit WHERE action = 'municipality.add' ORDER BY id)")" "municipality:1 municipality:2"
printf 'Код ОО;Наименование ОО;Тип ОО;Местность;Район\nsch900003;СОШ № 3;СОШ;город;1\nsch900004;СОШ № 4;СОШ;город;2\n' >"$T/s2.csv"
expect_ok "«Район» with codes: a school moves, a new one joins" "$M" import --db "$idb" --kind schools "$T/s2.csv"
expect_eq "…by code" "$(sqlite3 "$idb" "SELECT group_concat(s.code || '=' || m.code, ' ') FROM (SELECT * FROM school ORDER BY code) s JOIN municipality m ON m.id = s.municipality_id")" "sch900001=1 sch900002=1 sch900003=1 sch900004=2"
printf 'Код ОО;Наименование ОО;Тип ОО;Местность;МО\nsch900005;СОШ № 5;СОШ;город;Северский район\nsch900006;СОШ № 6;вуз;город;Северский район\n' >"$T/s3.csv"
sum0=$("$M" stats --db "$idb" --checksum)
expect_exit 1 "a file with a bad row is refused" "$M" import --db "$idb" --kind schools "$T/s3.csv"
expect_eq "…and its new municipality is not made" "$("$M" stats --db "$idb" --checksum)" "$sum0"
expect_eq "…nor audited" "$(sqlite3 "$idb" "SELECT count(*) FROM municipality WHERE name = 'Северский район'")" 0

"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
st() { jar=$1; path=$2; shift 2
    curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
login() { : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
for u in op ana anb reg adm; do login "$T/$u.jar" "$u" "$u-pass-1234"; done
: >"$T/guest.jar"
# each person's scope: the school codes they may know
cp "$T/in1" "$T/scope_op"; cp "$T/in1" "$T/scope_ana"; cp "$T/in2" "$T/scope_anb"
cp "$T/all" "$T/scope_reg"; cp "$T/all" "$T/scope_adm"; cp "$T/all" "$T/scope_guest"
# the names of the schools outside each scope, as a page ends them (HTML «…</td>», JSON «…"»)
for u in op ana anb reg adm guest; do
    q "SELECT code || '|' || name FROM school" | while IFS='|' read -r c nm; do
        grep -qxF "$c" "$T/scope_$u" || printf '%s<\n%s"\n' "$nm" "$nm"
    done >"$T/names_$u"
done
own() { case $1 in op|ana) echo "$a1" ;; anb) echo "$b1" ;; *) echo "$c1" ;; esac; }
far() { case $1 in op|ana) echo "$b1" ;; anb) echo "$a1" ;; *) echo "" ;; esac; }

# The paths to request for a route pattern: its ":" filled with a school inside the scope and,
# when the person has an outside, with one outside (marked «out»). A pattern this table does not
# know fails the test: a new route must say how it is scoped.
paths() { # PATTERN USER → lines "in|out PATH"
    o=$(own "$2"); f=$(far "$2")
    each() { echo "in $(printf '%s' "$1" | sed "s/SC/$o/g")"; [ -n "$f" ] && echo "out $(printf '%s' "$1" | sed "s/SC/$f/g")"; true; }
    case $1 in
    /schools/:) each "/schools/SC" ;;
    /schools/:/flags/:) for l in shnor risk objectivity rating; do each "/schools/SC/flags/$l"; done ;;
    /procedures/:) echo "in /procedures/VPR-math-5"; each "/procedures/VPR-math-5?school=SC" ;;
    /lists/:) for l in shnor risk objectivity rating; do echo "in /lists/$l"; done ;;
    /forms/:|/forms/:/table) echo "in $(echo "$1" | sed "s/:/$form/")" ;;
    /forms/:/:) each "/forms/$form/SC" ;;
    /plan/:|/plan/files/:) echo "in $(echo "$1" | sed 's/:/1/')" ;;
    /decisions/:) case $2 in op|ana) echo "in /decisions/$decA"; echo "out /decisions/$decB" ;; anb) echo "in /decisions/$decB"; echo "out /decisions/$decA" ;; *) echo "in /decisions/$decA" ;; esac ;;
    /decisions/files/:|/answers/files/:) echo "in $(echo "$1" | sed 's/:/1/')" ;;
    /directions/:) for d in shnor objectivity talents training; do echo "in /directions/$d"; done ;;
    /registries/:) echo "in /registries/$regkB"; each "/registries/$regkB?school=SC" ;;
    /registries/:/:) case $2 in op|ana) echo "in /registries/$regkB/$regA"; echo "out /registries/$regkB/$regB" ;; anb) echo "in /registries/$regkB/$regB"; echo "out /registries/$regkB/$regA" ;; *) echo "in /registries/$regkB/$regA" ;; esac ;;
    /open/schools/:) each "/open/schools/SC" ;;
    /static/:) echo "in /static/style.css" ;;
    *:*) echo "unknown $1" ;;
    *) echo "in $1" ;;
    esac
}

st "$T/guest.jar" /api -H 'Accept: application/json' >/dev/null
jq -r '.routes[] | select(.method == "GET") | .path' "$T/body" >"$T/routes"
expect_eq "the route table is read from /api" "$([ "$(wc -l <"$T/routes")" -gt 30 ] && echo yes)" yes
bad=0; checked=0
: >"$T/fails"
for u in op ana anb reg adm guest; do
    for r in $(cat "$T/routes"); do
        paths "$r" "$u" >"$T/paths"
        while read -r kind p; do
            if [ "$kind" = unknown ]; then echo "route $p: not in the matrix (tests/cli/scope.sh paths)" >>"$T/fails"; continue; fi
            for fmt in html json; do
                sep='?'; case $p in *'?'*) sep='&' ;; esac
                if [ $fmt = json ]; then code=$(st "$T/$u.jar" "$p${sep}year=2024" -H 'Accept: application/json')
                else code=$(st "$T/$u.jar" "$p${sep}year=2024"); fi
                checked=$((checked + 1))
                # an outside school: 404, never a page and never a 403 telling it exists; the
                # operator's refusal is 403 for every school but its own, an unknown code too
                # (tests/cli/websec.sh), so it tells nothing either
                want=404; [ "$u" = op ] && case $p in *sch[0-9]*) want=403 ;; esac
                if [ "$kind" = out ] && [ "$code" != $want ]; then
                    echo "$u $fmt $p: HTTP $code, want $want" >>"$T/fails"
                fi
                # a school page of the scope opens (the guest: its open data)
                o=$(own "$u")
                if [ "$kind" = in ] && { [ "$p" = "/open/schools/$o" ] || { [ "$u" != guest ] && [ "$p" = "/schools/$o" ]; }; } && [ "$code" != 200 ]; then
                    echo "$u $fmt $p: HTTP $code, want 200 (a school of the scope)" >>"$T/fails"
                fi
                # no school code outside the scope, in any answer
                # (a refusal may repeat the code asked for: an unknown one gets the same words)
                printf '%s\n' "$p" | grep -oE 'sch[0-9]{6}' >"$T/asked"
                [ "$code" = $want ] || : >"$T/asked"
                leak=$(grep -oE 'sch[0-9]{6}' "$T/body" | sort -u | comm -23 - "$T/scope_$u" | grep -vxF -f "$T/asked" -e '' | head -3 | tr '\n' ' ')
                [ -n "$leak" ] && echo "$u $fmt $p: names schools outside the scope: $leak" >>"$T/fails"
                if [ -s "$T/names_$u" ] && nm=$(grep -oF -f "$T/names_$u" "$T/body" | head -2 | tr '\n' ' ') && [ -n "$nm" ]; then
                    echo "$u $fmt $p: names schools outside the scope by name: $nm" >>"$T/fails"
                fi
                # the guest: no count under 5
                if [ "$u" = guest ] && [ $fmt = json ] && [ "$code" = 200 ]; then
                    small=$(jq '[.. | objects | (.participants, .n) | numbers | select(. > 0 and . < 5)] | length' "$T/body" 2>/dev/null)
                    [ "${small:-0}" != 0 ] && echo "guest $p: $small counts under 5" >>"$T/fails"
                fi
            done
        done <"$T/paths"
    done
done
n=$(wc -l <"$T/fails")
expect_eq "every GET route × every person: scope kept ($checked answers checked)" "$n" 0
[ "$n" != 0 ] && head -60 "$T/fails" | sed 's/^/#   /'

# the 404 of a school outside the scope is the 404 of a school that never was
st "$T/ana.jar" "/schools/$b1?year=2024" -H 'Accept: application/json' >/dev/null; sed "s/$b1/X/g" "$T/body" >"$T/b404"
st "$T/ana.jar" "/schools/sch999999?year=2024" -H 'Accept: application/json' >/dev/null; sed "s/sch999999/X/g" "$T/body" >"$T/u404"
expect_eq "an outside school's 404 is an unknown school's 404" "$(cmp -s "$T/b404" "$T/u404" && echo same)" same

# per municipality and for the region, the guest's open data: the schools of ?mo= only
for m in 1 2 3; do
    st "$T/guest.jar" "/open?year=2024&mo=$m" -H 'Accept: application/json' >/dev/null
    expect_eq "open data of municipality $m: its schools only" "$(grep -oE 'sch[0-9]{6}' "$T/body" | sort -u | comm -23 - "$T/in$m" | wc -l)" 0
    expect_eq "…every one of them" "$(grep -oE 'sch[0-9]{6}' "$T/body" | sort -u | wc -l)" 10
    expect_eq "…no count under 5" "$(jq '[.. | objects | (.participants, .n) | numbers | select(. > 0 and . < 5)] | length' "$T/body")" 0
done
expect_eq "an unknown ?mo= is a 404" "$(st "$T/guest.jar" "/open?year=2024&mo=nope")" 404
st "$T/ana.jar" "/schools?year=2024&mo=2" -H 'Accept: application/json' >/dev/null
expect_eq "an analyst of A cannot widen the scope with ?mo=" "$(grep -oE 'sch[0-9]{6}' "$T/body" | sort -u | comm -12 - "$T/in1" | wc -l) $(grep -oE 'sch[0-9]{6}' "$T/body" | sort -u | comm -23 - "$T/in1" | wc -l)" "10 0"

# the municipal totals are the municipality's: the analyst of A's dashboard counts A's schools
st "$T/ana.jar" "/?year=2024" -H 'Accept: application/json' >/dev/null
expect_eq "analyst of A: the dashboard counts A's 10 schools" "$(jq '.counts.schools' "$T/body")" 10
st "$T/reg.jar" "/?year=2024" -H 'Accept: application/json' >/dev/null
expect_eq "regional: the dashboard counts the 30" "$(jq '.counts.schools' "$T/body")" 30

# /municipalities: the regional analyst compares; an analyst of one municipality may not
expect_eq "regional: /municipalities" "$(st "$T/reg.jar" "/municipalities?year=2024" -H 'Accept: application/json')" 200
expect_eq "…three municipalities of 10 schools" "$(jq -c '[.municipalities[].schools]' "$T/body")" "[10,10,10]"
shnor_all=$(jq '[.municipalities[].shnor] | add' "$T/body")
st "$T/reg.jar" "/lists/shnor?year=2024" -H 'Accept: application/json' >/dev/null
expect_eq "…their ШНОР counts add up to the region's list" "$shnor_all" "$(jq '.count' "$T/body")"
st "$T/reg.jar" "/municipalities?year=2024" -H 'Accept: application/json' >/dev/null
p1=$(jq '.procedures[0] | [.municipalities[].marks.participants] | add' "$T/body")
expect_eq "…a procedure's municipal participants add up to the region's" "$p1" "$(jq '.procedures[0].region.participants' "$T/body")"
expect_eq "analyst of A: /municipalities is refused" "$(st "$T/ana.jar" "/municipalities?year=2024")" 403
expect_eq "the guest: /municipalities needs a login" "$(st "$T/guest.jar" "/municipalities?year=2024")" 401

# POST routes naming a school outside the scope: refused as unknown, nothing written
sum=$(q "SELECT count(*) FROM audit")
csrf() { st "$1" /account >/dev/null; grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
t=$(csrf "$T/ana.jar")
expect_eq "analyst of A: a form of a school of B is not saved (404)" "$(st "$T/ana.jar" "/forms/$form/$b1" --data-urlencode "csrf=$t" --data-urlencode "period=2024" --data-urlencode "action=save")" 404
expect_eq "analyst of A: a registry row of B is not changed (404)" "$(st "$T/ana.jar" "/registries/$regkB/$regB" --data-urlencode "csrf=$t" --data-urlencode "action=delete")" 404
expect_eq "analyst of A: a decision for a school of B is refused" "$(st "$T/ana.jar" "/decisions" --data-urlencode "csrf=$t" --data-urlencode "year=2024" --data-urlencode "kind=приказ" --data-urlencode "date=12.09.2024" --data-urlencode "text=x" --data-urlencode "school=$b1" | cut -c1)" 4
expect_eq "…nothing was written" "$(q "SELECT count(*) FROM audit")" "$sum"
kill "$pid"; wait "$pid" 2>/dev/null
done_testing
