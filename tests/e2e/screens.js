// Screenshots of every page, desktop (1366×768) and phone (390×844), for each role on the demo
// municipality, and three checks on every page at 390 px (docs/web.md «Телефон»):
//   - the document does not scroll sideways (scrollWidth ≤ clientWidth + 1; a wide table scrolls
//     inside its own .scroll box);
//   - every SVG text is at least 12 px as displayed (font size × the SVG's scale on screen);
//   - no <th> without an accessible name (text, visually hidden text, aria-label or title).
// Pages are found by following the links of each role from its start pages (one page per
// address shape: /schools/sch000015 and /schools/sch000016 are one shape), so pages added later
// are covered without editing this list.
// At 1366 px every SVG text is at least 12 px as displayed too. Two pages are checked beyond the
// crawl: the import form with a refused file whose name and header are one long word (an error
// must not widen the page at 390 px), and the page of a ШНОР school (env SCREENS_SHNOR_PAGE,
// e.g. /schools/sch000015?year=2024): its ШНОР finding has a chart with the threshold as a
// dashed line across the plot and at least one marked (ringed) result, at both widths; and the
// dashboard's chart of the schools has the threshold line and as many marked schools as the
// ШНОР list has.
// Usage: node screens.js BASE_URL OUT_DIR ROLE:LOGIN:PASSWORD:START[,START…] … Prints TAP.
'use strict';
const { ok, finish, crashed } = require('./tap');
const { chromium } = require('playwright-core');
const [base, outDir, ...roleArgs] = process.argv.slice(2);

const MAX_PAGES = 60;          // per role: a guard against a crawl that never ends
const SHOT_HEIGHT = 6000;      // px of a full-page screenshot kept (a phone rating is long)

// /schools/sch000015?year=2024 → /schools/: (a segment with a digit is a code; the query is not
// part of the shape, except a school on a procedure page, which changes what is drawn)
function shape(u) {
  const x = new URL(u);
  // the nine directions are one page shape (/directions/shnor, /directions/talents …)
  if (/^\/directions\/[^/]+$/.test(x.pathname)) return '/directions/:';
  const p = x.pathname.split('/').map((s, i) => (i >= 2 && /\d/.test(s) ? ':' : s)).join('/');
  return p + (x.searchParams.has('school') ? '?school' : '');
}
function slug(u) {
  const x = new URL(u);
  const s = (x.pathname + (x.search ? '_' + x.search.slice(1) : '')).replace(/[^A-Za-z0-9_-]+/g, '_');
  return s.replace(/^_+|_+$/g, '') || 'home';
}
function wanted(u) {
  if (!u.startsWith(base)) return false;
  const x = new URL(u);
  if (/^\/(static|logout|api)\b/.test(x.pathname) && x.pathname !== '/api') return false;
  return !/format=|download|\.(csv|xlsx|pdf|html)$/.test(u);
}

// SVG text under 12 px as displayed (visible text only: a chart drawn twice shows one copy).
function smallSvgText() {
  let small = 0, first = '';
  for (const t of document.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const svg = t.ownerSVGElement, ctm = svg && svg.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < 11.95) { small++; if (!first) first = `«${t.textContent.slice(0, 20)}» ${px.toFixed(1)} px`; }
  }
  return small ? `${small} SVG texts under 12 px, e.g. ${first}` : '';
}

// The ШНОР finding's chart as shown: a dashed line across the plot (the threshold) and a ring
// in the flag's dark red (a marked result); returns what is missing.
function shnorChartProblems() {
  const box = [...document.querySelectorAll('.finding')].find(f => f.querySelector('.badge-shnor'));
  if (!box) return 'no ШНОР finding on the page';
  const svg = [...box.querySelectorAll('svg.chart')].find(s => s.getBoundingClientRect().width > 0);
  if (!svg) return 'the ШНОР finding has no visible chart';
  const out = [];
  const thr = [...svg.querySelectorAll('line[stroke-dasharray]')].filter(l =>
    Math.abs(l.y1.baseVal.value - l.y2.baseVal.value) < 0.5 && Math.abs(l.x2.baseVal.value - l.x1.baseVal.value) > 100);
  if (thr.length !== 1) out.push(`${thr.length} threshold lines across the plot`);
  if (![...svg.querySelectorAll('text')].some(t => /^порог \d/.test(t.textContent.replace(/\s/g, ' '))))
    out.push('no «порог N %» label');
  const rings = svg.querySelectorAll('circle[stroke="#A4001D"][fill="#FFFFFF"]').length;
  if (!rings) out.push('no marked result');
  return out.join('; ');
}

// The three phone checks, run in the page; returns a list of problems.
function phoneProblems() {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) {
    let widest = null, w = 0;
    for (const el of document.querySelectorAll('main *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w && !el.closest('.scroll')) { w = r.right; widest = el; }
    }
    out.push(`page ${de.scrollWidth} px wide > ${de.clientWidth}` +
      (widest ? ` (widest: <${widest.tagName.toLowerCase()} class="${widest.className.baseVal ?? widest.className}"> to ${Math.round(w)} px)` : ''));
  }
  const small = smallSvgText();
  if (small) out.push(small);
  let empty = 0;
  for (const th of document.querySelectorAll('th')) {
    const name = th.textContent.trim() || th.getAttribute('aria-label') || th.getAttribute('title') ||
      th.querySelector('[aria-label]');
    if (!name) empty++;
  }
  if (empty) out.push(`${empty} <th> without a name`);
  return out;
}

