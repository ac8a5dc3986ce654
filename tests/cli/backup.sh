#!/bin/sh
# msoko backup / restore and GET /admin/backup: a backup restores to the same checksum; restore
# refuses a file that is not an msoko backup, a truncated or corrupt one, one of a newer schema
# and a database a server holds open, each with its message and the database unchanged; the
# admin (only) downloads a backup from the web; a lost database file is a 503; and a backup
# taken while a large import runs (CLI and web, the server serving) restores to the state
# before the import or after it, never between.
. "$(dirname "$0")/tap.inc"
# SQLite-only by nature, the whole script: msoko backup is SQLite's online backup of the file
# (db_sqlite is NULL on PostgreSQL, whose copies are pg_dump's), restore writes a file, and the
# lost, truncated and corrupt databases here are files.
if [ "${MSOKO_TEST_STORE:-sqlite}" != sqlite ]; then echo "1..0 # SKIP msoko backup is the SQLite file's"; exit 0; fi
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 missing (scripts/deps.sh)"; exit 0; }
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
export MSOKO_NOW=2024-09-01T10:00:00Z
db="$T/a.db"
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 8 --years 2023-2024 --seed 3 >/dev/null
sum() { "$M" stats --db "$1" --checksum 2>/dev/null; }
before=$(sum "$db")

# ---- round trip ----
expect_ok "backup" "$M" backup --db "$db" -o "$T/a.db.gz"
expect_grep "…says what it wrote" "Резервная копия" "$T/out"
expect_eq "…the backup is gzip (gunzip gives the SQLite file)" \
    "$(gzip -dc "$T/a.db.gz" | head -c 15)" "SQLite format 3"
expect_eq "…no temporary file left beside the database or the backup" \
    "$(ls "$T" | grep -c -e '\.backup-' -e '\.part-')" 0
expect_eq "…only the owner may read it (it holds every school's data)" \
    "$(stat -c %a "$T/a.db.gz")" 600
expect_eq "backup changes nothing in the database" "$(sum "$db")" "$before"
expect_ok "restore into a new file" "$M" restore --db "$T/b.db" "$T/a.db.gz"
expect_grep "…says it is restored" "восстановлена" "$T/out"
expect_eq "…the same checksum as the original" "$(sum "$T/b.db")" "$before"
expect_eq "…integrity ok" "$(sqlite3 "$T/b.db" 'PRAGMA integrity_check')" ok
"$M" import --db "$T/b.db" --kind schools "$MSOKO_ROOT/examples/schools.csv" >/dev/null 2>&1
changed=$(sum "$T/b.db")
[ "$changed" != "$before" ] && ok "…a change to the restored copy changes its checksum" ||
    not_ok "…a change to the restored copy changes its checksum"
expect_ok "restore over an existing database" "$M" restore --db "$T/b.db" "$T/a.db.gz"
expect_eq "…gives back the backup's state" "$(sum "$T/b.db")" "$before"
expect_eq "…no temporary file left" "$(ls "$T" | grep -c '\.restore-')" 0
expect_ok "backup to stdout" sh -c "'$M' backup --db '$db' -o - >'$T/stdout.gz'"
expect_ok "…restores" "$M" restore --db "$T/c.db" "$T/stdout.gz"
expect_eq "…to the same checksum" "$(sum "$T/c.db")" "$before"

