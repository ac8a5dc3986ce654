#!/bin/sh
# msoko recheck end to end on the demo municipality (METHODS.md §2; seeds 003, 004): a sample
# of ВПР math 5 works from the schools with signs of non-objectivity and two control schools is
# reproducible; experts who score the listed schools 3 points lower and copy the control
# schools' scores confirm exactly the listed schools' signs; the municipal share is the control
# works' share; a bad experts' file changes nothing.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --seed 1 >/dev/null
MSOKO_METHODS="$MSOKO_ROOT/methods" "$M" analyze --db "$db" --year 2024 >/dev/null
q() { dbsql "$db" "$1"; }

expect_ok "sample ВПР math 5" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 -o "$T/s1.csv"
expect_grep "…prints the round number" "Раунд перепроверки 1:" "$T/out"
expect_grep "…and the schools' groups" "контроль" "$T/out"
expect_ok "the same seed again, to stdout" "$M" recheck sample --db "$db" --year 2024 --procedure ВПР:математика:5
cp "$T/out" "$T/s2.csv"
if cmp -s "$T/s1.csv" "$T/s2.csv"; then ok "same seed → same CSV"; else not_ok "same seed → same CSV"; fi
expect_grep "…the table went to stderr" "Раунд перепроверки 2:" "$T/err"
expect_ok "another seed" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:5 --seed 7 -o "$T/s3.csv"
if cmp -s "$T/s1.csv" "$T/s3.csv"; then not_ok "another seed → another sample"; else ok "another seed → another sample"; fi
expect_eq "the CSV starts with a BOM and Russian headers" "$(head -1 "$T/s1.csv" | tr -d '\r')" "$(printf '\357\273\277Код ОО;Код участника;Класс;Вариант')"

listed=$(q "SELECT count(DISTINCT school_id) FROM finding WHERE method = 'objectivity' AND school_id IS NOT NULL AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2024)")
expect_eq "every listed school is in the round" "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1 AND control = 0")" "$listed"
expect_eq "two control schools" "$(q "SELECT count(DISTINCT school_id) FROM recheck_work WHERE round_id = 1 AND control = 1")" 2
expect_eq "no control school is listed" "$(q "SELECT count(*) FROM recheck_work w JOIN finding f ON f.school_id = w.school_id AND f.method = 'objectivity' WHERE w.round_id = 1 AND w.control = 1")" 0
expect_eq "at most 10 works a school" "$(q "SELECT max(n) FROM (SELECT count(*) n FROM recheck_work WHERE round_id = 1 GROUP BY school_id) AS w")" 10
expect_eq "only present first-attempt works" "$(q "SELECT count(*) FROM recheck_work w JOIN result r ON r.id = w.result_id WHERE r.absent <> 0 OR r.retake <> 0")" 0
works=$(q "SELECT count(*) FROM recheck_work WHERE round_id = 1")
expect_eq "the CSV lists every work of the round" "$(($(wc -l <"$T/s1.csv") - 1))" "$works"

# the experts: listed schools 3 points apart (lower, or higher when below 3), control copied
q "SELECT s.code || ';' || r.pupil_code || ';' || r.primary_score || ';' || r.mark || ';' || w.control FROM recheck_work w JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id WHERE w.round_id = 1" >"$T/school.txt"
awk -F';' 'NR == FNR { p[$1 ";" $2] = $3; m[$1 ";" $2] = $4; c[$1 ";" $2] = $5; next }
    FNR == 1 { print "Код ОО;Код участника;Первичный балл;Отметка"; next }
    { k = $1 ";" $2; if (c[k] == 1) print k ";" p[k] ";" m[k];
      else print k ";" (p[k] >= 3 ? p[k] - 3 : p[k] + 3) ";" }' "$T/school.txt" "$T/s1.csv" >"$T/experts.csv"
printf 'Код ОО;Код участника;Первичный балл\nsch000001;p99999;5\n' >"$T/bad.csv"
tail -n +2 "$T/experts.csv" | cut -d';' -f1-3 >>"$T/bad.csv"
sum=$("$M" stats --db "$db" --checksum)
expect_exit 1 "an unknown pupil in the experts' file" "$M" recheck import --db "$db" --round 1 "$T/bad.csv"
expect_grep "…is named with file:row:col" "bad.csv:2:2:" "$T/err"
expect_grep "…and the pupil" "p99999" "$T/err"
expect_eq "…and nothing is written" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_exit 1 "a work of another round" "$M" recheck import --db "$db" --round 3 "$T/experts.csv"
expect_eq "…writes nothing either" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_exit 1 "a round that does not exist" "$M" recheck import --db "$db" --round 99 "$T/experts.csv"
expect_grep "…is named" "раунда перепроверки 99 нет" "$T/err"

