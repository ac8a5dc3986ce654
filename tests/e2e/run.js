// End-to-end test of msoko serve in Debian's Chromium (playwright-core, no downloaded browser):
// log in, import a file through the form, open the school page of a ШНОР school and see why it
// is listed, sort a table, log out; screenshots of the main pages go to build/screenshots/.
// Usage: node run.js BASE_URL LOGIN PASSWORD CSV_FILE SHNOR_SCHOOL OUT_DIR. Prints TAP.
'use strict';
const { ok, check, open, finish, crashed } = require('./tap');
const [base, login, password, csvFile, shnorSchool, outDir] = process.argv.slice(2);

(async () => {
  const { browser, page, problems } = await open(null);
  const shot = async (name, full = true) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: full });
  const h1 = async () => (await page.textContent('h1')).trim();

  await check('the public home is the open data', async () => {
    await page.goto(`${base}/`);
    await shot('open-data');
    return /Открытые данные/.test(await h1());
  });
  await check('log in through the form', async () => {
    await page.goto(`${base}/login`);
    await shot('login', false);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    return /Сводка муниципалитета за \d{4} год/.test(await h1());
  });
  await check('the dashboard shows the ШНОР list with its count', async () => {
    const t = await page.textContent('main');
    await shot('dashboard');
    return /ШНОР/.test(t) && (await page.locator('.badge-shnor').count()) > 0;
  });
  await check('the year selector links to another year', async () => {
    return (await page.locator('nav.years a').count()) > 0;
  });
  await check('import a file through the form: the check finds no errors', async () => {
    await page.goto(`${base}/imports`);
    await page.setInputFiles('#file', csvFile);
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    await shot('import-check');
    return /Ошибок нет/.test(await page.textContent('main'));
  });
  await check('…and confirming loads it', async () => {
    await Promise.all([page.waitForNavigation(), page.click('form[action="/imports/confirm"] button')]);
    await shot('imports');
    return /Файл загружен/.test(await page.textContent('main'));
  });
  await check('the ШНОР list names the school', async () => {
    await page.goto(`${base}/lists/shnor`);
    await shot('list-shnor');
    return (await page.locator(`a[href^="/schools/${shnorSchool}"]`).count()) > 0;
  });
  await check('the school page of a ШНОР school says why it is listed', async () => {
    await Promise.all([page.waitForNavigation(), page.locator(`main a[href^="/schools/${shnorSchool}"]`).first().click()]);
    const t = await page.textContent('main');
    await shot('school-shnor');
    return /Почему школа в списках/.test(t) && /получили «2» — порог 30 %/.test(t) &&
      (await page.locator('.badge-shnor').count()) > 0;
  });
  await check('…with SVG charts of the dynamics', async () => (await page.locator('.chartbox svg').count()) > 0);
  await check('the procedure page draws the histogram with cut-offs', async () => {
    await page.goto(`${base}/procedures/VPR-math-5?school=${shnorSchool}`);
    await shot('procedure');
    return (await page.locator('.chartbox svg').count()) >= 1;
  });
  await check('the schools list sorts by a column (JS)', async () => {
    await page.goto(`${base}/schools`);
    await shot('schools');
    const th = page.locator('table.sortable thead th').nth(4);
    await th.locator('button').click();
    return (await th.getAttribute('aria-sort')) === 'ascending';
  });
  await check('…and filters rows', async () => {
    await page.fill('.tablefilter input', shnorSchool);
    const visible = await page.locator('table.sortable tbody tr:visible').count();
    return visible === 1;
  });
  await check('the rating list', async () => {
    await page.goto(`${base}/lists/rating`);
    await shot('list-rating');
    return /Рейтинг/.test(await h1());
  });
  await check('the school page fits a phone (no sideways scroll of the page)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/schools/${shnorSchool}`);
    await shot('school-phone', false);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1366, height: 768 });
    return w <= 390;
  });
  ok(problems.length === 0, 'no console errors or CSP violations', problems.slice(0, 3).join(' | '));
  await check('log out', async () => {
    await Promise.all([page.waitForNavigation(), page.click('form[action="/logout"] button')]);
    return /\/login$/.test(page.url());
  });
  await check('…and the school page needs a login again', async () => {
    const r = await page.goto(`${base}/schools/${shnorSchool}`);
    return r.status() === 401;
  });
  await finish(browser);
})().catch(crashed);
