#!/bin/sh
# Every use case through both doors (src/app/, docs/app.md): two databases built the same way;
# on one the verbs run through the CLI, on the other through the web (msoko serve, curl) —
# import (after its dry run), a re-import that replaces rows, undo, analysis, a form filled,
# submitted and approved, a roadmap item's status, a school's answer to a flag rejected and
# another accepted; the admin's user and form changes (add, role, reset, disable, enable,
# delete, a form uploaded and assigned). The two databases end equal (every table but the
# sessions) and so do their audit rows (action, object, before, after, login; the role differs by design: the CLI's
# operator acts as admin, the web's account as analyst).
# Every use case leaves exactly one audit row; the rows a re-import replaces are its before
# image; the CLI never leaves an empty actor.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 missing (scripts/deps.sh)"; exit 0; }
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-10T08:00:00Z USER=ann
A=$(newdb cli) B=$(newdb web)
F="$T/files"
mkdir -p "$F"
build() {
    "$M" init --db "$1" >/dev/null &&
        "$M" demo --db "$1" --schools 12 --years 2023-2024 --seed 3 >/dev/null &&
        "$M" form load --db "$1" "$MSOKO_ROOT/methods/forms/risk-context.ini" >/dev/null &&
        "$M" import --db "$1" --kind plan --year 2024 "$MSOKO_ROOT/methods/roadmaps/000-vladikavkaz-concept.csv" >/dev/null &&
        "$M" user add ann --role analyst --password ann-pass-12 --db "$1" >/dev/null &&
        USER=ann "$M" user add root --role admin --password root-pass-123 --db "$1" >/dev/null
}
build "$A" && build "$B" && ok "two databases built the same way" || not_ok "building the databases"

# every table but the web's sessions and the model snapshot with its change counter (a cache,
# written by the first read after a change), row by row (users without their salted hashes);
# the audit is compared on its own
# a table's rows in order; meta without the file's random identity (store_id, msoko migrate)
rows_of() {
    if [ "$2" = meta ]; then dbsql "$1" "SELECT * FROM meta WHERE key <> 'store_id' ORDER BY 1"
    else dbsql "$1" "SELECT * FROM \"$2\" ORDER BY 1, 2"; fi
}
digest() {
    for t in $(dbtables "$1" | grep -vx 'session\|audit\|user\|model_snapshot\|model_stamp'); do
        echo "== $t"; rows_of "$1" "$t"
    done | sha256sum | cut -c1-16
    dbsql "$1" "SELECT id, login, role, school_id, created_at, disabled FROM \"user\" ORDER BY id" | sha256sum | cut -c1-16
}
# the tables whose rows differ (for the message of a failed comparison)
differ() {
    for t in $(dbtables "$A" | grep -vx 'session\|audit\|user\|model_snapshot\|model_stamp'); do
        [ "$(rows_of "$A" "$t")" = "$(rows_of "$B" "$t")" ] || printf '%s ' "$t"
    done
}
same_dbs() { # NAME
    if [ "$(digest "$A")" = "$(digest "$B")" ]; then ok "$1"; else not_ok "$1: tables differ: $(differ)"; fi
}
audit_rows() { dbsql "$1" "SELECT id, \"user\", action, object, coalesce(before, '-'), coalesce(after, '-') FROM audit WHERE id > $2 ORDER BY id"; }
nrows() { dbsql "$1" "SELECT count(*) FROM audit"; }
same_dbs "…equal before any use case"
base=$(nrows "$A")
expect_eq "…with as many audit rows" "$(nrows "$B")" "$base"
expect_eq "the CLI's actor is \$USER" "$(dbsql "$A" "SELECT \"user\" || '/' || role FROM audit ORDER BY id DESC LIMIT 1")" "ann/admin"
expect_eq "no audit row has an empty actor" "$(dbsql "$A" "SELECT count(*) FROM audit WHERE \"user\" = ''")" 0
( unset USER; "$M" plan set-status --db "$A" "$(dbsql "$A" "SELECT id FROM plan_item ORDER BY id LIMIT 1")" planned >/dev/null )
expect_eq "…without \$USER the CLI acts as cli-UID" "$(dbsql "$A" "SELECT \"user\" FROM audit ORDER BY id DESC LIMIT 1")" "cli-$(id -u)"
dbsql "$A" "DELETE FROM audit WHERE id > $base; UPDATE plan_item SET updated_at = NULL, updated_by = NULL"
same_dbs "…(undone by hand, the databases are equal again)"