expect_ok "import the experts' scores" "$M" recheck import --db "$db" --round 1 "$T/experts.csv"
expect_eq "every work re-checked" "$(q "SELECT count(*) FROM recheck_work WHERE round_id = 1 AND expert_mark IS NOT NULL")" "$works"
expect_eq "a missing mark comes from the scale" "$(q "SELECT count(*) FROM recheck_work w JOIN procedure p ON p.id = 71 WHERE w.round_id = 1 AND w.expert_mark <> CASE WHEN w.expert_primary >= 15 THEN 5 WHEN w.expert_primary >= 11 THEN 4 WHEN w.expert_primary >= 7 THEN 3 ELSE 2 END AND w.control = 0")" 0

# The same scores as an XLSX book (ingest/recheck.c reads CSV and XLSX alike): round 2 drew
# the same works (same seed). The book is built with zip(1) from inline-string cells.
xlsx_of() { # CSV → XLSX, every cell an inline string
    d="$T/book"; rm -rf "$d"; mkdir -p "$d/_rels" "$d/xl/_rels" "$d/xl/worksheets"
    ns='xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel='http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    printf '%s' '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>' >"$d/[Content_Types].xml"
    printf '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' "$rel" >"$d/_rels/.rels"
    printf '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' "$rel" >"$d/xl/_rels/workbook.xml.rels"
    printf '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets><sheet name="Эксперты" sheetId="1" r:id="rId1"/></sheets></workbook>' "$ns" "$rel" >"$d/xl/workbook.xml"
    { printf '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>' "$ns"
      awk -F';' '{ printf "<row r=\"%d\">", NR
                   for (i = 1; i <= NF; i++) if ($i != "") printf "<c t=\"inlineStr\"><is><t>%s</t></is></c>", $i
                   printf "</row>" }' "$1"
      printf '</sheetData></worksheet>'; } >"$d/xl/worksheets/sheet1.xml"
    (cd "$d" && zip -q -X -r "$2" '[Content_Types].xml' _rels xl)
}
if command -v zip >/dev/null 2>&1; then
    xlsx_of "$T/experts.csv" "$T/experts.xlsx"
    expect_ok "import the experts' scores from XLSX (round 2)" "$M" recheck import --db "$db" --round 2 "$T/experts.xlsx"
    expect_grep "…every work" "за $works работ из $works" "$T/out"
    expect_eq "…the same marks as from CSV" "$(q "SELECT count(*) FROM recheck_work a JOIN recheck_work b ON b.result_id = a.result_id AND b.round_id = 2 WHERE a.round_id = 1 AND a.expert_mark = b.expert_mark AND a.expert_primary = b.expert_primary")" "$works"
else
    ok "# SKIP zip(1) not installed: no XLSX experts' file"
fi

expect_ok "report" "$M" recheck report --db "$db" --round 1
cp "$T/out" "$T/report.txt"
expect_eq "every listed school's sign is confirmed" "$(grep -c 'признаки .*признак подтверждён' "$T/report.txt")" "$listed"
expect_eq "no control school's is" "$(grep -c 'контроль .*не подтверждён' "$T/report.txt")" 2
ctl=$(q "SELECT count(*) FROM recheck_work WHERE round_id = 1 AND control = 1")
share=$(awk -v a="$ctl" -v b="$works" 'BEGIN { printf "%.1f", 100 * a / b }')
expect_grep "the municipal share is the control works' share" "объективно оценено $ctl из $works работ ($share %); цель ≥ 90 % не достигнута" "$T/report.txt"
expect_grep "listed schools' mean difference is +3" "+3.00" "$T/report.txt"
expect_ok "report --json" "$M" recheck report --db "$db" --round 1 --json
cp "$T/out" "$T/report.json"
expect_eq "JSON: municipal counts" "$(jq -c '[.municipal.rechecked, .municipal.objective, .municipal.met]' "$T/report.json")" "[$works,$ctl,false]"
expect_eq "JSON: listed confirmed, control not" "$(jq -c '[.schools[] | select(.group == "listed") | .confirmed] | unique' "$T/report.json"),$(jq -c '[.schools[] | select(.group == "control") | .confirmed] | unique' "$T/report.json")" "[true],[false]"
expect_ok "a wide tolerance does not hide changed marks" "$M" recheck report --db "$db" --round 1 --tolerance 5
expect_eq "…listed signs stay confirmed" "$(grep -c 'признаки .*признак подтверждён' "$T/out")" "$listed"

expect_exit 2 "sample needs --procedure" "$M" recheck sample --db "$db" --year 2024
expect_exit 2 "a malformed procedure" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math
expect_exit 2 "an unknown subcommand" "$M" recheck redo --db "$db"
expect_exit 2 "an unknown option" "$M" recheck report --db "$db" --round 1 --foo
expect_exit 1 "a procedure that was not held" "$M" recheck sample --db "$db" --year 2024 --procedure VPR:math:11
expect_exit 1 "a year without analysis" "$M" recheck sample --db "$db" --year 2023 --procedure VPR:math:5
expect_grep "…says to run analyze" "msoko analyze --year 2023" "$T/err"
expect_exit 1 "report of a missing round" "$M" recheck report --db "$db" --round 42
done_testing
