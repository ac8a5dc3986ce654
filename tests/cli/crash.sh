#!/bin/sh
# Crash and fault tests (SQLite's own crash tests are the model). A fault-injecting VFS
# (tests/tools/faultvfs.c, LD_PRELOAD in this test only, never linked into msoko) numbers every
# write, sync and truncate of a run; a trial kills the process with SIGKILL just before write N,
# N drawn from a seeded sequence (the seed is printed; MSOKO_CRASH_SEED replays it), so a trial
# is the same on every run. Each of the kill -9 trials (import, analysis, form approval, the
# server approving a form through the web) is followed by PRAGMA integrity_check, a checksum
# equal to the state before or after the operation (never between) and a successful rerun that
# reaches the after state. Then: a full disk (a tmpfs of the test's own, and the VFS failing
# writes from write N on), a file system gone read-only and a read-only file during an import
# give one Russian message and leave the database as it was; a database that fails under the
# server gives a 503 page, and the server stays up.
. "$(dirname "$0")/tap.inc"
# SQLite-only by nature, the whole script: the fault VFS sits under SQLite's own writes, every
# trial copies the file with its WAL, the full and read-only disks are the file's. A PostgreSQL
# server keeps its files itself; a client killed mid-write on PostgreSQL is in snapshot.sh.
if [ "${MSOKO_TEST_STORE:-sqlite}" != sqlite ]; then echo "1..0 # SKIP the SQLite file's crash tests"; exit 0; fi
for c in cc sqlite3 curl; do
    command -v "$c" >/dev/null || { echo "1..0 # SKIP $c missing (scripts/deps.sh)"; exit 0; }
done
trap 'umount "$T/full" 2>/dev/null; tap_cleanup' EXIT
V="$T/faultvfs.so"
# shellcheck disable=SC2046
cc -O2 -shared -fPIC -o "$V" "$MSOKO_ROOT/tests/tools/faultvfs.c" $(pkg-config --cflags --libs sqlite3) ||
    { not_ok "build the fault VFS"; done_testing; exit 1; }
# the sanitizer runtime must come first among preloaded libraries unless told otherwise
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export MSOKO_NOW=2024-10-10T08:00:00Z USER=operator MSOKO_METHODS="$MSOKO_ROOT/methods"
SEED=${MSOKO_CRASH_SEED:-20261202}
echo "# seed $SEED (MSOKO_CRASH_SEED=$SEED replays these trials)"
rng=$SEED
# draw M: $at becomes a number in 1..M, the next of the seeded sequence (an LCG, 31 bits)
draw() { rng=$(((rng * 1103515245 + 12345) % 2147483648)); at=$((rng / 65536 % $1 + 1)); }
sum() { "$M" stats --db "$1" --checksum 2>/dev/null; }
integrity() { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | head -3 | tr '\n' ' ' | sed 's/ $//'; }
fresh() { rm -f "$2" "$2-wal" "$2-shm"; cp "$1" "$2"; }

# ---- the database every trial starts from ----
base="$T/base.db"
"$M" init --db "$base" >/dev/null
"$M" demo --db "$base" --schools 8 --years 2023-2024 --seed 5 >/dev/null
"$M" form load --db "$base" "$MSOKO_ROOT/methods/forms/risk-context.ini" >/dev/null
for s in sch000001 sch000002; do
    # shellcheck disable=SC2046
    "$M" form fill --db "$base" risk_context --school $s --period 2024 $(sqlite3 "$base" "SELECT group_concat(element || '=' || CAST(value AS INTEGER), ' ') FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = '$s' AND period = '2024'") internet=1 computers=да lab_phys=1 lab_chem=1 lab_bio=1 lab_geo=1 lab_tech=1 >/dev/null
    "$M" form submit --db "$base" risk_context --school $s --period 2024 >/dev/null
done
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$base" >/dev/null
cc -O2 -o "$T/gen" "$MSOKO_ROOT/bench/import/gen.c"
"$T/gen" "$T/r.csv" "$T/s.csv" 20000
"$M" import --db "$base" --kind schools "$T/s.csv" >/dev/null
expect_eq "the base database is sound" "$(integrity "$base")" ok
before=$(sum "$base")

