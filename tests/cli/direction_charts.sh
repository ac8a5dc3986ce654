#!/bin/sh
# Issue 15 item 5, the directions' charts in the справка and the доклад (docs/directions-pages.md
# «Справка и доклад»): on the demo with its forms filled, each of the nine directions has one
# figure — its indicators in per cent against their targets — in HTML, DOCX (a picture and its
# caption) and PDF (the caption, pdftotext); the chart's numbers (the SVG's <desc> and its
# texts) are the values and targets `msoko analyze --json` gives, numbered as the direction's
# table, whose XLSX sheet holds the same numbers; the rings are the indicators below target.
. "$(dirname "$0")/tap.inc"
db=$(newdb demo)
export MSOKO_METHODS="$MSOKO_ROOT/methods" MSOKO_NOW=2024-10-01
"$M" init --db "$db" >/dev/null
"$M" demo --db "$db" --schools 12 --years 2023-2024 --seed 5 >/dev/null
"$M" form load --db "$db" "$MSOKO_ROOT"/methods/forms/*.ini >/dev/null
"$M" registry fill-gifted --db "$db" --year 2024 >/dev/null
"$M" analyze --db "$db" --year 2024 >/dev/null
"$M" demo forms --db "$db" --years 2024-2024 >/dev/null
expect_ok "analyze 2024 with the forms" "$M" analyze --db "$db" --year 2024 --json
cp "$T/out" "$T/a.json"

for kind in spravka doklad; do
    expect_ok "$kind as HTML" "$M" report --db "$db" --year 2024 --kind "$kind" --format html \
        -o "$T/$kind.html"
    expect_ok "$kind as DOCX" "$M" report --db "$db" --year 2024 --kind "$kind" --format docx \
        -o "$T/$kind.docx"
    rm -rf "$T/$kind.d" && mkdir -p "$T/$kind.d" && (cd "$T/$kind.d" && unzip -q "../$kind.docx")
    python3 - "$T/a.json" "$T/$kind.html" "$T/$kind.d/word/document.xml" "$kind" \
        >"$T/$kind.check" <<'PY'
import html, json, re, sys
dirs = json.load(open(sys.argv[1]))["directions"]
page = open(sys.argv[2], encoding="utf-8").read()
docx = open(sys.argv[3], encoding="utf-8").read()
kind = sys.argv[4]
def say(name, ok, why=""):
    print(("ok " if ok else "FAIL ") + kind + ": " + name + (": " + why if why and not ok else ""))
def num(s):  # «12,5 %» with any space → 12.5
    return float(re.sub(r"[^\d,\-]", "", s).replace(",", "."))
figs = []
for body in re.findall(r"<figure id=\"f\d+\">(.*?)</figure>", page, re.S):
    cap = html.unescape(re.sub(r"<[^>]*>", "", re.search(r"<figcaption>(.*?)</figcaption>",
                                                         body, re.S).group(1)))
    figs.append((cap, body))
say("nine directions in the analysis", len(dirs) == 9, str(len(dirs)))
for d in dirs:
    pct = [(k + 1, q) for k, q in enumerate(d["indicators"]) if q["unit"] == "%"]
    lead = "— %s: цель достигнута по " % d["name"]
    mine = [(c, b) for c, b in figs if lead in c]
    say("%s: one figure" % d["code"], len(mine) == 1, str(len(mine)))
    if len(mine) != 1:
        continue
    cap, body = mine[0]
    on = sum(q["status"] == "on_target" for _, q in pct)
    say("%s: the caption counts %d of %d on target" % (d["code"], on, len(pct)),
        ("по %d из %d " % (on, len(pct))) in cap, cap)
    desc = html.unescape(re.search(r"<desc>(.*?)</desc>", body, re.S).group(1))
    texts = {html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body)}
    bad = []
    for k, q in pct:
        # «↓» before the name of an indicator whose target is a ceiling (good = lower)
        label = "%d. %s%s" % (k, "↓ " if q["good"] == "lower" else "", q["name"])
        m = re.search(r"(?:^|; )%s: ([^;(]+?)(?: \(цель ([^)]+)\))?(?:;|$)" % re.escape(label),
                      desc)
        if not m:
            bad.append("%d: not in the chart" % k)
            continue
        v, t = m.group(1), m.group(2)
        if q["value"] is None:
            if v.strip() != "—":
                bad.append("%d: %s for no value" % (k, v))
        elif abs(num(v) - round(q["value"], 1)) > 0.051:
            bad.append("%d: chart %s, analysis %.3f" % (k, v, q["value"]))
        elif not any(re.sub(r"\s", " ", x) == re.sub(r"\s", " ", v) for x in texts):
            bad.append("%d: the value %s is not drawn" % (k, v))
        if (t is None) != (q["target"] is None) or (t and abs(num(t) - q["target"]) > 0.051):
            bad.append("%d: target %s, analysis %s" % (k, t, q["target"]))
    say("%s: the chart's %d values and targets are the analysis'" % (d["code"], len(pct)),
        not bad, "; ".join(bad))
    rings = len(re.findall(r"<circle[^>]*stroke=\"#a4001d\"", body, re.I))
    below = sum(q["status"] == "below" for _, q in pct)
    # the key draws one more ring when some indicator is below target
    say("%s: a ring for each of %d below target" % (d["code"], below),
        rings == below + (1 if below else 0), str(rings))
    tbl = re.search(r"как в таблице (\d+)", cap)
    print("table %s %d %s" % (d["code"], int(tbl.group(1)) if tbl else 0,
                              ",".join("%d=%.1f" % (k, q["value"]) for k, q in pct
                                       if q["value"] is not None)))
# DOCX: a picture and a caption per figure of the HTML, the nine captions among them
text = re.sub(r"<[^>]*>", "", docx)
pics = len(re.findall(r"<wp:docPr id=\"\d+\" name=\"Рисунок \d+\"", docx))
say("DOCX: as many pictures as HTML figures (%d)" % len(figs), pics == len(figs), str(pics))
found = [d["code"] for d in dirs if re.search(r"Рисунок \d+ — %s: цель достигнута по"
                                              % re.escape(d["name"]), text)]
say("DOCX: the nine directions' captions", len(found) == 9, ", ".join(found))
PY
    while read -r st name; do
        case "$st" in ok) ok "$name" ;; FAIL) not_ok "$name" ;; esac
    done <<EOF2
$(grep -E '^(ok|FAIL) ' "$T/$kind.check")
EOF2
done

# PDF: the nine captions (pdftotext)
if command -v pdftotext >/dev/null; then
    expect_ok "справка as PDF" "$M" report --db "$db" --year 2024 --format pdf -o "$T/r.pdf"
    pdftotext "$T/r.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/r.txt"
    jq -r '.directions[] | .code + "\t" + .name' "$T/a.json" >"$T/names"
    while IFS="$(printf '\t')" read -r code name; do
        expect_grep "PDF: the figure of $code" "— $name: цель достигнута по" "$T/r.txt"
    done <"$T/names"
else
    ok "# SKIP pdftotext missing"
fi

# XLSX: the numbers of the chart in its table's sheet («Таблица N», the row «K. …», 2024)
X2T="$MSOKO_ROOT/build/tools/xlsx2tsv"
if [ -x "$X2T" ]; then
    expect_ok "справка as XLSX" "$M" report --db "$db" --year 2024 --format xlsx -o "$T/r.xlsx"
    grep '^table ' "$T/spravka.check" | while read -r _ code n vals; do
        "$X2T" "$T/r.xlsx" "Таблица $n" >"$T/t.tsv" 2>/dev/null
        miss=""
        for kv in $(echo "$vals" | tr ',' ' '); do
            k=${kv%%=*} v=${kv#*=}
            # column 6 is the year's value; the sheet keeps the number, compared at one decimal
            got=$(awk -F '\t' -v k="$k. " 'index($1, k) == 1 { printf "%.1f", $6; exit }' "$T/t.tsv")
            [ "$got" = "$v" ] || miss="$miss $k:$got/$v"
        done
        [ -z "$miss" ] && echo "ok" || echo "FAIL$miss"
    done >"$T/x.check"
    expect_eq "XLSX: the charts' numbers are in their tables (nine directions)" \
        "$(grep -c '^ok$' "$T/x.check")" 9
    grep FAIL "$T/x.check" | sed 's/^/# /'
else
    ok "# SKIP build/tools/xlsx2tsv not built"
fi
grep '^FAIL' "$T"/*.check | sed 's/^/# /'
done_testing
