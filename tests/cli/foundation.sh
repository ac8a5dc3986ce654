#!/bin/sh
# init → demo → stats on a fresh file; every command on a missing, read-only or non-msoko file
# ends with one clear message and exit 1; bad usage exits 2.
. "$(dirname "$0")/tap.inc"

db=$(newdb demo)
expect_ok "init creates a database" "$M" init --db "$db"
expect_grep "init says what it made" "Создана база данных" "$T/out"
expect_ok "init again is safe" "$M" init --db "$db"
expect_eq "init loads subjects" "$(stat_rows "$db" subject)" 21
# 40 since ВПР 11 (история, биология, география, физика, химия) has default scales (issue 15 demo)
expect_eq "init loads default scales" "$(stat_rows "$db" scale)" 40
expect_ok "demo fills the municipality" "$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 7
expect_grep "demo reports what it made" "Демо-муниципалитет создан" "$T/out"
expect_eq "demo makes 30 schools" "$(stat_rows "$db" school)" 30
res=$(stat_rows "$db" result)
[ "${res:-0}" -gt 10000 ] && ok "demo makes per-pupil results ($res)" || not_ok "demo results: $res"
for t in procedure procedure_task result_aggregate data_value olympiad_result olympiad_team \
         graduate_outcome demo_truth; do
    n=$(stat_rows "$db" $t)
    [ "${n:-0}" -gt 0 ] && ok "demo fills $t ($n)" || not_ok "demo leaves $t empty"
done
expect_exit 1 "demo refuses a database that already has schools" "$M" demo --db "$db"
expect_grep "refusal explains" "уже содержит школы" "$T/err"
expect_eq "refusal changed nothing" "$(stat_rows "$db" school)" 30

# the same seed gives the same data
a=$(newdb a) b=$(newdb b)
"$M" init --db "$a" >/dev/null && "$M" demo --db "$a" --schools 5 --seed 3 >/dev/null
"$M" init --db "$b" >/dev/null && "$M" demo --db "$b" --schools 5 --seed 3 >/dev/null
expect_eq "demo is deterministic" "$("$M" stats --db "$a" | md5sum)" "$("$M" stats --db "$b" | md5sum)"

# wrong files, for every command that opens a database (SQLite files whatever the store under
# test: a file is what a wrong --db names)
echo "Код ОО;Класс" >"$T/text.db"
sqlite3 "$T/other.db" "CREATE TABLE x(a)" 2>/dev/null || printf 'SQLite format 3\000' >"$T/other.db"
for cmd in stats demo; do
    expect_exit 1 "$cmd on a missing file" "$M" $cmd --db "$T/missing.db"
    expect_grep "$cmd names the missing file and the fix" "msoko init --db $T/missing.db" "$T/err"
    expect_exit 1 "$cmd on a text file" "$M" $cmd --db "$T/text.db"
    expect_grep "$cmd says it is not an msoko database" "не является базой данных msoko" "$T/err"
    expect_exit 1 "$cmd on a foreign SQLite file" "$M" $cmd --db "$T/other.db"
    lines=$(wc -l <"$T/err")
    expect_eq "$cmd prints exactly one line" "$lines" 1
done
expect_exit 1 "init on a text file" "$M" init --db "$T/text.db"
expect_exit 1 "init on a foreign SQLite file" "$M" init --db "$T/other.db"
expect_exit 1 "init on a directory" "$M" init --db "$T"
# a read-only copy of the database file: file permissions are SQLite's (a server has roles)
if [ "${MSOKO_TEST_STORE:-sqlite}" = sqlite ]; then
    cp "$db" "$T/ro.db" && chmod 444 "$T/ro.db"
    expect_exit 1 "demo on a read-only file" "$M" demo --db "$T/ro.db"
    expect_grep "read-only is explained" "нет прав на запись" "$T/err"
    expect_ok "stats works on a read-only file" "$M" stats --db "$T/ro.db"
fi
empty=$(newdb empty)
"$M" init --db "$empty" >/dev/null
expect_exit 2 "demo needs schools=1..10000" "$M" demo --db "$empty" --schools 0
expect_exit 2 "bad --schools is a usage error" "$M" demo --db "$empty" --schools abc
expect_exit 2 "bad --years is a usage error" "$M" demo --db "$empty" --years 2024-2021
expect_exit 2 "unknown option is a usage error" "$M" stats --db "$db" --frobnicate
expect_grep "unknown option is named" "--frobnicate" "$T/err"
expect_exit 2 "unknown command is a usage error" "$M" frobnicate
expect_exit 2 "no command is a usage error" "$M"
for cmd in init demo stats; do
    expect_ok "$cmd --help" "$M" $cmd --help
    expect_grep "$cmd --help is Russian" "Использование: msoko $cmd" "$T/out"
done
MSOKO_DB="$db" expect_ok "MSOKO_DB is the default database" "$M" stats
done_testing