# ---- kill -9 of a command ----
op_import() { env $FAULT "$M" import --db "$1" --kind results "$T/r.csv"; }
op_analyze() { env $FAULT "$M" analyze --db "$1" --year 2024; }
op_approve() { env $FAULT "$M" form approve --db "$1" risk_context --school sch000001 --period 2024; }
# crash OP TRIALS [DONE]: a counting run on a copy gives the number of writes and the after state; each
# trial kills a copy at a drawn write, checks it, and reruns
crash() {
    op=$1; n=$2; done_msg=$3
    fresh "$base" "$T/ref.db"
    rm -f "$T/count"
    FAULT="LD_PRELOAD=$V MSOKO_FAULT_COUNT=$T/count"
    if ! $op "$T/ref.db" >/dev/null 2>"$T/err"; then not_ok "$op: the counting run"; cat "$T/err"; return; fi
    writes=$(cat "$T/count")
    after=$(sum "$T/ref.db")
    [ "$after" != "$before" ] || { not_ok "$op changes the database"; return; }
    fresh "$base" "$T/ref2.db"
    FAULT=""
    $op "$T/ref2.db" >/dev/null 2>&1
    expect_eq "$op: two runs from the same state end in the same state" "$(sum "$T/ref2.db")" "$after"
    i=0
    while [ $i -lt "$n" ]; do
        i=$((i + 1))
        draw "$writes"
        fresh "$base" "$T/t.db"
        FAULT="LD_PRELOAD=$V MSOKO_FAULT_KILL_AT=$at"
        $op "$T/t.db" >/dev/null 2>&1
        st=$?
        FAULT=""
        what="$op killed at write $at of $writes"
        [ "$st" -eq 137 ] || { not_ok "$what: exit $st, not SIGKILL"; continue; }
        ic=$(integrity "$T/t.db")
        [ "$ic" = ok ] || { not_ok "$what: integrity_check «$ic»"; continue; }
        got=$(sum "$T/t.db")
        if [ "$got" = "$before" ]; then state=before
        elif [ "$got" = "$after" ]; then state=after
        else not_ok "$what: the database is between before and after"; continue; fi
        if ! $op "$T/t.db" >/dev/null 2>"$T/err"; then
            # an approval that was done before the kill is refused as done, changing nothing
            if [ "$state" = after ] && [ -n "$done_msg" ] && grep -qF "$done_msg" "$T/err" &&
                [ "$(sum "$T/t.db")" = "$after" ]; then
                ok "$what: integrity ok, state after, the rerun says it is done"; continue; fi
            not_ok "$what: state $state, the rerun failed"; sed 's/^/#   /' "$T/err"; continue; fi
        if [ "$state" = before ] && [ "$(sum "$T/t.db")" != "$after" ]; then
            not_ok "$what: state before, the rerun does not reach the after state"; continue; fi
        ok "$what: integrity ok, state $state, rerun ok"
    done
}
crash op_import 8
crash op_analyze 6
crash op_approve 4 "утверждена: утвердить её нельзя"

# ---- kill -9 of the server while it approves a form through the web ----
# Login writes a session and the user's last sign-in time: the checksum leaves both out (random
# tokens, the clock), and the "before" of a trial is its own state after login (copied while the
# server is idle).
dsum() { rm -f "$T/d.db" "$T/d.db-wal" "$T/d.db-shm"; cp "$1" "$T/d.db"; [ -f "$1-wal" ] && cp "$1-wal" "$T/d.db-wal"
    sqlite3 "$T/d.db" "DELETE FROM session; DELETE FROM audit WHERE action LIKE 'login%' OR action LIKE 'session%'; UPDATE user SET last_login_at = NULL" 2>/dev/null
    sum "$T/d.db"; }
