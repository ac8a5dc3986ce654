#!/bin/sh
# The evidence card of a flag and the school's answer (issue 16 items 5–6), over HTTP with
# curl on the demo: the operator of a ШНОР school opens the card of their flag (numbers, the
# threshold, a chart), cannot open another school's card, and answers with a file; the answer
# and its audit row are written; a second answer while one waits is refused; the analyst
# rejects it with a comment (a rejection without one is refused), the operator sees the
# comment and answers again; the analyst accepts and the card says «пояснение принято»; a
# guest gets no card; the JSON of the card is the same model; `msoko answer` lists, rejects and
# accepts at the console, and the operator sees those decisions in the browser.
. "$(dirname "$0")/tap.inc"
command -v curl >/dev/null || { echo "1..0 # SKIP curl missing (scripts/deps.sh)"; exit 0; }
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
export MSOKO_METHODS="$MSOKO_ROOT/methods"
"$M" demo --db "$db" --schools 30 --years 2023-2024 --seed 1 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
sch=$(dbsql "$db" "SELECT s.code FROM finding f JOIN school s ON s.id=f.school_id
      JOIN analysis_run r ON r.id=f.run_id WHERE f.method='shnor' AND f.year=2024
      AND f.verdict<>'none' AND f.verdict<>'' ORDER BY s.code LIMIT 1")
other=$(dbsql "$db" "SELECT code FROM school WHERE code<>'$sch' ORDER BY code LIMIT 1")
[ -n "$sch" ] && ok "the demo has a ШНОР school ($sch)" || not_ok "no ШНОР school in the demo"
"$M" user add ann --role analyst --password 'ann-pass-12' --db "$db" >/dev/null
"$M" user add op --role school --school "$sch" --password 'op-pass-123' --db "$db" >/dev/null
"$M" user add adm --role admin --password 'adm-pass-12' --db "$db" >/dev/null

"$M" serve --db "$db" --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
pid=$!
U=""
for i in $(seq 1 100); do
    U=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$T/serve.log" 2>/dev/null)
    [ -n "$U" ] && break
    sleep 0.1
done
[ -n "$U" ] && ok "serve listens" || { not_ok "serve did not start"; kill "$pid"; done_testing; exit 1; }
st() { jar=$1; path=$2; shift 2; curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$U$path"; }
expect_status() { name=$1; want=$2; shift 2; got=$(st "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name: HTTP $got, want $want"; head -c 400 "$T/body" | sed 's/^/#   /'; fi; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | sed 's/.*value="//;s/"$//'; }
login() { : >"$1"; st "$1" /login >/dev/null
    st "$1" /login --data-urlencode "csrf=$(csrf_of)" --data-urlencode "login=$2" --data-urlencode "password=$3" >/dev/null; }
a="$T/a.jar"; o="$T/o.jar"; g="$T/g.jar"; : >"$g"
login "$a" ann 'ann-pass-12'
login "$o" op 'op-pass-123'
card="/schools/$sch/flags/shnor?year=2024"

expect_status "a guest gets no card" 401 "$g" "$card"
expect_status "the operator opens the card of their flag" 200 "$o" "$card"
expect_grep "…with the threshold" "Порог" "$T/body"
expect_grep "…and a chart" "<svg" "$T/body"
expect_status "…but not another school's card" 403 "$o" "/schools/$other/flags/shnor?year=2024"
expect_status "the card as JSON" 200 "$a" "$card&format=json"
expect_ok "…is JSON with rows" python3 -c "import json,sys; d=json.load(open('$T/body')); sys.exit(0 if d.get('rows') or d.get('data',{}).get('rows') else 1)"

st "$o" "$card" >/dev/null; c=$(csrf_of)
printf 'протокол педсовета\n' >"$T/protocol.txt"
expect_status "the operator answers with a file" 303 "$o" "/schools/$sch/flags/shnor/answer?year=2024" \
    -F "csrf=$c" -F "text=Работы проверены повторно, см. протокол" -F "file=@$T/protocol.txt"
expect_eq "…one answer stored" "$(dbsql "$db" "SELECT count(*) FROM flag_answer WHERE status='submitted'")" 1
expect_eq "…with its file" "$(dbsql "$db" "SELECT count(*) FROM flag_answer_file")" 1
expect_eq "…and one audit row" "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action='answer.add'")" 1
id=$(dbsql "$db" "SELECT id FROM flag_answer ORDER BY id LIMIT 1")
st "$o" "$card" >/dev/null; c=$(csrf_of)
got=$(st "$o" "/schools/$sch/flags/shnor/answer?year=2024" -F "csrf=$c" -F "text=ещё одно")
[ "$got" != 303 ] && ok "a second answer while one waits is refused ($got)" || not_ok "a second answer was taken"
expect_eq "…nothing written" "$(dbsql "$db" "SELECT count(*) FROM flag_answer")" 1
expect_status "the operator cannot decide" 403 "$o" "/answers/$id/reject" --data-urlencode "csrf=$c" --data-urlencode "comment=x"

st "$a" "$card" >/dev/null; c=$(csrf_of)
got=$(st "$a" "/answers/$id/reject" --data-urlencode "csrf=$c" --data-urlencode "comment=")
[ "$got" = 422 ] && ok "a rejection without a comment is refused" || not_ok "empty rejection: HTTP $got"
expect_status "the analyst rejects with a comment" 303 "$a" "/answers/$id/reject" \
    --data-urlencode "csrf=$c" --data-urlencode "comment=Протокол не подписан"
expect_status "the operator sees the card again" 200 "$o" "$card"
expect_grep "…with the analyst's comment" "Протокол не подписан" "$T/body"
c=$(csrf_of)
expect_status "…and answers again" 303 "$o" "/schools/$sch/flags/shnor/answer?year=2024" \
    -F "csrf=$c" -F "text=Подписанный протокол приложен" -F "file=@$T/protocol.txt"
id2=$(dbsql "$db" "SELECT max(id) FROM flag_answer")
st "$a" "$card" >/dev/null; c=$(csrf_of)
expect_status "the analyst accepts" 303 "$a" "/answers/$id2/accept" --data-urlencode "csrf=$c" --data-urlencode "comment="
expect_status "the card after it" 200 "$o" "$card"
expect_grep "…says «пояснение принято»" "ояснение принято" "$T/body"
expect_eq "…the flag stays on the list" "$(dbsql "$db" "SELECT count(*) FROM finding WHERE method='shnor' AND year=2024 AND school_id=(SELECT id FROM school WHERE code='$sch') AND verdict<>'none'")" 1
expect_eq "every step is one audit row" "$(dbsql "$db" "SELECT count(*) FROM audit WHERE action LIKE 'answer.%'")" 4
fid=$(dbsql "$db" "SELECT min(id) FROM flag_answer_file")
expect_status "the operator downloads the file" 200 "$o" "/answers/files/$fid"
expect_grep "…its content" "протокол педсовета" "$T/body"

# every place the flag appears links its card and says what the school answered (item 5)
href="/schools/$sch/flags/shnor?year=2024"
expect_status "the ШНОР list" 200 "$a" "/lists/shnor?year=2024"
expect_grep "…links the flag's card" "href=\"$href\"" "$T/body"
expect_grep "…and says the answer was accepted" "пояснение принято" "$T/body"
expect_grep "…and «ответ не дан» for a school that did not answer" "ответ не дан" "$T/body"
expect_status "the ШНОР list as CSV" 200 "$a" "/lists/shnor?year=2024&format=csv"
expect_grep "…has the answer column" "Ответ школы" "$T/body"
expect_status "the list as JSON" 200 "$a" "/lists/shnor?year=2024&format=json"
expect_ok "…has a card URL on every row" python3 -c "
import json,sys; d=json.load(open('$T/body')); d=d.get('data',d)
sys.exit(0 if d['items'] and all(i.get('card','').startswith('/schools/') for i in d['items']) else 1)"
expect_status "the school page" 200 "$o" "/schools/$sch?year=2024"
expect_grep "…links the badge to the card" "class=\"badge badge-shnor\" href=\"$href\"" "$T/body"
expect_grep "…with the answer's status" "пояснение принято" "$T/body"
expect_status "the dashboard" 200 "$a" "/?year=2024"
expect_grep "…links the flag's card" "href=\"$href\"" "$T/body"
expect_status "the schools list" 200 "$a" "/schools?year=2024&list=shnor"
expect_grep "…links the badge to the card" "href=\"$href\"" "$T/body"
expect_status "the rating" 200 "$a" "/lists/rating?year=2024"
expect_grep "…links the sum of points to the rating card" "/flags/rating?year=2024" "$T/body"
expect_status "the operator's school page" 200 "$o" "/schools/$sch?year=2024"
expect_grep "…links the place in the rating to its card" "/schools/$sch/flags/rating?year=2024" "$T/body"
st "$o" "/schools/$sch/flags/rating?year=2024" >/dev/null; c=$(csrf_of)
expect_status "the operator answers the rating's flag too" 303 "$o" "/schools/$sch/flags/rating/answer?year=2024" \
    -F "csrf=$c" -F "text=Олимпиадные результаты не учтены"
id3=$(dbsql "$db" "SELECT max(id) FROM flag_answer")

# msoko answer: the analyst at the console (same use cases, one audit row each), the server
# still running: what the console decides the operator sees in the browser
expect_ok "msoko answer list" sh -c '"$0" answer list --db "$1" --year 2024 >"$2"' "$M" "$db" "$T/list.txt"
expect_grep "…shows the accepted answer" "пояснение принято" "$T/list.txt"
expect_grep "…the rejected one with its comment" "отклонено: Протокол не подписан" "$T/list.txt"
expect_grep "…and the one waiting" "на рассмотрении" "$T/list.txt"
expect_eq "…a line per answer and a heading" "$(grep -c '' "$T/list.txt")" 4
"$M" answer list --db "$db" --status отклонено --school "$sch" >"$T/list.txt"
expect_eq "--status and --school pick the rows" "$(grep -c "^$id	" "$T/list.txt")" 1
expect_eq "…only those" "$(grep -c '' "$T/list.txt")" 2
"$M" answer list --db "$db" --list rating --status submitted >"$T/list.txt"
expect_eq "--list picks the rating's answer" "$(grep -c "^$id3	" "$T/list.txt")" 1
"$M" answer list --db "$db" --year 2023 >"$T/list.txt"
expect_grep "…none in another year, said in Russian" "Пояснений школ нет" "$T/list.txt"
expect_exit 2 "an unknown --status is refused" "$M" answer list --db "$db" --status maybe
expect_grep "…in Russian" "на рассмотрении" "$T/err"
expect_exit 1 "an answer already decided is not decided again" "$M" answer accept --db "$db" "$id2" --user ann
expect_grep "…saying so" "уже принято" "$T/err"
audit0=$(dbsql "$db" "SELECT count(*) FROM audit")
expect_exit 2 "reject without --comment is refused" "$M" answer reject --db "$db" "$id3" --user ann
expect_grep "…saying why" "только с --comment" "$T/err"
expect_exit 1 "reject with an empty comment is refused" "$M" answer reject --db "$db" "$id3" --comment ' ' --user ann
expect_grep "…saying why" "Комментарий пуст" "$T/err"
expect_exit 1 "an unknown id is refused" "$M" answer accept --db "$db" 99999 --user ann
expect_grep "…saying so" "пояснения 99999 нет" "$T/err"
expect_exit 1 "the school's operator may not decide" "$M" answer reject --db "$db" "$id3" --comment нет --user op
expect_grep "…saying who may" "нет доступа: принять или отклонить пояснение может аналитик" "$T/err"
expect_eq "…nothing written by the refusals" "$(dbsql "$db" "SELECT count(*) FROM audit"):$(dbsql "$db" "SELECT status FROM flag_answer WHERE id=$id3")" "$audit0:submitted"
expect_ok "the analyst rejects with a comment" "$M" answer reject --db "$db" "$id3" --comment "Нет подписи директора" --user ann
expect_eq "…stored with the comment" "$(dbsql "$db" "SELECT status||':'||review_comment||':'||reviewed_by FROM flag_answer WHERE id=$id3")" "rejected:Нет подписи директора:ann"
expect_eq "…one audit row" "$(dbsql "$db" "SELECT count(*) FROM audit")" "$((audit0 + 1))"
expect_eq "…naming the flag" "$(dbsql "$db" "SELECT action||' '||object FROM audit ORDER BY id DESC LIMIT 1")" "answer.reject flag:$sch:rating:2024"
expect_exit 1 "…and not twice" "$M" answer reject --db "$db" "$id3" --comment "ещё раз" --user ann
expect_grep "…saying so" "уже отклонено" "$T/err"
rcard="/schools/$sch/flags/rating?year=2024"
expect_status "the operator sees the console's rejection" 200 "$o" "$rcard"
expect_grep "…with its comment" "Нет подписи директора" "$T/body"
expect_eq "…not yet «пояснение принято»" "$(grep -c 'ояснение принято' "$T/body")" 0
c=$(csrf_of)
expect_status "…and answers again" 303 "$o" "/schools/$sch/flags/rating/answer?year=2024" \
    -F "csrf=$c" -F "text=Подпись	директора приложена"
id4=$(dbsql "$db" "SELECT max(id) FROM flag_answer")
expect_ok "the analyst accepts at the console" sh -c '"$0" answer accept --db "$1" "$2" --user ann >"$3"' "$M" "$db" "$id4" "$T/out"
expect_grep "…saying so" "Пояснение $id4 принято" "$T/out"
expect_eq "…stored" "$(dbsql "$db" "SELECT status||':'||reviewed_by FROM flag_answer WHERE id=$id4")" "accepted:ann"
expect_eq "…one more audit row" "$(dbsql "$db" "SELECT count(*) FROM audit")" "$((audit0 + 3))"
expect_eq "…the accept's" "$(dbsql "$db" "SELECT action||' '||object FROM audit ORDER BY id DESC LIMIT 1")" "answer.accept flag:$sch:rating:2024"
"$M" answer list --db "$db" --list rating >"$T/list.txt"
expect_eq "…listed: eight columns on every line, a tab in the text notwithstanding" "$(awk -F '\t' 'NF != 8' "$T/list.txt" | wc -l):$(grep -c '' "$T/list.txt")" "0:3"
expect_status "the operator's card after it" 200 "$o" "$rcard"
expect_grep "…says «пояснение принято»" "ояснение принято" "$T/body"
ad="$T/ad.jar"; login "$ad" adm 'adm-pass-12'
expect_status "the admin's audit log" 200 "$ad" "/admin/audit"
for w in "пояснение школы к признаку" "пояснение школы принято" "пояснение школы отклонено"; do
    expect_grep "…names the step «$w»" "<td>$w</td>" "$T/body"
done
kill -TERM "$pid"; wait "$pid"
done_testing
