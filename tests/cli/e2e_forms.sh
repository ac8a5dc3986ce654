#!/bin/sh
# Browser test of the monitoring forms (tests/e2e/forms.js, the harness of tests/cli/e2e.sh):
# a school operator fills and submits its risk-context form in Chromium, the analyst approves it,
# and `msoko analyze` then puts the school in the risk list. Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-forms)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/004-izobilny-objectivity.csv" >/dev/null
risk() { "$M" analyze --db "$db" --year 2024 --json | jq -r '[.risk[].school] | join(",")'; }
before=$(risk)
sc=$(dbsql "$db" "SELECT code FROM school WHERE ',$before,' NOT LIKE '%,' || code || ',%' ORDER BY code LIMIT 1")
"$M" user add op --role school --school "$sc" --password 'op-pass-123' --db "$db" >/dev/null
"$M" user add an --role analyst --password 'an-pass-123' --db "$db" >/dev/null
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
node "$e2e/forms.js" "$U" op 'op-pass-123' "$sc" an 'an-pass-123' "$out" >"$T/tap" 2>&1
st=$?
kill -TERM "$pid"; wait "$pid"
# renumber the browser's TAP into this script's
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok ' "$T/tap" | sed 's/^/#   /' | head -20
case ",$(risk)," in *",$sc,"*) ok "after approval in the browser, analyze puts $sc in the risk list";;
    *) not_ok "after approval in the browser, analyze puts $sc in the risk list";; esac
done_testing
