#!/bin/sh
# Rules that matter, checked rather than remembered (curl checksrc): banned functions, and SQL
# text only under src/store/.
cd "$(dirname "$0")/.." || exit 1
bad=0
if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(' src/*/*.c src/*/*.h; then
    echo "checksrc: banned function above (use msk_buf, snprintf, strtol)" >&2; bad=1
fi
if grep -nE '"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE)\b' \
     $(ls src/*/*.c | grep -v '^src/store/'); then
    echo "checksrc: SQL outside src/store/ above" >&2; bad=1
fi
exit $bad
