#!/bin/sh
# Nothing a person reads names a seed file, a source file, a CLI flag, a temporary path or an
# internal code (issue 14 item 5). On the demo municipality: every page reachable by links as
# the public, a school operator, an analyst and the admin (tests/tools/nocodes_crawl.py), every
# CSV and XLSX download met on the way, an import refused through the web (its message and the
# history), and the справка as PDF text and HTML (municipal and one school's) are searched for
# «seed », «METHODS.md», «--kind», «docs/», «.c:», «/tmp/», «.ini», the ASCII procedure codes
# (VPR, OGE, EGE …) and the codes of lists, ШНОР rules, risk factors and objectivity signs.
# Machine text is another matter: the JSON answers (the view models are the API for programs,
# issue 15: their keys and values are codes by design), the before/after records of the change
# journal and its exports. The crawl keeps it apart (*.machine) and only one thing is checked
# there: no path of the server's disk (the checkout, the database, a temporary upload), which
# belongs in no answer at all.
# NOCODES_PLANT=TEXT puts TEXT into a copy of the methods' act name before the crawl: the test
# must then fail (how to check that it can, by hand).
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing (scripts/deps.sh)"; exit 0; }
command -v pdftotext >/dev/null || { echo "1..0 # SKIP pdftotext missing (poppler-utils)"; exit 0; }
X2T="$MSOKO_ROOT/build/tools/xlsx2tsv"
[ -x "$X2T" ] || { echo "1..0 # SKIP build/tools/xlsx2tsv not built"; exit 0; }
db=$(newdb nc)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
if [ -n "${NOCODES_PLANT:-}" ]; then
    cp -r "$MSOKO_ROOT/methods" "$T/methods"
    sed -i "s|^act = .*|act = $NOCODES_PLANT|" "$T/methods/shnor.ini"
    MSOKO_METHODS="$T/methods"
fi
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --seed 1 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
sch=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' ORDER BY 1 LIMIT 1")
[ -n "$sch" ] || sch=sch000001
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" user add adm --role admin --password 'adm-pass-12' --db "$db" >/dev/null
"$M" user add op --role school --school "$sch" --password 'op-pass-123' --db "$db" >/dev/null

"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }

# an import refused through the web: the message and the history must not show the upload path
: >"$T/jar"
curl -s -o "$T/login.html" -b "$T/jar" -c "$T/jar" "$U/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$T/jar" -c "$T/jar" --data-urlencode "csrf=$tok" \
    --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
curl -s -o "$T/imports.html" -b "$T/jar" -c "$T/jar" "$U/imports"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/imports.html" | head -1 | sed 's/.*value="//;s/"$//')
printf 'Код ОО;Наименование ОО\nsch1;\n' >"$T/bad.csv"
mkdir -p "$T/pages"
curl -s -b "$T/jar" -c "$T/jar" -F "csrf=$csrf" -F kind=schools -F "file=@$T/bad.csv" "$U/imports" |
    python3 -c 'import html,re,sys; t=sys.stdin.read(); t=re.sub(r"(?s)<(script|style).*?</\1>","",t); print(html.unescape(re.sub(r"<[^>]*>"," ",t)))' >"$T/pages/import-refused.txt"
