// Browser test of the first run (issue 14, first «done when»): on a database made by
// `msoko init` alone, with no command line after it, the first visitor is sent to «Первый
// запуск», creates the admin, the admin creates an analyst (the password shown once), the analyst
// signs in, uploads the schools and then the results, runs the analysis, sees the ШНОР list,
// downloads it as XLSX and the справка as PDF (both checked by their first bytes; the shell test
// reads the XLSX's cells). The first-run page is gone once an account exists.
// Usage: node firstrun.js BASE_URL SETUP_URL EXAMPLES_DIR OUT_DIR DOWNLOAD_DIR (SETUP_URL: the
// address with the key that `msoko serve` printed). Prints TAP.
'use strict';
const fs = require('fs');
const { ok, check, open, finish, crashed } = require('./tap');
const [base, setupUrl, examples, outDir, dlDir] = process.argv.slice(2);

(async () => {
  // the refusals the test provokes answer 404 and 422; the browser logs them as errors
  const { browser, page, problems } = await open(/status of (403|404|422)/);
  page.setDefaultTimeout(120000);
  const shot = async (name) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const submit = async (sel) => Promise.all([page.waitForNavigation(), page.click(sel)]);
  const main = async () => page.textContent('main');
  const adminPw = 'first-admin-pass-1';
  let analystPw = '';

  await check('the first visit goes to «Первый запуск», which asks for the address serve printed', async () => {
    const res = await page.goto(`${base}/`);
    return new URL(page.url()).pathname === '/setup' && res.status() === 403 &&
      /его печатает msoko serve/.test(await main());
  });
  await check('the address serve printed opens it', async () => {
    await page.goto(setupUrl);
    await shot('firstrun-setup');
    return /Первый запуск: создайте учётную запись администратора/.test(await page.textContent('h1'));
  });
  await check('…passwords that differ are an error beside the field, the login kept', async () => {
    await page.fill('#login', 'admin');
    await page.fill('#password', adminPw);
    await page.fill('#password2', adminPw + 'x');
    await submit('#setup button[type=submit]');
    return /не совпадают/.test(await page.textContent('#password-error')) &&
      (await page.inputValue('#login')) === 'admin';
  });
  await check('…a password under the rules is refused with the rule', async () => {
    await page.fill('#password', 'admin12345');
    await page.fill('#password2', 'admin12345');
    await submit('#setup button[type=submit]');
    return /из числа самых частых|повторять имя/.test(await page.textContent('#password-error'));
  });
  await check('creating the admin signs in and opens the users page', async () => {
    await page.fill('#password', adminPw);
    await page.fill('#password2', adminPw);
    await submit('#setup button[type=submit]');
    await shot('firstrun-admin-users');
    return new URL(page.url()).pathname === '/admin/users' &&
      /Учётная запись администратора создана/.test(await main()) &&
      /admin · администратор/.test(await page.textContent('.who'));
  });
  await check('the admin adds an analyst; the password is shown once', async () => {
    await page.fill('#new-login', 'analyst1');
    await page.selectOption('#new-role', 'analyst');
    await submit('#add-user button[type=submit]');
    analystPw = (await page.textContent('#new-password')).trim();
    await shot('firstrun-new-analyst');
    return /^[A-Za-z0-9]{16}$/.test(analystPw) &&
      /analyst1/.test(await page.textContent('#user-analyst1')) &&
      /аналитик/.test(await page.textContent('#user-analyst1'));
  });
  await check('…and the users page opened again does not show it', async () => {
    await page.goto(`${base}/admin/users`);
    return (await page.locator('#new-password').count()) === 0 && !(await main()).includes(analystPw);
  });
  await check('the empty forms page says what to do in the browser', async () => {
    await page.goto(`${base}/forms`);
    const t = await main();
    return /Настройка форм/.test(t) && !/msoko form load/.test(t);
  });
  await check('the admin signs out; «Первый запуск» is gone (404)', async () => {
    await submit('form[action="/logout"] button');
    const res = await page.goto(`${base}/setup`);
    return res.status() === 404;
  });
  await check('the analyst signs in with the password shown: first the account page', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#login', 'analyst1');
    await page.fill('#password', analystPw);
    await submit('form.form button[type=submit]');
    await shot('firstrun-must-change');
    return /analyst1 · аналитик/.test(await page.textContent('.who')) &&
      new URL(page.url()).pathname === '/account' && (await page.locator('#must-change').count()) === 1;
  });
  await check('…sets a password of their own, then the pages open', async () => {
    await page.fill('#current', analystPw);
    await page.fill('#password', 'analyst-own-pass-1');
    await page.fill('#password2', 'analyst-own-pass-1');
    await submit('form[action="/account/password"] button');
    if (!/Пароль изменён/.test(await main())) return false;
    await page.goto(`${base}/imports`);
    return new URL(page.url()).pathname === '/imports';
  });
  const upload = async (file) => {
    await page.goto(`${base}/imports`);
    await page.setInputFiles('#file', `${examples}/${file}`);
    await submit('form.form button[type=submit]');
    if (!/Ошибок нет/.test(await main())) return false;
    await submit('form[action="/imports/confirm"] button');
    return /Файл загружен/.test(await main());
  };
  await check('the analyst uploads the list of schools', () => upload('schools.csv'));
  await check('…then the results of ВПР 5 класса', () => upload('results-vpr-math5-2024.csv'));
  await check('…and of ВПР 6 класса', () => upload('results-vpr-6-2024.csv'));
  await check('runs the analysis of 2024 from the dashboard', async () => {
    await page.goto(`${base}/?year=2024`);
    await submit('#no-analysis button');
    return /Анализ от/.test(await page.textContent('#analysis-at'));
  });
  await check('sees the ШНОР list: two schools', async () => {
    await page.goto(`${base}/lists/shnor?year=2024`);
    await shot('firstrun-shnor');
    const t = await main();
    return /ШНОР за 2024 год: 2 школы/.test(await page.textContent('h1')) &&
      /sch100003/.test(t) && /sch100004/.test(t);
  });
  const download = async (click, name) => {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    const path = `${dlDir}/${name}`;
    await d.saveAs(path);
    return fs.readFileSync(path);
  };
  await check('downloads the list as XLSX (a zip: PK\\3\\4)', async () => {
    const b = await download(() => page.click('#xlsx-link'), 'shnor.xlsx');
    return b.length > 1000 && b.slice(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });
  await check('downloads the справка as PDF (%PDF-)', async () => {
    await page.goto(`${base}/report?year=2024`);
    await page.check('input[name=format][value=pdf]');
    const b = await download(() => page.click('#report-form button[type=submit]'), 'report.pdf');
    return b.length > 10000 && b.slice(0, 5).toString('latin1') === '%PDF-';
  });
  await check('downloads the доклад as DOCX (a zip: PK\\3\\4)', async () => {
    await page.goto(`${base}/report?year=2024`);
    await page.check('input[name=kind][value=doklad]');
    await page.check('input[name=format][value=docx]');
    const b = await download(() => page.click('#report-form button[type=submit]'), 'doklad.docx');
    return b.length > 10000 && b.slice(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });
  ok(problems.length === 0, 'no console errors', problems.join('; '));
  await finish(browser);
})().catch(crashed);
