// Browser test of the analyst's year (issue 14) in Debian's Chromium (playwright-core): on an
// empty database the import form's year is empty («из файла»), the list of schools loads without
// a year and its template hides the year field; a chosen year that differs from the file's is an
// error on the year field naming both, the chosen file is kept, and with the year cleared the
// file loads as the year in its own header. A year without analysis says so; an import after
// the analysis raises «Данные изменились после анализа», and «Перезапустить анализ» clears it.
// Screenshots go to OUT_DIR.
// Usage: node year.js BASE_URL LOGIN PASSWORD EXAMPLES_DIR OUT_DIR. Prints TAP.
'use strict';
const { ok, check, open, finish, crashed } = require('./tap');
const [base, login, password, examples, outDir] = process.argv.slice(2);

(async () => {
  const { browser, page, problems } = await open(/status of 422/);
  const shot = async (name) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const submit = async (sel) => Promise.all([page.waitForNavigation(), page.click(sel)]);
  const main = async () => page.textContent('main');

  await check('log in on an empty database', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await submit('form.form button[type=submit]');
    return true;
  });
  await check('the import form leaves the year empty, «из файла»', async () => {
    await page.goto(`${base}/imports`);
    await shot('import-empty');
    return (await page.inputValue('#year')) === '' &&
      (await page.getAttribute('#year', 'placeholder')) === 'из файла';
  });
  await check('choosing the list of schools hides the year', async () => {
    await page.selectOption('#kind', 'schools');
    const hidden = !(await page.isVisible('#year'));
    await page.selectOption('#kind', '');
    return hidden && await page.isVisible('#year');
  });
  await check('the list of schools checks and loads with no year', async () => {
    await page.setInputFiles('#file', `${examples}/schools.csv`);
    await submit('form.form button[type=submit]');
    if (!/Ошибок нет/.test(await main())) return false;
    await submit('form[action="/imports/confirm"] button');
    return /Файл загружен/.test(await main());
  });
  await check('a chosen year against the file\'s own is an error on the year field', async () => {
    await page.setInputFiles('#file', `${examples}/f1-vpr-math5-2023.xlsx`);
    await page.fill('#year', '2024');
    await submit('form.form button[type=submit]');
    await shot('import-year-conflict');
    const t = await main();
    return /в файле указан 2023 год, а для загрузки выбран 2024/.test(t) &&
      (await page.inputValue('#year')) === '2024';
  });
  await check('…the chosen file is kept and named', async () =>
    /Выбран файл «f1-vpr-math5-2023\.xlsx»/.test(await page.textContent('#kept-file')));
  await check('a wrong year sits on the year field, not on the file', async () => {
    await page.fill('#year', '20x4');
    await submit('form.form button[type=submit]');
    await shot('import-year-error');
    return (await page.locator('#year-field.field-error #year-error').count()) === 1 &&
      (await page.locator('#file-error').count()) === 0 &&
      /Выбран файл «f1-vpr-math5-2023\.xlsx»/.test(await page.textContent('#kept-file'));
  });
  await check('with the year cleared the kept file checks as 2023 and loads', async () => {
    await page.fill('#year', '');
    await submit('form.form button[type=submit]');
    if (!/Охват: ВПР, математика, 5 класс, 2023/.test(await main())) return false;
    await submit('form[action="/imports/confirm"] button');
    return /Файл загружен/.test(await main());
  });
  await check('a year without analysis says so, with a button to run it', async () => {
    await page.goto(`${base}/?year=2023`);
    await shot('dashboard-no-analysis');
    return (await page.locator('#no-analysis').count()) === 1 &&
      (await page.locator('#no-analysis button').count()) === 1;
  });
  await check('…and a school page says so instead of «не входит в списки»', async () => {
    await page.goto(`${base}/schools/sch100001?year=2023`);
    const t = await main();
    return (await page.locator('#no-analysis').count()) === 1 && !/не входит в списки/.test(t);
  });
  await check('running the analysis dates the dashboard «Анализ от дд.мм.гггг чч:мм»', async () => {
    await page.goto(`${base}/?year=2023`);
    await submit('#no-analysis button');
    return /^Анализ от \d\d\.\d\d\.\d{4} \d\d:\d\d/.test((await page.textContent('#analysis-at')).trim()) &&
      (await page.locator('#stale').count()) === 0;
  });
  await check('an import after the analysis raises the banner «Данные изменились после анализа»', async () => {
    await page.goto(`${base}/imports`);
    await page.setInputFiles('#file', `${examples}/f1-vpr-math5-2023.xlsx`);
    await submit('form.form button[type=submit]');
    await submit('form[action="/imports/confirm"] button');
    await page.goto(`${base}/?year=2023`);
    await shot('dashboard-stale');
    return /Данные изменились после анализа/.test(await page.textContent('#stale'));
  });
  await check('…on the school page too', async () => {
    await page.goto(`${base}/schools/sch100001?year=2023`);
    return (await page.locator('#stale button').count()) === 1;
  });
  await check('«Перезапустить анализ» runs it again and the banner is gone', async () => {
    await submit('#stale button');
    return (await page.locator('#stale').count()) === 0 &&
      /Анализ от/.test(await page.textContent('#analysis-at'));
  });
  ok(problems.length === 0, 'no console errors', problems.join('; '));
  await finish(browser);
})().catch(crashed);
