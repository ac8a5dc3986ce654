#!/bin/sh
# Timed fuzzing (`make fuzz`): each build/fuzz/fuzz_* runs for $MSOKO_FUZZ_SECONDS (default 60)
# seconds, seeded with its committed corpus tests/fuzz/corpus/NAME; new inputs go to a scratch
# directory, crashes to build/fuzz/artifacts/. `make test` only replays the corpus (tests/run.sh).
# A crash found here is fixed, then its input is added to the corpus so the replay keeps it.
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${MSOKO_FUZZ_SECONDS:-60}
art="$root/build/fuzz/artifacts"
mkdir -p "$art"
fail=0
for f in "$root"/build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    n=$(basename "$f"); c="$root/tests/fuzz/corpus/${n#fuzz_}"
    mkdir -p "$c"
    w=$(mktemp -d)
    if "$f" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$art/$n-" "$w" "$c" \
         >"$art/$n.log" 2>&1; then
        echo "ok   $n: $(grep -o 'Done [0-9]* runs' "$art/$n.log" | tail -1) in ${secs}s"
    else
        echo "FAIL $n: see $art/$n.log and $art/$n-crash-*"; tail -20 "$art/$n.log"; fail=1
    fi
    rm -rf "$w"
done
exit $fail
