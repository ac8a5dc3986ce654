#!/bin/sh
# One table per concept, seen from outside (issue 13): the import templates of
# src/ingest/template.c in msoko import --help, --kind, the web's list of templates and undo of
# every template; the vocabulary of src/base/vocab.c in msoko plan --help, plan statuses read
# from a file and from the command line, and the procedure kinds a refusal lists.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb t)
E="$MSOKO_ROOT/examples"
"$M" init --db "$db" >/dev/null

# ---- templates in the CLI ----
expect_ok "import --help" "$M" import --help
for row in "schools           Школы" "results           Результаты" \
           "aggregates        Сводные результаты" "context           Контекстные данные" \
           "olympiads         Олимпиады" "graduates         Выпускники" \
           "plan              План мероприятий"; do
    expect_grep "…lists «$row»" "  $row" "$T/out"
done
if grep -q recheck "$T/out"; then not_ok "…not the re-check template"; else ok "…not the re-check template"; fi
expect_ok "help import prints the same" "$M" help import
expect_grep "…with the templates" "Шаблоны (--kind):" "$T/out"
expect_exit 2 "--kind recheck is refused by import" "$M" import --db "$db" --kind recheck "$E/schools.csv"
expect_grep "…listing the templates it takes" \
    "неизвестный шаблон «recheck» (schools, results, aggregates, context, olympiads, graduates, plan, scales, lists, contests)" "$T/err"
expect_exit 2 "--procedure of no kind is refused" "$M" import --db "$db" --procedure ЕГЭ-2 "$E/schools.csv"
expect_grep "…listing every kind by its name" "(ВПР, ОГЭ, ЕГЭ, ГВЭ-9, ГВЭ-11, РКР, МКР, НИКО, Диагностическая работа, Итоговое сочинение, Итоговое собеседование, ВсОШ, Пробный ОГЭ, Пробный ЕГЭ, Метапредметная диагностика, Диагностика готовности к обучению в школе)" "$T/err"

# ---- every template loads and undoes through its row ----
checksum0=$("$M" stats --db "$db" --checksum)
n=0
for f in schools results-vpr-math5-2024 aggregates-rkr-math7-2024 context-long-2024 \
         olympiads-2024 olympiad-teams-2024 graduates-2024 plan-quality-2024; do
    expect_ok "import $f (template recognised by its header)" "$M" import --db "$db" "$E/$f.csv"
    n=$((n + 1))
done
for t in school result result_aggregate data_value olympiad_result olympiad_team graduate_outcome plan_item; do
    [ "$(stat_rows "$db" "$t")" -gt 0 ] && ok "…$t has rows" || not_ok "…$t has rows"
done
while [ "$n" -gt 0 ]; do
    expect_ok "undo batch $n" "$M" import --db "$db" --undo "$n"
    n=$((n - 1))
done
for t in school result result_aggregate data_value olympiad_result olympiad_team graduate_outcome plan_item; do
    expect_eq "…$t is empty again" "$(stat_rows "$db" "$t")" 0
done
if [ "$("$M" stats --db "$db" --checksum)" != "$checksum0" ]; then ok "…the batches stay listed as undone"; else not_ok "…the batches stay listed as undone"; fi
expect_ok "import --list" "$M" import --db "$db" --list
expect_eq "…every batch undone" "$(grep -c 'отменена$' "$T/out")" 8

# ---- plan statuses from the vocabulary ----
expect_ok "plan --help" "$M" plan --help
for row in "planned         запланировано" "in_progress     выполняется" "done            выполнено" \
           "overdue         просрочено" "cancelled       отменено"; do
    expect_grep "…lists «$row»" "  $row" "$T/out"
done
printf 'Мероприятие;Статус\nСовещание;Выполнено\nСеминар;в работе\nОтчёт;CANCELLED\nПроверка;\n' >"$T/plan.csv"
expect_ok "a plan with statuses by name, code and synonym" "$M" import --db "$db" --kind plan "$T/plan.csv"
expect_ok "plan list" "$M" plan list --db "$db"
for w in "Совещание:выполнено" "Семинар:выполняется" "Отчёт:отменено" "Проверка:запланировано"; do
    item=${w%%:*}; label=${w#*:}
    if grep -F "$item" "$T/out" | grep -qF "$label"; then ok "…$item: $label"; else
        not_ok "…$item: $label"; sed 's/^/#   /' "$T/out" | head -10; fi
done
printf 'Мероприятие;Статус\nСовещание;чемпион\n' >"$T/plan-bad.csv"
expect_exit 1 "an unknown status in a file is refused" "$M" import --db "$db" --kind plan "$T/plan-bad.csv"
expect_grep "…naming the statuses" "статус: неизвестное значение «чемпион» (допустимы: запланировано, выполняется, выполнено, просрочено, отменено)" "$T/err"
id=$("$M" plan list --db "$db" --json | jq -r '.[] | select(.text == "Проверка") | .id' 2>/dev/null)
[ -n "$id" ] || id=$("$M" plan list --db "$db" | awk '/Проверка/ { print $1; exit }')
expect_ok "set-status by the Russian name" "$M" plan set-status --db "$db" "$id" выполнено --user t
expect_ok "plan show" "$M" plan show --db "$db" "$id"
expect_grep "…shows it" "Статус: выполнено" "$T/out"
expect_exit 2 "set-status: unknown status" "$M" plan set-status --db "$db" "$id" чемпион --user t
expect_grep "…lists code and name of each" "planned (запланировано), in_progress (выполняется), done (выполнено), overdue (просрочено), cancelled (отменено)" "$T/err"

# ---- templates on the web ----
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
jar="$T/ann.jar"
curl -s -o "$T/body" -c "$jar" "$U/login"
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$tok" --data-urlencode "login=ann" \
    --data-urlencode "password=ann-pass-12" "$U/login"
expect_eq "the imports page" "$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" "$U/imports")" 200
for opt in '<option value="">Определить по заголовкам</option>' '<option value="schools">Школы</option>' \
           '<option value="results">Результаты</option>' '<option value="aggregates">Сводные результаты</option>' \
           '<option value="context">Контекстные данные</option>' '<option value="olympiads">Олимпиады</option>' \
           '<option value="graduates">Выпускники</option>' '<option value="plan">План мероприятий</option>'; do
    expect_grep "…offers $opt" "$opt" "$T/body"
done
if grep -q 'value="recheck"' "$T/body"; then not_ok "…not the re-check template"; else ok "…not the re-check template"; fi
tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
expect_eq "a web import of kind recheck is refused" \
    "$(curl -s -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" -F "csrf=$tok" -F "kind=recheck" -F "file=@$E/schools.csv" "$U/imports")" 422
expect_grep "…naming the template" "Неизвестный шаблон «recheck»" "$T/body"
kill -TERM "$pid"
wait "$pid"
done_testing
