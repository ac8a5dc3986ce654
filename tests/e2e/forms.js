// Browser test of the monitoring forms in Debian's Chromium (playwright-core): a school operator
// fills its risk-context form, sees the rule's message next to the field, corrects it and submits;
// the analyst finds it on the completeness page and approves it. Screenshots go to OUT_DIR.
// Usage: node forms.js BASE_URL SCHOOL_LOGIN SCHOOL_PASSWORD SCHOOL_CODE ANALYST_LOGIN
//        ANALYST_PASSWORD OUT_DIR. Prints TAP.
'use strict';
const { ok, check, open, finish, crashed } = require('./tap');
const [base, opLogin, opPass, school, anLogin, anPass, outDir] = process.argv.slice(2);

(async () => {
  const { browser, page, problems } = await open(/status of (422|403)/);
  const shot = async (name) => page.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const login = async (l, p) => {
    await page.goto(`${base}/login`);
    await page.fill('#login', l);
    await page.fill('#password', p);
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  };
  const logout = async () => {
    await Promise.all([page.waitForNavigation(), page.click('form[action="/logout"] button')]);
  };
  const status = async () => (await page.textContent('#status')).trim();
  const form = `/forms/risk_context/${school}`;

  await check('the school operator logs in and opens the forms', async () => {
    await login(opLogin, opPass);
    await page.goto(`${base}/forms`);
    await shot('forms-school');
    return (await page.locator(`a[href^="${form}"]`).count()) === 1;
  });
  await check('…its risk-context form, filled from the values loaded by file', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`a[href^="${form}"]`)]);
    return (await page.inputValue('#v_teachers_total')) !== '' && /загруженные файлом/.test(await status());
  });
  let total = 0;
  await check('a rule broken on submit is shown next to its field', async () => {
    total = parseInt(await page.inputValue('#v_teachers_total'), 10);
    await page.selectOption('#v_internet', '0');
    await page.fill('#v_teachers_36h', String(total + 5));
    await Promise.all([page.waitForNavigation(), page.click('button[value=submit]')]);
    await shot('form-rule-error');
    const msg = await page.textContent('#e_teachers_36h');
    return /не может быть больше, чем педагогов всего/.test(msg) &&
      /Черновик сохранён, но форма не сдана/.test(await page.textContent('[role=alert]')) &&
      (await page.getAttribute('#v_teachers_36h', 'aria-invalid')) === 'true';
  });
  await check('…the values typed stay in the fields', async () =>
    (await page.inputValue('#v_teachers_36h')) === String(total + 5) &&
    (await page.inputValue('#v_internet')) === '0');
  await check('…the form is kept as a draft', async () => {
    await page.goto(`${base}${form}?period=2024`);
    return (await status()) === 'черновик';
  });
  await check('corrected and submitted', async () => {
    await page.fill('#v_teachers_36h', '0');
    await Promise.all([page.waitForNavigation(), page.click('button[value=submit]')]);
    await shot('form-submitted');
    return (await status()) === 'сдана' && (await page.locator('#v_internet').isDisabled()) &&
      (await page.textContent('#done')).trim() === 'Форма сдана.';
  });
  await check('another school\'s form is refused', async () => {
    const other = school === 'sch000001' ? 'sch000002' : 'sch000001';
    const r = await page.goto(`${base}/forms/risk_context/${other}?period=2024`);
    return r.status() === 403;
  });
  await logout();

  await check('the analyst sees the form to review on the completeness page', async () => {
    await login(anLogin, anPass);
    await page.goto(`${base}/forms/risk_context?period=2024`);
    await shot('form-completeness');
    return (await page.locator(`a[href="${form}?period=2024"]`).count()) >= 1 &&
      /проверить/.test(await page.textContent('main'));
  });
  await check('…opens it and approves it', async () => {
    await page.goto(`${base}${form}?period=2024`);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/approve"] button')]);
    await shot('form-approved');
    return (await status()) === 'утверждена';
  });
  await check('…the history names the analyst\'s approval', async () =>
    /утверждено/.test(await page.textContent('main')));
  await check('the dashboard shows the roadmap', async () => {
    await page.goto(`${base}/?year=2024`);
    await shot('dashboard-roadmap');
    return /Просрочено пунктов: \d+/.test(await page.textContent('.plan-summary'));
  });
  ok(problems.length === 0, 'no console errors or CSP violations', problems.slice(0, 3).join(' | '));
  await finish(browser);
})().catch(crashed);