"$M" serve --db "$B" --listen 127.0.0.1:0 --threads 2 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; cat "$T/serve.log"; kill "$pid"; done_testing; exit 1; }
j="$T/ann.jar"
st() { jar=$1; path=$2; shift 2; curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
st "$j" /login >/dev/null
tok=$(csrf_of)
st "$j" /login --data-urlencode "csrf=$tok" --data-urlencode "login=ann" --data-urlencode "password=ann-pass-12" >/dev/null
st "$j" /imports >/dev/null
csrf=$(csrf_of)
[ -n "$csrf" ] && ok "signed in on the web" || not_ok "no CSRF token after signing in"

# one verb on both doors: the audit grows by WANT rows on each
# both NAME WANT 'CLI command' 'web command'
both() {
    name=$1; want=$2
    na=$(nrows "$A"); nb=$(nrows "$B")
    if sh -c "$3" >"$T/cli.out" 2>&1; then ok "$name: CLI"; else not_ok "$name: CLI"; sed 's/^/#   /' "$T/cli.out" | head -10; fi
    code=$(eval "$4")
    case "$code" in 2??|3??) ok "$name: web ($code)";; *) not_ok "$name: web (HTTP $code)"; head -c 600 "$T/body" | sed 's/^/#   /';; esac
    expect_eq "…$want audit row(s) through the CLI" "$(($(nrows "$A") - na))" "$want"
    expect_eq "…$want audit row(s) through the web" "$(($(nrows "$B") - nb))" "$want"
    same_dbs "…the databases are equal"
}
q() { dbsql "$A" "$1"; }
# aj DB COLUMN FILTER: jq's FILTER over the before or after image of DB's last audit row
aj() { dbsql "$1" "SELECT coalesce($2, 'null') FROM audit ORDER BY id DESC LIMIT 1" | jq -r "$3"; }
MQ="\"$M\""

# ---- a refused file: the web's messages name the file, not the folder it was staged in ----
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000002;u001;10;9\n' >"$F/bad.csv"
code=$(st "$j" /imports -F "csrf=$csrf" -F "file=@$F/bad.csv")
expect_eq "a bad file through the web: 422" "$code" 422
expect_grep "…the message names bad.csv, row and column" "bad.csv:2:8: " "$T/body"
if grep -q "msoko-upload" "$T/body"; then not_ok "…the staging folder shows in the message"; else ok "…no staging folder in the message"; fi

# ---- import: a dry run writes nothing, the import one row ----
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000002;u001;10;4\n2024;РКР;математика;7;sch000002;u002;7;3\n2024;РКР;математика;7;sch000002;u003;3;2\n' >"$F/rkr.csv"
both "dry run" 0 "cd '$F' && $MQ import --db '$A' --dry-run rkr.csv" "st '$j' /imports -F 'csrf=$csrf' -F 'file=@$F/rkr.csv'"
token=$(grep -o 'name="token" value="[0-9a-f]*"' "$T/body" | sed 's/.*value="//;s/"$//')
both "import" 1 "cd '$F' && $MQ import --db '$A' rkr.csv" "st '$j' /imports/confirm -d 'csrf=$csrf&token=$token&name=rkr.csv'"
expect_eq "…the batch is named as the file, on both" "$(q "SELECT file_name FROM import_batch ORDER BY id DESC LIMIT 1")" rkr.csv
expect_eq "…its audit row: the file, no before image, the batch after" \
    "$(q "SELECT object || '|' || coalesce(before, 'null') FROM audit ORDER BY id DESC LIMIT 1")|$(aj "$A" after '"\(.batches[0].file) \(.batches[0].rows_loaded)"')" "rkr.csv|null|rkr.csv 3"

