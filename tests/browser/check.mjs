// Drives Debian's Chromium over a built site, the way a reader would meet it.
//
//   node tests/browser/check.mjs SITE_DIR [--screenshots DIR] [--base /subpath/]
//
// It serves SITE_DIR on 127.0.0.1 (under --base when given) and, for every HTML page in it:
//   - loading: no console error, no page error, no failed request, nothing fetched from
//     anywhere but this server;
//   - charts: at 320, 390 and 1280 px wide, every chart shows exactly one of its layouts, with
//     a non-zero size, and every text in it is drawn at 14 px or more and no larger than the
//     chart's title;
//   - layout: no horizontal scrolling at 320 px;
//   - accessibility: axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules finds nothing, in
//     light and in dark mode (prefers-color-scheme);
//   - keyboard: the first Tab lands on the skip link, and Tab reaches every interactive element;
//   - screenshots at every width, light and dark, for people to review;
//   - with --headers, the site's own _headers applied, so its Content-Security-Policy is
//     enforced: a violation is a console error.
// It prints one line per problem and ends with "N passed, N failed".

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { TYPES, htmlPages } from './site.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const args = process.argv.slice(2);
const siteDir = path.resolve(args[0] ?? 'public');
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const shotsDir = option('--screenshots', null);
const base = option('--base', '/');
// --headers FILE: answer with the headers of a Netlify-style _headers file, so that its
// Content-Security-Policy is enforced and any violation shows up as a console error.
const headerRules = parseHeaders(option('--headers', null));

