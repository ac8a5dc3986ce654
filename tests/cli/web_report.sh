#!/bin/sh
# The report page (issue 14 item 10), over HTTP with curl: a year without analysis offers the
# run instead of a download; after it the municipal справка downloads as PDF (pdfinfo counts
# its pages), XLSX (a zip with a workbook) and HTML, a school's as PDF; an unknown school is
# 404, a wrong format 422; operators and guests cannot open the page.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
export MSOKO_METHODS="$MSOKO_ROOT/methods"
X="$MSOKO_ROOT/examples"
db=$(newdb r)
"$M" init --db "$db" >/dev/null
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" import --db "$db" "$X/schools.csv" "$X/results-vpr-math5-2024.csv" >/dev/null
sch=$(dbsql "$db" "SELECT code FROM school ORDER BY code LIMIT 1")
"$M" user add op --role school --school "$sch" --password 'op-pass-123' --db "$db" >/dev/null

"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; kill "$pid"; done_testing; exit 1; }
st() { jar=$1; path=$2; shift 2; curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
expect_status() { name=$1; want=$2; shift 2; got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 400 "$T/body" | sed 's/^/#   /'; fi; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
login() { : >"$1"; st "$1" /login >/dev/null
    st "$1" /login --data-urlencode "csrf=$(csrf_of)" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }

a="$T/a.jar"; o="$T/o.jar"; g="$T/g.jar"; : >"$g"
login "$a" ann 'ann-pass-12'
login "$o" op 'op-pass-123'
expect_status "the report page without analysis" 200 "$a" "/report?year=2024"
expect_grep "…says so and offers the run" "Запустить анализ" "$T/body"
expect_status "…and no download yet (409)" 409 "$a" "/report/file?year=2024&format=pdf"
st "$a" "/report?year=2024" >/dev/null
expect_status "run the analysis from the page" 303 "$a" /analyze --data-urlencode "csrf=$(csrf_of)" --data-urlencode "year=2024"
expect_status "the report page after it" 200 "$a" "/report?year=2024"
expect_grep "…offers the download" 'action="/report/file"' "$T/body"
expect_grep "…and the schools" "value=\"$sch\"" "$T/body"
expect_grep "…offers DOCX" 'value="docx"' "$T/body"
expect_grep "…and the доклад" 'value="doklad"' "$T/body"
expect_grep "the menu names the page" 'href="/report"' "$T/body"
expect_status "municipal PDF" 200 "$a" "/report/file?year=2024&school=&format=pdf"
expect_eq "…is a PDF" "$(head -c 4 "$T/body")" "%PDF"
expect_grep "…downloaded as a file" 'filename="spravka-2024.pdf"' "$T/hdr"
if command -v pdfinfo >/dev/null; then
    pages=$(pdfinfo "$T/body" 2>/dev/null | sed -n 's/^Pages: *//p')
    [ "${pages:-0}" -ge 2 ] && ok "…of $pages pages" || not_ok "…pages: '$pages'"
fi
expect_status "municipal XLSX" 200 "$a" "/report/file?year=2024&format=xlsx"
expect_eq "…is a zip" "$(head -c 2 "$T/body")" "PK"
cp "$T/body" "$T/r.xlsx"
if command -v unzip >/dev/null; then
    expect_ok "…with a workbook" sh -c "unzip -l '$T/r.xlsx' | grep -q xl/workbook.xml"
fi
expect_status "municipal HTML" 200 "$a" "/report/file?year=2024&format=html"
expect_grep "…names the ШНОР" "ШНОР" "$T/body"
expect_status "municipal DOCX" 200 "$a" "/report/file?year=2024&format=docx"
expect_eq "…is a zip" "$(head -c 2 "$T/body")" "PK"
expect_grep "…a Word document" "wordprocessingml.document" "$T/hdr"
expect_grep "…named .docx" 'filename="spravka-2024.docx"' "$T/hdr"
expect_status "the доклад as DOCX" 200 "$a" "/report/file?year=2024&kind=doklad&format=docx"
expect_grep "…named doklad" 'filename="doklad-2024.docx"' "$T/hdr"
if command -v unzip >/dev/null; then
    unzip -p "$T/body" word/document.xml >"$T/doklad.xml"
    expect_grep "…with its olympiads section" "Олимпиады школьников" "$T/doklad.xml"
fi
expect_status "an unknown kind" 422 "$a" "/report/file?year=2024&kind=other&format=pdf"
expect_status "a school's PDF" 200 "$a" "/report/file?year=2024&school=$sch&format=pdf"
expect_eq "…is a PDF" "$(head -c 4 "$T/body")" "%PDF"
expect_status "an unknown school" 404 "$a" "/report/file?year=2024&school=nosuch&format=pdf"
expect_status "a wrong format" 422 "$a" "/report/file?year=2024&format=doc"
expect_status "the operator cannot open the page" 403 "$o" "/report?year=2024"
expect_status "…nor download" 403 "$o" "/report/file?year=2024&format=pdf"
expect_status "a guest must log in" 401 "$g" "/report/file?year=2024&format=pdf"
kill -TERM "$pid"; wait "$pid"
done_testing