# ---- refusals: the database stays byte for byte ----
cp "$T/b.db" "$T/keep.db"
refuse() { # NAME FILE MESSAGE
    expect_exit 1 "restore refuses $1" "$M" restore --db "$T/b.db" "$2"
    expect_grep "…message" "$3" "$T/err"
    expect_grep "…says the database is unchanged" "база данных не изменена" "$T/err"
    if cmp -s "$T/b.db" "$T/keep.db"; then ok "…database file unchanged"; else not_ok "…database file unchanged"; fi
}
printf 'Код ОО;Наименование\n' >"$T/text.csv"
refuse "a text file" "$T/text.csv" "не является резервной копией msoko"
refuse "an uncompressed database" "$db" "не является резервной копией msoko"
sqlite3 "$T/foreign.db" 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'
gzip -c "$T/foreign.db" >"$T/foreign.db.gz"
refuse "another program's SQLite database" "$T/foreign.db.gz" "внутри не база данных msoko"
head -c 20000 "$T/a.db.gz" >"$T/cut.gz"
refuse "a truncated backup" "$T/cut.gz" "повреждён (файл обрезан)"
# one flipped byte in the compressed data: gzip's CRC (or inflate) catches it
cp "$T/a.db.gz" "$T/flip.gz"
# (the byte is complemented, never set: writing 0xff over a 0xff changed nothing once)
b=$(od -An -tu1 -j5000 -N1 "$T/flip.gz" | tr -d ' ')
printf "\\$(printf %o $((255 - b)))" | dd of="$T/flip.gz" bs=1 seek=5000 conv=notrunc 2>/dev/null
if cmp -s "$T/a.db.gz" "$T/flip.gz"; then not_ok "…the byte really flipped"; else ok "…the byte really flipped"; fi
refuse "a backup with a flipped byte" "$T/flip.gz" "повреждён"
gzip -dc "$T/a.db.gz" >"$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version=999'
gzip -c "$T/newer.db" >"$T/newer.db.gz"
refuse "a backup of a newer schema" "$T/newer.db.gz" "создана более новой версией msoko (схема 999"
# a database whose pages are damaged but whose gzip is sound: integrity_check catches it
gzip -dc "$T/a.db.gz" >"$T/bad.db"
pages=$(sqlite3 "$T/bad.db" 'PRAGMA page_count')
psize=$(sqlite3 "$T/bad.db" 'PRAGMA page_size')
dd if=/dev/zero of="$T/bad.db" bs="$psize" seek=$((pages / 2)) count=3 conv=notrunc 2>/dev/null
gzip -c "$T/bad.db" >"$T/bad.db.gz"
refuse "a backup whose database is damaged" "$T/bad.db.gz" "повреждена (проверка целостности"
expect_exit 1 "restore does not replace another program's database" "$M" restore --db "$T/foreign.db" "$T/a.db.gz"
expect_grep "…message" "база данных другой программы, а не msoko" "$T/err"
expect_eq "…which stays" "$(sqlite3 "$T/foreign.db" 'SELECT x FROM t')" 1
expect_exit 1 "restore does not replace a file that is no database" "$M" restore --db "$T/text.csv" "$T/a.db.gz"
expect_grep "…message" "не файл базы данных msoko" "$T/err"
expect_eq "…which stays" "$(head -c 6 "$T/text.csv")" "Код"
cp "$T/bad.db" "$T/damaged.db"
expect_ok "restore replaces a damaged msoko database" "$M" restore --db "$T/damaged.db" "$T/a.db.gz"
expect_eq "…with the backup's state" "$(sum "$T/damaged.db")" "$before"
expect_exit 1 "restore: a missing backup file" "$M" restore --db "$T/b.db" "$T/nope.gz"
expect_grep "…message" "не удалось открыть файл резервной копии" "$T/err"
expect_exit 2 "restore without a file is a usage error" "$M" restore --db "$T/b.db"
expect_exit 2 "backup without -o is a usage error" "$M" backup --db "$db"
expect_exit 1 "backup of a missing database" "$M" backup --db "$T/none.db" -o "$T/none.gz"
expect_grep "…message" "не найден" "$T/err"
expect_eq "…writes no file" "$(ls "$T" | grep -c '^none')" 0
expect_exit 1 "backup into a missing directory" "$M" backup --db "$db" -o "$T/no/dir/x.gz"
expect_grep "…message" "не удалось создать временный файл" "$T/err"

