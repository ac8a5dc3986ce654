// Browser test of what a school operator and an analyst meet first (issue 14 п. 3 and п. 7) in
// Debian's Chromium (playwright-core). The analyst: the schools list opens with an empty
// «Код или название», «Показать» lists every school and «Скачать CSV» downloads all of them
// (was: «—» pre-filled, 0 schools, a header-only CSV). The operator of a ШНОР school: «Весь
// рейтинг» opens (was 403) with its own row linking its page and others' their open data; a
// reason of «Почему школа в списках» leads to its evidence card's chart; the recommendations of
// its справка are on the page; the ШНОР-support form is listed with its deadline and
// «просрочено»; after the analyst returns it, the comment is on «Моя школа». The report page
// says the справка is building, then downloads it (item 10).
// Usage: node operator.js BASE_URL SCHOOL ANALYST APASS OPERATOR OPASS NSCHOOLS OUT_DIR. TAP.
'use strict';
const fs = require('fs');
const { ok, check, open, finish, crashed } = require('./tap');
const [base, school, an, anPass, op, opPass, nSchools, outDir] = process.argv.slice(2);

(async () => {
  const { browser, page, problems } = await open(/status of 4(03|22)/);
  const shot = async (name) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const submit = async (sel) => Promise.all([page.waitForNavigation(), page.click(sel)]);
  const login = async (who, pass) => {
    await page.goto(`${base}/login`);
    await page.fill('#login', who);
    await page.fill('#password', pass);
    await submit('form.form button[type=submit]');
  };
  const logout = async () => submit('form[action="/logout"] button');

  // ---- the analyst: the schools list (item 3) ----
  await check('analyst logs in', async () => { await login(an, anPass); return true; });
  await check('the schools list opens with an empty «Код или название»', async () => {
    await page.goto(`${base}/schools?year=2024`);
    return (await page.inputValue('#q')) === '';
  });
  await check('«Показать» lists every school', async () => {
    await submit('form.filters button[type=submit]');
    await shot('schools-all');
    return (await page.locator('main table tbody tr').count()) === Number(nSchools);
  });
  await check('«Скачать CSV» downloads a row per school', async () => {
    const link = page.locator('a', { hasText: 'CSV' }).first();
    const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const lines = fs.readFileSync(await dl.path(), 'utf8').trim().split(/\r?\n/);
    return lines.length === Number(nSchools) + 1;
  });
  await check('…and a typed code finds its school', async () => {
    await page.fill('#q', school);
    await submit('form.filters button[type=submit]');
    return (await page.locator('main table tbody tr').count()) === 1;
  });
  // ---- the справка on the report page: progress while it builds, then the file (item 10) ----
  await check('the report page builds the справка with a progress line and downloads it', async () => {
    await page.goto(`${base}/report?year=2024`);
    const [dl] = await Promise.all([
      page.waitForEvent('download', { timeout: 120000 }),
      page.click('#report-form button[type=submit]'),
    ]);
    const building = await page.locator('#report-status').textContent();
    const bytes = fs.readFileSync(await dl.path());
    await page.waitForFunction(() => /Справка готова/.test(document.getElementById('report-status').textContent));
    const done = await page.locator('#report-status').textContent();
    await shot('report-ready');
    if (!(bytes.slice(0, 5).toString() === '%PDF-' && /^spravka-2024\.pdf$/.test(dl.suggestedFilename()) &&
          /Справка (строится|готова)/.test(building) && /Файл скачан/.test(done) &&
          !(await page.isDisabled('#report-form button[type=submit]'))))
      throw new Error(`${dl.suggestedFilename()} ${bytes.length} B; «${building}» → «${done}»`);
    return true;
  });
  await logout();

  // ---- the operator (item 7) ----
  await check('the operator logs in and opens «Моя школа»', async () => {
    await login(op, opPass);
    await page.goto(`${base}/schools/${school}?year=2024`);
    return /Почему школа в списках|Рекомендации/.test(await page.textContent('main'));
  });
  await check('the recommendations of its справка are on the page, each with its ground', async () =>
    (await page.locator('#recommendations ol li').count()) > 0 &&
    /Основание:/.test(await page.textContent('#recommendations')));
  await check('a reason leads to its evidence card\'s chart', async () => {
    await Promise.all([page.waitForNavigation(), page.click('a.reason-chart')]);
    await shot('operator-card');
    return /#chart$/.test(page.url()) && (await page.locator('#chart svg').count()) > 0;
  });
  await check('«Весь рейтинг» opens for the operator', async () => {
    await page.goto(`${base}/schools/${school}?year=2024`);
    const [resp] = await Promise.all([page.waitForNavigation(), page.click('a:text("Весь рейтинг")')]);
    await shot('operator-rating');
    return resp.status() === 200 && (await page.locator('table.rating-table tbody tr').count()) > 1;
  });
  await check('…its own row links its page, other rows the open data', async () => {
    const own = await page.locator(`table.rating-table a[href="/schools/${school}?year=2024"]`).count();
    const hrefs = await page.locator('table.rating-table tbody a').evaluateAll(as => as.map(a => a.getAttribute('href')));
    const others = hrefs.filter(h => /^\/schools\//.test(h) && !h.startsWith(`/schools/${school}?`) && !h.startsWith(`/schools/${school}/`));
    if (!(own > 0 && others.length === 0 && hrefs.some(h => /^\/open\/schools\//.test(h))))
      throw new Error(`own ${own}, others ${others.slice(0, 3)}, hrefs ${hrefs.slice(0, 6)}`);
    return true;
  });
  await check('the ШНОР-support form is listed with its deadline and «просрочено»', async () => {
    await page.goto(`${base}/schools/${school}?year=2024`);
    const row = page.locator('#forms tr', { hasText: 'Поддержка школ с низкими образовательными результатами' });
    return (await row.count()) === 1 && /30\.09\.2024/.test(await row.textContent()) &&
      /просрочено/.test(await row.textContent());
  });
  await logout();

  // ---- the analyst returns the submitted form; the operator reads the comment ----
  await check('the analyst returns the submitted form with a comment', async () => {
    await login(an, anPass);
    await page.goto(`${base}/forms/shnor_support/${school}?period=2024`);
    await page.fill('textarea[name=comment], input[name=comment]', 'Уточните число педагогов с ИОМ');
    await submit('form[action$="/return"] button[type=submit]');
    return /возвращена/i.test(await page.textContent('main'));
  });
  await logout();
  await check('…and the operator sees it on «Моя школа»', async () => {
    await login(op, opPass);
    await page.goto(`${base}/schools/${school}?year=2024`);
    await shot('operator-returned');
    const t = await page.textContent('main');
    return /Возвращено на доработку: 1/.test(t) && /Уточните число педагогов с ИОМ/.test(t);
  });
  ok(problems.length === 0, 'no console errors', problems.join('; '));
  await finish(browser);
})().catch(crashed);
