#!/bin/sh
# Issue 15, the directions' content (docs/directions.md): every file of methods/directions
# parses and names the nine directions in the contract's order; every form(F.E) names a
# shipped form's element; a broken file is refused with its file and line; `msoko demo forms`
# fills every loaded form (submitted by the school, approved by the analyst, audited), a
# second run adds nothing; and after it every indicator of every direction has a municipal
# value for 2024 (the demo makes every procedure the formulas read: ВПР 11, РКР 10, МКР 11, the
# сочинение and the собеседование too; the gifted registry is filled from the olympiads) — the
# check lists the codes of any indicator without one.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 20 --years 2022-2024 --seed 3 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
# seed 001 п. 4.8: the gifted pupils of the year from its olympiads (as scripts/demo.sh)
"$M" registry fill-gifted --db "$db" --year 2024 >/dev/null
# the ШНОР forms are filled by the schools of the year's ШНОР list: the analysis comes first;
# 2023 before 2024, so that risk_left_share (the risk list of Y−1 against Y) has its Y−1
"$M" analyze --db "$db" --year 2023 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null

# the files themselves: sources exist, codes are unique, nine directions 1..9
python3 - "$MSOKO_ROOT" > "$T/static.txt" <<'PY'
import configparser, glob, os, re, sys
root = sys.argv[1]
def say(name, ok, why=""):
    print(("ok " if ok else "FAIL ") + name + (": " + why if why and not ok else ""))
def ini(path):
    c = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
    c.optionxform = str
    text = open(path, encoding="utf-8").read().replace("goal =", "goal_%d =")
    n = iter(range(10 ** 6))
    text = re.sub(r"goal_%d", lambda m: "goal_%d" % next(n), text)
    c.read_string(text)
    return c
forms = {}
for p in glob.glob(os.path.join(root, "methods/forms/*.ini")):
    c = ini(p)
    forms[c["form"]["code"]] = {s.split()[1] for s in c.sections() if s.startswith("element ")}
files = sorted(glob.glob(os.path.join(root, "methods/directions/*.ini")))
order = ["training", "shnor", "talents", "career", "objectivity", "heads", "methodical", "dpo",
         "upbringing"]
got, codes, missing, long_lines = [], [], [], []
for p in files:
    c = ini(p)
    got.append((int(c["direction"]["n"]), c["direction"]["code"]))
    for line in open(p, encoding="utf-8"):
        if len(line.encode()) >= 200:
            long_lines.append(os.path.basename(p))
    for s in c.sections():
        if not s.startswith("indicator "):
            continue
        codes.append(s.split()[1])
        for key in ("num", "den"):
            for f, e in re.findall(r"form\((\w+)\.(\w+)\)", c[s].get(key, "")):
                if e not in forms.get(f, ()):
                    missing.append("%s: form(%s.%s)" % (s, f, e))
say("nine files, n = 1..9 in the contract's order", sorted(got) == list(enumerate(order, 1)),
    str(sorted(got)))
say("indicator codes are unique", len(codes) == len(set(codes)))
say("every form(F.E) is an element of a shipped form", not missing, "; ".join(missing))
say("no line of 200 bytes or more (the INI reader's limit)", not long_lines, str(long_lines))
print("indicators %d" % len(codes))
PY
while read -r st name; do
    case "$st" in ok) ok "$name" ;; FAIL) not_ok "$name" ;; esac
done <<EOF2
$(grep -E '^(ok|FAIL) ' "$T/static.txt")
EOF2
nind=$(sed -n 's/^indicators //p' "$T/static.txt")

