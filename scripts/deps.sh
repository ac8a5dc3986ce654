#!/bin/sh
# Install the Debian 12 packages msoko needs to build, test and demo, if any are missing.
# Idempotent. As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev sqlite3 libsqlite3-dev libpq-dev postgresql-15
libjansson-dev libsodium-dev libmicrohttpd-dev libxlsxwriter-dev libzip-dev zlib1g-dev libexpat1-dev
libcairo2-dev libpango1.0-dev libinih-dev libcmocka-dev fonts-dejavu-core fonts-liberation2
poppler-utils valgrind jq unzip libxml2-utils
curl wrk chromium nodejs"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# npm ships inside some nodejs builds (NodeSource); ask Debian for it only when it is absent
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "msoko: не хватает пакетов Debian:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "Выполните от имени root: apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "msoko: установлено:$missing" >&2
