#!/bin/sh
# Issue 15 «Done when: each indicator's formula on a small hand-built case», directions 3–9
# (methods/directions/03-talents.ini … 09-upbringing.ini). A municipality of four schools is
# built through the users' paths only — `msoko import` of the CSVs in tests/data/dir_hand_b/
# (Russian headers), `msoko form load/fill/submit/approve` of the monitoring forms, `msoko
# registry import` and `registry fill-gifted` — then `msoko analyze --json` must give, for every
# indicator, the value worked out by hand below (the chosen school sch900001 «A» and the
# municipality, a ratio of sums over the schools with data), and the count of checked
# indicators must equal the count of [indicator] sections of files 03–09: a new indicator
# without a hand case fails here.
#
# The municipality (2024; pupils and teachers from the context file, approved by import):
#   A sch900001 СОШ  400 pupils, 40 teachers — every form
#   B sch900002 СОШ  250 pupils, 25 teachers — every form
#   C sch900003 ООШ  150 pupils, 15 teachers — every form; no 11th grade, no ЕГЭ
#   D sch900004 СОШ  200 pupils, 20 teachers — only dir_upbringing: for the other forms D has
#                    no data and is out of the sums (so Σ pupils of a form share is 800, not 1000)
# 2023 rows (olympiads, graduates, context, registries, one form) are decoys: a wrong year
# changes a sum. Values are compared to 4 decimals (analyze --json prints 6 significant digits).
# The teacher and teacher_course registries are loaded as users load them but feed no indicator
# of 3–9: the numbers of teachers come from the forms (docs/directions.md, «Показатели форм»).
. "$(dirname "$0")/tap.inc"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 missing"; exit 0; }
D="$MSOKO_ROOT/tests/data/dir_hand_b"
db=$(newdb hand)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
A=sch900001 B=sch900002 C=sch900003 DD=sch900004
"$M" init --db "$db" >/dev/null

# ---- imports: results, olympiads, graduates, context ----
expect_ok "import schools" "$M" import --db "$db" --kind schools "$D/schools.csv"
expect_ok "import context (wide, Russian headers)" "$M" import --db "$db" --kind context "$D/context-2024.csv"
expect_ok "import ВПР, ОГЭ, ЕГЭ results" "$M" import --db "$db" --kind results \
    "$D/vpr-math5-2024.csv" "$D/oge-2024.csv" "$D/ege-2024.csv"
expect_ok "import olympiads" "$M" import --db "$db" --kind olympiads "$D/olympiads-2024.csv"
expect_ok "import graduates" "$M" import --db "$db" --kind graduates "$D/graduates-2024.csv"

# ---- registries ----
for k in teacher teacher_course expert gifted reserve practice; do
    expect_ok "registry import $k" "$M" registry import --db "$db" --kind $k "$D/registry-$k.csv"
done
expect_ok "registry fill-gifted 2024" "$M" registry fill-gifted --db "$db" --year 2024
# A: o910011 (maths and chemistry), o910012, o910013 (municipal), o910021 (regional);
# B: o920011, o920021; D: o940011 — a row per pupil and subject
expect_grep "…8 wins and prizes of the municipal stage and above" "добавлено строк 8" "$T/out"
expect_ok "the analyst confirms o910011 (both subjects)" "$M" registry confirm --db "$db" \
    --code o910011 --year 2024 --user аналитик

# ---- monitoring forms: the school fills and submits, the analyst approves ----
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/seed001-monitoring.ini \
    "$MSOKO_ROOT"/methods/forms/dir-*.ini >/dev/null
