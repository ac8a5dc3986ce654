#!/bin/sh
# Browser tests (tests/e2e/run.js): playwright-core from npm, installed into tests/e2e/node_modules
# when missing, drives Debian's /usr/bin/chromium against msoko serve on a demo municipality.
# Screenshots of the main pages go to build/screenshots/. TAP output.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
"$M" user add e2e --role analyst --password 'e2e-pass-123' --db "$db" >/dev/null
shnor=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY s.code LIMIT 1")
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000004;z001;10;4\n2024;РКР;математика;7;sch000004;z002;7;3\n' >"$T/rkr.csv"
"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
out="$MSOKO_ROOT/build/screenshots"
mkdir -p "$out"
node "$e2e/run.js" "$U" e2e 'e2e-pass-123' "$T/rkr.csv" "$shnor" "$out"
st=$?
kill -TERM "$pid"; wait "$pid"
exit $st
