#!/bin/sh
# The model snapshot end to end (docs/performance.md): after every change of the data behind it
# — an import, its undo, a form approved, a crash while the snapshot was being rewritten — the
# next `msoko analyze` reads a snapshot made from the data as it is now and its findings equal,
# finding by finding, those of the model built from the rows (--no-snapshot). A snapshot
# tampered with under a current stamp does change the findings: the snapshot is what is read.
# kill -9 in the middle of rewriting the snapshot leaves the data and the old snapshot (or none).
. "$(dirname "$0")/tap.inc"
db=$(newdb s)
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 >/dev/null
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-10T08:00:00Z USER=analyst
current_stamp() { q "SELECT n FROM model_stamp"; }
snap_stamps() { q "SELECT DISTINCT stamp FROM model_snapshot ORDER BY stamp" | paste -sd, -; }

# same NAME: analysis from the snapshot (rebuilt if stale) = analysis from the rows
same() {
    "$M" analyze --db "$db" --year 2024 --json >"$T/snap.json" 2>"$T/err" || not_ok "$1: analyze failed"
    expect_eq "$1: the snapshot is current after the analysis" "$(snap_stamps)" "$(current_stamp)"
    "$M" analyze --db "$db" --year 2024 --json --no-snapshot >"$T/rows.json" 2>>"$T/err"
    if cmp -s "$T/snap.json" "$T/rows.json"; then ok "$1: findings from the snapshot = from the rows"
    else not_ok "$1: findings differ"; diff "$T/snap.json" "$T/rows.json" | head -10 | sed 's/^/#   /'; fi
}
# stale NAME: the data changed behind the snapshot
stale() {
    s=$(snap_stamps)
    [ -n "$s" ] && [ "$s" != "$(current_stamp)" ] && ok "$1: the snapshot is stale" ||
        not_ok "$1: snapshot stamp «$s», data stamp $(current_stamp)"
}
shnor() { jq -r '[.shnor[].school] | join(",")' "$T/snap.json"; }

same "first analysis"
first=$(cat "$T/snap.json")
expect_eq "…a snapshot of four years and the shared columns" "$(q "SELECT DISTINCT year FROM model_snapshot ORDER BY year" | paste -sd, -)" "0,2021,2022,2023,2024"
expect_eq "…an analysis run does not make it stale" "$(snap_stamps)" "$(current_stamp)"

# the snapshot is what is read: zero the 2024 cells under the current stamp
# (no spelling of "these bytes zeroed" both engines accept)
if [ "$MSOKO_TEST_STORE" = postgres ]; then
    q "UPDATE model_snapshot SET data = substring(data from 1 for 24) || decode(repeat('00', length(data) - 24), 'hex') WHERE year = 2024 AND col = 'cells'"
else
    q "UPDATE model_snapshot SET data = substr(data, 1, 24) || zeroblob(length(data) - 24) WHERE year = 2024 AND col = 'cells'"
fi
"$M" analyze --db "$db" --year 2024 --json >"$T/poisoned.json"
cmp -s "$T/poisoned.json" "$T/rows.json" && not_ok "a tampered snapshot changes nothing: it is not read" ||
    ok "a snapshot tampered with under a current stamp changes the findings: it is read"
q "UPDATE model_stamp SET n = n + 1"
same "after the stamp moved"

# import: two schools' ВПР math and Russian of grade 5 in 2024 replaced by all «2» (two low
# procedures of the year: ШНОР by rule A)
{
    echo "Год;Вид процедуры;Предмет;Параллель;Код ОО;Класс;Код участника;Первичный балл;Отметка"
    q "SELECT 2024, 'ВПР', CASE p.subject WHEN 'math' THEN 'Математика'
      ELSE 'Русский язык' END, 5, s.code, '5А', 'n' || r.pupil_code, 0, 2
      FROM result r JOIN procedure p ON p.id = r.procedure_id JOIN school s ON s.id = r.school_id
      WHERE p.year = 2024 AND p.kind = 'VPR' AND p.subject IN ('math', 'rus') AND p.grade = 5
        AND s.code IN ('sch000004', 'sch000005') AND r.retake = 0" | tr '|' ';'
} >"$T/r.csv"
expect_ok "import results" "$M" import --db "$db" --kind results "$T/r.csv"
stale "import"
same "import"
after_import=$(shnor)
case ",$after_import," in *,sch000004,*) ok "…the import shows: sch000004 is ШНОР now";; *) not_ok "sch000004 not in ШНОР after the import: $after_import";; esac

expect_ok "undo the import" "$M" import --db "$db" --undo "$(q "SELECT max(id) FROM import_batch")"
stale "undo"
same "undo"
case ",$(shnor)," in *,sch000004,*) not_ok "sch000004 still ШНОР after the undo";; *) ok "…the undo shows: sch000004 is not ШНОР";; esac

