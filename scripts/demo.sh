#!/bin/sh
# make demo: a demo municipality in demo.db, run through the steps that exist so far.
# Re-runnable: demo.db is made anew each time.
set -eu
cd "$(dirname "$0")/.."
M=build/msoko
rm -f demo.db demo.db-wal demo.db-shm
$M init --db demo.db
$M demo --db demo.db --schools 30 --years 2021-2024 --seed 1
# the roadmap arrives the way a department's own file would: through import
$M import --db demo.db --kind plan --year 2024 --roadmap "План повышения качества 2024" \
    examples/plan-quality-2024.csv
# the seeds' roadmaps (methods/roadmaps/): objectivity (seed 004) and failure prevention (seed 002)
$M import --db demo.db --kind plan --year 2024 methods/roadmaps/004-izobilny-objectivity.csv \
    methods/roadmaps/002-norilsk-neuspeshnost.csv
# the seeds' monitoring forms (methods/forms/): schools fill them, the analyst approves
$M form load --db demo.db methods/forms/*.ini
# seed 001 п. 4.8: the gifted pupils of each year from its olympiads (unconfirmed rows)
for y in 2021 2022 2023 2024; do $M registry fill-gifted --db demo.db --year $y; done
# every school fills every form for 2022–2024 (the ШНОР forms: the schools of each year's
# ШНОР list, so the lists come first); the nine directions read them (docs/directions.md)
for y in 2022 2023 2024; do $M analyze --db demo.db --year $y >/dev/null; done
$M demo forms --db demo.db --years 2022-2024
$M stats --db demo.db
echo
# the years before again, now with the forms filled (their directions' values), so the report
# can say who moved in or out of each list
for y in 2022 2023; do $M analyze --db demo.db --year $y >/dev/null; done
# the management cycle: after the 2023 analysis the department issued an order for its ШНОР
# schools; the 2024 analysis below shows what moved for them (msoko decision, docs/decisions.md):
# the generator plants one of them recovering in 2024 (demo_truth shnor_recovered), the others stay
set -- $($M show --db demo.db --year 2023 list shnor | jq -r '.items[].school.code' | sed 's/^/--school /')
$M decision add --db demo.db --year 2023 --kind приказ --number 112-о --date 15.09.2023 \
    --text "Об организации адресной методической помощи школам с низкими образовательными результатами" \
    --list shnor --direction shnor --responsible "Методический кабинет" --due 31.05.2024 "$@"
# the year's analysis: ШНОР, risk zone, rating, monitoring indicators (methods/*.ini)
$M analyze --db demo.db --year 2024
echo
# the analytical report (docs/report.md)
$M report --db demo.db --year 2024 --format pdf -o demo-report.pdf
$M report --db demo.db --year 2024 --format xlsx -o demo-report.xlsx
$M report --db demo.db --year 2024 --format docx -o demo-report.docx
# the annual доклад о состоянии системы образования (seed 001 п. 1.20), for editing in Word
$M report --db demo.db --year 2024 --kind doklad --format docx -o demo-doklad.docx
echo
echo "Готово: demo.db — демо-муниципалитет из 30 школ за 2021–2024 годы."
echo
# the web application: an administrator with a generated password, then the server (Ctrl+C stops)
echo "Вход в веб-приложение: имя admin"
$M user add admin --role admin --db demo.db | sed -n 's/^Пароль: /пароль: /p'
listen=${MSOKO_LISTEN:-127.0.0.1:8080}
echo "Откройте http://$listen (остановить сервер — Ctrl+C); девять направлений МСОКО — http://$listen/directions?year=2024."
exec $M serve --db demo.db --listen "$listen"