# ---- a corrected file replaces the school's rows: they stay in the audit as the before image ----
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;7;sch000002;u001;11;5\n2024;РКР;математика;7;sch000002;u004;6;3\n' >"$F/rkr-fixed.csv"
"$M" import --db "$A" --dry-run "$F/rkr-fixed.csv" >/dev/null
st "$j" /imports -F "csrf=$csrf" -F "file=@$F/rkr-fixed.csv" >/dev/null
token=$(grep -o 'name="token" value="[0-9a-f]*"' "$T/body" | sed 's/.*value="//;s/"$//')
both "re-import" 1 "cd '$F' && $MQ import --db '$A' rkr-fixed.csv" "st '$j' /imports/confirm -d 'csrf=$csrf&token=$token&name=rkr-fixed.csv'"
img=$(q "SELECT before FROM audit ORDER BY id DESC LIMIT 1")
expect_eq "…the replaced rows are the before image" "$(echo "$img" | jq -r '[.rows.result[].pupil_code] | join(",")')" "u001,u002,u003"
expect_eq "…with their values" "$(echo "$img" | jq -r '[.rows.result[] | select(.pupil_code == "u001") | .mark][0]')" 4
expect_eq "…and the batch that loaded them" "$(echo "$img" | jq -r '[.rows.result[].batch_id] | unique | length')" 1
expect_eq "…all of them kept" "$(echo "$img" | jq -r '"\(.rows_replaced) \(.kept)"')" "3 3"

# ---- undo ----
batch=$(q "SELECT max(id) FROM import_batch")
both "undo" 1 "$MQ import --db '$A' --undo $batch" "st '$j' /imports/$batch/undo -d 'csrf=$csrf'"
expect_eq "…before: the active batch; after: undone, with the rows removed" \
    "$(aj "$A" before '.undone_at == null') $(aj "$A" after '.undone_at != null and .removed == 2')" "true true"

# ---- analysis ----
both "analysis" 1 "$MQ analyze --db '$A' --year 2024" "st '$j' /analyze -d 'csrf=$csrf&year=2024'"
expect_eq "…after: the stored run with its findings" "$(aj "$A" after '"\(.year) \(.findings.rating > 0)"')" "2024 true"
both "analysis again" 1 "$MQ analyze --db '$A' --year 2024" "st '$j' /analyze -d 'csrf=$csrf&year=2024'"
expect_eq "…before: the run it replaces" "$(aj "$A" before '.run != null')" true

# ---- a monitoring form: filled, filled again, submitted, approved ----
sc=sch000004
# the form's fields in its order (the web posts them so), with «no internet»
vals=$(q "SELECT fe.element || '=' || CASE fe.element WHEN 'internet' THEN 0 ELSE CAST(dv.value AS INTEGER) END FROM form_element fe JOIN data_value dv ON dv.element = fe.element JOIN school s ON s.id = dv.school_id WHERE fe.form = 'risk_context' AND s.code = '$sc' AND dv.period = '2024' ORDER BY fe.ord" | paste -sd' ' -)
webvals=""
for kv in $vals; do webvals="$webvals --data-urlencode v_$kv"; done
both "form fill (a new draft)" 1 "$MQ form fill --db '$A' risk_context --school $sc --period 2024 $vals" \
    "st '$j' /forms/risk_context/$sc --data-urlencode 'csrf=$csrf' --data period=2024 --data action=save $webvals"
# the web's «submit» saves the fields first: two use cases, two rows
both "form fill and submit" 2 "$MQ form fill --db '$A' risk_context --school $sc --period 2024 $vals && $MQ form submit --db '$A' risk_context --school $sc --period 2024" \
    "st '$j' /forms/risk_context/$sc --data-urlencode 'csrf=$csrf' --data period=2024 --data action=submit $webvals"
both "form approval" 1 "$MQ form approve --db '$A' risk_context --school $sc --period 2024" \
    "st '$j' /forms/risk_context/$sc/approve --data-urlencode 'csrf=$csrf' --data period=2024"
expect_eq "…the steps, in order" "$(q "SELECT action FROM audit WHERE object LIKE 'submission:%' ORDER BY id" | paste -sd' ' -)" "form.draft form.fill form.submitted form.approved"
expect_eq "…approval: submitted before, approved after" "$(aj "$A" before .status)→$(aj "$A" after '"\(.status) \(.values.internet)"')" "submitted→approved 0"

# ---- the roadmap: a status ----
item=$(q "SELECT id FROM plan_item WHERE number = '1.6' ORDER BY id LIMIT 1")
both "plan status" 1 "$MQ plan set-status --db '$A' $item done --note 'Приказ № 7'" \
    "st '$j' /plan/$item/status --data-urlencode 'csrf=$csrf' --data status=done --data-urlencode 'note=Приказ № 7'"

