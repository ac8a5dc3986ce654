#!/bin/sh
# Browser test of the analyst's schools list and the school operator's page (tests/e2e/operator.js,
# the harness of tests/cli/e2e.sh; the same facts over HTTP: tests/cli/operator.sh). On the demo
# of 35 schools at 15 October 2024, the ШНОР-support form of a ШНОР school submitted, so the
# analyst can return it. Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-op)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-15T09:00:00Z
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 35 --years 2022-2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
sc=$("$M" analyze --db "$db" --year 2024 --json | jq -r '[.shnor[].school] | sort | .[0]')
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$sc" --password op-pass-123 --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
out="$MSOKO_ROOT/build/screenshots"
mkdir -p "$out"
# the operator's form is late: submitted only after the browser has seen «просрочено», by the
# command line as the same operator (the use case is one for both doors)
node "$e2e/operator.js" "$U" "$sc" ann ann-pass-12 op op-pass-123 35 "$out" >"$T/tap" 2>&1 &
node_pid=$!
# wait until the browser reached the analyst's part, then hand the form in
for i in $(seq 1 300); do
    grep -q 'is listed with its deadline' "$T/tap" 2>/dev/null && break
    sleep 0.1
done
"$M" form fill --db "$db" --user op shnor_support --school "$sc" --period 2024 shnor_teachers_total=20 \
    shnor_diag_subject=10 shnor_diag_method=8 shnor_diag_psych=5 shnor_supported=12 shnor_iom=4 \
    shnor_events=1 shnor_productive=0 >/dev/null &&
    "$M" form submit --db "$db" --user op shnor_support --school "$sc" --period 2024 >/dev/null
wait "$node_pid"
st=$?
kill -TERM "$pid"; wait "$pid"
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok ' "$T/tap" | sed 's/^/#   /' | head -20
expect_eq "the database holds the return with the analyst's comment" \
    "$(dbsql "$db" "SELECT sb.status || '|' || sb.comment FROM submission sb JOIN school s ON s.id = sb.school_id WHERE sb.form = 'shnor_support' AND s.code = '$sc'")" \
    "returned|Уточните число педагогов с ИОМ"
done_testing