# a form approved: the school's context values change
expect_ok "load the risk-context form" "$M" form load --db "$db" "$MSOKO_ROOT/methods/forms/risk-context.ini"
sc=sch000010
vals=$(q "SELECT element || '=' || CAST(value AS INTEGER) FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = '$sc' AND period = '2024' AND element IN (SELECT element FROM form_element WHERE form = 'risk_context')" | paste -sd' ' -)
# shellcheck disable=SC2086
expect_ok "fill it with no internet" "$M" form fill --db "$db" risk_context --school $sc --period 2024 $vals internet=нет
expect_ok "…submit" "$M" form submit --db "$db" risk_context --school $sc --period 2024
s_before=$(current_stamp)
expect_ok "…approve" "$M" form approve --db "$db" risk_context --school $sc --period 2024
[ "$(current_stamp)" != "$s_before" ] && ok "approval moves the data stamp" || not_ok "approval left the stamp"
stale "form approval"
same "form approval"

# a monthly form the directions read (form(attendance.…), school year 2024: October 2023 and
# February 2024): while a month waits for approval the directions read the store, once both
# are approved they read the form values of the snapshot — the same value either way
expect_ok "load the attendance form" "$M" form load --db "$db" "$MSOKO_ROOT/methods/forms/attendance-monthly.ini"
sc2=sch000011
for pm in 2023-10:7 2024-02:3; do
    expect_ok "fill attendance ${pm%:*}" "$M" form fill --db "$db" attendance --school $sc2 --period "${pm%:*}" \
        att_pupils=100 att_absent_all_month=0 att_absent_unexcused="${pm#*:}" att_lessons_total=50 att_lessons_unexcused=5
    expect_ok "…submit" "$M" form submit --db "$db" attendance --school $sc2 --period "${pm%:*}"
done
unexcused() { jq -r ".directions[].indicators[] | select(.code == \"shnor_unexcused_absence\") | .schools.$sc2" "$T/snap.json"; }
expect_ok "…approve October" "$M" form approve --db "$db" attendance --school $sc2 --period 2023-10
stale "one month approved"
same "one month approved"
expect_eq "…the direction's value: (7 + 3) / (100 + 100), one month read as submitted" "$(unexcused)" 5
expect_ok "…approve February" "$M" form approve --db "$db" attendance --school $sc2 --period 2024-02
stale "both months approved"
same "both months approved"
expect_eq "…the same value from the snapshot's form values" "$(unexcused)" 5
expect_ok "…the snapshot holds the school year's sum" test "$(q "SELECT count(*) FROM model_snapshot WHERE col = 'form_values' AND year = 2024 AND length(data) > 24")" = 1

# a crash while the snapshot is rewritten: data changed, then kill -9 after 10 columns written
expect_ok "import again" "$M" import --db "$db" --kind results "$T/r.csv"
rows=$(q "SELECT count(*) || '/' || sum(mark) FROM result")
old=$(snap_stamps)
MSOKO_SNAPSHOT_KILL_AFTER=10 "$M" analyze --db "$db" --year 2024 --json >/dev/null 2>&1
expect_eq "analyze killed in the middle of the snapshot write" "$?" 137
# the file's own check; on PostgreSQL a killed client cannot damage the server's files
if [ "${MSOKO_TEST_STORE:-sqlite}" = sqlite ]; then
    expect_eq "…the database is whole" "$(q "PRAGMA integrity_check")" ok
fi
expect_eq "…the data is as it was" "$(q "SELECT count(*) || '/' || sum(mark) FROM result")" "$rows"
expect_eq "…the snapshot is the old one, untouched" "$(snap_stamps)" "$old"
expect_eq "…whole: every column of it" "$(q "SELECT count(*) FROM model_snapshot")" "$(q "SELECT 6 + 4 * 18")"
stale "after the crash"
same "after the crash"
expect_eq "…the analysis is that of the import" "$(shnor)" "$after_import"

# killed while writing the very first snapshot of a database: none is left, and none is read
q "DELETE FROM model_snapshot; UPDATE model_stamp SET n = n + 1"
MSOKO_SNAPSHOT_KILL_AFTER=3 "$M" analyze --db "$db" --year 2024 --json >/dev/null 2>&1
expect_eq "killed during the first snapshot write" "$?" 137
expect_eq "…no snapshot is left" "$(q "SELECT count(*) FROM model_snapshot")" 0
same "after a crash with no snapshot"

# the pages read it too (show = the web's view models)
for page in dashboard "school sch000004" "procedure VPR-math-5 --school sch000004"; do
    # shellcheck disable=SC2086
    a=$("$M" show --db "$db" --year 2024 $page | md5sum)
    # shellcheck disable=SC2086
    b=$(MSOKO_NO_SNAPSHOT=1 "$M" show --db "$db" --year 2024 $page | md5sum)
    expect_eq "show $page: from the snapshot = from the rows" "$a" "$b"
done
[ "$first" != "$(cat "$T/snap.json")" ] && ok "the changes did change the analysis" || not_ok "nothing changed"
done_testing