# ---- the schools' answers to their flags: the analyst rejects one, accepts another ----
# (a school's operator writes them in the browser, tests/cli/answer.sh; here the same two rows
# are put in both databases by hand, so that only the decisions go through the two doors)
fs=$(q "SELECT s.code FROM finding f JOIN school s ON s.id = f.school_id WHERE f.method = 'shnor' AND f.year = 2024 AND f.verdict NOT IN ('none', '') ORDER BY s.code LIMIT 1")
for d in "$A" "$B"; do
    dbsql "$d" "INSERT INTO flag_answer(school_id, list, year, text, created_at, created_by)
        SELECT id, l, 2024, 'Работы проверены повторно', '2024-10-10T08:00:00Z', 'op'
        FROM school, (SELECT 'shnor' AS l UNION ALL SELECT 'rating') AS lists WHERE code = '$fs' ORDER BY l DESC"
done
a1=$(q "SELECT id FROM flag_answer WHERE list = 'shnor'"); a2=$(q "SELECT id FROM flag_answer WHERE list = 'rating'")
[ -n "$fs" ] && [ -n "$a1" ] && [ -n "$a2" ] && ok "two answers of a ШНОР school ($fs) wait" || not_ok "no answers to decide"
same_dbs "…the databases are equal"
both "answer reject" 1 "$MQ answer reject --db '$A' $a1 --comment 'Протокол не подписан'" \
    "st '$j' /answers/$a1/reject --data-urlencode 'csrf=$csrf' --data-urlencode 'comment=Протокол не подписан'"
expect_eq "…submitted before, rejected with the comment after" "$(q "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1") $(aj "$A" before .status)→$(aj "$A" after .status)" "answer.reject flag:$fs:shnor:2024 submitted→rejected"
both "answer accept" 1 "$MQ answer accept --db '$A' $a2" "st '$j' /answers/$a2/accept --data-urlencode 'csrf=$csrf' --data-urlencode 'comment='"
expect_eq "…stored as accepted by ann" "$(q "SELECT status || ' ' || reviewed_by FROM flag_answer WHERE id = $a2")" "accepted ann"

# ---- a management decision and its file (issue 15 item 4) ----
both "decision add" 1 "$MQ decision add --db '$A' --year 2024 --kind приказ --number 45-о --date 12.09.2024 --text 'Об адресной помощи' --list shnor --school '$fs' --responsible 'Методический кабинет' --due 31.05.2025" \
    "st '$j' '/decisions?year=2024' --data-urlencode 'csrf=$csrf' --data 'year=2024&kind=order&number=45-о&date=12.09.2024&list=shnor&school=$fs&due=31.05.2025' --data-urlencode 'text=Об адресной помощи' --data-urlencode 'responsible=Методический кабинет'"
expect_eq "…the audit row names the decision and its school" "$(q "SELECT action || ' ' || object FROM audit ORDER BY id DESC LIMIT 1") $(aj "$A" after .schools)" "decision.add decision:1 $fs"
printf '%%PDF-1.4 приказ\n' >"$F/prikaz.pdf"
both "decision attach" 1 "cd '$F' && $MQ decision attach --db '$A' 1 prikaz.pdf" "st '$j' /decisions/1/files -F 'csrf=$csrf' -F 'file=@$F/prikaz.pdf'"

# ---- refused use cases write nothing, audit nothing ----
na=$(nrows "$A"); nb=$(nrows "$B")
expect_exit 1 "an undo of a batch undone already is refused" "$M" import --db "$A" --undo "$batch"
code=$(st "$j" "/imports/$batch/undo" -d "csrf=$csrf")
expect_eq "…on the web too (422)" "$code" 422
expect_exit 1 "an approved form cannot be filled" "$M" form fill --db "$A" risk_context --school $sc --period 2024 internet=1
expect_exit 1 "an answer decided already is not decided again" "$M" answer accept --db "$A" "$a1"
code=$(st "$j" "/answers/$a1/accept" --data-urlencode "csrf=$csrf" --data-urlencode "comment=")
case "$code" in 4??) ok "…on the web either ($code)";; *) not_ok "…on the web: HTTP $code";; esac
expect_eq "…no audit row on either side" "$(nrows "$A") $(nrows "$B")" "$na $nb"
same_dbs "…the databases are still equal"