expect_grep "the refused import says why" "Наименование ОО" "$T/pages/import-refused.txt"
# two files loaded through the web (checked, then confirmed): the check page and the history
# the crawl reads below show the scope and the template in words, not «VPR math 5» or «results»
web_import() {
    curl -s -b "$T/jar" -c "$T/jar" -F "csrf=$csrf" -F kind= -F year= -F "file=@$1" "$U/imports" >"$T/chk.html"
    python3 -c 'import html,re,sys; t=sys.stdin.read(); t=re.sub(r"(?s)<(script|style).*?</\1>","",t); print(html.unescape(re.sub(r"<[^>]*>"," ",t)))' \
        <"$T/chk.html" >"$T/pages/import-check-$(basename "$1").txt"
    tok=$(grep -o 'name="token" value="[^"]*"' "$T/chk.html" | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -c "$T/jar" -F "csrf=$csrf" -F "token=$tok" \
        -F "name=$(basename "$1")" -F kind= -F year= "$U/imports/confirm"
}
expect_eq "a list of schools loads through the web" "$(web_import "$MSOKO_ROOT/examples/schools.csv")" 303
expect_eq "…and their results" "$(web_import "$MSOKO_ROOT/examples/results-vpr-math5-2024.csv")" 303
expect_grep "…whose scope is said in words" "Охват: ВПР, математика, 5 класс, 2024" "$T/pages/import-check-results-vpr-math5-2024.csv.txt"

crawl() { python3 "$MSOKO_ROOT/tests/tools/nocodes_crawl.py" "$U" "$T/pages" "$@"; }
for r in "public" "school op op-pass-123" "analyst ann ann-pass-12" "admin adm adm-pass-12"; do
    # shellcheck disable=SC2086
    n=$(crawl $r)
    role=${r%% *}
    [ "${n:-0}" -gt 3 ] && ok "$role: $n addresses fetched" || not_ok "$role: only ${n:-0} addresses fetched"
done
kill "$pid"; wait "$pid" 2>/dev/null
expect_eq "the analyst met the CSV downloads" "$(ls "$T/pages"/analyst-*.csv 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/some/')" some
expect_eq "the analyst met the XLSX downloads" "$(ls "$T/pages"/*-*.xlsx 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/some/')" some
expect_eq "no address answered 500" "$(cat "$T/pages"/*.urls | grep -c '^5')" 0
h=$(cat "$T/pages"/*.emptyth | sort -u | head -8)
[ -z "$h" ] && ok "no page has a column header without text" ||
    { not_ok "pages with an empty <th> (count, address)"; echo "$h" | sed 's/^/#   /'; }
for x in "$T/pages"/*.xlsx; do
    [ -f "$x" ] && "$X2T" "$x" >"$x.txt" 2>/dev/null
done
for x in "$T/pages"/*.xlsx.machine; do
    [ -f "$x" ] && "$X2T" "$x" >"${x%.xlsx.machine}.xlsx-text.machine" 2>/dev/null && rm "$x"
done
expect_eq "the JSON answers were read as machine text" \
    "$(grep -l '^{' "$T/pages"/*.machine 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/some/')" some
h=$(grep -rnF -e "$MSOKO_ROOT" -e "$T" -e "/tmp/" "$T/pages" --include='*.machine' | cut -c1-300 | head -8)
[ -z "$h" ] && ok "no answer, JSON or journal record, names a path of the server's disk" ||
    { not_ok "a path of the server's disk is in an answer"; echo "$h" | sed 's/^/#   /'; }

expect_ok "municipal PDF" "$M" report --db "$db" --year 2024 -o "$T/m.pdf"
pdftotext -layout "$T/m.pdf" "$T/pages/report-m.pdf.txt"
expect_ok "municipal HTML" "$M" report --db "$db" --year 2024 --format html -o "$T/pages/report-m.html"
expect_ok "municipal XLSX" "$M" report --db "$db" --year 2024 --format xlsx -o "$T/m.xlsx"
"$X2T" "$T/m.xlsx" >"$T/pages/report-m.xlsx.txt"
expect_ok "school PDF" "$M" report --db "$db" --year 2024 --school "$sch" -o "$T/s.pdf"
pdftotext -layout "$T/s.pdf" "$T/pages/report-s.pdf.txt"
expect_ok "school HTML" "$M" report --db "$db" --year 2024 --school "$sch" --format html -o "$T/pages/report-s.html"
expect_ok "доклад HTML" "$M" report --db "$db" --year 2024 --kind doklad --format html -o "$T/pages/report-d.html"

# the report's HTML keeps its markup: only its text counts
for f in "$T/pages"/report-*.html; do
    python3 -c 'import html,re,sys; t=open(sys.argv[1],encoding="utf-8").read(); t=re.sub(r"(?s)<(script|style).*?</\1>","",t); print(html.unescape(re.sub(r"<[^>]*>"," ",t)))' "$f" >"$f.txt"
    rm "$f"
done
# the words: fixed strings, then whole-word codes (ASCII words inside Russian text)
hits() { grep -rn --include="*.txt" --include="*.csv" "$@" "$T/pages" | head -8; }
for s in "seed " "METHODS.md" "--kind" "docs/" ".c:" "/tmp/" ".ini" "Охват: ."; do
    h=$(hits -F -- "$s")
    [ -z "$h" ] && ok "nobody reads «$s»" || { not_ok "«$s» is read"; echo "$h" | sed 's/^/#   /'; }
done
# a negative number is written with the minus sign U+2212, not a hyphen: «1 → −3», «−0,24»
# (pages and the PDF; an XLSX cell is a number, which the spreadsheet shows its own way)
h=$(grep -rnP '(^|[\s(;:→])-\d' "$T/pages" --include='*.txt' --exclude='*.xlsx.txt' | grep -v '^[^:]*:1:/' | cut -c1-240 | head -8)
[ -z "$h" ] && ok "negative numbers have the minus sign, not a hyphen" ||
    { not_ok "a hyphen stands for a minus"; echo "$h" | sed 's/^/#   /'; }
h=$(grep -rnP '\b(1|[2-9]1) (школ|процедур|участников|баллов|первичных баллов)(?![а-яё])' "$T/pages" --include='*.txt' | grep -v '^[^:]*:1:/' | grep -vP '(не менее|меньше|более|из|от|с) (1|[2-9]1) ' | cut -c1-240 | head -8)
[ -z "$h" ] && ok "no «21 баллов» or «1 процедур»: the plural follows the number" ||
    { not_ok "wrong plurals"; echo "$h" | sed 's/^/#   /'; }
codes='VPR|OGE|EGE|GVE9|GVE11|RKR|MKR|NIKO|math|rus|math_base|math_prof|AB|shnor|risk|objectivity|rating'
codes="$codes|material|staff|contingent|results|inflated_mean|journal_mismatch|cohort_jump|boundary_peaks|medal"
codes="$codes|shnor_fioko|nonobj_federal|nonobj_regional|small_sample|not_reported"
# (a file's own name, «results-vpr-math5-2024.csv», is the user's word, not ours)
h=$(grep -rnwE "$codes" "$T/pages" --include='*.txt' --include='*.csv' | grep -v '^[^:]*:1:/' |
    sed -E 's/^([^:]*:[0-9]*:)(.*)/\2\t\1/; s/[A-Za-z0-9_.-]+\.(csv|xlsx)//g' | grep -wE "$codes" | head -12)
[ -z "$h" ] && ok "no internal code of a procedure, list, rule, factor or sign is read" ||
    { not_ok "internal codes are read"; echo "$h" | sed 's/^/#   /'; }
done_testing
