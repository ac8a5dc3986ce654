#!/bin/sh
# The whole roadmap in the browser (issue 14 п. 10) over HTTP (msoko serve, curl): /plan lists
# every item of the year, not only the overdue and this month's; filters by status, responsible,
# section and plan narrow the rows and keep their choices; each row's status drop-down opens at
# the item's own status, so saving a note never resets it; saving nothing new writes no audit
# row; an item's page takes evidence files (upload, download byte for byte, names cleaned, an
# empty file refused with the database unchanged) and shows its history in words; the school
# operator and the public can neither read nor add the roadmap's files.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb pw)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-03-15T09:00:00Z
q() { dbsql "$db" "$1"; }
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 12 --seed 3 >/dev/null
"$M" import --db "$db" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/004-izobilny-objectivity.csv" "$MSOKO_ROOT/methods/roadmaps/000-vladikavkaz-concept.csv" >/dev/null
sc=$(q "SELECT code FROM school ORDER BY code LIMIT 1")
"$M" user add ann --role analyst --password ann-pass-12 --db "$db" >/dev/null
"$M" user add op --role school --school "$sc" --password op-pass-123 --db "$db" >/dev/null
"$M" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log")
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
st() {
    jar=$1; path=$2; shift 2
    curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"
}
expect_status() { # NAME WANT JAR PATH [curl args…]
    name=$1; want=$2; shift 2
    got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 800 "$T/body" | sed 's/^/#   /'; fi
}
login() { : >"$1"; st "$1" /login >/dev/null
    tok=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//')
    st "$1" /login --data-urlencode "csrf=$tok" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
rows() { grep -c '<tr[^>]*><td data-label="План">' "$T/body"; }
an="$T/an.jar"; op="$T/op.jar"; pub="$T/pub.jar"; : >"$pub"
login "$an" ann ann-pass-12
login "$op" op op-pass-123

# ---- every item, and the filters ----
total=$(q "SELECT count(*) FROM plan_item WHERE year = 2024")
overdue=$("$M" plan list --db "$db" --year 2024 --overdue --json | jq .count)
expect_status "analyst: /plan" 200 "$an" "/plan?year=2024"
expect_eq "…every item of the year is a row, not only overdue and this month's" "$(rows)" "$total"
expect_grep "…the counts name them" "Пункты: $total из $total" "$T/body"
csrf=$(csrf_of)
expect_status "status=overdue" 200 "$an" "/plan?year=2024&status=overdue"
expect_eq "…as many rows as plan list --overdue" "$(rows)" "$overdue"
expect_grep "…the choice stays selected" '<option value="overdue" selected>' "$T/body"
resp=$(q "SELECT responsible FROM plan_item WHERE year = 2024 AND responsible = 'Руководители ОО' LIMIT 1")
n_resp=$(q "SELECT count(*) FROM plan_item WHERE year = 2024 AND responsible = 'Руководители ОО'")
expect_status "responsible=Руководители ОО" 200 "$an" "/plan?year=2024" -G --data-urlencode "responsible=$resp"
expect_eq "…only that responsible's items" "$(rows)" "$n_resp"
sect=$(q "SELECT section FROM plan_item WHERE year = 2024 AND roadmap = '000-vladikavkaz-concept' ORDER BY id LIMIT 1")
n_sect=$(q "SELECT count(*) FROM plan_item WHERE year = 2024 AND section = '$sect'")
expect_status "section and plan together" 200 "$an" "/plan?year=2024" -G --data-urlencode "section=$sect" --data-urlencode "roadmap=000-vladikavkaz-concept"
expect_eq "…the items of that section" "$(rows)" "$n_sect"
expect_status "a filter nothing passes" 200 "$an" "/plan?year=2024&status=cancelled"
expect_grep "…says so and offers the reset" "Под эти условия не подходит ни один пункт" "$T/body"

# ---- the drop-down opens at the item's own status ----
id=$(q "SELECT id FROM plan_item WHERE roadmap = '000-vladikavkaz-concept' AND number = '1.6'")
expect_status "in_progress with a note" 303 "$an" "/plan/$id/status" --data-urlencode "csrf=$csrf" --data "status=in_progress" --data-urlencode "note=Приказ № 5"
st "$an" "/plan?year=2024" >/dev/null
row=$(grep -o "<form method=\"post\" action=\"/plan/$id/status\".*</form>" "$T/body" | head -1)
case "$row" in
*'value="in_progress" selected'*) ok "…its row's drop-down opens at «выполняется», not the first status" ;;
*) not_ok "…its row's drop-down opens at «выполняется», not the first status"; echo "#   $row" | head -c 600 ;;
esac
case "$row" in *'value="Приказ № 5"'*) ok "…and its note is in the field" ;; *) not_ok "…and its note is in the field" ;; esac
a0=$(q "SELECT count(*) FROM audit")
expect_status "saving the row as it is" 303 "$an" "/plan/$id/status" --data-urlencode "csrf=$csrf" --data "status=in_progress" --data-urlencode "note=Приказ № 5"
expect_eq "…writes no audit row" "$(q "SELECT count(*) FROM audit")" "$a0"
expect_eq "…and keeps the status" "$(q "SELECT status || '|' || note FROM plan_item WHERE id = $id")" "in_progress|Приказ № 5"
expect_grep "…and says nothing was written" "same=$id" "$T/hdr"

