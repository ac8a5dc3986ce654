#!/bin/sh
# msoko report end to end on the demo municipality: PDF, XLSX and HTML render; the numbers in
# each (ШНОР count, list members, rating points) agree with analyze --json; the PDF embeds every
# font it uses and two pages go to build/screenshots/ for a look; the school report carries
# addressed recommendations naming their finding; a year without analysis gets one; errors.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01
X="$MSOKO_ROOT/build/tools/xlsx2tsv"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
"$M" import --db "$db" --kind plan --year 2024 --roadmap "План 2024" \
    "$MSOKO_ROOT/examples/plan-quality-2024.csv" >/dev/null
"$M" analyze --db "$db" --year 2023 >/dev/null
"$M" analyze --db "$db" --year 2024 --json >"$T/a.json"
nshnor=$(jq '.shnor | length' "$T/a.json")
nrisk=$(jq '.risk | length' "$T/a.json")
nobj=$(jq '.objectivity | length' "$T/a.json")

# --- PDF ---------------------------------------------------------------------------------------
expect_ok "municipal PDF" "$M" report --db "$db" --year 2024 --format pdf -o "$T/m.pdf"
expect_grep "says how many pages" "стр." "$T/err"
pdftotext "$T/m.pdf" - | tr '\n' ' ' >"$T/m.txt"
expect_grep "title page names the document" \
    "Аналитическая справка по результатам оценочных процедур 2023/2024 учебного" "$T/m.txt"
expect_grep "title page date from the clock" "01.10.2024" "$T/m.txt"
got=$(sed -n 's/.*результатами (ШНОР) — \([0-9]*\),.*/\1/p' "$T/m.txt")
expect_eq "PDF ШНОР count = analyze --json" "$got" "$nshnor"
got=$(sed -n 's/.*в зоне риска — \([0-9]*\),.*/\1/p' "$T/m.txt")
expect_eq "PDF risk count = analyze --json" "$got" "$nrisk"
for code in $(jq -r '.shnor[].school' "$T/a.json"); do
    expect_grep "PDF lists ШНОР school $code" "$code" "$T/m.txt"
done
for s in "Таблица 1 — Участие в оценочных процедурах" "— Участие и результаты оценочных процедур, муниципалитет" "Рисунок 1 — ВПР" "Продолжение таблицы" \
         "Рейтинг общеобразовательных организаций" "Показатели мониторинга" "Дорожная карта" \
         "Выводы" "в сравнении с 2023 годом"; do
    expect_grep "PDF has «$s»" "$s" "$T/m.txt"
done
pages=$(pdfinfo "$T/m.pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" -ge 8 ] && ok "PDF has $pages pages" || not_ok "PDF has only $pages pages"
# page numbers from the second page: page 2 starts with «2», the title page has none
p1=$(pdftotext -f 1 -l 1 "$T/m.pdf" - | grep -cx '[0-9][0-9]*')
p2=$(pdftotext -f 2 -l 2 "$T/m.pdf" - | head -1)
expect_eq "no number on the title page" "$p1" 0
expect_eq "page 2 is numbered at the top" "$p2" 2
pdffonts "$T/m.pdf" >"$T/fonts"
notemb=$(awk 'NR > 2 && $(NF-4) != "yes"' "$T/fonts" | wc -l)
expect_eq "every font is embedded (no missing glyphs)" "$notemb" 0
expect_grep "body in Liberation Serif" "LiberationSerif" "$T/fonts"
mkdir -p "$MSOKO_ROOT/build/screenshots"
pdftoppm -r 80 -png -f 2 -l 2 "$T/m.pdf" "$T/shot" && pdftoppm -r 80 -png -f 4 -l 4 "$T/m.pdf" "$T/shot" &&
    cp "$T"/shot-*2.png "$MSOKO_ROOT/build/screenshots/report-page-2.png" &&
    cp "$T"/shot-*4.png "$MSOKO_ROOT/build/screenshots/report-page-4.png" &&
    ok "two pages rendered to build/screenshots/" || not_ok "pdftoppm"

# --- XLSX, read back with our own reader ---------------------------------------------------------
expect_ok "municipal XLSX" "$M" report --db "$db" --year 2024 --format xlsx -o "$T/m.xlsx"
"$X" "$T/m.xlsx" "ШНОР" >"$T/shnor.tsv"
expect_eq "XLSX ШНОР rows = analyze --json" "$(tail -n +3 "$T/shnor.tsv" | grep -c .)" "$nshnor"
expect_eq "XLSX ШНОР codes = analyze --json" "$(tail -n +3 "$T/shnor.tsv" | cut -f2 | sort | tr '\n' ' ')" \
    "$(jq -r '.shnor[].school' "$T/a.json" | sort | tr '\n' ' ')"