# ---- the audit rows: equal but for the role ----
audit_rows "$A" "$base" >"$T/a.txt"
audit_rows "$B" "$base" >"$T/b.txt"
expect_eq "the audit rows through both doors are equal (action, object, before, after, login)" "$(cmp -s "$T/a.txt" "$T/b.txt" && echo same || diff "$T/a.txt" "$T/b.txt" | head -5)" same
expect_eq "…as many as the use cases (14)" "$(wc -l <"$T/a.txt")" 14
roles() { dbsql "$1" "SELECT DISTINCT role FROM audit WHERE id > $2 ORDER BY role" | paste -sd, -; }
expect_eq "…the role differs by design" "$(roles "$A" "$base")|$(roles "$B" "$base")" "admin|analyst"
expect_eq "every before and after image is JSON (or none), but the roadmap's legacy text" \
    "$(dbsql "$A" "SELECT before FROM audit WHERE id > $base AND action <> 'plan.status' AND before IS NOT NULL
        UNION ALL SELECT after FROM audit WHERE id > $base AND action <> 'plan.status' AND after IS NOT NULL" |
        jq . >/dev/null 2>&1 && echo 0 || echo "not JSON")" 0

# ---- the admin's use cases (src/web/admin.c, msoko user, msoko form assign): the same rows ----
# (the web's admin is root; the CLI acts as USER=root, so the audit's logins are equal too)
jr="$T/root.jar"
st "$jr" /login >/dev/null
tok=$(csrf_of)
st "$jr" /login --data-urlencode "csrf=$tok" --data-urlencode "login=root" --data-urlencode "password=root-pass-123" >/dev/null
st "$jr" /admin/users >/dev/null
rcsrf=$(csrf_of)
[ -n "$rcsrf" ] && ok "the admin signed in on the web" || not_ok "the admin: no CSRF token"
base2=$(nrows "$A")
RQ="USER=root $MQ"
both "user add" 1 "$RQ user add --db '$A' kim --role school --school sch000003 --password kim-pass-1234" \
    "st '$jr' /admin/users --data-urlencode 'csrf=$rcsrf' -d 'login=kim&role=school&school=sch000003'"
both "user role" 1 "$RQ user role --db '$A' kim --role analyst" \
    "st '$jr' /admin/users/kim/role --data-urlencode 'csrf=$rcsrf' -d 'role=analyst&school='"
both "user passwd (the web's reset)" 1 "$RQ user passwd --db '$A' kim --password kim-pass-5678" \
    "st '$jr' /admin/users/kim/password --data-urlencode 'csrf=$rcsrf'"
both "user disable" 1 "$RQ user disable --db '$A' kim" "st '$jr' /admin/users/kim/disable --data-urlencode 'csrf=$rcsrf'"
both "user enable" 1 "$RQ user enable --db '$A' kim" "st '$jr' /admin/users/kim/enable --data-urlencode 'csrf=$rcsrf'"
both "user delete" 1 "$RQ user delete --db '$A' kim" "st '$jr' /admin/users/kim/delete --data-urlencode 'csrf=$rcsrf' -d confirm=yes"
both "form load (the web's upload)" 1 "cd '$MSOKO_ROOT/methods/forms' && $RQ form load --db '$A' shnor-support.ini" \
    "st '$jr' /admin/forms -F 'csrf=$rcsrf' -F 'file=@$MSOKO_ROOT/methods/forms/shnor-support.ini'"
both "form assign" 1 "$RQ form assign --db '$A' shnor_support --schools risk --due-days 20" \
    "st '$jr' /admin/forms/shnor_support/assign --data-urlencode 'csrf=$rcsrf' -d 'schools=risk&due_days=20'"
audit_rows "$A" "$base2" >"$T/a2.txt"
audit_rows "$B" "$base2" >"$T/b2.txt"
expect_eq "the admin's audit rows through both doors are equal" "$(cmp -s "$T/a2.txt" "$T/b2.txt" && echo same || diff "$T/a2.txt" "$T/b2.txt" | head -5)" same
expect_eq "…in order, with the role admin on both" "$(dbsql "$A" "SELECT action || '/' || role FROM audit WHERE id > $base2 ORDER BY id" | paste -sd' ' -)|$(roles "$B" "$base2")" \
    "user.add/admin user.role/admin user.passwd/admin user.disable/admin user.enable/admin user.delete/admin form.load/admin form.assign/admin|admin"
