#!/bin/sh
# Run every test: unit binaries (cmocka, TAP output), CLI scripts (tests/cli/*.sh, TAP output),
# fuzz corpus replay (deterministic: every committed input once, no new ones; `make fuzz` is
# the timed fuzzing). Counts "ok"/"not ok" lines and ends with "N passed, N failed".
# Usage: tests/run.sh ASAN_DIR UNIT_BIN...
asan=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp -d)
pass=0; fail=0
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export MSOKO_BIN="$root/$asan/msoko"
export MSOKO_ROOT="$root"
count() { # $1 = name, $2 = exit status, $3 = output file, $4 = what to print after the count
    # a "not ok … # TODO" line is a known defect (TAP): printed, not counted as a failure
    p=$(grep -c '^ok ' "$3"); f=$(grep '^not ok ' "$3" | grep -vc '# TODO')
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $1 exited with status $2" >>"$3"; fi
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ]; then echo "FAIL $1"; grep -v '^ok ' "$3" | tail -40; else echo "ok   $1 ($p)$4"; fi
}
# the house rules first, counted like a test (a broken rule must not keep the tests from running)
if sh "$root/scripts/checksrc.sh" >"$log/checksrc.out" 2>&1; then
    echo "ok - scripts/checksrc.sh" >"$log/checksrc.tap"; st=0
else
    echo "not ok - scripts/checksrc.sh" >"$log/checksrc.tap"; tail -40 "$log/checksrc.out" >>"$log/checksrc.tap"; st=1
fi
count check-src $st "$log/checksrc.tap"
# the PostgreSQL driver's tests (test_db_pg) run on a throw-away cluster, stopped however the run
# ends; a MSOKO_TEST_PG given from outside (a conninfo) is used instead
if [ -z "${MSOKO_TEST_PG:-}" ]; then
    if pg=$(sh "$root/tests/pg/cluster.sh" start 2>"$log/pg.err"); then
        export MSOKO_TEST_PG="$pg"; st=0
        trap 'sh "$root/tests/pg/cluster.sh" stop >/dev/null 2>&1; rm -rf "$log"' EXIT
        trap 'exit 130' INT TERM
        echo "ok - tests/pg/cluster.sh start" >"$log/pg.tap"
    else
        echo "not ok - tests/pg/cluster.sh start" >"$log/pg.tap"; tail -20 "$log/pg.err" >>"$log/pg.tap"; st=1
    fi
    count pg-cluster $st "$log/pg.tap"
fi
for t in "$@"; do
    n=$(basename "$t")
    "$root/$t" >"$log/$n.out" 2>&1; count "$n" $? "$log/$n.out"
