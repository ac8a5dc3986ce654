#!/bin/sh
# Seed 002 §2.3.1 п. 3 and §3.3.1 п. 3 through the shipped methods/directions/02-shnor.ini
# (issue 19), on the demo with hand-set values:
#  - «Доля школ от общего числа школ ШНОР в муниципалитете, достигших положительной динамики по
#    результатам краевых диагностических работ в 4-х, 6-х, 7-х, 8-х классах»
#    (shnor_rkr_positive_dynamics): the РКР of the year's ШНОР schools are set by hand — the first
#    ШНОР school 6 «2» of 20 → 2 of 20 (improved), the second 2 of 20 → 6 of 20 (not), every other
#    ШНОР school without РКР in 2024 (no data): 1 of 2 = 50 %;
#  - «Доля ОУ города, в которых устранены риски снижения образовательных результатов»
#    (risk_left_share): the schools of the 2023 risk list not on the 2024 one, of all schools.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2022-2024 --seed 1 >/dev/null
export MSOKO_METHODS="$MSOKO_ROOT/methods"
q() { dbsql "$db" "$1"; }
jv() {
    python3 - "$T/a.json" "$@" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ind = {i["code"]: i for x in d["directions"] for i in x["indicators"]}[sys.argv[2]]
v = ind
for k in sys.argv[3:]:
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print("null" if v is None else (("%.6g" % v) if isinstance(v, (int, float)) else json.dumps(v, ensure_ascii=False)))
EOF
}
expect_ok "analyze 2023" "$M" analyze --db "$db" --year 2023
expect_ok "analyze 2024" "$M" analyze --db "$db" --year 2024
run() { echo "(SELECT max(id) FROM analysis_run WHERE year = $1)"; }
listed() { q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = '$1' AND f.run_id = $(run "$2") ORDER BY s.code"; }
shnor=$(listed shnor 2024)
set -- $shnor
expect_eq "the demo has at least two ШНОР schools in 2024" "$([ $# -ge 2 ] && echo yes)" yes
a=$1 b=$2
rkr() { q "SELECT id FROM procedure WHERE kind = 'RKR' AND subject = 'math' AND grade = 7 AND year = $1"; }
p23=$(rkr 2023) p24=$(rkr 2024)
expect_eq "the demo has РКР, mathematics, grade 7 in 2023 and 2024" "$([ -n "$p23" ] && [ -n "$p24" ] && echo yes)" yes
put() { # school procedure participants «2»
    q "INSERT INTO result_aggregate(procedure_id, school_id, participants, mark2, mark3, mark4, mark5, below_min)
       VALUES($2, (SELECT id FROM school WHERE code = '$1'), $3, $4, $3 - $4, 0, 0, NULL)
       ON CONFLICT(procedure_id, school_id) DO UPDATE SET participants = excluded.participants,
       mark2 = excluded.mark2, mark3 = excluded.mark3, mark4 = excluded.mark4, mark5 = excluded.mark5,
       below_min = excluded.below_min, batch_id = NULL"
}
put "$a" "$p23" 20 6
put "$a" "$p24" 20 2
put "$b" "$p23" 20 2
put "$b" "$p24" 20 6
for s in $shnor; do
    [ "$s" = "$a" ] || [ "$s" = "$b" ] || q "DELETE FROM result_aggregate WHERE procedure_id = $p24 AND school_id = (SELECT id FROM school WHERE code = '$s')"
done
expect_eq "no РКР result rows besides the totals" "$(q "SELECT count(*) FROM result r JOIN procedure p ON p.id = r.procedure_id WHERE p.kind = 'RKR'")" 0
expect_ok "analyze 2024 --json" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
expect_eq "the ШНОР list did not change with the РКР" "$(listed shnor 2024)" "$shnor"
expect_eq "§2.3.1 п. 3: 1 of the 2 comparable ШНОР schools improved" \
    "$(jv shnor_rkr_positive_dynamics num)/$(jv shnor_rkr_positive_dynamics den)" "1/2"
expect_eq "…value 50 %" "$(jv shnor_rkr_positive_dynamics value)" "50"
expect_eq "…the section quoted" "$(jv shnor_rkr_positive_dynamics section)" '"Программа повышения качества образования в школах г. Норильска, п. 2.3.1 п. 3"'

# §3.3.1 п. 3 from the lists: on the 2023 risk list, not on the 2024 one
left=$(q "SELECT count(*) FROM finding f WHERE f.method = 'risk' AND f.run_id = $(run 2023)
          AND f.school_id NOT IN (SELECT school_id FROM finding WHERE method = 'risk' AND run_id = $(run 2024))")
nsc=$(q "SELECT count(*) FROM school")
expect_eq "§3.3.1 п. 3: $left schools left the risk list, of $nsc" \
    "$(jv risk_left_share num)/$(jv risk_left_share den)" "$left/$nsc"
expect_eq "…value 100 × left / schools" "$(jv risk_left_share value)" "$(awk -v a="$left" -v b="$nsc" 'BEGIN { printf "%.6g", 100 * a / b }')"
expect_eq "…2023 needs the list of 2022, never analysed: no value" "$(jv risk_left_share dynamics 1 value)" null
expect_eq "…the form's answer stays beside it" "$(jv risk_eliminated_share section)" '"Программа повышения качества образования в школах г. Норильска, п. 3.3.1 п. 3"'
done_testing
