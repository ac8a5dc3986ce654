#!/bin/sh
# The other acts' ШНОР definitions as presets (issue 19 item 5), end to end on the demo: the
# default shnor.ini still gives the planted low-result schools (no drift); a copy of methods/
# with methods/presets/shnor-000-vladikavkaz.ini as shnor.ini lists by seed 000 §6.5 (results
# under the section VII minimum in 2 of 3 years); with shnor-001-goryachy-klyuch.ini by seed 001
# (ВПР dynamics, ЕГЭ against the region's mean once a statistics file brings it, ever on a list
# of non-objective results); the reasons reach the list page and the evidence card.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
q() { dbsql "$db" "$1"; }
latest="(SELECT max(id) FROM analysis_run WHERE year = 2024)"
listed() { q "SELECT DISTINCT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.run_id = $latest ORDER BY s.code" | paste -sd, -; }
truth() { q "SELECT s.code FROM demo_truth t JOIN school s ON s.id = t.school_id WHERE t.what = '$1' ORDER BY s.code" | paste -sd, -; }
preset() { # a copy of methods/ whose shnor.ini is the preset $1
    rm -rf "$T/m"; cp -r "$MSOKO_ROOT/methods" "$T/m"; cp "$MSOKO_ROOT/methods/presets/$1" "$T/m/shnor.ini"; }

export MSOKO_METHODS="$MSOKO_ROOT/methods"
for y in 2022 2023; do "$M" analyze --db "$db" --year $y >/dev/null; done
expect_ok "analyze 2024 with the shipped shnor.ini" "$M" analyze --db "$db" --year 2024
expect_eq "no drift: ШНОР = the planted low-result schools" "$(listed)" "$(truth low_results)"
expect_ok "its справка" "$M" report --db "$db" --year 2024 --format html -o "$T/002.html"
if grep -q "Как определён перечень" "$T/002.html"; then not_ok "seed 002's справка gets no other rule's sentence"; else ok "seed 002's справка gets no other rule's sentence"; fi
expect_eq "…by seed 002's criteria" "$(q "SELECT count(*) FROM finding WHERE method = 'shnor' AND run_id = $latest AND verdict NOT IN ('A','B','AB')")" 0

