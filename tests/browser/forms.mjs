// Forms and videos as a reader meets them, in Debian's Chromium.
//
//   node tests/browser/forms.mjs SITE_DIR --receiver PORT
//
// SITE_DIR is a built site whose forms post to http://127.0.0.1:PORT/receive. It serves the
// site on 127.0.0.1 with the headers of its own _headers file (so every
// Content-Security-Policy is enforced), and a small receiver on PORT that records what each
// form sends and, as a form service does, sends the reader on to the page the form's
// redirect field names. Then:
//   - posting: the sign-up form on the home page, filled in and sent, reaches the receiver
//     with every field's value, the honeypot empty and the redirect field set, and the reader
//     lands on the site's thank-you page, with no Content-Security-Policy violation;
//   - the honeypot: off screen, hidden from screen readers, and never reached by Tab;
//   - without JavaScript, the browser's own checks keep an empty form from being sent;
//   - with JavaScript, an empty form shows an error summary (role="alert", focused) that
//     links to each field to fix, and each field says what is wrong; a badly typed email
//     address gets its own message; nothing is sent;
//   - the policy: form-action names the receiver's origin on the form pages, 'none' elsewhere;
//     frame-src names the video's host on the video pages and nowhere else;
//   - videos: before a click, nothing is requested from any other origin; without JavaScript
//     the poster links to the video on its host; a click puts the host's privacy-enhanced
//     player in its place (its src checked; every request to another origin is refused).
// It prints one line per problem and ends with "N passed, N failed".

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { TYPES, headerRules, htmlPages } from './site.mjs';

const args = process.argv.slice(2);
const siteDir = path.resolve(args[0] ?? 'public');
const receiverPort = Number(args[args.indexOf('--receiver') + 1]);
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic'];
const failures = [];
let passed = 0;
function check(where, what, ok, detail = '') {
  if (ok) passed += 1;
  else failures.push(`${where}: ${what}${detail ? `: ${detail}` : ''}`);
}

const rules = headerRules(path.join(siteDir, '_headers'));
const policyOf = (urlPath) => {
  const out = {};
  for (const rule of rules) if (rule.pattern.test(urlPath)) Object.assign(out, rule.headers);
  return out;
};

const site = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = path.join(siteDir, url);
  if (!file.startsWith(siteDir)) { res.writeHead(400); res.end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404); res.end('not found'); return; }
  res.writeHead(200, { ...policyOf(url), 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${site.address().port}`;

// The receiver: what a CRM's or form service's endpoint does, in a few lines.
const received = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const fields = Object.fromEntries(new URLSearchParams(body));
    received.push({ method: req.method, path: req.url, type: req.headers['content-type'], fields });
    // Back to the site's own thank-you page, at this test's address.
    const next = fields._next ? new URL(fields._next).pathname : '/';
    res.writeHead(303, { location: `${origin}${next}` });
    res.end();
  });
});
await new Promise((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });

/// A page that records console errors and every request that leaves the site, refusing it.
async function open(context) {
  const page = await context.newPage();
  const errors = [];
  const away = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.origin === origin || target.origin === `http://127.0.0.1:${receiverPort}` || target.protocol === 'data:') return route.continue();
    away.push(target.href);
    return route.abort();
  });
  return { page, errors, away };
}