"$X" "$T/m.xlsx" "Необъективность" >"$T/obj.tsv"
expect_eq "XLSX objectivity rows = analyze --json" "$(tail -n +3 "$T/obj.tsv" | grep -c .)" "$nobj"
"$X" "$T/m.xlsx" "Рейтинг" | tail -n +3 | awk -F'\t' '{ print $2 "\t" $4 "\t" $1 }' | sort >"$T/r.x"
jq -r '.rating[] | "\(.school)\t\(.points)\t\(.rank)"' "$T/a.json" | sort >"$T/r.j"
if cmp -s "$T/r.x" "$T/r.j"; then ok "XLSX rating codes, points and ranks = analyze --json"
else not_ok "XLSX rating differs"; diff "$T/r.x" "$T/r.j" | head -5 | sed 's/^/#   /'; fi
"$X" "$T/m.xlsx" "Процедуры" >"$T/p.tsv"
share=$(awk -F'\t' '$1 == "ВПР, математика, 5 класс" { print $3 }' "$T/p.tsv")
want=$("$M" show --db "$db" --year 2024 dashboard |
       jq -r '.procedures[] | select(.proc.key == "VPR-math-5") | .marks.share2')
awk -v a="$share" -v b="$want" 'BEGIN { exit !(a != "" && (a - b) < 1e-6 && (b - a) < 1e-6) }' &&
    ok "XLSX share of «2» is the view model's fraction ($share)" ||
    not_ok "XLSX share «$share» vs view «$want»"

# --- HTML ----------------------------------------------------------------------------------------
expect_ok "municipal HTML" "$M" report --db "$db" --year 2024 --format html -o "$T/m.html"
expect_grep "HTML is a document" "<!DOCTYPE html>" "$T/m.html"
expect_grep "HTML has inline SVG charts with titles" "<title>" "$T/m.html"
expect_grep "HTML prints on A4" "@page{size:A4" "$T/m.html"
# issue 19 item 6: the справка says which reading of each act's wording it used
expect_grep "risk condition 4: the reading is said" "достаточно одной из частей" "$T/m.html"
expect_grep "rating: «доля выполнения» read as said" "«Доля выполнения» ВПР, РКР и МКР — доля участников" "$T/m.html"
expect_grep "rating 5.1: the denominator is said" "от всех выпускников" "$T/m.html"
expect_grep "objectivity: the one-sign index beside" "По правилу Рособрнадзора" "$T/m.html"
# the acts are cited by name, never by the project's internal seed numbers (issue 14 п. 5)
expect_eq "no «seed 00…», METHODS.md or docs/ in the PDF or the HTML" "$(cat "$T/m.txt" "$T/m.html" | grep -c -i -E 'seed 0|METHODS\.md|docs/')" 0
expect_grep "…the ШНОР reasons cite the act of the methods file" "методика ШНОР: Программа повышения качества образования в школах г. Норильска, п. 2.1" "$T/m.html"
expect_eq "HTML ШНОР count = analyze --json" \
    "$(grep -o 'результатами (ШНОР) — [0-9]*' "$T/m.html" | grep -o '[0-9]*$')" "$nshnor"

# --- the school report -------------------------------------------------------------------------
sch=$(jq -r '.shnor[0].school' "$T/a.json")
expect_ok "school PDF" "$M" report --db "$db" --year 2024 --school "$sch" -o "$T/s.pdf"
pdftotext "$T/s.pdf" - | tr '\n' ' ' >"$T/s.txt"
expect_grep "school report names the school" "$sch" "$T/s.txt"
expect_grep "school report has addressed recommendations" "Адресные рекомендации" "$T/s.txt"
expect_grep "a recommendation cites its act" "г. Норильска, п. 2.3" "$T/s.txt"
expect_eq "…by name, never «seed 00…»" "$(grep -c -i 'seed 0' "$T/s.txt")" 0
expect_grep "a recommendation names its finding" "Основание: Школа включена в перечень" "$T/s.txt"
expect_grep "histogram with cut-offs" "распределение первичных баллов" "$T/s.txt"
# a small school: no conclusion from a year it wrote with fewer than 5 pupils (issue 14, «Smaller»)
n=$(dbsql "$db" "SELECT count(*) FROM result r JOIN procedure p ON p.id = r.procedure_id JOIN school s ON s.id = r.school_id WHERE s.code = 'sch000001' AND p.year = 2023 AND p.kind = 'VPR' AND p.subject = 'math' AND p.grade = 6 AND r.absent = 0")
expect_eq "sch000001 wrote ВПР math 6 in 2023 with 1–4 pupils (the case)" "$(echo "$n" | sed 's/^[1-4]$/few/')" few
expect_ok "the small school's PDF" "$M" report --db "$db" --year 2024 --school sch000001 -o "$T/small.pdf"
pdftotext -layout "$T/small.pdf" "$T/small-layout.txt"
expect_eq "…its yes/no context in words, not «1»" "$(grep -E '^Скоростной интернет +(да|нет)$' "$T/small-layout.txt" | wc -l | tr -d ' ')" 1
pdftotext "$T/small.pdf" - | tr '\n' ' ' | sed 's/.*Выводы//' >"$T/small.txt"
expect_grep "…still draws conclusions from the larger groups" "успеваемость выросла" "$T/small.txt"
expect_eq "…but none from $n pupils" "$(grep -c 'ВПР, математика, 6 класс: успеваемость' "$T/small.txt")" 0
expect_ok "school XLSX" "$M" report --db "$db" --year 2024 --school "$sch" --format xlsx -o "$T/s.xlsx"
expect_ok "school HTML" "$M" report --db "$db" --year 2024 --school "$sch" --format html -o "$T/s.html"
expect_grep "HTML recommendation" "Основание:" "$T/s.html"

