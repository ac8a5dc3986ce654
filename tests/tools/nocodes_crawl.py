#!/usr/bin/env python3
"""Fetch every page a role can reach and save what a person would read.

Usage: nocodes_crawl.py BASE_URL OUT_DIR ROLE [LOGIN PASSWORD]
Starts at /, follows every same-site link (href) of every HTML page, breadth first, and saves
each page's visible text (tags, scripts and styles dropped, attribute values of title,
placeholder, value and aria-label kept: a person reads them too) to OUT_DIR/ROLE-N.txt, each
CSV download as is and each XLSX download as .xlsx (the caller turns it into text). Writes
OUT_DIR/ROLE.urls: one fetched address a line with its status. A path is fetched with at most
MAX_VARIANTS different queries (sort orders and pages of the same table say the same words),
and at most MAX_PAGES pages in all. OUT_DIR/ROLE.emptyth lists the pages with a <th> that has
no text (nor aria-label or title), with their count.

Machine text is kept apart, in files named *.machine (the caller checks them for paths of the
server's disk only, which belong in no answer): the JSON answer of every path (fetched once per
path with «Accept: application/json»: the view models are the API for programs, whose keys and
values are codes by design), the before/after records of the change journal (<pre
class="record">: the JSON stored with each change) and the journal's CSV/XLSX exports, whose
«До»/«После» columns are those records.
"""
import html.parser
import http.cookiejar
import os
import re
import sys
import urllib.parse
import urllib.request

MAX_VARIANTS = 3
MAX_PAGES = 900
base, out, role = sys.argv[1], sys.argv[2], sys.argv[3]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self.skip = [], [], 0
        self.machine, self.record = [], 0
        self.th, self.empty_th = None, 0  # text of the open <th>; headers that say nothing

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "pre" and "record" in (a.get("class") or "").split():
            self.record += 1
        if tag == "th":
            self.th = "".join(a.get(k) or "" for k in ("aria-label", "title"))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for k in ("title", "placeholder", "aria-label", "alt"):
            if a.get(k):
                self.parts.append(a[k])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])
        if tag == "option" and a.get("label"):
            self.parts.append(a["label"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag == "pre" and self.record:
            self.record -= 1
        if tag == "th" and self.th is not None:
            self.empty_th += not self.th.strip()
            self.th = None

    def handle_data(self, data):
        if self.th is not None:
            self.th += data
        if self.record:
            self.machine.append(data)
        elif not self.skip:
            self.parts.append(data)


def get(url, data=None, headers=None):
    try:
        r = opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=60)
        return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


if len(sys.argv) > 5:
    _, _, body = get(base + "/login")
    m = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
    form = {"login": sys.argv[4], "password": sys.argv[5], "csrf": m.group(1).decode() if m else ""}
    get(base + "/login", urllib.parse.urlencode(form).encode())

seen, variants, queue, n = set(), {}, ["/"], 0
json_paths = set()
urls = open(os.path.join(out, role + ".urls"), "w", encoding="utf-8")
emptyth = open(os.path.join(out, role + ".emptyth"), "w", encoding="utf-8")
while queue and n < MAX_PAGES:
    u = queue.pop(0)
    p = urllib.parse.urlsplit(u)
    # the API listing is for programs; static files are not pages; backup is a database
    if p.path.startswith(("/static/", "/api", "/admin/backup", "/logout")):
        continue
    if u in seen:
        continue
    seen.add(u)
    if p.query:
        variants[p.path] = variants.get(p.path, 0) + 1
        if variants[p.path] > MAX_VARIANTS and "format=" not in p.query:
            continue
    status, ctype, body = get(base + u)
    n += 1
    urls.write(f"{status} {u}\n")
    journal = p.path.startswith("/admin/audit")
    if "spreadsheetml" in ctype:
        open(os.path.join(out, f"{role}-{n}.xlsx" + (".machine" if journal else "")), "wb").write(body)
        continue
    if "text/csv" in ctype:
        open(os.path.join(out, f"{role}-{n}.csv" + (".machine" if journal else "")), "wb").write(body)
        continue
    if "text/html" not in ctype:
        continue
    t = Text()
    t.feed(body.decode("utf-8", "replace"))
    with open(os.path.join(out, f"{role}-{n}.txt"), "w", encoding="utf-8") as f:
        f.write(u + "\n" + "\n".join(s.strip() for s in t.parts if s.strip()) + "\n")
    if t.empty_th:  # a column header a screen reader reads as nothing (issue 14, «Smaller»)
        emptyth.write(f"{t.empty_th} {u}\n")
    machine = [u] + t.machine
    if p.path not in json_paths:
        json_paths.add(p.path)
        _, jtype, jbody = get(base + u, headers={"Accept": "application/json"})
        if "json" in jtype:
            machine.append(jbody.decode("utf-8", "replace"))
    with open(os.path.join(out, f"{role}-{n}.machine"), "w", encoding="utf-8") as f:
        f.write("\n".join(machine) + "\n")
    for h in t.links:
        h = urllib.parse.urljoin(u, h)
        q = urllib.parse.urlsplit(h)
        if q.scheme or q.netloc or not q.path.startswith("/"):
            continue
        h = q.path + ("?" + q.query if q.query else "")
        if h not in seen:
            queue.append(h)
print(n)
