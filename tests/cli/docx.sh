#!/bin/sh
# DOCX end to end on the demo municipality: the справка and the доклад (seed 001 п. 1.20) as
# Word documents. Every part of the package is well-formed XML (xmllint); styles.xml defines the
# headings and the table style; the tables are real (w:tbl) with header rows repeated on page
# breaks (w:tblHeader); headings carry Heading1/2 styles, not bold direct formatting; the text
# holds the sections and the ШНОР count analyze --json gives; charts are pictures and only
# charts (as many media files as figures); A4 with the ГОСТ margins; the date of the report in
# the properties; the same bytes twice. The доклад also as PDF (contents with page numbers),
# XLSX and HTML, and refused for one school.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" import --db "$db" --kind plan --year 2024 --roadmap "План 2024" \
    "$MSOKO_ROOT/examples/plan-quality-2024.csv" >/dev/null
"$M" analyze --db "$db" --year 2023 >/dev/null
"$M" analyze --db "$db" --year 2024 --json >"$T/a.json"
nshnor=$(jq '.shnor | length' "$T/a.json")

# unzip FILE DIR, then every .xml and .rels part must be well-formed
parts_ok() {
    rm -rf "$2" && mkdir -p "$2" && (cd "$2" && unzip -q "$1") || return 1
    bad=0
    for f in $(find "$2" -name '*.xml' -o -name '*.rels'); do
        xmllint --noout "$f" 2>>"$T/err" || bad=1
    done
    return $bad
}
# the text of document.xml, tags removed
text_of() { sed 's/<[^>]*>//g' "$1/word/document.xml" | tr -s ' \n' ' '; }

if ! command -v xmllint >/dev/null || ! command -v unzip >/dev/null; then
    echo "# xmllint or unzip missing (scripts/deps.sh installs libxml2-utils and unzip)"
    not_ok "xmllint and unzip present"
    done_testing
    exit 1
fi

# --- the справка -------------------------------------------------------------------------------
expect_ok "справка as DOCX" "$M" report --db "$db" --year 2024 --format docx --date 15.06.2024 \
    -o "$T/m.docx"
expect_grep "says where it wrote" "m.docx" "$T/err"
expect_ok "every part well-formed" parts_ok "$T/m.docx" "$T/m"
for p in '[Content_Types].xml' _rels/.rels word/document.xml word/styles.xml \
         word/_rels/document.xml.rels word/numbering.xml word/header1.xml docProps/core.xml; do
    [ -f "$T/m/$p" ] && ok "package has $p" || not_ok "package has $p"
done
S="$T/m/word/styles.xml"
D="$T/m/word/document.xml"
for id in Normal Title Heading1 Heading2 Heading3 Caption ListBullet TableGrid; do
    expect_grep "styles.xml defines $id" "w:styleId=\"$id\"" "$S"
done
expect_grep "…Table Grid is a table style" '<w:style w:type="table" w:styleId="TableGrid">' "$S"
expect_grep "…Heading1 is an outline level" '<w:outlineLvl w:val="0"/>' "$S"
expect_grep "real tables" "<w:tbl>" "$D"
expect_grep "…with the table style" '<w:tblStyle w:val="TableGrid"/>' "$D"
expect_grep "…header rows repeated on page breaks" "<w:tblHeader/>" "$D"
expect_grep "…rows not split across pages" "<w:cantSplit/>" "$D"
expect_grep "headings use Heading1" '<w:pStyle w:val="Heading1"/>' "$D"
nb=$(grep -o '<w:b/>' "$D" | wc -l)
expect_eq "no bold direct formatting in the body" "$nb" 0
expect_grep "numbers right-aligned by style" '<w:pStyle w:val="TableNumber"/>' "$D"
expect_grep "…TableNumber aligns right" '<w:jc w:val="right"/>' "$S"
text_of "$T/m" >"$T/m.txt"
for s in "Аналитическая справка по результатам оценочных процедур 2023/2024 учебного года" \
         "1 Общие сведения" "Участие и результаты оценочных процедур" "Динамика результатов" \
         "Рейтинг общеобразовательных организаций" "Показатели мониторинга" "Выводы" \
         "Таблица 1 — Участие в оценочных процедурах" "Рисунок 1 — "; do
    expect_grep "text has «$s»" "$s" "$T/m.txt"
