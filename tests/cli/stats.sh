#!/bin/sh
# Issue 16 on the demo: intervals, shrinkage and «надёжность вывода» beside the act's lists,
# the rating's rank ranges, value added («прирост») by linked pupil codes that ranks the planted
# strong-intake, weak-teaching school below its raw rank, and the peer group of a school page.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 30 --years 2021-2024 --seed 1 > "$T/demo.txt"
export MSOKO_METHODS="$MSOKO_ROOT/methods"
weak=$(sed -n 's/.*слабое преподавание (для проверки прироста): \(sch[0-9]*\)\..*/\1/p' "$T/demo.txt")
expect_eq "the demo names its weak-teaching school" "$weak" "sch000012"
expect_ok "analyze --json" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"
python3 - "$T/a.json" "$weak" > "$T/check.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
weak = sys.argv[2]
def say(name, ok): print(("ok " if ok else "FAIL ") + name)
low = [it for o in d["shnor"] for it in o["low"]]
say("every ШНОР procedure has ci, shrunk, reliability",
    all("ci" in it and "shrunk" in it and "reliability" in it for it in low) and len(low) > 0)
say("every ШНОР school has its reliability", all("reliability" in o for o in d["shnor"]))
say("ci contains the share", all(it["ci"][0] <= it["share"] <= it["ci"][1] for it in low))
say("every risk school has its reliability", all("reliability" in o for o in d["risk"]))
say("every rating row has a rank range holding its rank",
    all(o["rank_range"][0] <= o["rank"] <= o["rank_range"][1] for o in d["rating"]))
r = [o for o in d["rating"] if o["school"] == weak][0]
va = r["value_added"]
say("the weak school has linked value added", va and va["method"] == "linked" and va["n"] > 100)
say("value added ranks it below its raw rank (%d vs %d)" % (va["rank"], r["rank"]),
    va["rank"] > r["rank"])
say("its value added is negative", va["value"] < 0)
pairs = d["indicators"]["value_added_pairs"]
say("pairs link pupils ВПР 4 → 5", any(p["from"].startswith("VPR:math:4") and p["linked"] > 100
                                       for p in pairs))
PY
while read -r st name; do
    if [ "$st" = ok ]; then ok "$name"; else not_ok "$name"; fi
done < "$T/check.txt"
expect_ok "school page JSON" "$M" show --db "$db" --year 2024 --role analyst school "$weak"
expect_grep "school page: peer group" '"peers"' "$T/out"
expect_grep "school page: value added" '"value_added"' "$T/out"
expect_grep "school page: rank range" '"rank_range"' "$T/out"
expect_ok "rating list JSON" "$M" show --db "$db" --year 2024 --role public list rating
expect_grep "public rating: rank range" '"rank_range_text"' "$T/out"
expect_ok "ШНОР list JSON" "$M" show --db "$db" --year 2024 --role analyst list shnor
expect_grep "ШНОР list: reliability" '"reliability"' "$T/out"
done_testing