# form_in PERIOD FORM SCHOOL ELEMENT=VALUE… : fill, submit, approve (one TAP line)
form_in() {
    p=$1 f=$2 s=$3
    shift 3
    if "$M" form fill --db "$db" "$f" --school "$s" --period "$p" "$@" >"$T/out" 2>"$T/err" &&
        "$M" form submit --db "$db" "$f" --school "$s" --period "$p" >"$T/out" 2>>"$T/err" &&
        "$M" form approve --db "$db" "$f" --school "$s" --period "$p" >"$T/out" 2>>"$T/err"; then
        ok "form $f of $s for $p approved"
    else
        not_ok "form $f of $s for $p"
        sed 's/^/#   /' "$T/err" | head -10
    fi
}
form() { form_in 2024 "$@"; }
form seed001_monitoring $A pupils_total=400 teachers_total=40 grads9_total=8 grads9_not_continuing=2 \
    young_teachers=6 vsosh_school_participants=120 pupils_extra_education=300 pupils_profile=48 \
    pupils_8_11=160 pupils_career_diag=136 teachers_pd_courses=18 teachers_deficit_diag=20 \
    teachers_burnout_diag=12 teachers_courses_after_diag=16 teachers_category_high=10 \
    teachers_category_first=12 teachers_contests=2 mentor_pairs=5 pupils_volunteers=64
form seed001_monitoring $B pupils_total=250 teachers_total=25 grads9_total=5 grads9_not_continuing=0 \
    young_teachers=2 vsosh_school_participants=100 pupils_extra_education=200 pupils_profile=50 \
    pupils_8_11=100 pupils_career_diag=90 teachers_pd_courses=10 teachers_deficit_diag=10 \
    teachers_burnout_diag=5 teachers_courses_after_diag=7 teachers_category_high=5 \
    teachers_category_first=5 teachers_contests=1 mentor_pairs=2 pupils_volunteers=50
form seed001_monitoring $C pupils_total=150 teachers_total=15 grads9_total=6 grads9_not_continuing=1 \
    young_teachers=3 vsosh_school_participants=30 pupils_extra_education=135 pupils_profile=0 \
    pupils_8_11=60 pupils_career_diag=30 teachers_pd_courses=5 teachers_deficit_diag=6 \
    teachers_burnout_diag=3 teachers_courses_after_diag=3 teachers_category_high=3 \
    teachers_category_first=3 teachers_contests=0 mentor_pairs=1 pupils_volunteers=30
form dir_talents $A pupils_total=400 contest_participants=90 contest_win_municipal=8 \
    contest_win_regional=3 contest_win_federal=1 gifted_identified=24 gifted_psych_support=18
form dir_talents $B pupils_total=250 contest_participants=100 contest_win_municipal=8 \
    contest_win_regional=2 contest_win_federal=0 gifted_identified=10 gifted_psych_support=10
# C leaves the federal level empty: none won there (talents_contest_winners, missing = all)
form dir_talents $C pupils_total=150 contest_participants=30 contest_win_municipal=5 \
    contest_win_regional=1 gifted_identified=6 gifted_psych_support=6
form dir_career $A pupils_total=400 partner_agreements=3 pupils_profile_clubs=60 profile_grads11=4 \
    profile_grads11_matching=3 grads9_spo_chosen=2 grads9_spo_matching=1 enrolled_by_profile=5 \
    pupils_prof_contests=8
form dir_career $B pupils_total=250 partner_agreements=1 pupils_profile_clubs=75 profile_grads11=3 \
    profile_grads11_matching=2 grads9_spo_chosen=1 grads9_spo_matching=1 enrolled_by_profile=4 \
    pupils_prof_contests=10
form dir_career $C pupils_total=150 partner_agreements=0 pupils_profile_clubs=15 profile_grads11=0 \
    profile_grads11_matching=0 grads9_spo_chosen=3 grads9_spo_matching=2 enrolled_by_profile=3 \
    pupils_prof_contests=6
form dir_objectivity $A teachers_total=40 proc_held=10 proc_controlled=3 proc_observed=8 \
    proc_violations=2 oly_subjects_held=12 oly_subjects_observed=9 teachers_trained_results=14 \
    results_used=да
form dir_objectivity $B teachers_total=25 proc_held=8 proc_controlled=2 proc_observed=4 \
    proc_violations=0 oly_subjects_held=10 oly_subjects_observed=4 teachers_trained_results=5 \
    results_used=да