# ---- evidence files on the item's page ----
expect_status "the item's page" 200 "$an" "/plan/$id?year=2024"
expect_grep "…its history in words, not codes" "Статус: выполняется; отметка: Приказ № 5" "$T/body"
if grep -q 'status=in_progress' "$T/body"; then not_ok "…no stored code in the history"; else ok "…no stored code in the history"; fi
printf '%%PDF-1.4 приказ\n' >"$T/prikaz.pdf"
head -c 300000 /dev/urandom >"$T/scan.png"
expect_status "a file attached" 303 "$an" "/plan/$id/files" -F "csrf=$csrf" -F "file=@$T/prikaz.pdf;filename=../../etc/Приказ № 5.pdf"
fid=$(q "SELECT max(id) FROM plan_file WHERE plan_item_id = $id")
expect_eq "…stored under a cleaned name" "$(q "SELECT name FROM plan_file WHERE id = $fid")" "Приказ № 5.pdf"
expect_eq "…one audit row plan.attach" "$(q "SELECT action FROM audit ORDER BY id DESC LIMIT 1")" "plan.attach"
expect_status "a 300 KB scan attached" 303 "$an" "/plan/$id/files" -F "csrf=$csrf" -F "file=@$T/scan.png"
expect_status "…downloaded" 200 "$an" "/plan/files/$(q "SELECT max(id) FROM plan_file")"
expect_eq "…byte for byte" "$(sha256sum <"$T/body")" "$(sha256sum <"$T/scan.png")"
expect_grep "…as an attachment with its name" "UTF-8''scan.png" "$T/hdr"
st "$an" "/plan/$id?year=2024" >/dev/null
expect_grep "…the page lists both files" "Приказ № 5.pdf" "$T/body"
expect_grep "…with sizes" "293 КБ" "$T/body"
st "$an" "/plan?year=2024" >/dev/null
expect_grep "…the roadmap row counts them" "Файлы подтверждения пункта 1.6: 2" "$T/body"
sum=$("$M" stats --db "$db" --checksum)
: >"$T/empty.pdf"
expect_status "an empty file is refused" 422 "$an" "/plan/$id/files" -F "csrf=$csrf" -F "file=@$T/empty.pdf"
expect_grep "…saying why" "файл пуст" "$T/body"
head -c 6000000 /dev/zero >"$T/big.pdf"
expect_status "a file over 5 MB is refused" 422 "$an" "/plan/$id/files" -F "csrf=$csrf" -F "file=@$T/big.pdf"
expect_grep "…saying the limit" "больше 5 МБ" "$T/body"
expect_status "no file chosen" 422 "$an" "/plan/$id/files" -F "csrf=$csrf"
expect_status "without the CSRF token" 403 "$an" "/plan/$id/files" -F "file=@$T/prikaz.pdf"
expect_eq "…the database is as it was" "$("$M" stats --db "$db" --checksum)" "$sum"
expect_status "an item that does not exist" 404 "$an" "/plan/999999?year=2024"
expect_status "a file that does not exist" 404 "$an" "/plan/files/999999"

# ---- who may not ----
expect_status "the school operator cannot read a roadmap file" 403 "$op" "/plan/files/$fid"
expect_status "…nor open an item" 403 "$op" "/plan/$id"
st "$op" "/" >/dev/null; ocsrf=$(csrf_of)
expect_status "…nor attach" 403 "$op" "/plan/$id/files" -F "csrf=$ocsrf" -F "file=@$T/prikaz.pdf"
st "$pub" "/plan/files/$fid" >/dev/null
if grep -q 'PDF-1.4' "$T/body"; then not_ok "the public cannot read a roadmap file"; else ok "the public cannot read a roadmap file"; fi
expect_eq "…nothing written" "$("$M" stats --db "$db" --checksum)" "$sum"

kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done_testing