na=$(nrows "$A"); nb=$(nrows "$B")
expect_exit 1 "the last admin cannot be made an analyst (CLI)" "$M" user role --db "$A" root --role analyst
code=$(st "$jr" /admin/users/root/role --data-urlencode "csrf=$rcsrf" -d 'role=analyst')
expect_eq "…nor on the web (422)" "$code" 422
expect_exit 2 "a form assigned to no known list is refused (CLI: usage)" "$M" form assign --db "$A" shnor_support --schools gold
expect_eq "…no audit row on either side" "$(nrows "$A") $(nrows "$B")" "$na $nb"
same_dbs "…the databases are still equal"

# ---- the other use cases leave one row each too (CLI) ----
one() { # NAME CMD…
    name=$1; shift
    n0=$(nrows "$A")
    if "$@" >"$T/out" 2>"$T/err"; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' "$T/err" | head -5; fi
    expect_eq "…one audit row" "$(($(nrows "$A") - n0))" 1
}
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;6;sch000007;w001;9;4\n' >"$F/two-a.csv"
printf 'Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка\n2024;РКР;математика;6;sch000008;w002;5;3\n' >"$F/two-b.csv"
one "two files in one command (one transaction)" sh -c "cd '$F' && '$M' import --db '$A' two-a.csv two-b.csv"
expect_eq "…one row naming both, with both batches" "$(q "SELECT object FROM audit ORDER BY id DESC LIMIT 1") $(aj "$A" after '.batches | length')" "two-a.csv, two-b.csv 2"
printf 'справка\n' >"$F/note.txt"
one "plan attach" "$M" plan attach --db "$A" "$item" "$F/note.txt"
one "user add" "$M" user add op --role school --school sch000001 --password op-pass-123 --db "$A"
n0=$(nrows "$A")
expect_exit 1 "an empty login is refused" "$M" user add "" --role analyst --password empty-pass-1 --db "$A"
expect_grep "…told why" "имя пользователя не может быть пустым" "$T/err"
expect_eq "…no user, no audit row" "$(q "SELECT count(*) FROM \"user\" WHERE login = ''") $(($(nrows "$A") - n0))" "0 0"
one "user role" "$M" user role op --role analyst --db "$A"
expect_eq "…before and after of the role" "$(aj "$A" before .role)→$(aj "$A" after .role)" "school→analyst"
one "user passwd" "$M" user passwd op --password op-pass-456 --db "$A"
expect_eq "…the hash is never in the audit" "$(q "SELECT count(*) FROM audit WHERE coalesce(before, '') || coalesce(after, '') LIKE '%argon2%'")" 0
v5=$(q "SELECT element || '=' || CAST(value AS INTEGER) FROM data_value dv JOIN school s ON s.id = dv.school_id WHERE s.code = 'sch000005' AND period = '2024' AND element IN (SELECT element FROM form_element WHERE form = 'risk_context')" | paste -sd' ' -)
# shellcheck disable=SC2086
one "form fill" "$M" form fill --db "$A" risk_context --school sch000005 --period 2024 $v5
one "form submit" "$M" form submit --db "$A" risk_context --school sch000005 --period 2024
one "form return" "$M" form return --db "$A" risk_context --school sch000005 --period 2024 --comment "Проверьте"
expect_eq "…its comment in the after image" "$(aj "$A" after '"\(.status): \(.comment)"')" "returned: Проверьте"
one "recheck sample" "$M" recheck sample --db "$A" --year 2024 --procedure VPR:math:5 --per-school 2 --control 1 --seed 7 -o "$F/sample.csv"
round=$(q "SELECT max(id) FROM recheck_round")
{ echo "Код ОО;Код участника;Первичный балл"
  q "SELECT s.code || ';' || r.pupil_code || ';' || r.primary_score FROM recheck_work w JOIN result r ON r.id = w.result_id JOIN school s ON s.id = w.school_id WHERE w.round_id = $round"; } >"$F/experts.csv"