form dir_objectivity $C teachers_total=15 proc_held=2 proc_controlled=2 proc_observed=1 \
    proc_violations=1 oly_subjects_held=8 oly_subjects_observed=6 teachers_trained_results=4 \
    results_used=да
# pupils_ovz is not filled: the form shows the value imported with the context (one value per
# school and year, docs/directions.md «Показатели форм — общие»)
form dir_heads $A admins_total=5 admins_trained_quality=4 admins_deficit_diag=2 \
    admins_teaching_hours=40 method_support_plan=да external_audit=нет ovz_special_conditions=9
form dir_heads $B admins_total=4 admins_trained_quality=1 admins_deficit_diag=2 \
    admins_teaching_hours=36 method_support_plan=да external_audit=да ovz_special_conditions=6
form dir_heads $C admins_total=2 admins_trained_quality=1 admins_deficit_diag=1 \
    admins_teaching_hours=20 method_support_plan=нет external_audit=нет ovz_special_conditions=2
form dir_methodical $A teachers_total=40 teachers_supported=16 teachers_network=26 mentors_total=4
form dir_methodical $B teachers_total=25 teachers_supported=5 teachers_network=10 mentors_total=1
form dir_methodical $C teachers_total=15 teachers_supported=9 teachers_network=12 mentors_total=2
# a decoy of 2023 (A's context of 2023 has 38 teachers): it must stay in the 2023 dynamics
form_in 2023 dir_methodical $A teachers_total=38 teachers_supported=30 teachers_network=20 mentors_total=3
# pupils_registered is the context's (A 8, B 5, C 3, D 14)
form dir_upbringing $A pupils_total=400 teachers_total=40 teachers_upbringing_trained=11 \
    upbringing_program=да registered_holiday_busy=6 offences=2 pupils_nonnative=10 nonnative_support=9
form dir_upbringing $B pupils_total=250 teachers_total=25 teachers_upbringing_trained=5 \
    upbringing_program=нет registered_holiday_busy=5 offences=0 pupils_nonnative=4 nonnative_support=2
form dir_upbringing $C pupils_total=150 teachers_total=15 teachers_upbringing_trained=6 \
    upbringing_program=нет registered_holiday_busy=3 offences=1 pupils_nonnative=0 nonnative_support=0
form dir_upbringing $DD pupils_total=200 teachers_total=20 teachers_upbringing_trained=5 \
    upbringing_program=да registered_holiday_busy=10 offences=1 pupils_nonnative=6 nonnative_support=3

# ---- the analysis ----
expect_ok "analyze 2024 --json" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
# one line per indicator of directions 3–9: code, A's value, the municipal value, the status
python3 - "$T/a.json" >"$T/vals" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["directions"]
def f(v):
    return "null" if v is None else "%.6f" % v
for x in d:
    if 3 <= x["n"] <= 9:
        for q in x["indicators"]:
            print(q["code"], f((q.get("schools") or {}).get("sch900001")), f(q["value"]), q["status"])
PY
: >"$T/checked"
# check CODE A_WANT MUNI_WANT : A's value («-» for a municipality-level indicator) and the
# municipality's, to 4 decimals
check() {
    echo "$1" >>"$T/checked"
    line=$(awk -v c="$1" '$1 == c' "$T/vals")
    if [ -z "$line" ]; then not_ok "$1: not in the analysis"; return; fi
    set -- "$1" "$2" "$3" $line
    if awk -v a="$2" -v m="$3" -v ga="$5" -v gm="$6" 'function near(x, y) {
            return (x == "-" && y == "null") || (x != "-" && y != "null" && (x - y) ^ 2 < 2.5e-9) }
        BEGIN { exit !(near(a, ga) && near(m, gm)) }'; then
        ok "$1: A $2, municipality $3"
    else
        not_ok "$1: got A $5, municipality $6; want A $2, municipality $3"
    fi
}
# status CODE WANT : the municipal value against the indicator's target
status() {
    expect_eq "$1 is $2" "$(awk -v c="$1" '$1 == c { print $4 }' "$T/vals")" "$2"
}

