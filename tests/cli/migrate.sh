#!/bin/sh
# msoko migrate (issue 17 item 4, docs/migrate.md): two demo municipalities (different seeds and
# school numbers, forms filled) moved into one new file — every table's rows are the sums; a
# second run moves nothing and leaves the target as it was; after an import into A a run moves
# exactly the rows the import added; the analysis of a target that received only A equals A's
# own, finding by finding; a source that is not an msoko file, of another schema version, or with
# a broken reference is refused with a Russian message and the target stays as it was.
. "$(dirname "$0")/tap.inc"
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-09-01T10:00:00Z
a="$T/a.db" b="$T/b.db" t="$T/region.db" t1="$T/only-a.db"
sum() { "$M" stats --db "$1" --checksum; }
counts() { "$M" stats --db "$1" | awk 'NR > 1 { print $1, $2 }' | sort; }
# rows of table $2 in the stats dump $1
rows() { awk -v t="$2" '$1 == t { print $2 }' "$1"; }

for x in "a 1 1" "b 2 31"; do
    set -- $x
    db="$T/$1.db"
    "$M" init --db "$db" >/dev/null
    expect_ok "demo $1 (seed $2, schools from $3)" "$M" demo --db "$db" --seed "$2" --first-school "$3"
    "$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
    expect_ok "demo forms $1" "$M" demo forms --db "$db" --years 2024 --seed "$2"
done
counts "$a" >"$T/a0"; counts "$b" >"$T/b0"
sa=$(sum "$a")

expect_ok "migrate A into a new file" "$M" migrate --from "$a" --to "$t"
expect_grep "the table of what moved names the schools" "школы" "$T/out"
expect_eq "A's results, all moved" "$(awk '$1 == "результаты" && $2 == "участников" { print $3, $4 }' "$T/out")" \
    "$(rows "$T/a0" result) 0"
expect_ok "migrate B into the same file" "$M" migrate --from "$b" --to "$t"
expect_eq "the source is only read" "$(sum "$a")" "$sa"
counts "$t" >"$T/t0"
for tb in school result olympiad_result olympiad_team graduate_outcome result_aggregate data_value \
    registry_row contest demo_truth submission submission_value value_history; do
    expect_eq "$tb: the target has A's and B's rows" "$(rows "$T/t0" "$tb")" \
        "$(($(rows "$T/a0" "$tb") + $(rows "$T/b0" "$tb")))"
done
# shared by both: the procedures, forms and reference rows of the same names are one row each
for tb in procedure form data_element proc_kind subject; do
    expect_eq "$tb: shared, not doubled" "$(rows "$T/t0" "$tb")" "$(rows "$T/a0" "$tb")"
done
expect_eq "audit: both files' journals and one row per move" "$(rows "$T/t0" audit)" \
    "$(($(rows "$T/a0" audit) + $(rows "$T/b0" audit) + 2))"
expect_eq "the move's audit row says what moved" \
    "$(sqlite3 "$t" "SELECT count(*) FROM audit WHERE action = 'migrate' AND object LIKE
        'перенос базы $a: %школы 30%результаты участников $(rows "$T/a0" result)%'")" 1
expect_eq "every move recorded for the rows without a natural key" \
    "$(sqlite3 "$t" "SELECT count(DISTINCT source) || ' ' || count(*) FROM moved_row
        WHERE tbl = 'audit'")" "2 $(($(rows "$T/a0" audit) + $(rows "$T/b0" audit)))"

cs=$(sum "$t")
expect_ok "a second run of A" "$M" migrate --from "$a" --to "$t"
expect_grep "moves nothing" "Итого: перенесено строк 0," "$T/out"
expect_eq "and leaves the target as it was" "$(sum "$t")" "$cs"

# an import into A: the next run moves only what it added
expect_ok "import into A" "$M" import --db "$a" "$MSOKO_ROOT/examples/schools.csv" \
    "$MSOKO_ROOT/examples/results-vpr-math5-2024.csv"
counts "$a" >"$T/a1"
expect_ok "a run after the import" "$M" migrate --from "$a" --to "$t"
counts "$t" >"$T/t1"
added=0
for tb in $(awk '{ print $1 }' "$T/a1"); do
    case $tb in meta | session | model_snapshot | model_stamp | moved_row) continue ;; esac
    da=$(($(rows "$T/a1" "$tb") - $(rows "$T/a0" "$tb")))
    dt=$(($(rows "$T/t1" "$tb") - $(rows "$T/t0" "$tb")))
    [ "$tb" = audit ] && dt=$((dt - 1))
    added=$((added + da))
    expect_eq "$tb: the run moved the rows the import added ($da)" "$dt" "$da"
