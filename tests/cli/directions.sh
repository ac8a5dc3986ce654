#!/bin/sh
# The directions of seed 001 end to end (issue 15, docs/directions-format.md): the demo
# municipality analysed for 2023 and 2024; `analyze` prints the line of the directions, its JSON
# and the stored finding «directions» carry them with values equal to what the lists and the
# results give; the dynamics read the 2023 analysis; a form value submitted by a school counts;
# the run records the files' hashes; a broken direction file stops the analysis with its file
# and line and stores nothing.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2022-2024 --seed 1 >/dev/null
export MSOKO_METHODS="$MSOKO_ROOT/methods"
q() { dbsql "$db" "$1"; }
# the value at a path of the last analyze --json, e.g. jv shnor shnor_share value
jv() {
    python3 - "$T/a.json" "$@" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
dirs = {x["code"]: x for x in d["directions"]}
ind = {i["code"]: i for i in dirs[sys.argv[2]]["indicators"]}[sys.argv[3]]
v = ind
for k in sys.argv[4:]:
    v = v[int(k)] if isinstance(v, list) else v.get(k)
print("null" if v is None else (("%.6g" % v) if isinstance(v, (int, float)) else json.dumps(v, ensure_ascii=False)))
EOF
}
expect_ok "analyze 2023" "$M" analyze --db "$db" --year 2023
# the shnor_support form of a ШНОР school of 2024, submitted: its value counts (contract §2)
expect_ok "analyze 2024" "$M" analyze --db "$db" --year 2024
expect_grep "summary line of the directions" "Направления МСОКО: 9, в целевых значениях" "$T/out"
latest="(SELECT max(id) FROM analysis_run WHERE year = 2024)"
sch=$(q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.run_id = $latest ORDER BY s.code LIMIT 1")
"$M" form load --db "$db" "$MSOKO_ROOT/methods/forms/shnor-support.ini" >/dev/null
expect_ok "fill the ШНОР support form of $sch" "$M" form fill --db "$db" shnor_support \
    --school "$sch" --period 2024 shnor_teachers_total=20 shnor_diag_subject=5 \
    shnor_diag_method=5 shnor_diag_psych=5 shnor_supported=7 shnor_iom=2 shnor_events=да \
    shnor_productive=да
expect_ok "submit it" "$M" form submit --db "$db" shnor_support --school "$sch" --period 2024
expect_ok "analyze 2024 --json" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
expect_grep "JSON has directions" '"directions"' "$T/a.json"
nsh=$(q "SELECT count(DISTINCT school_id) FROM finding WHERE method = 'shnor' AND run_id = $latest")
nsc=$(q "SELECT count(*) FROM school")
want=$(awk -v a="$nsh" -v b="$nsc" 'BEGIN { printf "%.6g", 100 * a / b }')
expect_eq "shnor_share = 100 × ШНОР schools / schools" "$(jv shnor shnor_share value)" "$want"
expect_eq "…its num and den" "$(jv shnor shnor_share num)/$(jv shnor shnor_share den)" "$nsh/$nsc"
n23=$(q "SELECT count(DISTINCT school_id) FROM finding WHERE method = 'shnor' AND run_id = (SELECT max(id) FROM analysis_run WHERE year = 2023)")
want23=$(awk -v a="$n23" -v b="$nsc" 'BEGIN { printf "%.6g", 100 * a / b }')
expect_eq "dynamics: 2023 from the stored 2023 analysis" "$(jv shnor shnor_share dynamics 1 value)" "$want23"
expect_eq "…2022 was never analysed: no value" "$(jv shnor shnor_share dynamics 0 value)" "null"
expect_eq "the submitted form value counts" "$(jv shnor shnor_supported value)" "7"
# the ВПР share of «2»: a value per school, municipal = ratio of sums
vpr=$(jv shnor vpr_fail_share value)
expect_eq "vpr_fail_share has a value" "$( [ "$vpr" != null ] && echo ok)" "ok"
nvals=$(jv shnor vpr_fail_share schools | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "…a value for each of the $nsc schools" "$nvals" "$nsc"
ratio=$(awk -v n="$(jv shnor vpr_fail_share num)" -v d="$(jv shnor vpr_fail_share den)" 'BEGIN { printf "%.6g", 100 * n / d }')
expect_eq "…equal to 100 × Σnum / Σden" "$vpr" "$ratio"
expect_eq "ЕГЭ mean is a ratio of sums of scores" "$( [ "$(jv objectivity ege_rus_mean value)" != null ] && echo ok)" "ok"
expect_eq "stored as the finding «directions» of the run" \
    "$(q "SELECT count(*) FROM finding WHERE method = 'directions' AND run_id = $latest AND school_id IS NULL")" 1
q "SELECT evidence FROM finding WHERE method = 'directions' AND run_id = $latest" >"$T/stored.json"
# the same content (--json prints 6 significant digits)
same=$(python3 - "$T/stored.json" "$T/a.json" <<'EOF'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["directions"]
def diff(x, y, p):
    num = (int, float)
    if isinstance(x, num) and isinstance(y, num) and not isinstance(x, bool):
        return None if abs(x - y) <= 1e-5 * max(1, abs(x)) else p
    if type(x) != type(y):
        return p
    if isinstance(x, dict):
        return next((d for k in sorted(set(x) | set(y)) for d in [diff(x.get(k), y.get(k), p + "/" + k)] if d), None)
    if isinstance(x, list):
        if len(x) != len(y):
            return p
        return next((d for i, (u, v) in enumerate(zip(x, y)) for d in [diff(u, v, "%s/%d" % (p, i))] if d), None)
    return None if x == y else p
print(diff(a, b, "") or "same")
EOF
)
expect_eq "…equal to the directions of analyze --json" "$same" "same"
expect_eq "the run records the direction files' hashes" \
    "$(q "SELECT CASE WHEN methods_hash LIKE '%directions/02-shnor.ini=%' AND methods_hash LIKE '%directions/05-objectivity.ini=%' THEN 1 ELSE 0 END FROM analysis_run WHERE id = $latest")" 1
# a broken file: the analysis stops with the file and line, nothing stored
cp -r "$MSOKO_ROOT/methods" "$T/methods"
printf '[indicator broken]\nname = Сломанный\nnum = results(colour=red)\n' >>"$T/methods/directions/02-shnor.ini"
line=$(grep -n 'colour' "$T/methods/directions/02-shnor.ini" | cut -d: -f1)
runs=$(q "SELECT count(*) FROM analysis_run")
expect_exit 1 "a broken direction file is rejected" env MSOKO_METHODS="$T/methods" "$M" analyze --db "$db" --year 2024
expect_grep "…naming its file and line" "02-shnor.ini:$line:" "$T/err"
expect_grep "…and what is wrong" "нет условия «colour»" "$T/err"
expect_eq "…and nothing is stored" "$(q "SELECT count(*) FROM analysis_run")" "$runs"
# a target changed in the file changes the status, no rebuild
cp "$MSOKO_ROOT/methods/directions/02-shnor.ini" "$T/methods/directions/02-shnor.ini"
sed -i 's/^target = 10$/target = 0/' "$T/methods/directions/02-shnor.ini"
expect_ok "analyze with target 0" env MSOKO_METHODS="$T/methods" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
if [ "$nsh" -gt 0 ]; then want=below; else want=on_target; fi
expect_eq "shnor_share against target 0" "$(jv shnor shnor_share status)" "\"$want\""
# registries (contract §3): teachers of two schools; a school without rows has 0
s1=$(q "SELECT code FROM school ORDER BY code LIMIT 1")
s2=$(q "SELECT code FROM school ORDER BY code LIMIT 1 OFFSET 1")
{
    echo "Код педагога;Код ОО;Год;Должность;Квалификационная категория;Молодой специалист;Наставник;Есть наставник;Нагрузка, часов в неделю;Диагностика дефицитов пройдена;Диагностика выгорания пройдена;Участник конкурсов мастерства"
    echo "t1;$s1;2024;учитель;высшая;нет;да;нет;27;да;да;да"
    echo "t2;$s1;2024;учитель;первая;да;нет;да;18;да;нет;нет"
    echo "t3;$s1;2024;учитель;высшая;да;нет;да;20;нет;нет;нет"
    echo "t4;$s2;2024;учитель;первая;нет;нет;нет;36;да;нет;нет"
} >"$T/teachers.csv"
# the demo fills registries too: start the teachers from these four rows only
q "DELETE FROM registry_row WHERE kind = 'teacher'" 2>/dev/null || true
expect_ok "import a teacher registry" "$M" registry import --db "$db" --kind teacher "$T/teachers.csv"
cat >"$T/methods/directions/08-dpo.ini" <<'EOF'
[direction]
code = dpo
n = 8
name = Качество ДПО педагогов
[indicator highest]
name = Доля педагогов высшей категории
level = school
num = registry(teacher, category=highest)
den = registry(teacher)
factor = 100
target = 50
[indicator young]
name = Молодые специалисты
level = school
num = registry(teacher, young=да)
[indicator load]
name = Нагрузка, часов
level = school
num = registry_sum(teacher, load_hours)
EOF
expect_ok "analyze with a registry direction" env MSOKO_METHODS="$T/methods" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
# highest: s1 2 of 3, s2 0 of 1 → 100 × 2/4 = 50
expect_eq "registry(): ratio of sums of rows" "$(jv dpo highest value)" "50"
expect_eq "…per school" "$(jv dpo highest schools "$s1")" "66.6667"
expect_eq "…a school with rows, none matching, is 0" "$(jv dpo highest schools "$s2")" "0"
expect_eq "yes/no columns: young=да" "$(jv dpo young value)" "2"
expect_eq "registry_sum(): 27 + 18 + 20 + 36" "$(jv dpo load value)" "101"
expect_eq "…the other schools have 0 (the registry has rows of the year)" \
    "$(jv dpo load schools "$(q "SELECT code FROM school ORDER BY code LIMIT 1 OFFSET 5")")" "0"
expect_eq "the directions line counts the nine directions (08-dpo replaced)" \
    "$(env MSOKO_METHODS="$T/methods" "$M" analyze --db "$db" --year 2024 | grep -c "Направления МСОКО: 9,")" 1
# pupils() follows the rule of form(): the approved context, and where a school has none, the
# value of a form it submitted and the analyst has not approved yet (docs/directions-format.md).
# s3 loses its approved «Обучающихся всего» of 2024 and submits 500 in a form (not approved):
# 1000 / pupils() gives s3 1000 / 500 = 2 and s1 1000 / its approved context. The old pupils()
# (approved only) left s3 without a value while form() read the submitted one.
s3=$(q "SELECT code FROM school ORDER BY code LIMIT 1 OFFSET 2")
p1=$(q "SELECT value FROM data_value d JOIN school sc ON sc.id = d.school_id WHERE sc.code = '$s1' AND d.element = 'pupils_total' AND d.period = '2024' AND d.status = 'approved'")
q "DELETE FROM data_value WHERE element = 'pupils_total' AND period = '2024' AND school_id = (SELECT id FROM school WHERE code = '$s3')"
printf '[form]\ncode = pupils_check\nname = Обучающихся\nperiod = year\n\n[element pupils_total]\nname = Обучающихся всего\ntype = count\nmin = 0\n' >"$T/pupils-check.ini"
"$M" form load --db "$db" "$T/pupils-check.ini" >/dev/null
expect_ok "s3 submits pupils_total = 500, s1 999 (not approved)" sh -c \
    "'$M' form fill --db '$db' pupils_check --school $s3 --period 2024 pupils_total=500 &&
     '$M' form submit --db '$db' pupils_check --school $s3 --period 2024 &&
     '$M' form fill --db '$db' pupils_check --school $s1 --period 2024 pupils_total=999 &&
     '$M' form submit --db '$db' pupils_check --school $s1 --period 2024"
printf '[indicator per_pupil]\nname = На одного обучающегося\nlevel = school\nnum = 1000\nden = pupils()\n' \
    >>"$T/methods/directions/08-dpo.ini"
expect_ok "analyze 2024 --json (s3 without approved context)" env MSOKO_METHODS="$T/methods" \
    "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
expect_eq "pupils(): the submitted 500 of s3 counts, as in form(): 1000 / 500" \
    "$(jv dpo per_pupil schools "$s3")" "2"
expect_eq "…the approved context of s1 wins over its submitted 999: 1000 / $p1" "$(jv dpo per_pupil schools "$s1")" \
    "$(awk -v p="$p1" 'BEGIN { printf "%.6g", 1000 / p }')"
done_testing
