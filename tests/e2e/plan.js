// Browser test of the whole roadmap (issue 14 п. 10) in Debian's Chromium (playwright-core): the
// analyst filters /plan by status with the form, opens an item, changes its status and note, and
// attaches a file; back on /plan the item's drop-down opens at the new status, so saving the row
// with a new note keeps it; the file downloads under its name. Screenshots go to OUT_DIR.
// Usage: node plan.js BASE_URL LOGIN PASSWORD OUT_DIR FILE. Prints TAP.
'use strict';
const fs = require('fs');
const { ok, check, open, finish, crashed } = require('./tap');
const [base, login, password, outDir, file] = process.argv.slice(2);

(async () => {
  const { browser, page, problems } = await open(/status of 422/);
  const shot = async (name) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const submit = async (sel) => Promise.all([page.waitForNavigation(), page.click(sel)]);
  const rows = async () => page.locator('table.plan tbody tr').count();

  await check('log in', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await submit('form.form button[type=submit]');
    return true;
  });
  let total = 0, overdue = 0;
  await check('/plan shows every item of the year', async () => {
    await page.goto(`${base}/plan?year=2024`);
    await shot('plan-all');
    total = await rows();
    const m = /Пункты: (\d+) из (\d+)/.exec(await page.textContent('#all h2'));
    return total > 20 && m && Number(m[1]) === total && Number(m[2]) === total;
  });
  await check('the status filter narrows it to the overdue items', async () => {
    await page.selectOption('#status', 'overdue');
    await submit('form.filters button[type=submit]');
    overdue = await rows();
    return overdue > 0 && overdue < total &&
      (await page.locator('table.plan tbody tr.late').count()) === overdue &&
      (await page.inputValue('#status')) === 'overdue';
  });
  let href = '';
  await check('an overdue item opens on its own page', async () => {
    href = await page.getAttribute('table.plan tbody tr td[data-label="№"] a', 'href');
    await Promise.all([page.waitForNavigation(), page.click('table.plan tbody tr td[data-label="№"] a')]);
    return /Изменить статус/.test(await page.textContent('main'));
  });
  await check('status «выполняется» with a note is saved', async () => {
    await page.selectOption('#status', 'in_progress');
    await page.fill('#note', 'Приказ № 12 от 01.03.2024');
    await submit('form[action$="/status"] button[type=submit]');
    return /Статус пункта сохранён/.test(await page.textContent('main')) &&
      (await page.inputValue('#status')) === 'in_progress';
  });
  await check('a file is attached and listed', async () => {
    await page.setInputFiles('#file', file);
    await submit('form[action$="/files"] button[type=submit]');
    await shot('plan-item');
    return /Файл приложен/.test(await page.textContent('main')) &&
      (await page.locator('#files a[download]').count()) === 1;
  });
  await check('…and downloads under its name, byte for byte', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#files a[download]')]);
    const p = await dl.path();
    return dl.suggestedFilename() === 'Протокол совещания.pdf' &&
      fs.readFileSync(p).equals(fs.readFileSync(file));
  });
  await check('the history says it in words', async () =>
    /Статус: выполняется; отметка: Приказ № 12/.test(await page.textContent('#history')));
  await check('on /plan the row\'s drop-down opens at «выполняется»', async () => {
    await page.goto(`${base}/plan?year=2024`);
    const id = href.replace(/^\/plan\//, '').replace(/\?.*$/, '');
    const sel = page.locator(`form[action="/plan/${id}/status"] select`);
    return (await sel.inputValue()) === 'in_progress';
  });
  await check('…so saving a new note keeps the status', async () => {
    const id = href.replace(/^\/plan\//, '').replace(/\?.*$/, '');
    await page.fill(`form[action="/plan/${id}/status"] input[name=note]`, 'Приказ № 13');
    await submit(`form[action="/plan/${id}/status"] button`);
    await page.goto(`${base}${href}`);
    return (await page.inputValue('#status')) === 'in_progress' &&
      /Приказ № 13/.test(await page.textContent('main'));
  });
  ok(problems.length === 0, 'no console errors', problems.join('; '));
  await finish(browser);
})().catch(crashed);
