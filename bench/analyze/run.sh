#!/bin/sh
# bench/analyze: `msoko analyze --json` of a 2,000-school region over 3 years, with the model
# read from its snapshot (docs/performance.md), against references run in the same script on
# the same file: the ШНОР rule in plain SQL through the sqlite3 CLI (bench/analyze/shnor.sql),
# and msoko itself reading the rows (--no-snapshot, the load before the snapshot). Wall times
# are medians of RUNS runs; CPU (user + system) is printed beside them because the machine is
# shared and wall time is noisy. Also checks that the ШНОР lists of msoko and SQL agree and
# that the snapshot's findings equal the rows' finding by finding.
# The directions (issue 15: at most 20 % added to analyze) are measured twice: their own time
# inside analyze (--timing), and analyze with them against analyze with an empty directions
# folder (the same methods otherwise).
# The region has the seeds' monitoring forms filled by every school through the app's use cases
# (msoko demo forms, as make demo), so the directions' form terms read real values.
# Usage: sh bench/analyze/run.sh [SCHOOLS] [DB]   (DB is reused when it exists; RUNS=3;
#        M=BINARY measures another build, e.g. a copy of main's, on the same file)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-2000}
DB=${2:-/tmp/msoko-bench-region-$N.db}
RUNS=${RUNS:-3}
# M=another binary (e.g. a copy of the one before a change) to measure it on the same file
if [ -z "${M:-}" ]; then make -s build/msoko >/dev/null; M=build/msoko; fi
W=$(mktemp -d /tmp/msoko-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
# a region of an older bench (no forms filled) is not representative of the directions
if [ -f "$DB" ] && [ "$(sqlite3 "$DB" "SELECT count(*) FROM submission" 2>/dev/null || echo 0)" = 0 ]; then
    echo "bench/analyze: $DB has no filled forms (an older bench region): building it anew" >&2
    rm -f "$DB" "$DB-wal" "$DB-shm"
fi
if [ ! -f "$DB" ]; then
    # as scripts/demo.sh: the region, the seeds' monitoring forms, the gifted registries from
    # the olympiads, the ШНОР lists of each year (the ШНОР forms are for those schools), then
    # every school fills every form (the directions read them); built in $DB.tmp, renamed
    # when complete, so an interrupted build is not reused
    rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
    $M init --db "$DB.tmp" >/dev/null
    $M demo --db "$DB.tmp" --schools "$N" --years 2022-2024 >/dev/null
    $M form load --db "$DB.tmp" methods/forms/*.ini >/dev/null
    for y in 2022 2023 2024; do $M registry fill-gifted --db "$DB.tmp" --year $y >/dev/null; done
    for y in 2022 2023 2024; do MSOKO_METHODS=methods $M analyze --db "$DB.tmp" --year $y >/dev/null; done
    /usr/bin/time -f "  built the forms of $N schools: %e s wall, %U s user" \
        $M demo forms --db "$DB.tmp" --years 2022-2024 >/dev/null
    sqlite3 "$DB.tmp" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    mv "$DB.tmp" "$DB"
fi
Y=2024
export MSOKO_METHODS=methods
# one LABEL CMD...: wall, CPU and peak RSS of one run into $W/LABEL.runs
one() {
    label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" >"$W/$label.out" 2>"$W/$label.err"
    cat "$W/t" >>"$W/$label.runs"
}
# median LABEL FIELD: the median of a column of $W/LABEL.runs
median() { sort -n -k"$2" "$W/$1.runs" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
cpu() { awk '{ print $2 + $3 }' "$W/$1.runs" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# a change of the data makes the snapshot stale: the first analysis rebuilds it
sqlite3 "$DB" "UPDATE model_stamp SET n = n + 1" 2>/dev/null || true
one rebuild $M analyze --db "$DB" --year $Y --json --timing
# the same methods without the directions
mkdir -p "$W/nodir"
for f in methods/*; do [ "$(basename "$f")" = directions ] || ln -s "$PWD/$f" "$W/nodir/"; done
mkdir "$W/nodir/directions"
for i in $(seq "$RUNS"); do
    one snap $M analyze --db "$DB" --year $Y --json --timing
    one nodir env MSOKO_METHODS="$W/nodir" $M analyze --db "$DB" --year $Y --json --timing
    one rows $M analyze --db "$DB" --year $Y --json --timing --no-snapshot
    one sql sqlite3 "$DB" ".parameter set :Y $Y" ".read bench/analyze/shnor.sql"
done
load_snap=$(sed -n 's/.*загрузка модели: \([0-9.]*\).*/\1/p' "$W/snap.err")
load_rows=$(sed -n 's/.*загрузка модели: \([0-9.]*\).*/\1/p' "$W/rows.err")
rowsn=$(sed -n 's/.*(\([0-9]*\) результатов.*/\1/p' "$W/snap.err")
echo "bench/analyze: $N schools, $rowsn result rows in the 3 years analysed, medians of $RUNS runs"
echo "  $(cat "$W/snap.err")"
printf '  analyze, snapshot:       %6s s wall, %5.2f s CPU, %4d MB peak; model load %s s\n' \
    "$(median snap 1)" "$(cpu snap)" "$(($(median snap 4) / 1024))" "$load_snap"
printf '  analyze, rows (before):  %6s s wall, %5.2f s CPU, %4d MB peak; model load %s s\n' \
    "$(median rows 1)" "$(cpu rows)" "$(($(median rows 4) / 1024))" "$load_rows"
printf '  first after a change:    %6s s wall (rebuilds the snapshot of every year)\n' "$(median rebuild 1)"
printf '  reference sqlite3 ШНОР SQL: %6s s wall, %5.2f s CPU\n' "$(median sql 1)" "$(cpu sql)"
echo "  ratios: snapshot / rows = $(ratio "$(median snap 1)" "$(median rows 1)") wall," \
    "$(ratio "$(cpu snap)" "$(cpu rows)") CPU, load $(ratio "$load_snap" "$load_rows");" \
    "snapshot (all methods, findings stored, JSON) / SQL (ШНОР only) = $(ratio "$(median snap 1)" "$(median sql 1)") wall"
ndir=$(ls methods/directions/*.ini 2>/dev/null | wc -l)
dsecs=$(sed -n 's/.*направления: \([0-9.]*\) с.*/\1/p' "$W/snap.err")
nind=$(grep -c '^\[indicator ' methods/directions/*.ini 2>/dev/null | awk -F: '{ n += $2 } END { print n + 0 }')
printf '  directions (%s files, %s indicators): %s s inside analyze = %s of analyze without them;\n' \
    "$ndir" "$nind" "$dsecs" \
    "$(awk -v d="$dsecs" -v w="$(median snap 1)" 'BEGIN { if (w - d > 0) printf "%.1f %%", 100 * d / (w - d); else print "n/a" }')"
printf '    analyze without directions %s s wall, %5.2f s CPU: directions add %s wall, %s CPU (target <= 20 %%)\n' \
    "$(median nodir 1)" "$(cpu nodir)" \
    "$(awk -v a="$(median snap 1)" -v b="$(median nodir 1)" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * (a - b) / b; else print "n/a" }')" \
    "$(awk -v a="$(cpu snap)" -v b="$(cpu nodir)" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * (a - b) / b; else print "n/a" }')"
if cmp -s "$W/snap.out" "$W/rows.out"; then echo "  same findings from the snapshot and from the rows"
else echo "  FINDINGS DIFFER between the snapshot and the rows"; fi
sqlite3 "$DB" "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id
  WHERE f.method = 'shnor' AND f.run_id = (SELECT max(id) FROM analysis_run WHERE year = $Y)
  ORDER BY s.code" >"$W/shnor-c.txt"
if cmp -s "$W/shnor-c.txt" "$W/sql.out"; then
    echo "  same ШНОР list as SQL: $(wc -l <"$W/sql.out") schools"
else
    echo "  ШНОР lists differ: msoko $(wc -l <"$W/shnor-c.txt"), SQL $(wc -l <"$W/sql.out")"
fi