# ---- 3. talents (03-talents.ini) ----
# A 120 / 400 × 100 = 30; municipality (120 + 100 + 30) / (400 + 250 + 150) = 250 / 800 → 31,25 (D sent no form)
check talents_vsosh_school 30 31.25
# participations of the municipal stage only (not school, regional, 2023): A 7 / 400 × 100 = 1,75;
# (7 + 3 + 1 + 2) / 1000 × 100 → 1,3
check talents_vsosh_municipal 1.75 1.3
# A 90 / 400 = 22,5 %; (90 + 100 + 30) / 800 = 220 / 800 → 27,5 %
check talents_contest_share 22.5 27.5
# A 300 / 400 = 75 %; (300 + 200 + 135) / 800 = 635 / 800 → 79,375 %
check talents_extra_education 75 79.375
# A 18 / 24 = 75 %; (18 + 10 + 6) / (24 + 10 + 6) = 34 / 40 → 85 %
check talents_gifted_support 75 85
# municipal wins + prizes (results, as the stage's protocol counts them): A (1 + 3) / 400 × 100 = 1;
# (4 + 1 + 0 + 1) / 1000 × 100 → 0,6
check talents_vsosh_municipal_winners 1 0.6
# regional winners + prizers ×1000: A 1 / 400 × 1000 = 2,5; (1 + 1) / 1000 × 1000 → 2
check talents_vsosh_regional_winners 2.5 2
# A (1 + 3 + 8) / 400 × 100 = 3; C's empty federal level counts 0:
# (12 + 10 + 6) / 800 × 100 = 28 / 8 → 3,5 (without C: 22 / 650 × 100)
check talents_contest_winners 3 3.5
# п. 4.8 «единой муниципальной базы данных одаренных детей»: the pupils the analyst confirmed
# (fill-gifted rows are candidates) of 2024, pupils not rows: A o910091 (imported, «да») +
# o910011 (confirmed above, two subjects — one pupil) = 2 / 400 × 100 = 0,5; B's o920091 «нет»,
# D's filled o940011 unconfirmed: (2 + 0 + 0 + 0) / 1000 × 100 → 0,2. Counting every row of the
# base gave 1,25 and 0,9.
check talents_gifted_registry 0.5 0.2

# ---- 4. career (04-career.ini) ----
# A 3 agreements / 1 school = 3; (3 + 1 + 0) / 3 schools with the form → 1,333333
check career_agreements 3 1.333333
# A 60 / 400 = 15 %; (60 + 75 + 15) / 800 = 150 / 800 → 18,75 %
check career_profile_clubs 15 18.75
# A 48 / 400 = 12 %; (48 + 50 + 0) / 800 = 98 / 800 → 12,25 %
check career_profile_study 12 12.25
# A 136 / 160 = 85 %; (136 + 90 + 30) / (160 + 100 + 60) = 256 / 320 → 80 %
check career_diag 85 80
# ≥ 3 ЕГЭ at the university minimum (рус 40, мат. проф. 39, общ. 45, физ. 39; math_base not
# counted): A a11-1, a11-2 (39 and 45 exactly), a11-5 → 3 / 5 = 60 %; B b11-1, b11-4 of 4;
# C has no 11th grade (no value); D d11-1, d11-3 of 3 → (3 + 2 + 2) / (5 + 4 + 3) = 7 / 12 → 58,3333 %
check career_ege3_university 60 58.333333
# A 3 / 4 = 75 %; (3 + 2 + 0) / (4 + 3 + 0) = 5 / 7 → 71,4286 %
check career_profile_gia_choice 75 71.428571
# A 1 / 2 = 50 %; (1 + 1 + 2) / (2 + 1 + 3) = 4 / 6 → 66,6667 %
check career_spo_matching 50 66.666667
# den = 9th → СПО + 11th → СПО + 11th → вуз: A 2 + 2 + 2 = 6, B 2 + 1 + 2 = 5, C 3 + 0 + 0 = 3;
# A 5 / 6 = 83,3333 %; (5 + 4 + 3) / 14 = 12 / 14 → 85,7143 %
check career_enrolled_profile 83.333333 85.714286
# 9th → 10th grade or СПО: A (4 + 2) / 8 = 75 %; (6 + 5 + 5 + 4) / (8 + 5 + 6 + 4) = 20 / 23 → 86,9565 %
check career_grads9_continue 75 86.956522
# 11th → вуз: A 2 / 5 = 40 %; (2 + 2 + 0 + 2) / (5 + 4 + 0 + 3) = 6 / 12 → 50 % (2023 rows not counted)
check career_grads11_vo 40 50
# «нет» (not «работа»): A (1 + 1) / (8 + 5) = 2 / 13 → 15,3846 %; (2 + 0 + 1 + 1) / (13 + 9 + 6 + 7) = 4 / 35 → 11,4286 %
check career_not_studying 15.384615 11.428571
# A 8 / 400 = 2 %; (8 + 10 + 6) / 800 = 24 / 800 → 3 %
check career_prof_contests 2 3