# ---- the web: admin only, a fresh snapshot, audited after the copy ----
"$M" user add boss --role admin --password 'boss-pass-1' --db "$db" >/dev/null
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" user add op1 --role school --school sch000001 --password 'op1-pass-12' --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 4 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
st() { jar=$1; path=$2; shift 2; curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
login() {
    : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null
}
login "$T/adm.jar" boss boss-pass-1
login "$T/ann.jar" ann ann-pass-12
login "$T/op.jar" op1 op1-pass-12
: >"$T/pub.jar"
expect_eq "web backup: the public is asked to log in (401)" "$(st "$T/pub.jar" /admin/backup)" 401
expect_eq "web backup: an analyst is refused (403)" "$(st "$T/ann.jar" /admin/backup)" 403
expect_eq "web backup: a school operator is refused (403)" "$(st "$T/op.jar" /admin/backup)" 403
audit0=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='backup.download'")
live=$(sum "$db")
# dl JAR FILE: download /admin/backup into FILE; the status code
dl() { curl -s -o "$2" -D "$T/hdr" -w '%{http_code}' -b "$1" "$U/admin/backup"; }
expect_eq "web backup: the admin gets it (200)" "$(dl "$T/adm.jar" "$T/web.gz")" 200
expect_grep "…as a gzip download" "Content-Type: application/gzip" "$T/hdr"
expect_grep "…named by date" 'attachment; filename="msoko-' "$T/hdr"
expect_grep "…not cached" "Cache-Control: no-store" "$T/hdr"
expect_eq "…the download is audited" \
    "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action='backup.download' AND user='boss'")" $((audit0 + 1))
expect_eq "…by the whole actor, with the size sent" \
    "$(sqlite3 "$db" "SELECT role || ' ' || (json_extract(after, '$.bytes') = $(stat -c %s "$T/web.gz")) FROM audit WHERE action='backup.download' ORDER BY id DESC LIMIT 1")" "admin 1"
expect_exit 1 "restore refuses a database the server holds open" "$M" restore --db "$db" "$T/web.gz"
expect_grep "…message" "открыта другой программой" "$T/err"
expect_ok "…the web backup restores elsewhere" "$M" restore --db "$T/w.db" "$T/web.gz"
expect_eq "…to the state at the download (its own audit row is not in it)" "$(sum "$T/w.db")" "$live"
expect_eq "web backup: HEAD sends no body" \
    "$(curl -s -I -b "$T/adm.jar" -o /dev/null -w '%{http_code} %{size_download}' "$U/admin/backup")" "200 0"

# ---- the server lives through many changes: every import replaces the loaded year, and the
# replaced one must be freed (bench/soak found each of them kept: 16 imports later every year
# page was a 500 «сервер перегружен», and RSS grew by the size of a year each time) ----
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;8;sch000001;soak001;10;4\n' >"$T/one.csv"
st "$T/adm.jar" /imports >/dev/null
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
bad=0
for i in $(seq 1 24); do
    st "$T/adm.jar" /imports -F "csrf=$csrf" -F "file=@$T/one.csv" >/dev/null
    token=$(grep -o 'name="token" value="[0-9a-f]*"' "$T/body" | sed 's/.*value="//;s/"$//')
    c=$(st "$T/adm.jar" /imports/confirm -d "csrf=$csrf&token=$token&name=one.csv")
    d=$(st "$T/adm.jar" "/?year=2024")
    [ "$c" = 303 ] && [ "$d" = 200 ] || { bad=$((bad + 1)); echo "# import $i: confirm $c, dashboard $d"; }
done
expect_eq "24 imports through the web, each followed by the dashboard: all served" "$bad" 0
# ---- a database that goes away under the server: 503, then back once it is there ----
mv "$db" "$T/moved.db"
expect_eq "database file removed: 503" "$(st "$T/adm.jar" /schools?year=2024)" 503
expect_grep "…in Russian" "База данных временно недоступна" "$T/body"
expect_eq "…public pages too" "$(st "$T/pub.jar" /open?year=2024)" 503
expect_eq "…JSON too" "$(st "$T/pub.jar" /open -H 'Accept: application/json')" 503
expect_grep "…as JSON" '"status":503' "$T/body"
cp "$T/moved.db" "$db"
expect_eq "database file replaced by a copy: 503 (the server holds the old file)" \
    "$(st "$T/adm.jar" /schools?year=2024)" 503