done
# the CLI scripts run MSOKO_TEST_JOBS at a time (default: the machine's cores): each has its own
# temporary folder and its servers listen on ports the kernel picks; they are counted afterwards in
# name order, so the report reads the same however they interleave. Seconds beside each.
jobs=${MSOKO_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
# the browser tests share tests/e2e/node_modules: installed once here, not by two of them at once
e2e=$root/tests/e2e
if [ -x /usr/bin/chromium ] && command -v npm >/dev/null && [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm install --no-save --no-package-lock --no-audit --no-fund >"$log/npm.log" 2>&1) ||
        echo "npm install playwright-core failed: the browser tests will say why"
fi
ls "$root"/tests/cli/*.sh | xargs -P "$jobs" -I{} sh -c \
    'n=$(basename "$1" .sh); s=$(date +%s); sh "$1" >"$2/$n.out" 2>&1; echo $? >"$2/$n.rc"
     echo $(($(date +%s) - s)) >"$2/$n.secs"' _ {} "$log"
for t in "$root"/tests/cli/*.sh; do
    [ -f "$t" ] || continue
    n=$(basename "$t" .sh)
    count "cli/$n" "$(cat "$log/$n.rc")" "$log/$n.out" " $(cat "$log/$n.secs") с"
done
# The second pass (issue 17): the scripts named in tests/pg/scripts.txt (those that pass on
# PostgreSQL) again with MSOKO_TEST_STORE=postgres, each database of theirs made in one
# throw-away cluster for the pass (tests/pg/cluster.sh, unless MSOKO_TEST_PG names one already
# running), stopped however the run ends. Counted as pg/cli/NAME; no postgres binaries is a
# failure (pg-cli-cluster), not a skip.
pglist=$root/tests/pg/scripts.txt
pgnames=$(sed 's/#.*//' "$pglist" 2>/dev/null | tr -s ' \t' '\n\n' | grep -v '^$')
if [ -n "$pgnames" ]; then
    pgs=$(date +%s); pgown=
    pg=${MSOKO_TEST_PG:-}
    if [ -z "$pg" ]; then
        if pg=$(sh "$root/tests/pg/cluster.sh" start 2>"$log/pgc.err"); then
            pgown=1
            trap 'sh "$root/tests/pg/cluster.sh" stop >/dev/null 2>&1; rm -rf "$log"' EXIT
            trap 'exit 130' INT TERM
        else pg=; fi
    fi
    pghost=$(printf '%s\n' "$pg" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
    pguser=$(printf '%s\n' "$pg" | sed -n 's/.*user=\([^ ]*\).*/\1/p')
    if [ -n "$pghost" ]; then
        echo "ok - PostgreSQL cluster at $pghost" >"$log/pgc.tap"; st=0
    else
        echo "not ok - no PostgreSQL cluster (a host= folder) for the second pass: «$pg»" >"$log/pgc.tap"
        tail -20 "$log/pgc.err" >>"$log/pgc.tap" 2>/dev/null; st=1
    fi
    count pg-cli-cluster $st "$log/pgc.tap"
    if [ "$st" -eq 0 ]; then
        export MSOKO_TEST_PG_HOST="$pghost"
        [ -n "$pguser" ] && export MSOKO_TEST_PG_USER="$pguser"
        printf '%s\n' $pgnames | xargs -P "$jobs" -I{} sh -c \
            'n=$1; s=$(date +%s); MSOKO_TEST_STORE=postgres sh "$3/tests/cli/$n.sh" >"$2/pg-$n.out" 2>&1
             echo $? >"$2/pg-$n.rc"; echo $(($(date +%s) - s)) >"$2/pg-$n.secs"' _ {} "$log" "$root"
        for n in $pgnames; do
            if [ ! -f "$root/tests/cli/$n.sh" ]; then
                echo "not ok - tests/pg/scripts.txt names $n, and tests/cli/$n.sh is not there" >"$log/pg-$n.out"
                echo 1 >"$log/pg-$n.rc"; echo 0 >"$log/pg-$n.secs"
            fi
            count "pg/cli/$n" "$(cat "$log/pg-$n.rc")" "$log/pg-$n.out" " $(cat "$log/pg-$n.secs") с"
        done
    fi
    if [ -n "$pgown" ]; then sh "$root/tests/pg/cluster.sh" stop >/dev/null 2>&1; trap 'rm -rf "$log"' EXIT; fi
    echo "#    PostgreSQL pass: $(($(date +%s) - pgs)) с"
fi
for f in "$root"/build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f"); c="$root/tests/fuzz/corpus/${n#fuzz_}"
    mkdir -p "$c"
    # replay the committed corpus: each input once, nothing generated
    if "$f" -runs=0 "$c" >"$log/$n.out" 2>&1; then
        echo "ok - $n replays $(ls "$c" | wc -l | tr -d ' ') inputs" >"$log/$n.tap"; st=0
    else
        echo "not ok - $n (an input of $c fails)" >"$log/$n.tap"; tail -30 "$log/$n.out" >>"$log/$n.tap"; st=1
    fi
    count "$n" $st "$log/$n.tap"
done
rm -rf "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
