#!/bin/sh
# bench/hostile: wall time and peak RSS (/usr/bin/time -v) of importing every hostile file of
# tests/data/import-bad (the committed ones, the ones generated at test time, and bombs too slow
# or too big for the test: a 2 GiB sheet, a 300 MiB shared-string table, 10^6 one-cell rows),
# each beside a reference: a valid results file of the same format and about the same size,
# imported the same way. The bound printed per case — wall ≤ 2 × reference + 1 s and peak RSS
# ≤ reference + 64 MB — is reported, never asserted: a loaded machine must not fail a build.
# Usage: sh bench/hostile/run.sh [CASE-SUBSTRING]   (from the repository root)
set -eu
cd "$(dirname "$0")/../.."
only=${1:-}
W=$(mktemp -d /tmp/msoko-hostile-XXXXXX)
trap 'rm -rf "$W"' EXIT
make -s build/msoko >/dev/null
M=$PWD/build/msoko
D=tests/data/import-bad
$M init --db "$W/base.db" >/dev/null
$M import --db "$W/base.db" --kind schools examples/schools.csv >/dev/null

# measure FILE ARGS… → "wall rss_kb exit" of one import into a fresh copy of the base database
measure() {
    f=$1; shift
    cp "$W/base.db" "$W/t.db"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$W/tv" "$M" import --db "$W/t.db" "$@" "$f" >/dev/null 2>&1 && st=0 || st=$?
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$W/tv" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/tv")
    # time -v reports the child's status as "Exit status: N" (and "Command terminated by signal")
    st=$(sed -n 's/.*Exit status: //p' "$W/tv")
    echo "$wall $rss $st"
}

# ref EXT BYTES → path of a valid results file of that format and at least that size (cached)
ref() {
    ext=$1; want=$2
    [ "$want" -lt 4096 ] && want=4096
    key=$(awk -v b="$want" 'BEGIN { k = 4096; while (k < b) k *= 2; print k }')
    out="$W/ref-$key.$ext"
    [ -f "$out" ] || python3 - "$ext" "$key" "$out" <<'PY' || { rm -f "$out"; return 1; }
import sys
sys.path.insert(0, "tests/tools")
import mkbad
ext, want, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def rows(n):
    return [[2024, "ВПР", "Математика", 5, "sch10000%d" % (1 + i % 5), "5А", "v%d" % i, 1, 12, 4]
            for i in range(n)]
head = ["Год", "Вид процедуры", "Предмет", "Параллель", "Код ОО", "Класс", "Код участника",
        "Вариант", "Первичный балл", "Отметка"]
n = 64
while True:
    if ext == "csv":
        data = (";".join(head) + "\n" + "".join(";".join(map(str, r)) + "\n"
                                               for r in rows(n))).encode("utf-8")
    else:
        data = mkbad.xlsx_bytes(mkbad.sheet_xml([head] + rows(n)))
    if len(data) >= want or n >= 2000000:
        break
    n = min(2000000, n * 2 if len(data) * 2 < want else int(n * want / len(data)) + 1)
open(out, "wb").write(data)
PY
    echo "$out"
}

printf '%-34s %10s %4s %8s %9s | %8s %9s | %s\n' case bytes exit wall_s rss_MB ref_s ref_MB bound
one() { # NAME FILE ARGS…
    name=$1; f=$2; shift 2
    bytes=$(wc -c <"$f")
    ext=${f##*.}; [ "$ext" = xlsx ] || ext=csv
    # shellcheck disable=SC2046 # "wall rss exit" split into three words on purpose
    set -- $(measure "$f" "$@") "$@"
    wall=$1 rss=$2 st=$3; shift 3
    if r=$(ref "$ext" "$bytes") && [ -f "$r" ]; then
        # shellcheck disable=SC2046
        set -- $(measure "$r" --kind results)
        rwall=$1 rrss=$2
    else
        echo "$name: no reference file could be made" >&2
        rwall=0 rrss=0
    fi
    verdict=$(awk -v w="$wall" -v r="$rss" -v rw="$rwall" -v rr="$rrss" 'BEGIN {
        ok = (w <= 2 * rw + 1) && (r <= rr + 65536); print ok ? "within" : "OVER" }')
    printf '%-34s %10s %4s %8s %9.1f | %8s %9.1f | %s\n' "$name" "$bytes" "$st" "$wall" \
        "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$rwall" "$(awk -v k="$rrss" 'BEGIN{print k/1024}')" "$verdict"
}

for c in "$D"/*.case; do
    name=$(basename "$c" .case)
    case "$name" in *"$only"*) ;; *) continue ;; esac
    for f in "$D/$name".*; do [ "${f%.case}" = "$f" ] && break; done
    # shellcheck disable=SC2046 # the options are words
    one "$name" "$f" $(sed -n 's/^args=//p' "$c")
done
for c in "$D"/*.gencase bench-only:63-zip-bomb-rows:xlsx bench-only:64-sst-bomb:xlsx \
         bench-only:65-million-rows-one-cell:csv; do
    case "$c" in
    bench-only:*) name=${c#bench-only:}; ext=${name##*:}; name=${name%:*}; args="--kind results" ;;
    *) name=$(basename "$c" .gencase); ext=$(sed -n 's/^ext=//p' "$c"); args=$(sed -n 's/^args=//p' "$c") ;;
    esac
    case "$name" in *"$only"*) ;; *) continue ;; esac
    python3 tests/tools/mkbad.py --gen "$name" "$W/$name.$ext"
    # shellcheck disable=SC2086
    one "$name" "$W/$name.$ext" $args
    rm -f "$W/$name.$ext"
done
