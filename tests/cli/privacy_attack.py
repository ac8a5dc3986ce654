#!/usr/bin/env python3
"""Try to recover every hidden cell (fewer than 5 pupils) from what the public can fetch.

Usage: privacy_attack.py PUB_DIR TRUTH_DIR
PUB_DIR holds what the public fetched (web/*.json, web/*.html, cli/*.json: see privacy.sh);
TRUTH_DIR the analyst's view of the same data (truth/proc-YEAR-KEY.json, truth/rating.json,
truth/proc-YEAR-KEY-SCHOOL.json). Prints one line "CHANNEL N" per attack (N = hidden numbers
recovered through it) and details of the first few recoveries on lines starting with "#".
"""
import glob
import html
import json
import os
import re
import sys

MIN = 5
pub, truth_dir = sys.argv[1], sys.argv[2]
found = {}
details = []


def leak(channel, what):
    found[channel] = found.get(channel, 0) + 1
    if sum(found.values()) <= 40:
        details.append(f"# {channel}: {what}")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def small(n):
    return isinstance(n, int) and 0 < n < MIN


def num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# ---- the truth: every cell as the analyst sees it ----
truth = {}  # (year, key, school) -> marks
truth_journal = {}
truth_hist = {}  # (year, key) -> (scores, muni counts, scale)
truth_school_hist = {}  # (year, key, school) -> counts
truth_tasks_n = {}  # (year, key, school) -> works with task scores
for path in glob.glob(os.path.join(truth_dir, "proc-*.json")):
    d = load(path)
    year, key = d["year"], d["proc"]["key"]
    if "for_school" in d or d.get("school"):
        code = d["school"]["code"]
        truth_school_hist[(year, key, code)] = d["histogram"]["school"]
        truth_tasks_n[(year, key, code)] = d["tasks_n"]["school"]
        continue
    truth_hist[(year, key)] = (d["histogram"]["municipality"], d["scale"])
    for row in d["schools"]:
        truth[(year, key, row["school"]["code"])] = row["marks"]
        truth_journal[(year, key, row["school"]["code"])] = row["journal"]

hidden = {k for k, m in truth.items() if small(m["participants"])}
print(f"# truth: {len(truth)} cells, {len(hidden)} of them under {MIN} pupils")

MEASURES = ["participants", "m2", "m3", "m4", "m5", "share2", "share3", "share4", "share5",
            "quality", "success", "mean_primary", "mean_test"]

# ---- what the public knows: (year, key, school) -> {measure: value} ----
known = {}
muni = {}  # (year, key) -> public municipal marks
school_total = {}  # (year, school) -> participants in the public schools list


def learn(cell, measure, value, source):
    if num(value):
        known.setdefault(cell, {})[measure] = (value, source)


def learn_marks(cell, marks, source):
    if isinstance(marks, dict):
        for m in MEASURES:
            learn(cell, m, marks.get(m), source)


def learn_school_page(d, source):
    year, code = d["year"], d["school"]["code"]
    for p in d.get("procedures", []):
        key = p["proc"]["key"]
        cell = (year, key, code)
        learn_marks(cell, p.get("school"), source)
        mm = p.get("municipality") or {}
        if isinstance(mm, dict) and num(mm.get("participants")):
            muni[(year, key)] = mm
        for measure in ("quality", "success"):
            dv, mv = p.get("diff_" + measure), mm.get(measure) if isinstance(mm, dict) else None
            if num(dv) and num(mv):  # municipal value + difference = the school's value
                learn(cell, measure, mv + dv, source + " (diff)")
    for dy in d.get("dynamics", []):
        key = dy["key"]
        for pt in dy.get("points", []):
            learn_marks((pt["year"], key, code), pt.get("school"), source + " (dynamics)")
            mm = pt.get("municipality")
            if isinstance(mm, dict) and num(mm.get("participants")):
                muni.setdefault((pt["year"], key), mm)


def learn_dashboard(d, source):
    for p in d.get("procedures", []):
        if isinstance(p.get("marks"), dict) and num(p["marks"].get("participants")):
            muni[(d["year"], p["proc"]["key"])] = p["marks"]