try {
  // The policy of every page: forms and frames opened only where they are used.
  for (const rel of htmlPages(siteDir)) {
    const address = '/' + rel.replace(/index\.html$/, '');
    const policy = policyOf(address)['Content-Security-Policy'] ?? '';
    const html = fs.readFileSync(path.join(siteDir, rel), 'utf8');
    const hasForm = html.includes('<form');
    const hasVideo = html.includes('data-video=');
    const formAction = policy.match(/form-action ([^;]*)/)?.[1];
    // 'self' too: Chromium holds the endpoint's redirect back to the thank-you page to form-action.
    check(address, 'form-action is the endpoint\'s origin (and the site\'s own, for the way back) on a page with a form and \'none\' elsewhere',
      formAction === (hasForm ? `http://127.0.0.1:${receiverPort} 'self'` : '\'none\''), formAction);
    const frames = policy.match(/frame-src ([^;]*)/)?.[1];
    check(address, 'frame-src only on a page with a video', hasVideo ? /^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)$/.test(frames ?? '') : frames === undefined, frames);
  }

  const context = await browser.newContext();
  // Posting the form, and the thank-you page.
  {
    const { page, errors, away } = await open(context);
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Email address').fill('ada@example.org');
    await page.getByLabel('Postcode (optional)').fill('NE1 4ST');
    await page.getByLabel('Why this matters to you (optional)').fill('Line one\nline two');
    await page.getByLabel('Email me news of the campaign.').check();
    await Promise.all([page.waitForURL(`${origin}/thank-you/`, { timeout: 10000 }).catch(() => {}), page.getByRole('button', { name: 'Sign up' }).click()]);
    const sent = received.at(-1);
    check('/', 'the form reaches the receiver once, as a POST of form fields', received.length === 1 && sent.method === 'POST' && sent.path === '/receive'
      && sent.type === 'application/x-www-form-urlencoded', JSON.stringify(received));
    const fields = sent?.fields ?? {};
    const expected = { name: 'Ada Lovelace', email: 'ada@example.org', postcode: 'NE1 4ST', school: '', reason: 'Line one\r\nline two', consent: 'yes', website: '', _next: 'https://forms-fixture.example.org/thank-you/' };
    check('/', 'every field arrives as typed, the honeypot empty', JSON.stringify(fields) === JSON.stringify(expected), JSON.stringify(fields));
    check('/', 'the reader lands on the site\'s thank-you page', page.url() === `${origin}/thank-you/`, page.url());
    check('/', 'no Content-Security-Policy violation or error on the way', errors.length === 0, errors.join('; '));
    check('/', 'nothing requested from a third party', away.length === 0, away.join(', '));
    await page.close();
  }
  // The honeypot: off screen, hidden from screen readers, out of the tab order.
  {
    const { page } = await open(context);
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    const trap = await page.evaluate(() => {
      const input = document.querySelector('.form-trap input');
      const box = input.getBoundingClientRect();
      return { hidden: input.closest('[aria-hidden="true"]') !== null, tabindex: input.tabIndex, offscreen: box.right <= 0 || box.bottom <= 0 };
    });
    check('/', 'the honeypot is off screen, aria-hidden and not in the tab order', trap.hidden && trap.tabindex === -1 && trap.offscreen, JSON.stringify(trap));
    let reached = false;
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press('Tab');
      reached ||= await page.evaluate(() => document.activeElement?.closest('.form-trap') !== null);
    }
    check('/', 'Tab never reaches the honeypot', !reached);
    const snapshot = await page.locator('form').ariaSnapshot();
    check('/', 'screen readers do not meet the honeypot', !snapshot.includes('Leave this field empty'), snapshot);
    await page.close();
  }
  // Without JavaScript, the browser's own checks stop an empty form.
  {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const { page } = await open(noScript);
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    const before = received.length;
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForTimeout(300);
    const invalid = await page.evaluate(() => [...document.querySelectorAll('input:invalid')].map((i) => i.name));
    check('/ without JavaScript', 'an empty form is not sent', received.length === before && page.url() === `${origin}/`, page.url());
    check('/ without JavaScript', 'the required fields are invalid', JSON.stringify(invalid) === JSON.stringify(['name', 'email', 'consent']), JSON.stringify(invalid));
    await noScript.close();
  }
  // With JavaScript, an error summary.
  for (const [address, title] of [['/', 'There is a problem'], ['/cy/', 'Mae problem']]) {
    const { page, errors } = await open(context);
    await page.goto(`${origin}${address}`, { waitUntil: 'load' });
    const before = received.length;
    await page.getByRole('button', { name: address === '/' ? 'Sign up' : 'Cofrestru' }).click();
    const summary = await page.evaluate(() => {
      const box = document.querySelector('.error-summary');
      if (!box) return null;
      return {
        role: box.getAttribute('role'),
        focused: document.activeElement === box,
        title: box.querySelector('h2')?.textContent,
        links: [...box.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent]),
        invalid: [...document.querySelectorAll('[aria-invalid="true"]')].map((f) => [f.name, document.getElementById(f.getAttribute('aria-describedby'))?.textContent]),
      };
    });
    check(address, 'an empty form is not sent', received.length === before);
    check(address, 'the error summary is announced and focused', summary?.role === 'alert' && summary.focused && summary.title === title, JSON.stringify(summary));
    const hrefs = (summary?.links ?? []).map(([href]) => href);
    check(address, 'it links to each field to fix', JSON.stringify(hrefs) === JSON.stringify(['#form-1-name', '#form-1-email', '#form-1-consent']), JSON.stringify(summary?.links));
    check(address, 'each field says what is wrong', (summary?.invalid ?? []).length === 3 && summary.invalid.every(([, text]) => text && text.length > 8), JSON.stringify(summary?.invalid));
    await page.locator('.error-summary a').first().click();
    const focused = await page.evaluate(() => document.activeElement?.id);
    check(address, 'a link in the summary takes the reader to the field', focused === 'form-1-name', focused);
    if (address === '/') {
      await page.getByLabel('Full name').fill('Ada');
      await page.getByLabel('Email address').fill('not an address');
      await page.getByLabel('Email me news of the campaign.').check();
      await page.getByRole('button', { name: 'Sign up' }).click();
      const links = await page.evaluate(() => [...document.querySelectorAll('.error-summary a')].map((a) => a.textContent));
      check(address, 'a badly typed email address has its own message, and only it', JSON.stringify(links) === JSON.stringify(['Enter an email address in the correct format, like name@example.com']), JSON.stringify(links));
      check(address, 'nothing is sent while a field is wrong', received.length === before);
    }
    check(address, 'no error in the console', errors.length === 0, errors.join('; '));
    await page.close();
  }
  // Videos: nothing from the host until the reader asks.
  for (const [address, player, watch] of [
    ['/video/', 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1&rel=0', 'https://www.youtube.com/watch?v=aqz-KE-bpKQ'],
    ['/cy/video/', 'https://player.vimeo.com/video/76979871?dnt=1&autoplay=1', 'https://vimeo.com/76979871'],
  ]) {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const quiet = await open(noScript);
    await quiet.page.goto(`${origin}${address}`, { waitUntil: 'load' });
    const link = await quiet.page.evaluate(() => document.querySelector('a.video-poster')?.getAttribute('href'));
    const poster = await quiet.page.evaluate(() => { const img = document.querySelector('.video-poster img'); return img && img.complete && img.naturalWidth > 0; });
    check(address, 'without JavaScript the poster shows and links to the video on its host', link === watch && poster, link);
    check(address, 'without JavaScript nothing is requested from another origin', quiet.away.length === 0, quiet.away.join(', '));
    await noScript.close();

    const { page, errors, away } = await open(context);
    await page.goto(`${origin}${address}`, { waitUntil: 'networkidle' });
    check(address, 'before a click nothing is requested from another origin', away.length === 0, away.join(', '));
    check(address, 'no frame before a click', (await page.locator('iframe').count()) === 0);
    const button = page.locator('button.video-poster');
    check(address, 'the poster is a button with JavaScript', (await button.count()) === 1);
    await button.click();
    const frame = await page.evaluate(() => { const f = document.querySelector('iframe.video-player'); return f && { src: f.getAttribute('src'), title: f.title, focused: document.activeElement === f }; });
    check(address, 'a click puts the privacy-enhanced player in place of the poster', frame?.src === player && frame.title.length > 0 && frame.focused, JSON.stringify(frame));
    check(address, 'no error but the blocked player itself', errors.every((e) => e.includes('net::ERR_FAILED') || e.includes('Failed to load resource')), errors.join('; '));
    await page.close();
  }
} finally {
  await browser.close();
  site.close();
  receiver.close();
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`forms: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