one "recheck import" "$M" recheck import --db "$A" --round "$round" "$F/experts.csv"
one "form load" "$M" form load --db "$A" "$MSOKO_ROOT/methods/forms/attendance-monthly.ini"
expect_eq "…every use case's row names its actor" "$(q "SELECT count(*) FROM audit WHERE \"user\" = '' OR role = ''")" 0

# ---- a re-import of more rows than the audit keeps in full: counted, the first 10,000 kept ----
awk 'BEGIN { print "Год;Процедура;Предмет;Параллель;Код ОО;Код участника;Первичный балл;Отметка"
             for (i = 1; i <= 10050; i++) printf "2024;МКР;математика;8;sch000006;m%05d;%d;%d\n", i, i % 20, 2 + i % 4 }' >"$F/big.csv"
"$M" import --db "$A" "$F/big.csv" >/dev/null && "$M" import --db "$A" "$F/big.csv" >/dev/null
expect_eq "a re-import of 10,050 rows: all counted, 10,000 kept in the before image" \
    "$(aj "$A" before '"\(.rows_replaced) \(.kept) \(.rows.result | length)"')" "10050 10000 10000"

# ---- one view of the roadmap and the forms everywhere (src/view/plan.c, src/view/form.c) ----
st "$j" "/plan?year=2024" -H 'Accept: application/json' >/dev/null
jq -S '.plan' "$T/body" >"$T/web-plan.json"
jq -c '.plan_years' "$T/body" >"$T/web-years.json"
"$M" show --db "$B" --year 2024 plan >"$T/show.json"
jq -S 'del(.statuses, .plan_years)' "$T/show.json" >"$T/show-plan.json"
expect_eq "…the years the selector offers are msoko show plan's" "$(jq -c '.plan_years' "$T/show.json")" "$(cat "$T/web-years.json")"
expect_eq "/plan and msoko show plan are the same JSON" "$(cmp -s "$T/web-plan.json" "$T/show-plan.json" && echo same || echo differ)" same
expect_eq "…with items" "$(jq '.overdue_count + .due_count > 0' "$T/show-plan.json")" true
"$M" plan list --db "$B" --year 2024 --overdue --json >"$T/list.json"
expect_eq "plan list --json has the web's items, key for key" "$(jq -S '.items' "$T/list.json" | sha256sum)" "$(jq -S '.overdue_items' "$T/show-plan.json" | sha256sum)"
st "$j" "/forms?year=2024" -H 'Accept: application/json' >/dev/null
expect_eq "/forms and msoko show forms are the same JSON" "$(jq -S '.forms' "$T/body" | sha256sum)" "$("$M" show --db "$B" --year 2024 forms | jq -S '.forms' | sha256sum)"
st "$j" "/forms/risk_context?period=2024" -H 'Accept: application/json' >/dev/null
expect_eq "/forms/risk_context and msoko show form are the same JSON" "$(jq -S '.schools' "$T/body" | sha256sum)" "$("$M" show --db "$B" --year 2024 form risk_context | jq -S '.schools' | sha256sum)"
expect_eq "…a submitted-and-approved school's wording" "$(jq -r ".schools[] | select(.code == \"$sc\") | .status_label" "$T/body")" "утверждена"
st "$j" "/forms/risk_context/$sc?period=2024" -H 'Accept: application/json' >/dev/null
expect_eq "a school's form: the web's fields and history are msoko show form --school's" \
    "$(jq -S '[.fields, .history, .status_label, .editable]' "$T/body" | sha256sum)" \
    "$("$M" show --db "$B" --year 2024 form risk_context --school $sc | jq -S '[.fields, .history, .status_label, .editable]' | sha256sum)"
expect_eq "…approved, not editable, the history of the approval" "$(jq -r '"\(.status_label) \(.editable) \([.history[] | select(.stage == "утверждено")] | length > 0)"' "$T/body")" "утверждена false true"
expect_exit 1 "…another school's operator may not see it" "$M" show --db "$B" --year 2024 --role school:sch000001 form risk_context --school $sc
st "$j" "/forms/risk_context/table?period=2024" -H 'Accept: application/json' >/dev/null
# the web prints reals with more digits than msoko show (JSON_REAL_PRECISION(6)): compare rounded
R='walk(if type == "number" then (. * 10000 | round) / 10000 else . end)'
# (the page adds its template helpers, such as is_share beside a unit: src/web/page.c)
jq -S "$R"' | del(.. | .is_share?) | [.columns, .rows, .municipal, .prev_period]' "$T/body" >"$T/web-table.json"
"$M" show --db "$B" --year 2024 form-table risk_context | jq -S "$R"' | [.columns, .rows, .municipal, .prev_period]' >"$T/show-table.json"
if cmp -s "$T/web-table.json" "$T/show-table.json"; then ok "a form's table: /forms/X/table is msoko show form-table"; else
    not_ok "a form's table: /forms/X/table is msoko show form-table"; diff "$T/web-table.json" "$T/show-table.json" | head -10 | sed 's/^/#   /'; fi