rm -f "$db"
mv "$T/moved.db" "$db"
expect_eq "…the file put back: served again" "$(st "$T/adm.jar" /schools?year=2024)" 200
kill -0 "$pid" 2>/dev/null && ok "…the server never crashed" || not_ok "…the server never crashed"

# ---- a backup taken while a large import runs: all of it or none ----
cc -O2 -o "$T/gen" "$MSOKO_ROOT/bench/import/gen.c" || not_ok "build the generator"
"$T/gen" "$T/r.csv" "$T/s.csv" 250000
"$M" import --db "$db" --kind schools "$T/s.csv" >/dev/null
pre=$(sum "$db")
maxaudit=$(sqlite3 "$db" 'SELECT coalesce(max(id), 0) FROM audit')
# the state after the import, made on a copy: the same file and clock give the same rows
"$M" backup --db "$db" -o "$T/pre.gz" >/dev/null && "$M" restore --db "$T/ref.db" "$T/pre.gz" >/dev/null
"$M" import --db "$T/ref.db" --kind results "$T/r.csv" >/dev/null
post=$(sum "$T/ref.db")
[ "$pre" != "$post" ] && ok "the import changes the database" || not_ok "the import changes the database"
"$M" import --db "$db" --kind results "$T/r.csv" >"$T/imp.out" 2>&1 &
ipid=$!
# a web backup as the import starts (the server serving meanwhile; its audit row waits for the
# import's lock and comes after its copy), and CLI backups one after another until it ends
(dl "$T/adm.jar" "$T/midweb.gz" >"$T/midweb.code") &
wpid=$!
k=0; during=0; names="midweb"
while kill -0 "$ipid" 2>/dev/null && [ "$k" -lt 20 ]; do
    k=$((k + 1))
    "$M" backup --db "$db" -o "$T/mid$k.gz" >/dev/null 2>"$T/err" || cat "$T/err"
    kill -0 "$ipid" 2>/dev/null && during=$((during + 1))
    names="$names mid$k"
done
wait "$ipid" && ok "the import finished" || { not_ok "the import finished"; cat "$T/imp.out"; }
wait "$wpid"
expect_eq "web backup during the import" "$(cat "$T/midweb.code")" 200
[ "$during" -gt 0 ] && ok "$during of $k backups were done while the import still ran" ||
    not_ok "no backup was done while the import ran ($k in all)"
nbefore=0; nafter=0; nbad=0
for b in $names; do
    "$M" restore --db "$T/$b.db" "$T/$b.gz" >/dev/null 2>"$T/err" || cat "$T/err"
    got=$(sum "$T/$b.db")
    # a CLI backup taken once the import is done may hold the audit row of the web download,
    # which waited for the import to end: without it, it must be the after state
    sqlite3 "$T/$b.db" "DELETE FROM audit WHERE action = 'backup.download' AND id > $maxaudit"
    got2=$(sum "$T/$b.db")
    if [ "$got" = "$pre" ]; then nbefore=$((nbefore + 1))
    elif [ "$got" = "$post" ] || [ "$got2" = "$post" ]; then nafter=$((nafter + 1))
    else nbad=$((nbad + 1)); echo "# $b: $(sqlite3 "$T/$b.db" 'SELECT count(*) FROM result') result rows"; fi
    [ "$(sqlite3 "$T/$b.db" 'PRAGMA integrity_check')" = ok ] || nbad=$((nbad + 1))
done
echo "# backups during the import: $nbefore restore to the state before, $nafter to the state after"
expect_eq "every backup taken during the import restores to before or after, integrity ok" "$nbad" 0
[ "$nbefore" -gt 0 ] && ok "…some show none of the running import" || not_ok "…some show none of the running import"
kill "$pid"
wait "$pid"
expect_eq "the server stops cleanly" "$?" 0
done_testing
