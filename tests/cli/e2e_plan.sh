#!/bin/sh
# Browser test of the whole roadmap (tests/e2e/plan.js, the harness of tests/cli/e2e.sh): filter,
# an item's status and file, the drop-down at the item's own status. Then the database holds the
# item's status, note and file with their audit rows. Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-plan)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 10 --seed 2 >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/004-izobilny-objectivity.csv" >/dev/null
"$M" user add an --role analyst --password 'an-pass-123' --db "$db" >/dev/null
printf '%%PDF-1.4\n%% протокол\n' >"$T/Протокол совещания.pdf"
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
node "$e2e/plan.js" "$U" an 'an-pass-123' "$out" "$T/Протокол совещания.pdf" >"$T/tap" 2>&1
st=$?
kill -TERM "$pid"; wait "$pid"
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok ' "$T/tap" | sed 's/^/#   /' | head -20
expect_eq "the database holds the status, the last note and the file" \
    "$(dbsql "$db" "SELECT p.status || '|' || p.note || '|' || f.name FROM plan_item p JOIN plan_file f ON f.plan_item_id = p.id")" \
    "in_progress|Приказ № 13|Протокол совещания.pdf"
expect_eq "…each change with its audit row" \
    "$(dbsql "$db" "SELECT action FROM audit WHERE action LIKE 'plan.%' ORDER BY id" | paste -sd' ' -)" \
    "plan.status plan.attach plan.status"
done_testing