U=""
serve() { # DB [FAULT vars…]: start msoko serve, set $U and $spid
    db=$1; shift
    : >"$T/serve.log"
    env "$@" "$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
    spid=$!
    U=""
    for _i in $(seq 1 100); do
        U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
        [ -n "$U" ] && return 0
        sleep 0.1
    done
    return 1
}
st() { jar=$1; path=$2; shift 2; curl -s -m 20 -o "$T/body" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
web_login() { # log in as the analyst; $1 (if given) gets the number of writes so far
    : >"$T/jar"
    st "$T/jar" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$T/jar" /login --data-urlencode "csrf=$tok" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" >/dev/null
    [ -n "$1" ] && cat "$T/count" >"$1" 2>/dev/null
}
web_approve() { # approve sch000002's form; prints the last status; $1 as above
    st "$T/jar" "/forms/risk_context/sch000002?period=2024" >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$T/jar" /forms/risk_context/sch000002/approve --data-urlencode "csrf=$tok" --data "period=2024"
    [ -n "$1" ] && cat "$T/count" >"$1" 2>/dev/null
}
fresh "$base" "$T/ref.db"
rm -f "$T/count"
if serve "$T/ref.db" LD_PRELOAD="$V" MSOKO_FAULT_COUNT="$T/count"; then
    web_login "$T/login.count"
    # the state after login (whatever login writes besides the session) is the "before"
    wbefore=$(dsum "$T/ref.db")
    code=$(web_approve "$T/approve.count")
    kill "$spid"; wait "$spid"
    expect_eq "server: the counting run approves (303)" "$code" 303
    # the writes up to the approval's answer (the shutdown's checkpoint comes after)
    wlogin=$(cat "$T/login.count"); wall=$(cat "$T/approve.count")
    wafter=$(dsum "$T/ref.db")
    [ "$wafter" != "$wbefore" ] && ok "server: approving changes the database" || not_ok "server: approving changes the database"
    i=0
    while [ $i -lt 4 ]; do
        i=$((i + 1))
        draw $((wall - wlogin))
        at=$((wlogin + at))
        fresh "$base" "$T/t.db"
        what="server killed at write $at of $wall (login took $wlogin)"
        serve "$T/t.db" LD_PRELOAD="$V" MSOKO_FAULT_KILL_AT="$at" || { not_ok "$what: did not start"; continue; }
        web_login ""
        tbefore=$(dsum "$T/t.db")
        web_approve "" >/dev/null
        for _i in $(seq 1 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$spid" 2>/dev/null; then
            not_ok "$what: write $at never came"; kill -9 "$spid"; wait "$spid"; continue; fi
        wait "$spid"; code=$?
        [ "$code" -eq 137 ] || { not_ok "$what: exit $code, not SIGKILL"; continue; }
        ic=$(integrity "$T/t.db")
        [ "$ic" = ok ] || { not_ok "$what: integrity_check «$ic»"; continue; }
        got=$(dsum "$T/t.db")
        if [ "$got" = "$tbefore" ]; then state=before
        elif [ "$got" = "$wafter" ]; then state=after
        else not_ok "$what: the database is between before and after"; continue; fi
        serve "$T/t.db" || { not_ok "$what: the server does not start again"; continue; }
        web_login ""
        code=$(web_approve "")
        kill "$spid"; wait "$spid"
        if [ "$code" != 303 ] && [ "$code" != 422 ]; then not_ok "$what: state $state, the rerun got HTTP $code"; continue; fi
        [ "$(dsum "$T/t.db")" = "$wafter" ] || { not_ok "$what: state $state, the rerun does not reach the after state"; continue; }
        ok "$what: integrity ok, state $state, rerun ok (HTTP $code)"
    done
else
    not_ok "server: the counting run did not start"; cat "$T/serve.log"
fi

# ---- a full disk: a small tmpfs of our own, when this machine lets us mount one ----
mnt="$T/full"
mkdir -p "$mnt"
size=$(( $(stat -c %s "$base") / 1024 + 512 ))
if mount -t tmpfs -o "size=${size}k" tmpfs "$mnt" 2>/dev/null; then
    cp "$base" "$mnt/f.db"
    expect_exit 1 "full disk (tmpfs of ${size} KB): the import fails" "$M" import --db "$mnt/f.db" --kind results "$T/r.csv"
    expect_grep "…with a Russian message" "на диске не хватает места" "$T/err"
    # one message, and the import's usual closing line
    expect_eq "…one message" "$(grep '^msoko:' "$T/err" | grep -vc 'ничего не загружено')" 1
    if grep -q 'загружено [0-9]' "$T/out"; then not_ok "…and no «загружено» line"; else ok "…and no «загружено» line"; fi
    expect_eq "…the database as it was" "$(sum "$mnt/f.db")" "$before"
    expect_eq "…integrity ok" "$(integrity "$mnt/f.db")" ok
    mount -o remount,size=64m "$mnt"
    expect_ok "…with room again the import goes through" "$M" import --db "$mnt/f.db" --kind results "$T/r.csv"
    umount "$mnt"
else
    ok "# SKIP full disk on tmpfs: mount -t tmpfs is not allowed here (the VFS trials below cover it)"
fi

# ---- the VFS fails every write from write N on: a full disk, a read-only file system ----
fresh "$base" "$T/ref.db"
rm -f "$T/count"
FAULT="LD_PRELOAD=$V MSOKO_FAULT_COUNT=$T/count"
op_import "$T/ref.db" >/dev/null 2>&1
writes=$(cat "$T/count")
after=$(sum "$T/ref.db")
for code in full full full rofs rofs rofs; do
    draw "$writes"
    fresh "$base" "$T/t.db"
    FAULT="LD_PRELOAD=$V MSOKO_FAULT_FAIL_AT=$at MSOKO_FAULT_CODE=$code"
    op_import "$T/t.db" >/dev/null 2>"$T/err"
    st=$?
    FAULT=""
    what="import, writes fail ($code) from write $at of $writes"
    ic=$(integrity "$T/t.db")
    got=$(sum "$T/t.db")
    msg=$(grep '^msoko:' "$T/err" | head -1)
    if [ "$ic" != ok ]; then not_ok "$what: integrity_check «$ic»"
    elif [ "$st" -eq 0 ] && [ "$got" = "$after" ]; then ok "$what: failed only after the commit (a checkpoint), state after"
    elif [ "$st" -ne 1 ]; then not_ok "$what: exit $st"
    elif [ "$got" != "$before" ]; then not_ok "$what: the database changed"
    elif [ "$(grep '^msoko:' "$T/err" | grep -vc 'ничего не загружено')" -ne 1 ]; then not_ok "$what: not one message"; sed 's/^/#   /' "$T/err"
    else
        case "$code:$msg" in
        full:*"на диске не хватает места"*) ok "$what: one message, database unchanged";;
        rofs:*"только для чтения"* | rofs:*"ошибка чтения или записи диска"*) ok "$what: one message, database unchanged";;
        *) not_ok "$what: message «$msg»";;
        esac
    fi