# ---- seed 000 §6.5 ----
preset shnor-000-vladikavkaz.ini
expect_ok "analyze 2024 with seed 000's preset as shnor.ini" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/000.json"
check000() {
    python3 - "$T/000.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
for s in d["shnor"]:
    years = {l["year"] for l in s["low"]}
    if s["rule"] != "below_min" or len(years) < 2 or not years <= {2022, 2023, 2024}:
        bad.append(s["school"])
    for l in s["low"]:
        passed = l["participants"] - l["failed"]
        if not passed < l["min_share"] * l["participants"] or "ниже минимального значения показателя" not in l["text"]:
            bad.append(s["school"] + " " + l["text"])
print(len(d["shnor"]), "bad:", bad)
PY
}
# 11 on the demo since it writes РКР 10 and МКР 11 too (issue 15): three small schools fall under
# the 90 % of МКР 11 or the 70 % of РКР 10 in a second year (groups of 3 to 9 participants)
expect_eq "every school is under the minimum in ≥ 2 of 3 years, every item under its minimum" "$(check000)" "11 bad: []"
planted=$(truth low_results | tr ',' '\n')
missing=0; for s in $planted; do grep -q "\"school\": \"$s\"" "$T/000.json" || missing=$((missing + 1)); done
expect_eq "the planted low-result schools are among them" "$missing" 0
expect_eq "the findings are stored with the reason" "$(q "SELECT count(*) FROM finding WHERE method = 'shnor' AND run_id = $latest AND verdict = 'below_min'")" 11
sch=$(q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.run_id = $latest ORDER BY s.code LIMIT 1")
expect_ok "the list page" "$M" show --db "$db" --year 2024 list shnor
expect_grep "…labels the reason" "Ниже минимального значения показателей МСОКО" "$T/out"
expect_grep "…and gives the numbers" "ниже минимального значения показателя" "$T/out"
expect_ok "the справка (municipal HTML report)" "$M" report --db "$db" --year 2024 --format html -o "$T/000.html"
expect_grep "…lists the schools with the reason" "Результаты ниже минимального значения показателей МСОКО в" "$T/000.html"
expect_grep "…and says how the list was defined" "если не меньше чем в 2 из 3 последних лет доля участников с отметкой «3» и выше" "$T/000.html"

# ---- seed 001 ----
preset shnor-001-goryachy-klyuch.ini
expect_ok "analyze 2024 with seed 001's preset, before any region benchmark" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/001a.json"
expect_grep "a missing region mean is said, not guessed" "средний балл края не загружен — сравнение с ним не проведено" "$T/001a.json"
expect_eq "no ЕГЭ reason without it" "$(grep -c '"reason": "ege_region"' "$T/001a.json")" 0
# every school on our objectivity lists of 2022 and 2023 carries the reason «nonobj»
ever=$(q "SELECT DISTINCT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'objectivity' AND f.run_id IN ((SELECT max(id) FROM analysis_run WHERE year = 2022), (SELECT max(id) FROM analysis_run WHERE year = 2023)) ORDER BY s.code" | paste -sd, -)
nonobj=$(python3 -c 'import json,sys; print(",".join(s["school"] for s in json.load(open(sys.argv[1]))["shnor"] if "nonobj" in s["rule"].split(",")))' "$T/001a.json")
expect_eq "schools ever on the non-objectivity list have the reason" "$nonobj" "$ever"
[ -n "$ever" ] && ok "…and there are some ($ever)" || not_ok "no school on the earlier lists"
printf '%s\n' 'ЕГЭ 2024. Русский язык. 11 класс. Статистика по баллам' \
    'Группы участников;Кол-во участников;Ниже минимального;Средний балл' \
    'Вся выборка;650000;5000;68,4' 'Краснодарский край;30000;200;71,2' >"$T/ege-stat.csv"
expect_ok "a statistics file with the region's mean ЕГЭ score" "$M" import --db "$db" "$T/ege-stat.csv"
expect_eq "…is stored with the benchmark" "$(q "SELECT level || ':' || mean_score FROM benchmark ORDER BY level" | paste -sd' ' -)" "region:71.2 rf:68.4"
printf '%s\n' 'ЕГЭ 2024. Русский язык. 11 класс. Статистика по баллам' \
    'Группы участников;Кол-во участников;Средний балл' 'Краснодарский край;30000;много' >"$T/ege-bad.csv"
expect_exit 1 "a mean score that is not a number is refused" "$M" import --db "$db" "$T/ege-bad.csv"
expect_grep "…with a Russian message" "средний балл: ожидается число от 0 до 100, получено «много»" "$T/err"
expect_eq "…and the stored mean is unchanged" "$(q "SELECT mean_score FROM benchmark WHERE level = 'region'")" "71.2"
expect_ok "analyze 2024 again" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/001b.json"
# by hand: the schools whose mean ЕГЭ Russian score (first attempt, present, this year's
# graduates) is under 90 % of 71,2
want=$(q "SELECT s.code FROM result r JOIN procedure p ON p.id = r.procedure_id JOIN school s ON s.id = r.school_id WHERE p.year = 2024 AND p.kind = 'EGE' AND p.subject = 'rus' AND r.retake = 0 AND r.past_graduate = 0 AND r.absent = 0 AND r.test_score IS NOT NULL GROUP BY s.code HAVING avg(r.test_score) < 0.9 * 71.2 ORDER BY s.code" | paste -sd, -)
got=$(python3 -c 'import json,sys; print(",".join(s["school"] for s in json.load(open(sys.argv[1]))["shnor"] if "ege_region" in s["rule"].split(",")))' "$T/001b.json")
expect_eq "the ЕГЭ reason = the schools under 90 % of the region's mean, counted in SQL" "$got" "$want"
[ -n "$want" ] && ok "…and there are some ($want)" || not_ok "no school under the region's mean"
expect_grep "…each says its numbers" "среднего балла края (71,2), ниже порога 90 %" "$T/001b.json"
expect_grep "the profile mathematics still has no region row" "ЕГЭ, математика (профильная), 11 класс, 2024: средний балл края не загружен" "$T/001b.json"
sch=$(echo "$want" | cut -d, -f1)
expect_ok "the list page" "$M" show --db "$db" --year 2024 list shnor
expect_grep "…labels the reason" "ЕГЭ ниже среднего балла края" "$T/out"
# an external list of an early year counts too («хотя бы единожды»)
fresh=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l={s["school"] for s in d["shnor"]}; print(min(c for c in sys.argv[2].split() if c not in l))' "$T/001b.json" "$(q "SELECT code FROM school" | paste -sd' ' -)")
printf 'Год;Код ОО;Список;Основание\n2021;%s;Федеральный список;ВПР 2021\n' "$fresh" >"$T/lists.csv"
expect_ok "a federal list of 2021 imports" "$M" import --db "$db" "$T/lists.csv"
expect_ok "analyze 2024 with it" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db" --year 2024 --json
expect_eq "$fresh, on it once in 2021, is now listed for that reason" "$(python3 -c 'import json,sys; print([s["rule"] for s in json.load(open(sys.argv[1]))["shnor"] if s["school"] == sys.argv[2]])' "$T/out" "$fresh")" "['nonobj']"
expect_grep "…and the reason names the list and the year" "2021: школа вошла в список школ, показавших необъективные результаты (федеральный список)" "$T/out"
cp "$T/out" "$T/001b.json"
expect_ok "the same preset through --methods" "$M" analyze --db "$db" --year 2024 --methods "$MSOKO_ROOT/methods/presets/shnor-001-goryachy-klyuch.ini" --json
expect_eq "…gives the same list" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["shnor"]))' "$T/out")" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["shnor"]))' "$T/001b.json")"
# a municipality with nothing before the year: no list to consult, and the reason says so
db2=$(newdb fresh)
"$M" init --db "$db2" >/dev/null
"$M" demo --db "$db2" --schools 12 --years 2023-2024 --seed 2 >/dev/null
expect_ok "seed 001's preset on a fresh database" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db2" --year 2024 --json
if [ "$(grep -c '"school"' "$T/out")" -gt 0 ]; then
    expect_grep "…says no list of non-objective results was there to check" "не загружены и не составлялись — этот показатель не проверен" "$T/out"