# ---- 5. objectivity (05-objectivity.ini) ----
# the only listed school is B: medalist b11-1 wrote ЕГЭ рус at 65 < 70 (A's medalist a11-5 scored
# 91, 84, 70 — not below 70) → 1 of 4 schools → 25 %
check nonobj_share - 25
check nonobj_count - 1
# ВПР «5»: A 4 / 10 = 40 %; (4 + 1 + 1) / (10 + 8 + 6) = 6 / 24 → 25 % (D wrote no ВПР)
check vpr_top_share 40 25
# ЕГЭ рус: A (85 + 62 + 55 + 39 + 91) / 5 = 332 / 5 = 66,4; (332 + 263 + 150) / (5 + 4 + 3) = 745 / 12 → 62,0833
check ege_rus_mean 66.4 62.083333
# A 3 / 10 = 30 %; (3 + 2 + 2) / (10 + 8 + 2) = 7 / 20 → 35 %
check objectivity_procedure_control 30 35
# A 2 violations / 1 school = 2; (2 + 0 + 1) / 3 → 1
check objectivity_procedure_violations 2 1
# A 9 / 12 = 75 %; (9 + 4 + 6) / (12 + 10 + 8) = 19 / 30 → 63,3333 %
check objectivity_olympiad_control 75 63.333333
# A 14 / 40 = 35 %; (14 + 5 + 4) / (40 + 25 + 15) = 23 / 80 → 28,75 % (D: teachers but no form)
check objectivity_teachers_results_trained 35 28.75
# A 8 / 10 = 80 %; (8 + 4 + 1) / 20 = 13 / 20 → 65 %
check objectivity_public_observation 80 65
# п. 1.13 «ведение банка … Постоянно»: observers in the bank as of 2024 — included in 2024 or
# before and not excluded by then (not the ОГЭ expert): A e901–e904 (2024) + e906 (2023) = 5 / 1
# = 5 (not e907: 2022, excluded 2024; not e908: included 2025); (5 + 1 + 0 + 1) / 4 → 1,75.
# The old reading (rows of 2024 only) gave A 4 and 1,5.
check objectivity_observers_bank 5 1.75
# A yes → 100 %; 3 of the 3 schools with the form → 100 % (over all 4 schools it would be 75)
check objectivity_results_used 100 100