def learn_schools(d, source):
    for s in d.get("schools", d.get("school_list", [])):
        if num(s.get("participants")):
            school_total[(d["year"], s["code"])] = s["participants"]


web_school_pages = []
for path in sorted(glob.glob(os.path.join(pub, "web", "school-*.json"))):
    d = load(path)
    web_school_pages.append(d)
    learn_school_page(d, os.path.basename(path))
for path in sorted(glob.glob(os.path.join(pub, "web", "open-*.json"))):
    d = load(path)
    learn_dashboard(d, os.path.basename(path))
    learn_schools({"year": d["year"], "schools": d.get("school_list", [])}, os.path.basename(path))
cli_procs = []
for path in sorted(glob.glob(os.path.join(pub, "cli", "*.json"))):
    d = load(path)
    name = os.path.basename(path)
    if name.startswith("school-"):
        learn_school_page(d, name)
    elif name == "dashboard.json":
        learn_dashboard(d, name)
    elif name == "schools.json":
        learn_schools(d, name)
    elif name.startswith("proc-"):
        cli_procs.append((name, d))
        key = d["proc"]["key"]
        if isinstance(d.get("municipality"), dict) and num(d["municipality"].get("participants")):
            muni[(d["year"], key)] = d["municipality"]
        for row in d.get("schools", []):
            learn_marks((d["year"], key, row["school"]["code"]), row.get("marks"), name)

# HTML: the school row of each procedure («участников», shares, success, quality)
PCT = re.compile(r"^(\d+(?:,\d+)?)\s*%$")
for path in sorted(glob.glob(os.path.join(pub, "web", "school-*.html"))):
    m = re.match(r"school-(\d+)-(.+)\.html$", os.path.basename(path))
    year, code = int(m.group(1)), m.group(2)
    text = open(path, encoding="utf-8").read()
    titles = {}
    for d in web_school_pages:
        if d["year"] == year and d["school"]["code"] == code:
            titles = {p["proc"]["title"]: p["proc"]["key"] for p in d.get("procedures", [])}
    for row in re.finditer(r'<td rowspan="2">(.*?)</td><td>школа.*?</td>(.*?)</tr>', text, re.S):
        key = titles.get(html.unescape(row.group(1)))
        if not key:
            continue
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)]
        names = ["participants", "share2", "share3", "share4", "share5", "success", "quality"]
        for name, c in zip(names, cells):
            c = c.replace("\u2009", "").replace("\u202f", "").replace("\xa0", " ")
            if name == "participants" and c.isdigit():
                learn((year, key, code), name, int(c), os.path.basename(path))
            elif PCT.match(c):
                learn((year, key, code), name + "_pct", float(PCT.match(c).group(1).replace(",", ".")),
                      os.path.basename(path))
    # charts: every number drawn in an SVG of a public page
    for svg in re.findall(r"<svg.*?</svg>", text, re.S):
        for cell in [c for c in hidden if c[0] == year and c[2] == code]:
            t = truth[cell]
            for measure in ("success", "quality"):
                if num(t.get(measure)):
                    label = f"{round(t[measure] * 100)}\u00a0%"
                    if label in svg or f"{round(t[measure] * 100)} %" in svg:
                        leak("chart", f"{cell} {measure} {label} in an SVG of {os.path.basename(path)}")

# ---- attack 1: a number of a hidden cell shown as is (or as municipality + difference) ----
for cell in sorted(hidden):
    for measure, (value, source) in known.get(cell, {}).items():
        leak("direct" if "diff" not in source else "difference",
             f"{cell} {measure}={value} from {source} (true {truth[cell].get(measure.replace('_pct', ''))})")
        break

# ---- attack 2: municipality minus the visible schools ----
for (year, key), mm in sorted(muni.items()):
    cells = [c for c in truth if c[0] == year and c[1] == key and truth[c]["participants"]]
    unknown = [c for c in cells if "participants" not in known.get(c, {})]
    if not unknown:
        continue
    rest = mm["participants"] - sum(known[c]["participants"][0] for c in cells if c not in unknown)
    if len(unknown) == 1 and unknown[0] in hidden and rest == truth[unknown[0]]["participants"]:
        leak("total-minus-others", f"{unknown[0]}: {rest} pupils = municipality − visible schools")
    elif 0 < rest < MIN:
        leak("total-minus-others", f"{year} {key}: the hidden schools {unknown} have {rest} pupils together")

