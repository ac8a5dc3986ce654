#!/bin/sh
# bench/view: per-request cost of each view model on the 2,000-school region, as a fraction of
# loading the year in the same process (bench/view/bench.c).
# Usage: sh bench/view/run.sh [DB]   (made with msoko demo --schools 2000 when missing)
set -eu
cd "$(dirname "$0")/../.."
DB=${1:-/tmp/msoko-bench-region-2000.db}
make -s build/msoko build/libmsoko.a >/dev/null
if [ ! -f "$DB" ]; then
    build/msoko init --db "$DB" >/dev/null
    build/msoko demo --db "$DB" --schools 2000 --years 2022-2024 >/dev/null
    MSOKO_METHODS=methods build/msoko analyze --db "$DB" --year 2024 >/dev/null
fi
cc -std=c17 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags jansson sqlite3) -o build/bench-view \
    bench/view/bench.c build/libmsoko.a $(pkg-config --libs sqlite3 jansson libsodium libmicrohttpd xlsxwriter libzip expat cairo pangocairo inih) -lm -lpthread
build/bench-view "$DB" 2024 20