else
    ok "…lists nobody (nothing to say)"
fi
expect_eq "…and no school has the reason" "$(grep -c '"nonobj,\|,nonobj"\|"rule": "nonobj"' "$T/out")" 0
printf '[shnor]\nrule = region_dynamics\nvpr_rise = много\n' >"$T/shnor-bad.ini"
expect_exit 1 "a malformed preset setting" "$M" analyze --db "$db" --year 2024 --methods "$T/shnor-bad.ini"
expect_grep "…is named with its file" "shnor-bad.ini" "$T/err"
expect_ok "the справка (municipal HTML report)" "$M" report --db "$db" --year 2024 --format html -o "$T/001.html"
expect_grep "…gives the ЕГЭ reason with its numbers" "среднего балла края (71,2), ниже порога 90 %" "$T/001.html"

# ---- the evidence card on the web: the same sentences ----
if command -v curl >/dev/null; then
    "$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
    "$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
    pid=$!
    U=""
    for i in $(seq 1 100); do
        U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
        [ -n "$U" ] && break
        sleep 0.1
    done
    [ -n "$U" ] && ok "serve listens" || not_ok "serve did not start"
    j="$T/a.jar"; : >"$j"
    curl -s -o "$T/body" -b "$j" -c "$j" "$U/login"
    csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    curl -s -o /dev/null -b "$j" -c "$j" --data-urlencode "csrf=$csrf" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" "$U/login"
    curl -s -o "$T/card.html" -b "$j" "$U/schools/$sch/flags/shnor?year=2024"
    expect_grep "the card of $sch gives the ЕГЭ sentence" "среднего балла края (71,2), ниже порога 90 %" "$T/card.html"
    expect_grep "…and the reason's label" "ЕГЭ ниже среднего балла края" "$T/card.html"
    expect_grep "…its ЕГЭ row says what the value is" "средний балл школы к среднему баллу края" "$T/card.html"
    cp "$T/card.html" /tmp/presets-card.html
    expect_grep "…and the rule of seed 001, not seed 002's" "если выполнено не меньше 1 из показателей: доля «2» на ВПР выросла за год не меньше чем на 10 п. п." "$T/card.html"
    curl -s -o "$T/list.html" -b "$j" "$U/lists/shnor?year=2024"
    expect_grep "the list page gives the sentences" "Выполнено показателей ШНОР" "$T/list.html"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
fi
# ---- the threshold a municipality sets is the one drawn (cards, the dashboard's chart) ----
rm -rf "$T/m"; cp -r "$MSOKO_ROOT/methods" "$T/m"
sed -i 's/^low_share = .*/low_share = 0,25/' "$T/m/shnor.ini"
expect_ok "analyze 2024 with low_share = 0,25" env MSOKO_METHODS="$T/m" "$M" analyze --db "$db" --year 2024 --json
expect_eq "…each low procedure carries the threshold it was judged by" "$(jq '[.shnor[].low[].threshold] | unique' "$T/out" | tr -d ' \n')" "[0.25]"
expect_ok "the dashboard's view" "$M" show --db "$db" --year 2024 dashboard
expect_eq "…its chart draws 25 %, not the act's 30 %" "$(jq '.schools_share2.threshold' "$T/out")" 0.25
done_testing