done

# ---- a read-only database file ----
fresh "$base" "$T/ro.db"
chmod 444 "$T/ro.db"
expect_exit 1 "read-only database file: the import is refused" "$M" import --db "$T/ro.db" --kind results "$T/r.csv"
expect_grep "…with a Russian message" "нет прав на запись в файл базы данных" "$T/err"
expect_eq "…the database as it was" "$(sum "$T/ro.db")" "$before"
chmod 644 "$T/ro.db"

# ---- a disk that fails under the server: 503, the server stays up, and recovers ----
fresh "$base" "$T/s.db"
rm -f "$T/ioerr"
if serve "$T/s.db" LD_PRELOAD="$V" MSOKO_FAULT_IOERR_FLAG="$T/ioerr"; then
    : >"$T/pub"
    expect_eq "server: a page before the fault" "$(st "$T/pub" /open?year=2024)" 200
    : >"$T/ioerr"
    expect_eq "server: reads fail (I/O error): 503" "$(st "$T/pub" /open?year=2024)" 503
    expect_grep "…a Russian page" "База данных временно недоступна" "$T/body"
    expect_eq "…the login page too" "$(st "$T/pub" /login)" 503
    expect_eq "…a login attempt too" "$(st "$T/pub" /login --data 'login=ann&password=x&csrf=0')" 503
    rm -f "$T/ioerr"
    expect_eq "server: the disk answers again: 200" "$(st "$T/pub" /open?year=2024)" 200
    kill -0 "$spid" 2>/dev/null && ok "…the server never crashed" || not_ok "…the server never crashed"
    kill "$spid"; wait "$spid"
    expect_eq "…and stops cleanly" "$?" 0
    expect_eq "…its database is sound" "$(integrity "$T/s.db")" ok
else
    not_ok "server with the fault VFS did not start"; cat "$T/serve.log"
fi
done_testing
