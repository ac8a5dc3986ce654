#!/bin/sh
# Screenshots of every page (tests/e2e/screens.js, the harness of tests/cli/e2e.sh) at 1366×768
# and 390×844 into build/screenshots/screens/, as guest, school operator, analyst and admin on the
# demo municipality with loaded forms and a roadmap; at 390 px each page must not scroll sideways,
# draw SVG text under 12 px or have a <th> without a name, at 1366 px no SVG text is under 12 px
# either; a refused import fits a phone, and the page of a ШНОР school charts its flag with the
# threshold line and the flagged results marked (docs/web.md «Телефон»).
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-screens)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/004-izobilny-objectivity.csv" >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
shnor=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY s.code LIMIT 1")
other=$(dbsql "$db" "SELECT code FROM school WHERE code <> '$shnor' ORDER BY code LIMIT 1")
# a submitted form (approve/return buttons) and an approved one (booleans and head counts shown)
for sc in "$shnor" "$other"; do
    "$M" form fill --db "$db" failure_prevention --school "$sc" --period 2024-H1 prevention_system=1 \
        pupils_weak=20 pupils_weak_iom=12 pupils_failing_now=5 pupils_failing_extra=3 >/dev/null &&
        "$M" form submit --db "$db" failure_prevention --school "$sc" --period 2024-H1 >/dev/null
done
"$M" form approve --db "$db" failure_prevention --school "$other" --period 2024-H1 >/dev/null
"$M" user add op --role school --school "$shnor" --password 'op-pass-123' --db "$db" >/dev/null
"$M" user add an --role analyst --password 'an-pass-123' --db "$db" >/dev/null
"$M" user add ad --role admin --password 'ad-pass-123' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
out="$MSOKO_ROOT/build/screenshots/screens"
rm -rf "$out"
mkdir -p "$out"
ege=$(dbsql "$db" "SELECT kind || '-' || subject || '-' || grade FROM procedure WHERE year = 2024 AND kind = 'EGE' ORDER BY subject LIMIT 1")
SCREENS_SHNOR_PAGE="/schools/$shnor?year=2024" node "$e2e/screens.js" "$U" "$out" \
    "public:::/open,/login,/open/schools/$shnor,/directions,/directions/shnor" \
    "school:op:op-pass-123:/,/forms,/procedures/$ege?school=$shnor" \
    "analyst:an:an-pass-123:/,/directions/shnor,/directions,/lists/shnor,/lists/risk,/lists/objectivity,/lists/rating,/lists/reconcile,/forms/failure_prevention/$shnor?period=2024-H1,/procedures/$ege" \
    "admin:ad:ad-pass-123:/,/admin/audit,/admin/backup" >"$T/tap" 2>&1
st=$?
kill -TERM "$pid"; wait "$pid"
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok \|^not ok \|^1\.\.' "$T/tap" | sed 's/^/#   /' | head -20
expect_eq "every page was shot twice" \
    "$(find "$out" -name '*-390.png' | wc -l | tr -d ' ')" "$(find "$out" -name '*-1366.png' | wc -l | tr -d ' ')"
done_testing