function parseHeaders(file) {
  if (!file) return [];
  const rules = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('/')) {
      const pattern = new RegExp('^' + line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      rules.push({ pattern, headers: {} });
    } else if (/^\s+\S/.test(line) && rules.length > 0) {
      const at = line.indexOf(':');
      rules[rules.length - 1].headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}

function headersFor(urlPath) {
  const out = {};
  for (const rule of headerRules) if (rule.pattern.test(urlPath)) Object.assign(out, rule.headers);
  return out;
}
const WIDTHS = [320, 390, 1280];
const SCHEMES = ['light', 'dark'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

function serve(dir) {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const extra = headersFor(url);
    if (!url.startsWith(base)) { res.writeHead(404); res.end(); return; }
    url = url.slice(base.length);
    let file = path.join(dir, url);
    if (!file.startsWith(dir)) { res.writeHead(400); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { ...extra, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const failures = [];
let passed = 0;
function check(page, what, ok, detail = '') {
  if (ok) passed += 1;
  else failures.push(`${page}: ${what}${detail ? `: ${detail}` : ''}`);
}

async function visit(context, origin, rel) {
  const url = `${origin}${base}${rel.replace(/index\.html$/, '')}`;
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A lazy image still loading when the check moves on to the next width is cut off
  // (net::ERR_ABORTED); a file that is missing answers 404, which the next handler reports.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    // The site's own 404 page is expected to answer 404.
    if (r.status() >= 400 && !(rel === '404.html' && r.url() === url)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.origin === origin || target.protocol === 'data:') return route.continue();
    problems.push(`third-party request: ${target.href}`);
    return route.abort();
  });

  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      const at = `${width}px${scheme === 'dark' ? ', dark' : ''}`;
      if (scheme === 'light') await chartText(page, rel, width);
      if (width === 320 && scheme === 'light') {
        const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        check(rel, 'no horizontal scrolling at 320px', scroll <= inner, `content is ${scroll}px wide`);
      }
      if (scheme === 'light') await actions(page, rel, width);
      if (width === 390 && scheme === 'light') await images(page, rel);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (tags) => {
        const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }, AXE_TAGS);
      check(rel, `axe at ${at}`, violations.length === 0, violations.join('; '));
      if (shotsDir) {
        const name = `${rel.replace(/\//g, '_').replace(/\.html$/, '')}-${width}${scheme === 'dark' ? '-dark' : ''}.png`;
        await page.screenshot({ path: path.join(shotsDir, name), fullPage: true });
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await keyboard(page, rel);
  check(rel, 'loads cleanly', problems.length === 0, problems.join('; '));
  await page.close();
}

/// Every image says what it shows (or, with an empty alt, that it is decoration) and holds its
/// place while it loads (width and height); every photo (any image but an SVG, which scales
/// of itself) offers its sizes in a `srcset`. Once loaded, each has the shape it claims.
async function images(page, rel) {
  await page.evaluate(async () => {
    for (const img of document.images) {
      img.loading = 'eager';
      if (!img.complete) await new Promise((done) => { img.onload = done; img.onerror = done; });
    }
  });
  const found = await page.evaluate(() => [...document.images].map((img) => ({
    src: img.getAttribute('src'),
    alt: img.hasAttribute('alt'),
    width: Number(img.getAttribute('width')),
    height: Number(img.getAttribute('height')),
    srcset: img.getAttribute('srcset') ?? '',
    natural: [img.naturalWidth, img.naturalHeight],
  })));
  for (const img of found) {
    check(rel, `image ${img.src} has alt`, img.alt);
    const vector = /\.svg($|[?#])/.test(img.src);
    if (vector) continue;
    check(rel, `image ${img.src} has width and height`, img.width > 0 && img.height > 0);
    check(rel, `image ${img.src} has a srcset`, img.srcset.trim() !== '');
    const [w, h] = img.natural;
    check(rel, `image ${img.src} has the shape its width and height say`, w > 0 && Math.abs(w / h - img.width / img.height) < 0.02, `${w}×${h} against ${img.width}×${img.height}`);
  }
}

/// What a phone downloads for a photo across the page's width: at 390 px and a device pixel
/// ratio of 2, the size the browser picks from `srcset` must weigh under 100 KB.
async function phonePhotos(browser, origin, rel) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${origin}${base}${rel.replace(/index\.html$/, '')}`, { waitUntil: 'load' });
  const photos = await page.evaluate(async () => {
    const wide = [...document.querySelectorAll('picture img')].filter((img) => img.getBoundingClientRect().width >= 0.8 * window.innerWidth);
    for (const img of wide) {
      img.loading = 'eager';
      if (!img.complete) await new Promise((done) => { img.onload = done; img.onerror = done; });
    }
    return wide.map((img) => {
      const entry = performance.getEntriesByName(img.currentSrc)[0];
      return { src: img.currentSrc, bytes: entry ? entry.encodedBodySize : -1 };
    });
  });
  for (const photo of photos) {
    check(rel, `a full-width photo on a 390 px phone at 2x weighs under 100 KB`, photo.bytes > 0 && photo.bytes < 100 * 1024, `${photo.src}: ${photo.bytes} bytes`);
  }
  await context.close();
  return photos.length;
}

/// Calls to action: every button a 44 px target; the main action, when the site has one, in
/// the header of every page; on a phone, the menu opens from its button into rows of their
/// own, none left alone beside another.
const headerPages = new Set();
const actionPages = new Set();
async function actions(page, rel, width) {
  // An embed page is a chart for another site's page: it has no header of its own.
  if (!(await page.$('.site-header'))) return;
  const small = await page.evaluate(() => [...document.querySelectorAll('a.button, button.button, .menu-toggle')]
    .filter((el) => el.checkVisibility())
    .map((el) => ({ text: el.textContent.trim(), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
    .filter((b) => b.h < 44 || b.w < 44)
    .map((b) => `${b.text} (${Math.round(b.w)}×${Math.round(b.h)})`));
  check(rel, `buttons are 44px targets at ${width}px`, small.length === 0, small.join(', '));
  const action = await page.evaluate(() => {
    const el = document.querySelector('.site-header .header-action');
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return { top: box.top, visible: el.checkVisibility() };
  });
  // A site without a main action (`primary: true`) has none on any page.
  headerPages.add(rel);
  if (action) {
    actionPages.add(rel);
    check(rel, `the main action is at the top of the header at ${width}px`, action.visible && action.top < 200, JSON.stringify(action));
  }
  if (width === 320) {
    const toggle = await page.$('.menu-toggle');
    check(rel, 'the menu has a button at 320px', toggle && await toggle.isVisible());
    if (toggle) {
      const closed = await page.evaluate(() => document.getElementById('site-menu').hidden);
      await toggle.click();
      const rows = await page.evaluate(() => {
        const menu = document.getElementById('site-menu');
        const links = [...menu.querySelectorAll('a')].map((a) => a.getBoundingClientRect());
        const tops = links.map((b) => Math.round(b.top));
        return { open: !menu.hidden, links: links.length, oneAPerRow: new Set(tops).size === tops.length, full: links.every((b) => b.width >= menu.getBoundingClientRect().width * 0.9) };
      });
      check(rel, 'the menu opens from its button, one item a row', closed && rows.open && rows.oneAPerRow && rows.full && rows.links > 0, JSON.stringify(rows));
      await toggle.click();
    }
  }
}

/// Every chart on the page shows one layout, every text in it reads at 14 px or more and no
/// larger than the chart's title (as drawn: its font size times the SVG's scale), and no two
/// of its texts (labels, values, notes, reference words) lie over each other.
async function chartText(page, rel, width) {
  const charts = await page.evaluate(() => [...document.querySelectorAll('figure.chart')].map((figure) => {
    const shown = [...figure.querySelectorAll('svg.chart-svg')].filter((svg) => svg.checkVisibility());
    const title = figure.querySelector('.chart-title');
    const titlePx = title ? parseFloat(getComputedStyle(title).fontSize) : 0;
    const texts = shown.flatMap((svg) => [...svg.querySelectorAll('text')].map((t) => ({
      text: t.textContent.trim(),
      px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
    })));
    const box = shown[0]?.getBoundingClientRect();
    // Each pair of texts in the chart shown whose ink boxes overlap (by more than a pixel).
    const boxes = shown.flatMap((svg) => [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() })));
    const overlaps = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
      const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (x > 1 && y > 1) overlaps.push(`"${a.text}" and "${b.text}"`);
    }));
    return { id: figure.id, shown: shown.length, size: box ? box.width * box.height : 0, titlePx, texts, overlaps };
  }));
  for (const chart of charts) {
    check(rel, `${chart.id} shows one layout at ${width}px`, chart.shown === 1 && chart.size > 0, `${chart.shown} shown`);
    const small = chart.texts.filter((t) => t.px < 14 - 0.01);
    const large = chart.texts.filter((t) => t.px > chart.titlePx + 0.01);
    const list = (ts) => ts.slice(0, 3).map((t) => `"${t.text}" at ${t.px.toFixed(1)}px`).join(', ');
    check(rel, `${chart.id} text at 14px or more at ${width}px`, small.length === 0, list(small));
    check(rel, `${chart.id} text no larger than its ${chart.titlePx}px title at ${width}px`, large.length === 0, list(large));
    check(rel, `${chart.id} has no two texts over each other at ${width}px`, chart.overlaps.length === 0, chart.overlaps.slice(0, 3).join(', '));
  }
}

/// Loads a page with its Content-Security-Policy enforced: any violation is an error.
async function underPolicy(context, origin, rel) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto(`${origin}${base}${rel.replace(/index\.html$/, '')}`, { waitUntil: 'load' });
  const policy = response.headers()['content-security-policy'];
  check(rel, 'has a Content-Security-Policy', Boolean(policy));
  check(rel, 'breaks no rule of its Content-Security-Policy', problems.length === 0, problems.join('; '));
  await page.close();
}

/// The first Tab reaches the skip link; Tab then visits every interactive element.
async function keyboard(page, rel) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload({ waitUntil: 'load' });
  const interactive = await page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    // checkVisibility() also knows that the content of a closed <details> cannot be reached.
    const visible = (el) => el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true });
    // tabindex="-1" takes an element out of the tab order on purpose (a form's honeypot).
    const all = [...document.querySelectorAll(selector)].filter((el) => !el.disabled && el.tabIndex >= 0 && (visible(el) || el.classList.contains('skip-link')));
    all.forEach((el, i) => el.setAttribute('data-kb', String(i)));
    return all.length;
  });
  const reached = new Set();
  let first = null;
  for (let i = 0; i < interactive + 5; i += 1) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? { kb: el.getAttribute('data-kb'), skip: el.matches('a[href="#main"]') } : null;
    });
    if (i === 0) first = id;
    if (id && id.kb !== null) reached.add(id.kb);
  }
  check(rel, 'first Tab reaches the skip link', first && first.skip);
  check(rel, 'Tab reaches every interactive element', reached.size === interactive, `${reached.size} of ${interactive}`);
}

const server = await serve(siteDir);
const origin = `http://127.0.0.1:${server.address().port}`;
if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  // axe is injected as a script, which the site's own policy rightly refuses: the checks
  // run with the policy bypassed, and a second, strict pass loads every page under it.
  const context = await browser.newContext({ bypassCSP: true });
  const pages = htmlPages(siteDir);
  if (pages.length === 0) failures.push(`${siteDir}: no HTML pages to check`);
  for (const rel of pages) await visit(context, origin, rel);
  let wide = 0;
  for (const rel of pages) wide += await phonePhotos(browser, origin, rel);
  if (process.argv.includes('--photos')) check('the site', 'has a full-width photo to weigh', wide > 0);
  if (headerRules.length > 0) {
    const strict = await browser.newContext();
    for (const rel of pages) await underPolicy(strict, origin, rel);
  }
} finally {
  await browser.close();
  server.close();
}
check('the site', 'the main action is in every page\'s header, or in none', actionPages.size === 0 || actionPages.size === headerPages.size, `${actionPages.size} of ${headerPages.size}`);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`browser: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