done
got=$(sed -n 's/.*результатами (ШНОР) — \([0-9]*\),.*/\1/p' "$T/m.txt")
expect_eq "ШНОР count = analyze --json" "$got" "$nshnor"
expect_grep "Russian number formatting in cells" "100,0 %" "$T/m.txt"
# charts are pictures, text never is: one media file per figure of the same report in HTML
"$M" report --db "$db" --year 2024 --format html -o "$T/m.html" 2>/dev/null
nfig=$(grep -o '<figure' "$T/m.html" | wc -l)
nmedia=$(ls "$T/m/word/media" | wc -l)
ndraw=$(grep -o '<w:drawing>' "$D" | wc -l)
expect_eq "media files = figures" "$nmedia" "$nfig"
expect_eq "drawings = figures" "$ndraw" "$nfig"
[ "$nfig" -ge 2 ] && ok "the справка has $nfig figures" || not_ok "figures: $nfig"
expect_eq "media are PNG" "$(ls "$T/m/word/media" | grep -vc '\.png$')" 0
expect_grep "A4" '<w:pgSz w:w="11906" w:h="16838"/>' "$D"
expect_grep "ГОСТ margins 20/10/20/20 mm" 'w:top="1134" w:right="567" w:bottom="1134" w:left="1134"' "$D"
expect_grep "no number on the title page" "<w:titlePg/>" "$D"
expect_grep "page number field" " PAGE " "$T/m/word/header1.xml"
expect_grep "created = the report's date" "2024-06-15T00:00:00Z" "$T/m/docProps/core.xml"
expect_grep "title in the properties" "<dc:title>Аналитическая справка" "$T/m/docProps/core.xml"
"$M" report --db "$db" --year 2024 --format docx --date 15.06.2024 -o "$T/m2.docx" 2>/dev/null
expect_ok "the same bytes twice" cmp "$T/m.docx" "$T/m2.docx"

# a school's справка
sch=$(jq -r '.shnor[0].school' "$T/a.json")
expect_ok "a school's справка as DOCX" "$M" report --db "$db" --year 2024 --school "$sch" \
    --format docx -o "$T/s.docx"
expect_ok "…well-formed" parts_ok "$T/s.docx" "$T/s"
text_of "$T/s" >"$T/s.txt"
expect_grep "…names the school" "$sch" "$T/s.txt"
expect_ok "every school as DOCX" "$M" report --db "$db" --year 2024 --all-schools --format docx \
    -o "$T/all"
expect_eq "…30 files" "$(ls "$T/all" | grep -c '\.docx$')" 30

# --- the доклад --------------------------------------------------------------------------------
expect_ok "доклад as DOCX" "$M" report --db "$db" --year 2024 --kind doklad --format docx \
    -o "$T/d.docx"
expect_ok "…every part well-formed" parts_ok "$T/d.docx" "$T/d"
D="$T/d/word/document.xml"
expect_grep "…real tables with repeated headers" "<w:tblHeader/>" "$D"
expect_grep "…Heading1" '<w:pStyle w:val="Heading1"/>' "$D"
expect_grep "…Heading2" '<w:pStyle w:val="Heading2"/>' "$D"
expect_grep "…a contents field" 'TOC \o "1-2"' "$D"
expect_grep "…Word updates it on opening" '<w:updateFields w:val="true"/>' "$T/d/word/settings.xml"
expect_grep "…bullets as a list style" '<w:pStyle w:val="ListBullet"/>' "$D"
expect_grep "…the list's numbering" '<w:numFmt w:val="bullet"/>' "$T/d/word/numbering.xml"
text_of "$T/d" >"$T/d.txt"
for s in "Доклад о состоянии системы образования" "по итогам 2023/2024 учебного года" \
         "Содержание" "Общие сведения о сети и контингенте" "Нормативная основа" \
         "Положение о МСОКО" "Результаты оценочных процедур" "Динамика результатов" \
         "Школы с низкими образовательными результатами и зона риска" "Школы в зоне риска" \
         "Объективность оценочных процедур" "Рейтинг общеобразовательных организаций" \
         "Олимпиады школьников" "Выпускники" "Показатели мониторинга" \
         "Управленческие решения и их результат" "Дорожная карта" \
         "Выводы и задачи на следующий год" "Задачи на 2025 год"; do
    expect_grep "доклад has «$s»" "$s" "$T/d.txt"