done
expect_grep "and says so" "Итого: перенесено строк $added," "$T/out"
expect_eq "the import added schools and results ($added rows in all)" \
    "$([ $(($(rows "$T/a1" school) - $(rows "$T/a0" school))) -gt 0 ] &&
        [ $(($(rows "$T/a1" result) - $(rows "$T/a0" result))) -gt 0 ] && echo yes)" yes

# the analysis of a file that received only A is A's, finding by finding
expect_ok "migrate A alone" "$M" migrate --from "$a" --to "$t1"
"$M" analyze --db "$a" --year 2024 --json | jq -S . >"$T/an-a.json"
"$M" analyze --db "$t1" --year 2024 --json | jq -S . >"$T/an-t.json"
expect_eq "analyze 2024 on A has findings" "$(jq '.shnor | length' "$T/an-a.json" | grep -c '^[1-9]')" 1
if cmp -s "$T/an-a.json" "$T/an-t.json"; then ok "analyze 2024: the target's equals A's"; else
    not_ok "analyze 2024: the target's differs from A's"; diff "$T/an-a.json" "$T/an-t.json" | head -20 | sed 's/^/#   /'; fi
expect_eq "the stored findings match too (method, school, verdict)" \
    "$(sqlite3 "$t1" "SELECT f.method, s.code, f.verdict, f.evidence FROM finding f JOIN school s
        ON s.id = f.school_id ORDER BY 1, 2, 3" | md5sum)" \
    "$(sqlite3 "$a" "SELECT f.method, s.code, f.verdict, f.evidence FROM finding f JOIN school s
        ON s.id = f.school_id ORDER BY 1, 2, 3" | md5sum)"

# broken sources: refused, the target as it was
cs=$(sum "$t") cs1=$(sum "$t1")
printf 'не база\n' >"$T/text.db"
expect_exit 1 "a text file is refused" "$M" migrate --from "$T/text.db" --to "$t"
expect_grep "not an msoko file" "не является базой данных msoko" "$T/err"
cp "$b" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 99"
expect_exit 1 "a file of a newer schema is refused" "$M" migrate --from "$T/newer.db" --to "$t"
expect_grep "newer msoko" "создана более новой версией msoko" "$T/err"
cp "$b" "$T/older.db"
v=$(sqlite3 "$b" "PRAGMA user_version")
sqlite3 "$T/older.db" "PRAGMA user_version = $((v - 1))"
expect_exit 1 "a file of an older schema is refused" "$M" migrate --from "$T/older.db" --to "$t"
expect_grep "open it once with this msoko" "откройте его один раз этой версией msoko" "$T/err"
cp "$b" "$T/dangling.db"
sqlite3 "$T/dangling.db" "INSERT INTO school(code, name, type, locality) VALUES('sch777777',
    'Новая', 'sosh', 'urban'); INSERT INTO result(id, procedure_id, school_id, pupil_code)
    VALUES(9999999, 1, 123456, 'p1')"
expect_exit 1 "a broken reference stops the move" "$M" migrate --from "$T/dangling.db" --to "$t"
expect_grep "naming the table, the row and the column" \
    "таблица «result», строка id=9999999: столбец school_id ссылается на строку id=123456 таблицы «school»" "$T/err"
expect_eq "the target is as it was (not even the new school)" "$(sum "$t")" "$cs"
cp "$b" "$T/unchecked.db"
sqlite3 "$T/unchecked.db" "PRAGMA ignore_check_constraints = ON; UPDATE olympiad_result
    SET status = 'чемпион' WHERE id = (SELECT max(id) FROM olympiad_result) - 5"
bad=$(sqlite3 "$T/unchecked.db" "SELECT max(id) - 5 FROM olympiad_result")
expect_exit 1 "a row the target's CHECK refuses stops the move" "$M" migrate --from "$T/unchecked.db" --to "$t1"
expect_grep "naming the row, in Russian" "таблица «olympiad_result», строка id=$bad: недопустимое значение" "$T/err"
expect_eq "the target is as it was" "$(sum "$t1")" "$cs1"
expect_exit 1 "a failed move into a new file" "$M" migrate --from "$T/dangling.db" --to "$T/new.db"
expect_eq "leaves no file behind" "$(ls "$T" | grep -c '^new\.db')" 0
expect_exit 2 "--to is required" "$M" migrate --from "$a"
expect_exit 1 "a file into itself is refused" "$M" migrate --from "$a" --to "$a"
expect_grep "the same database" "одна и та же база" "$T/err"
done_testing