# ---- 6. heads (06-heads.ini) ----
# A 4 / 5 = 80 %; (4 + 1 + 1) / (5 + 4 + 2) = 6 / 11 → 54,5455 %
check heads_admins_quality_trained 80 54.545455
# A 2 / 5 = 40 %; (2 + 2 + 1) / 11 = 5 / 11 → 45,4545 %
check heads_admins_deficit_diag 40 45.454545
# A 6 / 40 = 15 %; (6 + 2 + 3) / 80 = 11 / 80 → 13,75 %
check heads_young_teachers 15 13.75
# context (all 4 schools): A 5 / 40 = 12,5 %; (5 + 2 + 0 + 4) / 100 → 11 %
check heads_teachers_overload 12.5 11
# A 40 / 5 = 8 h; (40 + 36 + 20) / 11 = 96 / 11 → 8,727273 h
check heads_admins_load 8 8.727273
# A yes → 100 %; A, B of 3 → 66,6667 %
check heads_method_plan 100 66.666667
# A no → 0 %; B of 3 → 33,3333 %
check heads_external_audit 0 33.333333
# ОГЭ рус + мат «3» and above: A (7 + 6) / (8 + 8) = 81,25 %;
# (13 + 9 + 7 + 8) / (16 + 10 + 12 + 8) = 37 / 46 → 80,4348 % (обществознание not counted)
check heads_basic_level 81.25 80.434783
# ОГЭ «5» (every subject) + ЕГЭ ≥ 81 without base maths (no score of 81 there, one result each
# of A, B, D): A (5 + 3) / (20 + 15) = 8 / 35 → 22,8571 %; B (1 + 3) / (10 + 10);
# D (2 + 0) / (8 + 7); C (ООШ, no ЕГЭ: missing = all) 0 / 12 →
# (8 + 4 + 2 + 0) / (35 + 20 + 15 + 12) = 14 / 82 → 17,0732 % (without C: 14 / 70 = 20,0)
check heads_high_level 22.857143 17.073171
# workers in the reserve of 2024 (t901-07 is in it for two posts: one worker; not B's 2023 row):
# A 2 / 1 = 2; (2 + 1 + 0 + 0) / 4 → 0,75 (rows would give 3 and 1)
check heads_reserve 2 0.75
# internet, computers, labs of physics, chemistry, biology: A 4 / 5 = 80 %; (4 + 5 + 2 + 2) / 20 → 65 %
check heads_conditions 80 65
# the same formula as talents_extra_education: A 75 %; 635 / 800 → 79,375 %
check heads_career_extra 75 79.375
# ovz from the context: A 9 / 12 = 75 %; (9 + 6 + 2) / (12 + 6 + 4) = 17 / 22 → 77,2727 %
check heads_ovz_conditions 75 77.272727

# ---- 7. methodical (07-methodical.ini) ----
# A 16 / 40 = 40 %; (16 + 5 + 9) / 80 = 30 / 80 → 37,5 %
check methodical_method_support 40 37.5
# pairs / young: A 5 / 6 = 83,3333 %; (5 + 2 + 1) / (6 + 2 + 3) = 8 / 11 → 72,7273 %
check methodical_mentoring 83.333333 72.727273
# A 4 / 40 × 100 = 10; (4 + 1 + 2) / 80 × 100 → 8,75
check methodical_mentors 10 8.75
# A 26 / 40 = 65 %; (26 + 10 + 12) / 80 = 48 / 80 → 60 %
check methodical_network 65 60
# п. 8.4 «Формирование Банка … Постоянно»: practices in the bank as of 2024: A 2 (2024) + the
# club of 2023 = 3 / 1 = 3 (not the one of 2022 excluded in 2023); (3 + 3 + 1 + 1) / 4 → 2.
# The old reading (rows of 2024 only) gave A 2 and 1,75.
check methodical_practices_bank 3 2

