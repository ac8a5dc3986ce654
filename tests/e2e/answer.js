// Browser test of the school's answer to a flag (issue 16 item 6) in Debian's Chromium
// (playwright-core): the school operator opens their school's page, follows the ШНОР badge to
// the evidence card, writes an answer with a file and sends it («на рассмотрении»); the analyst,
// in a browser of their own, opens the ШНОР list, follows the flag to the card, sees the answer,
// cannot reject it without a comment, and rejects it with one; the operator, back on their
// pages, sees «отклонено» with the analyst's comment on the school page and the card, and the
// form to answer again. Screenshots go to OUT_DIR.
// Usage: node answer.js BASE_URL SCHOOL OP_LOGIN OP_PASSWORD AN_LOGIN AN_PASSWORD FILE OUT_DIR.
// Prints TAP.
'use strict';
const { ok, check, open, finish, crashed } = require('./tap');
const [base, school, opLogin, opPass, anLogin, anPass, file, outDir] = process.argv.slice(2);
const COMMENT = 'Протокол педсовета не подписан — пришлите подписанный';
const ANSWER = 'Работы перепроверены методическим объединением, протокол приложен';

(async () => {
  const { browser, page: op, problems } = await open(null);
  const anCtx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
  const an = await anCtx.newPage();
  an.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
  an.on('pageerror', e => problems.push(String(e)));
  const shot = async (p, name) => p.screenshot({ path: `${outDir}/${name}.png`, fullPage: true });
  const submit = async (p, sel) => Promise.all([p.waitForNavigation(), p.click(sel)]);
  const login = async (p, l, pw) => {
    await p.goto(`${base}/login`);
    await p.fill('#login', l);
    await p.fill('#password', pw);
    await submit(p, 'form.form button[type=submit]');
  };
  const card = `/schools/${school}/flags/shnor?year=2024`;

  await check('the operator logs in', async () => {
    await login(op, opLogin, opPass);
    return !/\/login/.test(op.url());
  });
  await check('…their school page says no answer was given and links the card', async () => {
    await op.goto(`${base}/schools/${school}?year=2024`);
    return /Ответ школы: ответ не дан/.test(await op.textContent('main')) &&
      (await op.locator(`.finding a.badge-shnor[href="${card}"]`).count()) === 1;
  });
  await check('…the badge opens the evidence card with its numbers', async () => {
    await submit(op, `.finding a.badge-shnor[href="${card}"]`);
    await shot(op, 'answer-card-operator');
    return op.url().endsWith(card) && /Порог/.test(await op.textContent('main')) &&
      (await op.locator('#answer-form').count()) === 1;
  });
  await check('the operator answers with a file', async () => {
    await op.fill('#answer-text', ANSWER);
    await op.setInputFiles('#answer-file', file);
    await submit(op, '#answer-form button[type=submit]');
    await shot(op, 'answer-sent');
    return /на рассмотрении/.test(await op.textContent('#answer-status')) &&
      (await op.locator('#answer-form').count()) === 0;
  });
  await check('…the answer and its file are on the card', async () =>
    (await op.textContent('.answer-text')).trim() === ANSWER &&
    (await op.locator('#answers a[href^="/answers/files/"]').count()) === 1);

  await check('the analyst logs in in another browser', async () => {
    await login(an, anLogin, anPass);
    return !/\/login/.test(an.url());
  });
  await check('…the ШНОР list says the answer waits', async () => {
    await an.goto(`${base}/lists/shnor?year=2024`);
    const row = an.locator('tr', { has: an.locator(`a.flag-link[href="${card}"]`) });
    return /на рассмотрении/.test(await row.textContent());
  });
  await check('…the flag opens the card with the answer and the forms to decide', async () => {
    await submit(an, `a.flag-link[href="${card}"]`);
    return (await an.textContent('.answer-text')).trim() === ANSWER &&
      (await an.locator('#reject-form').count()) === 1 && (await an.locator('#accept-form').count()) === 1;
  });
  await check('…a rejection without a comment is not sent', async () => {
    await an.click('#reject-form button[type=submit]');
    const invalid = await an.$eval('#reject-comment', el => !el.checkValidity());
    return invalid && an.url().endsWith(card) && /на рассмотрении/.test(await an.textContent('#answer-status'));
  });
  await check('the analyst rejects it with a comment', async () => {
    await an.fill('#reject-comment', COMMENT);
    await submit(an, '#reject-form button[type=submit]');
    await shot(an, 'answer-rejected-analyst');
    return /отклонено/i.test(await an.textContent('#answer-status')) &&
      (await an.locator('#reject-form').count()) === 0;
  });

  await check('the operator sees «отклонено» and the comment on their school page', async () => {
    await op.goto(`${base}/schools/${school}?year=2024`);
    const t = await op.textContent('main');
    return /отклонено/.test(t) && t.includes(COMMENT);
  });
  await check('…and on the card, with the form to answer again', async () => {
    await op.goto(`${base}${card}`);
    await shot(op, 'answer-rejected-operator');
    return (await op.textContent('.answer-comment')).trim() === COMMENT &&
      (await op.textContent('#answer-status')).includes(COMMENT) &&
      (await op.locator('#answer-form').count()) === 1;
  });
  ok(problems.length === 0, 'no console errors', problems.join('; '));
  await finish(browser);
})().catch(crashed);