# ---- attack 3: a school's participants in the list minus its visible cells ----
for (year, code), total in sorted(school_total.items()):
    cells = [c for c in truth if c[0] == year and c[2] == code and truth[c]["participants"]]
    unknown = [c for c in cells if "participants" not in known.get(c, {})]
    rest = total - sum(known[c]["participants"][0] for c in cells if c not in unknown)
    if len(unknown) == 1 and unknown[0] in hidden and rest == truth[unknown[0]]["participants"]:
        leak("school-total", f"{unknown[0]}: {rest} pupils = school total − visible cells")
    elif 0 < rest < MIN:
        leak("school-total", f"{year} {code}: hidden cells hold {rest} pupils together")


# ---- attack 4: histograms (municipal bars within a mark band; any bar of a school) ----
def band_of(score, scale):
    for mark, cut in ((5, "cut5"), (4, "cut4"), (3, "cut3")):
        if num(scale.get(cut)) and score >= scale[cut]:
            return mark
    return 2 if num(scale.get("cut3")) else 0


for name, d in cli_procs:
    year, key = d["year"], d["proc"]["key"]
    h, scale = d["histogram"], d["scale"]
    true_bars, _ = truth_hist.get((year, key), (None, None))
    if true_bars is None:
        continue
    for s, (b, t) in enumerate(zip(h["municipality"], true_bars)):
        if b is not None and small(t):
            leak("histogram", f"{name}: municipal bar {s} = {b}")
    mm = d.get("municipality") or {}
    for band in (2, 3, 4, 5):
        idx = [s for s in range(len(true_bars)) if band_of(s, scale) == band]
        total = mm.get(f"m{band}")
        nulls = [s for s in idx if h["municipality"][s] is None]
        if not idx or not num(total) or not nulls:
            continue
        rest = total - sum(h["municipality"][s] for s in idx if s not in nulls)
        if len(nulls) == 1 and rest == true_bars[nulls[0]] and small(rest):
            leak("histogram", f"{name}: bar {nulls[0]} = «{band}» total − other bars = {rest}")
        elif 0 < rest < MIN and rest == sum(true_bars[s] for s in nulls) and \
                any(h["municipality"][s] for s in idx if s not in nulls):  # not the whole band
            leak("histogram", f"{name}: bars {nulls} of «{band}» hold {rest} pupils together")
    school = d.get("for_school") or (d.get("school") or {}).get("code")
    tb = truth_school_hist.get((year, key, school)) if school else None
    if school and isinstance(h.get("school"), list) and tb:
        for s, (b, t) in enumerate(zip(h["school"], tb)):
            if b is not None and small(t):
                leak("histogram", f"{name}: bar {s} of {school} = {b}")
        nulls = [s for s, b in enumerate(h["school"]) if b is None and tb[s]]
        part = known.get((year, key, school), {}).get("participants")
        if part and len(nulls) == 1 and small(tb[nulls[0]]):
            leak("histogram", f"{name}: bar {nulls[0]} of {school} = participants − other bars")

# ---- attack 5: task shares and journal marks of one school (and the complement) ----
task_known = {}
for name, d in cli_procs:
    school = d.get("for_school") or (d.get("school") or {}).get("code")
    if not school:
        continue
    year, key = d["year"], d["proc"]["key"]
    cell = (year, key, school)
    shown = any(num(t.get("school")) or num(t.get("diff")) for t in d.get("tasks", []))
    tn = truth_tasks_n.get(cell, 0) or 0
    task_known[cell] = shown
    if shown and (cell in hidden or small(tn)):
        leak("tasks", f"{name}: task shares of {tn} works shown")
    js = (d.get("journal") or {}).get("school")
    tj = truth_journal.get(cell) or {}
    if isinstance(js, dict) and num(js.get("lowered")) and (cell in hidden or small(tj.get("n"))):
        leak("journal", f"{name}: journal marks of {tj.get('n')} works shown")