# ---- 8. dpo (08-dpo.ini) ----
# A 20 / 40 = 50 %; (20 + 10 + 6) / 80 = 36 / 80 → 45 %
check dpo_deficit_diag 50 45
# A 12 / 40 = 30 %; (12 + 5 + 3) / 80 → 25 %
check dpo_burnout_diag 30 25
# A 2 / 40 = 5 %; (2 + 1 + 0) / 80 → 3,75 %
check dpo_contests 5 3.75
# A 18 / 40 = 45 %; (18 + 10 + 5) / 80 = 33 / 80 → 41,25 %
check dpo_pd_courses 45 41.25
# A 16 / 20 = 80 %; (16 + 7 + 3) / (20 + 10 + 6) = 26 / 36 → 72,2222 %
check dpo_courses_after_diag 80 72.222222
# высшая + первая: A (10 + 12) / 40 = 55 %; (22 + 10 + 6) / 80 = 38 / 80 → 47,5 %
check dpo_categories 55 47.5

# ---- 9. upbringing (09-upbringing.ini; D sent this form) ----
# A 11 / 40 = 27,5 %; (11 + 5 + 6 + 5) / (40 + 25 + 15 + 20) = 27 / 100 → 27 %
check upbringing_staff_trained 27.5 27
# A yes → 100 %; A and D of 4 → 50 %
check upbringing_programs 100 50
# seed001_monitoring (no D): A 64 / 400 = 16 %; (64 + 50 + 30) / 800 = 144 / 800 → 18 %
check upbringing_volunteers 16 18
# context: A 8 / 400 = 2 %; (8 + 5 + 3 + 14) / 1000 → 3 % (the 2023 row of A has 19)
check upbringing_registered 2 3
# ×1000: A 2 / 400 × 1000 = 5; (2 + 0 + 1 + 1) / 1000 × 1000 → 4
check upbringing_offences 5 4
# A 6 / 8 = 75 %; (6 + 5 + 3 + 10) / (8 + 5 + 3 + 14) = 24 / 30 → 80 %
check upbringing_holiday_busy 75 80
# A 9 / 10 = 90 %; (9 + 2 + 0 + 3) / (10 + 4 + 0 + 6) = 14 / 20 → 70 %
check upbringing_nonnative 90 70

# the 2023 form is the year before's value, not 2024's: A 30 / 38 × 100 → 78,9474 (A alone sent it)
expect_eq "methodical_method_support in 2023 (dynamics)" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["directions"]
q = [q for x in d for q in x["indicators"] if q["code"] == "methodical_method_support"][0]
print(" ".join("%d=%.4f" % (y["year"], y["value"]) for y in q["dynamics"] if y["value"] is not None))' "$T/a.json")" \
    "2023=78.9474 2024=37.5000"

# ---- targets ----
# 79,375 against 80 (talents) and against 75 (heads): the same value, two statuses
status talents_extra_education below
status heads_career_extra on_target
# 1 listed school against the target 0 (lower is better)
status nonobj_count below
# 35 against 30
status objectivity_procedure_control on_target

outside() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["directions"]
q = [q for x in d for q in x["indicators"] if q["code"] == sys.argv[2]][0]
print(" ".join("%s=%g" % (o["school"], o["value"]) for o in q["schools_outside"]))' "$T/a.json" "$1"
}
# target 18: C 0, D 13,33, B 20 meets it, A 22,86 meets it — worst first
expect_eq "the ООШ is outside the target of heads_high_level" "$(outside heads_high_level)" \
    "sch900003=0 sch900004=13.3333"

# target 85: A 75 below, B and C 100
expect_eq "A is outside the target of talents_gifted_support" "$(outside talents_gifted_support)" "sch900001=75"

# ---- every indicator of files 03–09 has its hand case, once ----
nini=$(cat "$MSOKO_ROOT"/methods/directions/0[3-9]-*.ini | grep -c '^\[indicator ')
expect_eq "indicators checked = [indicator] sections of 03–09" "$(sort -u "$T/checked" | wc -l | tr -d ' ')" "$nini"
expect_eq "…each checked once" "$(wc -l <"$T/checked" | tr -d ' ')" "$nini"
expect_eq "…and none of the analysis left out" \
    "$(cut -d' ' -f1 "$T/vals" | sort | comm -23 - "$(sort -u "$T/checked" >"$T/c2"; echo "$T/c2")" | tr '\n' ' ')" ""
done_testing