expect_eq "…with its schools" "$(jq '.rows | length' "$T/body")" 12
expect_exit 1 "…the analyst's, as on the web" "$M" show --db "$B" --year 2024 --role school:sch000001 form-table risk_context
expect_exit 1 "msoko show plan is the analyst's, as /plan" "$M" show --db "$B" --year 2024 --role public plan

# ---- a page view writes nothing, even when a due date waits for a procedure's date ----
dbsql "$B" "UPDATE plan_item SET due_kind = '' WHERE id = $item"
sum=$("$M" stats --db "$B" --checksum)
st "$j" "/?year=2024" >/dev/null
st "$j" "/plan?year=2024" >/dev/null
expect_eq "the dashboard and /plan leave the database as it was" "$("$M" stats --db "$B" --checksum)" "$sum"
expect_ok "…the CLI's plan list refreshes it (a write, audited)" "$M" plan list --db "$B" --year 2024
# last_audit DB BEFORE AFTER: the last audit row's action, object and actor, then the fields of
# its before and after images the jq filters BEFORE and AFTER pick (json_extract is SQLite's)
last_audit() {
    printf '%s' "$(dbsql "$1" "SELECT action || ' ' || object || ' ' || \"user\" || '/' || role FROM audit ORDER BY id DESC LIMIT 1")"
    for w in before:"$2" after:"$3"; do
        dbsql "$1" "SELECT coalesce(${w%%:*}, 'null') FROM audit ORDER BY id DESC LIMIT 1" | jq -r "${w#*:}" | sed 's/^/ /' | tr -d '\n'
    done; echo
}
expect_eq "…one plan.refresh row" "$(dbsql "$B" "SELECT action FROM audit ORDER BY id DESC LIMIT 1") $(dbsql "$B" "SELECT after FROM audit ORDER BY id DESC LIMIT 1" | jq -r .updated)" "plan.refresh 1"

# ---- the account's changes on the web are use cases too (src/app/user.c): one row each, with
# the whole actor and before/after images that hold no secret ----
nb=$(nrows "$B")
code=$(st "$j" /account/password --data-urlencode "csrf=$csrf" -d "current=ann-pass-12&password=ann-pass-345&password2=ann-pass-345")
expect_eq "the web's password change (303)" "$code" 303
expect_eq "…one audit row" "$(($(nrows "$B") - nb))" 1
expect_eq "…user.passwd of ann by ann, the analyst, as the CLI writes it" \
    "$(last_audit "$B" '.login, .role' '.password, .sessions')" \
    "user.passwd ann ann/analyst ann analyst changed ended"
expect_eq "…no hash and no password in the row" \
    "$(dbsql "$B" "SELECT count(*) FROM audit WHERE id > $nb AND (coalesce(before, '') || coalesce(after, '') LIKE '%argon2%' OR coalesce(before, '') || coalesce(after, '') LIKE '%ann-pass%')")" 0
st "$j" /account >/dev/null
csrf=$(csrf_of)
[ -n "$csrf" ] && ok "…this browser goes on in a new session" || not_ok "…signed out after the change"
nb=$(nrows "$B")
code=$(st "$j" /logout/all --data-urlencode "csrf=$csrf")
expect_eq "log out on all devices (303)" "$code" 303
expect_eq "…one audit row: session.end_all of ann by ann/analyst, its sessions ended" \
    "$(($(nrows "$B") - nb)) $(last_audit "$B" .login .sessions)" \
    "1 session.end_all ann ann/analyst ann ended"
expect_eq "…no session of ann is left" "$(dbsql "$B" "SELECT count(*) FROM session JOIN \"user\" u ON u.id = session.user_id WHERE u.login = 'ann'")" 0

kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_testing