for (year, key) in {(c[0], c[1]) for c in task_known}:
    present = {c for c in truth if c[0] == year and c[1] == key and truth[c]["participants"]}
    asked = [c for c in task_known if c in present]
    if len(present) != len(asked):
        continue  # not every school of the procedure was asked for
    cells = [c for c in asked if truth_tasks_n.get(c)]
    unknown = [c for c in cells if not task_known[c]]
    if len(unknown) == 1 and (unknown[0] in hidden or small(truth_tasks_n[unknown[0]])):
        leak("tasks", f"{unknown[0]}: task shares = municipality − other schools")
for name, d in cli_procs:
    if d.get("for_school") or d.get("school"):
        continue
    year, key = d["year"], d["proc"]["key"]
    mj = (d.get("journal") or {}).get("municipality") or {}
    rows = {r["school"]["code"]: r.get("journal") or {} for r in d.get("schools", [])}
    unknown = []
    for code, j in rows.items():
        t = truth_journal.get((year, key, code)) or {}
        if num(j.get("lowered")) and (small(t.get("n")) or (year, key, code) in hidden):
            leak("journal", f"{name}: journal of {code} ({t.get('n')} works) shown")
        if not num(j.get("n")) and t.get("n"):
            unknown.append(code)
    if num(mj.get("n")) and len(unknown) == 1:
        t = truth_journal.get((year, key, unknown[0])) or {}
        if small(t.get("n")) or (year, key, unknown[0]) in hidden:
            leak("journal", f"{name}: journal of {unknown[0]} = municipality − other schools")

# ---- attack 6: the rating (criteria from fewer than 5 pupils, total − other criteria) ----
rating_truth = {}
for tr in glob.glob(os.path.join(truth_dir, "rating-*.json")):
    year = load(tr)["year"]
    for it in load(tr)["items"]:
        ev = it["evidence"]
        smallcrit = {e["criterion"] for e in ev.get("evidence", {}).values()
                     if isinstance(e, dict) and small(e.get("den"))}
        rating_truth[(year, it["school"]["code"])] = (smallcrit, ev)
rating_pub = []
for path in glob.glob(os.path.join(pub, "cli", "rating-*.json")):
    d = load(path)
    rating_pub += [(os.path.basename(path), d["year"], it) for it in d["items"]]
for path in glob.glob(os.path.join(pub, "*", "*.json")):
    d = load(path)
    r = d.get("rating")
    if isinstance(r, dict):
        for it in (r.get("top") or []) + (r.get("bottom") or []):
            rating_pub.append((os.path.basename(path), d["year"], it))
        if "rank" in r and isinstance(d.get("school"), dict):
            rating_pub.append((os.path.basename(path), d["year"], {"school": d["school"], **r}))
pts_known, crit_known = {}, {}
for name, year, it in rating_pub:
    code = (year, it["school"]["code"])
    if code not in rating_truth:
        continue
    smallcrit, ev = rating_truth[code]
    shown = it.get("criteria") or (it.get("evidence") or {}).get("criteria") or {}
    for c, x in shown.items():
        if num(x):
            crit_known.setdefault(code, set()).add(c)
    if num(it.get("points")):
        pts_known[code] = name
    for c in smallcrit:
        if num(shown.get(c)):
            leak("rating", f"{name}: {code} criterion {c} = {shown[c]} from fewer than {MIN} pupils")
    details_ev = (it.get("evidence") or {}).get("evidence") or {}
    for k, e in details_ev.items():
        if isinstance(e, dict) and small(e.get("den")) and num(e.get("num")):
            leak("rating", f"{name}: {code} {k} = {e.get('num')} of {e.get('den')}")
for code, name in sorted(pts_known.items()):
    smallcrit, ev = rating_truth[code]
    crits = set(ev.get("criteria", {}))
    missing = crits - crit_known.get(code, set())
    if smallcrit and len(missing) == 1:
        leak("rating", f"{name}: {code} points − other criteria give {missing} (fewer than {MIN} pupils)")

for channel in ("direct", "difference", "total-minus-others", "school-total", "histogram",
                "tasks", "journal", "rating", "chart"):
    print(f"{channel} {found.get(channel, 0)}")
print("\n".join(details))
