#!/bin/sh
# Browser test of the school's answer to a flag (tests/e2e/answer.js, the harness of
# tests/cli/e2e_year.sh): on the demo, the operator of a ШНОР school answers the flag with a file
# in Chromium, the analyst rejects it with a comment, the operator sees the comment. Then the
# database holds the rejected answer with the comment, its file and one audit row per step.
# Screenshots: build/screenshots/.
. "$(dirname "$0")/tap.inc"
e2e="$MSOKO_ROOT/tests/e2e"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "1..0 # SKIP chromium or node missing (scripts/deps.sh installs them)"; exit 0
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$T/npm.log" 2>&1) ||
        { not_ok "npm install playwright-core"; sed 's/^/#   /' "$T/npm.log" | tail -20; done_testing; exit 1; }
fi
db=$(newdb e2e-answer)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2023-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
sch=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id
      WHERE f.method = 'shnor' AND f.year = 2024 AND f.verdict <> 'none' AND f.verdict <> ''
      ORDER BY s.code LIMIT 1")
[ -n "$sch" ] && ok "the demo has a ШНОР school ($sch)" || { not_ok "no ШНОР school in the demo"; done_testing; exit 1; }
"$M" user add op --role school --school "$sch" --password 'op-pass-123' --db "$db" >/dev/null
"$M" user add an --role analyst --password 'an-pass-123' --db "$db" >/dev/null
printf 'Протокол педсовета № 3\n' >"$T/protocol.txt"
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
node "$e2e/answer.js" "$U" "$sch" op 'op-pass-123' an 'an-pass-123' "$T/protocol.txt" "$out" >"$T/tap" 2>&1
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
expect_eq "the database holds the answer rejected with the comment, by the analyst" \
    "$(q "SELECT status || '|' || review_comment || '|' || reviewed_by || '|' || created_by FROM flag_answer")" \
    "rejected|Протокол педсовета не подписан — пришлите подписанный|an|op"
expect_eq "…with its file" "$(q "SELECT name || ' ' || size FROM flag_answer_file")" "protocol.txt $(wc -c <"$T/protocol.txt" | tr -d ' ')"
expect_eq "…and one audit row per step (answer, rejection)" \
    "$(q "SELECT action FROM audit WHERE action LIKE 'answer.%' ORDER BY id" | paste -sd' ' -)" "answer.add answer.reject"
done_testing