done
ns=$(grep -o "ШНОР за 2024 год: [0-9]*" "$T/d.txt" | head -1 | sed 's/.*: //')
expect_eq "доклад: ШНОР count = analyze --json" "$ns" "$nshnor"
g9=$(dbsql "$db" "SELECT count(*) FROM graduate_outcome WHERE year = 2024 AND grade = 9")
got=$(grep -o "выпускников 9 классов — [^,]*" "$T/d.txt" | head -1 | sed 's/.* — //' | tr -cd '0-9')
expect_eq "доклад: 9th graders = the database" "$got" "$g9"
[ "${g9:-0}" -gt 0 ] && ok "…the demo has 9th graders ($g9)" || not_ok "…no 9th graders"
"$M" report --db "$db" --year 2024 --kind doklad --format html -o "$T/d.html" 2>/dev/null
expect_eq "доклад: media files = figures" "$(ls "$T/d/word/media" | wc -l)" \
    "$(grep -o '<figure' "$T/d.html" | wc -l)"
expect_grep "доклад HTML: contents links" 'href="#s1"' "$T/d.html"
expect_ok "доклад as PDF" "$M" report --db "$db" --year 2024 --kind doklad --format pdf \
    -o "$T/d.pdf"
if command -v pdftotext >/dev/null; then
    pdftotext -layout "$T/d.pdf" "$T/d.pdf.txt"
    expect_grep "…with contents" "Содержание" "$T/d.pdf.txt"
    # the contents gives the page of «Олимпиады»; that page of the PDF begins the section
    pg=$(sed -n 's/^[0-9]* Олимпиады школьников *\([0-9][0-9]*\)$/\1/p' "$T/d.pdf.txt" | head -1)
    if [ -n "$pg" ]; then
        pdftotext -f "$pg" -l "$pg" "$T/d.pdf" "$T/pg.txt"
        expect_grep "…its page numbers are right (p. $pg)" "Олимпиады школьников" "$T/pg.txt"
    else
        not_ok "…contents has the olympiads' page"
    fi
fi
expect_ok "доклад as XLSX" "$M" report --db "$db" --year 2024 --kind doklad --format xlsx \
    -o "$T/d.xlsx"
"$M" report --db "$db" --year 2024 --kind doklad --format docx -o "$T/d2.docx" 2>/dev/null
expect_ok "доклад: the same bytes twice" cmp "$T/d.docx" "$T/d2.docx"
expect_exit 2 "доклад for one school refused" "$M" report --db "$db" --year 2024 --kind doklad \
    --school "$sch" -o "$T/x.docx"
expect_grep "…says why" "доклад — муниципальный" "$T/err"
expect_exit 2 "an unknown kind refused" "$M" report --db "$db" --year 2024 --kind other -o "$T/x"
expect_exit 2 "an unknown format names docx" "$M" report --db "$db" --year 2024 --format doc \
    -o "$T/x"
expect_grep "…among the formats" "docx" "$T/err"
expect_exit 1 "a folder that does not exist" "$M" report --db "$db" --year 2024 --format docx \
    -o "$T/nosuch/m.docx"
[ ! -e "$T/nosuch/m.docx.tmp" ] && ok "…leaves no file" || not_ok "…left a file"
done_testing
