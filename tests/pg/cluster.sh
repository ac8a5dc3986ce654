#!/bin/sh
# A throw-away PostgreSQL 15 cluster for the tests of the PostgreSQL driver (docs/postgresql.md):
# initdb into a folder of its own, listening on a unix socket in that folder only (no TCP port,
# so two checkouts never collide), fsync off; one database "msoko".
#   sh tests/pg/cluster.sh start   start it (idempotent: a running cluster is reused) and print
#                                  its libpq conninfo
#   sh tests/pg/cluster.sh url     print the conninfo of the running cluster
#   sh tests/pg/cluster.sh stop    stop it and remove the folder
# The folder is $MSOKO_PG_DIR, by default /tmp/msoko-pg-$(id -u)-<hash of the checkout>. As root
# the server runs as the user postgres (Debian's postgresql-15 makes it; initdb refuses root).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${MSOKO_PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${MSOKO_PG_DIR:-/tmp/msoko-pg-$(id -u)-$(printf '%s' "$root" | cksum | cut -d' ' -f1)}
if [ "$(id -u)" -eq 0 ]; then RUN="runuser -u postgres --"; DBUSER=postgres; else RUN=""; DBUSER=$(id -un); fi
url() { echo "host=$DIR dbname=msoko user=$DBUSER"; }
running() { [ -f "$DIR/data/postmaster.pid" ] && $RUN "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }
case ${1:-} in
start)
    if running; then url; exit 0; fi
    [ -x "$BIN/initdb" ] || { echo "cluster.sh: нет $BIN/initdb (sh scripts/deps.sh ставит postgresql-15)" >&2; exit 1; }
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ -n "$RUN" ] && chown postgres "$DIR"
    $RUN "$BIN/initdb" -D "$DIR/data" -U "$DBUSER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
    $RUN "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start || { cat "$DIR/server.log" >&2; exit 1; }
    $RUN "$BIN/createdb" -h "$DIR" -U "$DBUSER" msoko
    url ;;
url)
    running || { echo "cluster.sh: кластер не запущен ($DIR)" >&2; exit 1; }
    url ;;
stop)
    if running; then $RUN "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w -s stop || true; fi
    rm -rf "$DIR" ;;
*)
    echo "usage: sh tests/pg/cluster.sh start|stop|url" >&2; exit 2 ;;
esac
