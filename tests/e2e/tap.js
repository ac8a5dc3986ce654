// Shared by the browser tests: TAP output, and Debian's Chromium driven by playwright-core
// (executablePath /usr/bin/chromium, never a downloaded browser), collecting console errors.
'use strict';
const { chromium } = require('playwright-core');

let n = 0, failed = 0;
function ok(cond, name, extra) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else { failed++; console.log(`not ok ${n} - ${name}${extra ? ': ' + extra : ''}`); }
}
async function check(name, fn) {
  try { const r = await fn(); ok(r !== false, name); }
  catch (e) { ok(false, name, String(e.message || e).split('\n')[0]); }
}
// A laptop-sized page; console errors matching expected (a RegExp, may be null) are not problems.
async function open(expected) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', m => {
    if (m.type() === 'error' && !(expected && expected.test(m.text()))) problems.push(m.text());
  });
  page.on('pageerror', e => problems.push(String(e)));
  return { browser, page, problems };
}
async function finish(browser) {
  await browser.close();
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}
function crashed(e) {
  console.log(`not ok ${n + 1} - browser run: ${e.message}`);
  console.log(`1..${n + 1}`);
  process.exit(1);
}
module.exports = { ok, check, open, finish, crashed };