// Run check fn in the page with the helpers it calls defined there.
function inPage(page, fn) {
  return page.evaluate(`(() => { ${smallSvgText}\n${shnorChartProblems}\nreturn (${fn})(); })()`);
}

// The pages the crawl cannot reach by links (see the head of the file).
async function extraPages(page, role) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/imports`);
  const word = 'x'.repeat(300);
  await page.setInputFiles('#file', { name: `результаты-${'y'.repeat(150)}.csv`, mimeType: 'text/csv',
    buffer: Buffer.from(`Код ОО;Код участника;Балл_${word}\nsch000001;${word};abc\n`) });
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  const refused = await page.$$eval('.notice-error, .error-message', e => e.length);
  const wide = await inPage(page, phoneProblems);
  await page.screenshot({ path: `${outDir}/${role}-imports_error-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${outDir}/${role}-imports_error-1366.png`, fullPage: true });
  ok(refused > 0 && wide.length === 0, `${role} /imports with a refused file at 390 px: the error fits`,
    refused ? wide.join('; ') : 'the file was not refused');
  // the dashboard's chart: schools against the ШНОР threshold, the ШНОР list's schools marked
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${base}/`);
  const dash = await page.evaluate(() => {
    const sec = [...document.querySelectorAll('section')].find(x => /порог ШНОР/.test(x.querySelector('h2')?.textContent || ''));
    const svg = sec && [...sec.querySelectorAll('svg.chart')].find(x => x.getBoundingClientRect().width > 0);
    if (!svg) return 'no chart of the schools against the ШНОР threshold';
    const vert = [...svg.querySelectorAll('line[stroke-dasharray]')].filter(l =>
      Math.abs(l.x1.baseVal.value - l.x2.baseVal.value) < 0.5 && Math.abs(l.y2.baseVal.value - l.y1.baseVal.value) > 100);
    const rings = svg.querySelectorAll('circle[stroke="#A4001D"]').length;
    const listed = parseInt(document.querySelector('.card-shnor .card-num')?.textContent || '-1', 10);
    const out = [];
    if (vert.length !== 1) out.push(`${vert.length} threshold lines`);
    if (rings !== listed) out.push(`${rings} marked schools, the ШНОР list has ${listed}`);
    return out.join('; ');
  });
  ok(!dash, `${role} / at 1366 px: the dashboard charts the schools against the ШНОР threshold, the listed ones marked`, dash);
  const shnor = process.env.SCREENS_SHNOR_PAGE;
  if (!shnor) return;
  for (const w of [1366, 390]) {
    await page.setViewportSize({ width: w, height: w > 400 ? 768 : 844 });
    await page.goto(base + shnor);
    const p = await inPage(page, shnorChartProblems);
    ok(!p, `${role} ${new URL(base + shnor).pathname} at ${w} px: the ШНОР chart draws the threshold and marks the flagged results`, p);
  }
}

async function login(page, user, password) {
  await page.goto(`${base}/login`);
  await page.fill('#login', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  return !/\/login/.test(page.url());
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const seen = new Set(); // shapes already shot by an earlier role of the same or wider reach
  let pages = 0;
  for (const arg of roleArgs) {
    const [role, user, password, starts] = arg.split(':');
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    if (user && !(await login(page, user, password))) { ok(false, `${role}: log in as ${user}`); continue; }
    const queue = starts.split(',').map(s => base + s);
    const mine = new Set();
    while (queue.length && mine.size < MAX_PAGES) {
      const u = queue.shift(), sh = shape(u);
      if (mine.has(sh) || (seen.has(sh) && role === 'admin')) continue;
      mine.add(sh);
      await page.setViewportSize({ width: 1366, height: 768 });
      let resp = null;
      try { resp = await page.goto(u); } catch (e) { if (/Download/.test(e.message)) continue; throw e; }
      if (!resp || !/text\/html/.test(resp.headers()['content-type'] || '')) continue;
      const landed = shape(page.url()); // «/» of an operator is its school page
      if (landed !== sh) { if (mine.has(landed)) continue; mine.add(landed); }
      if (resp.status() >= 400) { ok(resp.status() === 403 || resp.status() === 404, `${role} ${sh}: ${resp.status()}`); continue; }
      const links = await page.$$eval('a[href]', as => as.map(a => a.href.split('#')[0]));
      for (const l of links) if (wanted(l) && !mine.has(shape(l))) queue.push(l);
      const name = `${role}-${slug(u)}`;
      const shoot = async (w, h) => {
        await page.setViewportSize({ width: w, height: h });
        const full = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({ path: `${outDir}/${name}-${w}.png`, fullPage: true,
          clip: { x: 0, y: 0, width: w, height: Math.min(full, SHOT_HEIGHT) } });
      };
      await shoot(1366, 768);
      const wide = await inPage(page, smallSvgText);
      ok(!wide, `${role} ${new URL(u).pathname} at 1366 px: SVG text ≥ 12 px`, wide);
      await shoot(390, 844);
      const problems = await inPage(page, phoneProblems);
      ok(problems.length === 0, `${role} ${new URL(u).pathname} at 390 px: fits, SVG text ≥ 12 px, every <th> named`,
        problems.join('; '));
      pages++;
    }
    for (const sh of mine) seen.add(sh);
    if (role === 'analyst') await extraPages(page, role);
    ok(errors.length === 0, `${role}: no script errors`, errors.slice(0, 3).join(' | '));
    await context.close();
  }
  ok(pages >= 10, `screenshots of ${pages} pages in ${outDir}`);
  await browser.close();
  await finish({ close: async () => {} });
})().catch(crashed);