# --- all schools -------------------------------------------------------------------------------
expect_ok "--all-schools" "$M" report --db "$db" --year 2024 --all-schools -o "$T/all"
expect_eq "one PDF per school" "$(ls "$T/all" | grep -c '\.pdf$')" 30
# the batch of all schools and a single school's report must come out the same
expect_ok "--all-schools HTML" "$M" report --db "$db" --year 2024 --all-schools --format html -o "$T/allh"
cmp -s "$T/s.html" "$T/allh/$sch.html" && ok "batch and single school reports are identical" ||
    not_ok "batch report of $sch differs from the single one"

# --- a year without analysis gets one, and says so -----------------------------------------------
expect_ok "report for 2022 (not analysed)" "$M" report --db "$db" --year 2022 -o "$T/y.pdf"
expect_grep "stderr says the analysis ran" "выполнен и сохранён" "$T/err"
pdftotext "$T/y.pdf" - | tr '\n' ' ' >"$T/y.txt"
expect_grep "the document says so" "Сохранённого анализа за 2022 год не было" "$T/y.txt"

# --- errors ------------------------------------------------------------------------------------
expect_exit 1 "unknown school" "$M" report --db "$db" --year 2024 --school nope -o "$T/x.pdf"
expect_grep "…named" "нет школы с кодом «nope»" "$T/err"
[ ! -e "$T/x.pdf" ] && ok "…and no file" || not_ok "a file was left"
expect_exit 2 "bad format" "$M" report --db "$db" --year 2024 --format doc -o "$T/x"
expect_grep "…named" "--format: pdf, docx, xlsx или html" "$T/err"
expect_exit 2 "no output" "$M" report --db "$db" --year 2024
expect_exit 1 "unwritable output" "$M" report --db "$db" --year 2024 -o /nonexistent/x.pdf
expect_grep "…names the file" "/nonexistent/x.pdf" "$T/err"
printf '[rec.a]\nwhen = finding shnor\ntext = T\nreason = R\nact = A\ncolor = red\n' >"$T/bad.ini"
expect_exit 1 "bad recommendations file" "$M" report --db "$db" --year 2024 \
    --recommendations "$T/bad.ini" -o "$T/x.pdf"
expect_grep "…names the key" "неизвестный ключ «color»" "$T/err"
# risk condition 4 in the справка says the thresholds the methods file set, not the act's numbers
cp -r "$MSOKO_ROOT/methods" "$T/meth"
sed -i 's/^results_share = .*/results_share = 0.25/; s/^results_min_count = .*/results_min_count = 3/; s/^failing_share = .*/failing_share = 0.15/; s/^results_rule = .*/results_rule = all/' "$T/meth/risk.ini"
expect_eq "…the copy of the methods really changed" "$(grep -c -E '^(results_share = 0.25|results_min_count = 3|failing_share = 0.15|results_rule = all)$' "$T/meth/risk.ini")" 4
MSOKO_METHODS="$T/meth" "$M" analyze --db "$db" --year 2024 >/dev/null
expect_ok "the справка after an analysis under other thresholds" "$M" report --db "$db" --year 2024 --format html -o "$T/m2.html"
# (fmt_pct puts a no-break space before «%»: the checks stop at the number)
expect_grep "…says the rule and the share" "только если выполнены обе части условия: доля «2» на ВПР 25" "$T/m2.html"
expect_grep "…the count of works and which" "не менее чем по 3 работам (математика и русский язык, 4 и 8 классы) и доля неуспевающих более 15" "$T/m2.html"
done_testing
