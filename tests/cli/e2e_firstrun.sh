#!/bin/sh
# Browser test of the first run (tests/e2e/firstrun.js, issue 14's first «done when»): after
# `msoko init` and nothing else on the command line, Chromium opens the address `msoko serve`
# printed and creates the admin, an analyst,
# uploads schools and results, runs the analysis and downloads the ШНОР list (XLSX) and the
# справка (PDF). Here: `msoko serve` says where the first run is, the downloads are real files
# (xlsx2tsv reads the ШНОР schools' codes out of the XLSX, pdftotext when present reads the
# PDF), and the database holds what the browser did, each change with its audit row.
# Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
X2T="$MSOKO_ROOT/build/tools/xlsx2tsv"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
[ -x "$X2T" ] || { echo "1..0 # SKIP build/tools/xlsx2tsv missing (make build/tools/xlsx2tsv)"; exit 0; }
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-firstrun)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*сервер работает: \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
sleep 0.2
expect_grep "serve says where the first run is" "пользователей ещё нет — откройте $U/setup?key=" "$T/serve.log"
S=$(sed -n 's/.*откройте \(http:[^ ]*\) .*/\1/p' "$T/serve.log")
out="$MSOKO_ROOT/build/screenshots"
mkdir -p "$out" "$T/dl"
node "$e2e/firstrun.js" "$U" "$S" "$MSOKO_ROOT/examples" "$out" "$T/dl" >"$T/tap" 2>&1
st=$?
kill -TERM "$pid"; wait "$pid"
while IFS= read -r line; do
    case "$line" in
    "ok "*) ok "browser: ${line#* - }" ;;
    "not ok "*) not_ok "browser: ${line#* - }" ;;
    esac
done <"$T/tap"
[ "$st" -eq 0 ] || grep -v '^ok ' "$T/tap" | sed 's/^/#   /' | head -20
q() { dbsql "$db" "$1"; }
expect_eq "two accounts: the admin made by the first run, the analyst made by the admin" \
    "$(q "SELECT login || ':' || role FROM \"user\" ORDER BY id" | paste -sd' ' -)" "admin:admin analyst1:analyst"
expect_eq "…both have signed in, the analyst's password its own now" "$(q "SELECT count(*) FROM \"user\" WHERE last_login_at IS NOT NULL") $(q "SELECT must_change FROM \"user\" WHERE login = 'analyst1'")" "2 0"
# the first schools file of a fresh installation makes its municipality (migration 22, docs/municipalities.md)
expect_eq "the audit: the first run, the account, its own password, the municipality, three imports, the analysis" \
    "$(q "SELECT action || ':' || \"user\" FROM audit ORDER BY id" | paste -sd' ' -)" \
    "user.setup:admin user.add:admin user.passwd:analyst1 municipality.add:analyst1 import:analyst1 import:analyst1 import:analyst1 analyze:analyst1"
expect_eq "…the first run's row holds no password and no hash" \
    "$(q "SELECT count(*) FROM audit WHERE coalesce(after, '') LIKE '%argon2%' OR coalesce(after, '') LIKE '%first-admin-pass%'")" 0
x="$T/dl/shnor.xlsx"
if [ -s "$x" ] && "$X2T" "$x" >"$T/shnor.tsv" 2>"$T/x2t.err"; then ok "the XLSX downloaded is a workbook xlsx2tsv reads"; else
    not_ok "the XLSX downloaded is a workbook xlsx2tsv reads"; sed 's/^/#   /' "$T/x2t.err" | head -5; fi
expect_eq "…its rows are the ШНОР schools of the analysis" \
    "$(awk -F '\t' 'NR > 1 { print $1 }' "$T/shnor.tsv" | sort | tr '\n' ' ')" \
    "$(q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.year = 2024 AND f.verdict NOT IN ('', 'none') ORDER BY s.code" | tr '\n' ' ')"
expect_eq "…with the header of the list's CSV" "$(head -1 "$T/shnor.tsv" | cut -f1-3)" "$(printf 'Код\tШкола\tРешение')"
p="$T/dl/report.pdf"
expect_eq "the справка downloaded is a PDF" "$(head -c 5 "$p" 2>/dev/null)" "%PDF-"
if command -v pdftotext >/dev/null; then
    pdftotext "$p" "$T/report.txt" 2>/dev/null
    expect_grep "…naming a ШНОР school" "$(awk -F '\t' 'NR == 2 { print $2 }' "$T/shnor.tsv" | cut -c1-20)" "$T/report.txt"
fi
done_testing
