#!/bin/sh
# Statics the threaded web server shares, checked under ThreadSanitizer: each program in
# tests/tsan/ is built with -fsanitize=thread against the few sources it needs and must run
# without a race report. Skipped (one ok line saying so) where clang cannot build with TSan.
. "$(dirname "$0")/tap.inc"
R="$MSOKO_ROOT"
F="-std=c17 -D_GNU_SOURCE -g -O1 -I$R/src $(pkg-config --cflags sqlite3 libpq jansson libsodium libmicrohttpd inih 2>/dev/null) -fsanitize=thread"
L="$(pkg-config --libs sqlite3 libpq zlib jansson libsodium inih 2>/dev/null) -lm -lpthread"
if ! command -v clang >/dev/null || ! echo 'int main(void){return 0;}' >"$T/t.c" ||
   ! clang -fsanitize=thread -o "$T/t" "$T/t.c" 2>/dev/null || ! "$T/t"; then
    ok "# SKIP clang with ThreadSanitizer not available"
    done_testing; exit
fi
gen="$R/build/gen/web_assets.c"
[ -f "$gen" ] || { not_ok "build/gen/web_assets.c missing: run make first"; done_testing; exit; }
# build NAME SOURCES... ; then run it three times (a race shows up on the first run in practice)
check() {
    n=$1; shift
    if ! clang $F -o "$T/$n" "$@" $L 2>"$T/$n.cc"; then
        not_ok "$n builds with -fsanitize=thread"; sed 's/^/#   /' "$T/$n.cc" | head -20; return
    fi
    for k in 1 2 3; do
        if ! TSAN_OPTIONS=halt_on_error=1 "$T/$n" >"$T/$n.out" 2>&1 || grep -q ThreadSanitizer "$T/$n.out"; then
            not_ok "$n: no data race (run $k)"; sed 's/^/#   /' "$T/$n.out" | head -30; return
        fi
    done
    ok "$n: no data race in 3 runs of 8 threads"
}
check race_etag "$R/tests/tsan/race_etag.c" "$R/src/web/assets.c" "$gen" "$R"/src/base/*.c
# store/ may include base/ only (scripts/checksrc.sh), so these two folders link on their own
check race_stmt "$R/tests/tsan/race_stmt.c" $(ls "$R"/src/store/*.c | grep -v '/store\.c$') \
    "$R"/src/base/*.c
done_testing