# a broken file is refused with its file and line, and nothing is stored
mkdir -p "$T/methods"
cp -r "$MSOKO_ROOT"/methods/* "$T/methods/"
sed -i 's/^num = list(shnor)$/num = lists(shnor)/' "$T/methods/directions/02-shnor.ini"
runs=$(dbsql "$db" "select count(*) from analysis_run")
MSOKO_METHODS="$T/methods" expect_exit 1 "a misspelt term is refused" \
    "$M" analyze --db "$db" --year 2024
expect_grep "the error names the file and its line" "02-shnor.ini:" "$T/err"
expect_eq "the refused analysis stored no run" "$(dbsql "$db" "select count(*) from analysis_run")" "$runs"

# the forms: every loaded form, every school it concerns; the school submits, the analyst approves
expect_ok "demo forms" "$M" demo forms --db "$db" --years 2023-2024
expect_grep "demo forms reports what it submitted" "сдано и утверждено" "$T/out"
subs=$(dbsql "$db" "select count(*) from submission where status = 'approved'")
expect_eq "every submission is approved" "$(dbsql "$db" "select count(*) from submission")" "$subs"
expect_eq "one audit row of approval per submission" \
    "$(dbsql "$db" "select count(*) from audit where action = 'form.approved'")" "$subs"
expect_eq "the school submitted it" \
    "$(dbsql "$db" "select count(*) from audit where action = 'form.submitted' and role = 'school'")" "$subs"
nforms=$(dbsql "$db" "select count(*) from form")
expect_eq "every loaded form has submissions" \
    "$(dbsql "$db" "select count(distinct form) from submission")" "$nforms"
expect_ok "a second run" "$M" demo forms --db "$db" --years 2023-2024
expect_grep "a second run adds nothing" "сдано и утверждено 0," "$T/out"
expect_ok "completeness of a year form" "$M" form completeness --db "$db" dir_training --period 2024
expect_grep "every school submitted dir_training" "не сдали 0" "$T/out"

# the nine directions with real numbers
expect_ok "analyze 2024 with the forms" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
python3 - "$T/a.json" "$nind" > "$T/check.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["directions"]
nind = int(sys.argv[2])
def say(name, ok, why=""):
    print(("ok " if ok else "FAIL ") + name + (": " + why if why and not ok else ""))
inds = [q for x in d for q in x["indicators"]]
say("nine directions", len(d) == 9)
say("every indicator of the files is computed (%d)" % nind, len(inds) == nind, str(len(inds)))
empty = [q["code"] for q in inds if q["value"] is None]
say("every indicator of the nine directions has a municipal value for 2024", not empty,
    "no value: " + ", ".join(empty))
# the procedures the demo makes for them, as the import stores them (issue 15 item 6)
vals = {q["code"]: q["value"] for q in inds}
for code, lo, hi in (("training_essay_pass", 96, 99.5), ("training_interview_pass", 97, 99.5),
                     ("training_vpr_soo", 85, 100), ("training_rkr_soo", 75, 100),
                     ("training_mkr_soo", 85, 100)):
    v = vals.get(code)
    say("%s is realistic (%g–%g %%)" % (code, lo, hi), v is not None and lo <= v <= hi, str(v))
say("no direction without data", all(x["status"] != "no_data" for x in d))
st = {x["status"] for x in d}
say("some directions on target, some below", st == {"on_target", "below"}, str(st))
sch = [q for q in inds if q["level"] == "school" and q["value"] is not None and q["target"] is not None]
say("schools outside the target are named", any(q["schools_outside"] for q in sch))
form_inds = [q for q in inds if "форма" in q["source"] and q["value"] is not None]
say("form-based indicators have values (%d)" % len(form_inds), len(form_inds) >= 40)
dyn = [q for q in inds if q["code"] == "heads_young_teachers"][0]["dynamics"]
say("a form indicator has its 2023 value too", dyn[-2]["value"] is not None, str(dyn))
PY
while read -r st name; do
    case "$st" in ok) ok "$name" ;; FAIL) not_ok "$name" ;; esac
done <<EOF2
$(grep -E '^(ok|FAIL) ' "$T/check.txt")
EOF2
# two formulas by hand from the tables: a form share and a graduates share (ratio of sums)
val() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["directions"]
print("%.4f" % [q for x in d for q in x["indicators"] if q["code"] == sys.argv[2]][0]["value"])' "$T/a.json" "$1"; }
want=$(dbsql "$db" "SELECT 100.0 * sum(y.value) / sum(t.value) FROM data_value y
    JOIN data_value t ON t.school_id = y.school_id AND t.period = y.period AND t.element = 'teachers_total'
    WHERE y.element = 'young_teachers' AND y.period = '2024'" | awk '{ printf "%.4f", $1 }')
expect_eq "heads_young_teachers = 100 × Σ young_teachers / Σ teachers_total" "$(val heads_young_teachers)" "$want"
want=$(dbsql "$db" "SELECT 100.0 * sum(CASE WHEN destination IN ('work', 'none') THEN 1 ELSE 0 END) / count(*)
    FROM graduate_outcome WHERE year = 2024 AND grade = 9" | awk '{ printf "%.4f", $1 }')
expect_eq "training_grads9_not_continuing = 100 × (work + none) / grade-9 graduates" \
    "$(val training_grads9_not_continuing)" "$want"
grep '^FAIL' "$T/static.txt" "$T/check.txt" | sed 's/^/# /'
done_testing
