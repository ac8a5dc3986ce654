#!/bin/sh
# Browser test of the analyst's year (tests/e2e/year.js, the harness of tests/cli/e2e.sh): the
# import form on an empty database, the file's own year against a chosen one. Then the database
# holds the 2023 procedure of the file's header. Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-year)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
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
node "$e2e/year.js" "$U" an 'an-pass-123' "$MSOKO_ROOT/examples" "$out" >"$T/tap" 2>&1
st=$?
kill -TERM "$pid"; wait "$pid"
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok ' "$T/tap" | sed 's/^/#   /' | head -20
expect_eq "the browser loaded the schools and the file as its own year" \
    "$(dbsql "$db" "SELECT count(*) FROM school") $(dbsql "$db" "SELECT DISTINCT year FROM procedure ORDER BY year" | paste -sd, -)" "5 2023"
done_testing
