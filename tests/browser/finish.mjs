// What a reader sees of embeds, Quick exit and data tables, measured in Debian's Chromium.
//
//   node tests/browser/finish.mjs SITE_DIR [--screenshots DIR]
//
// It serves SITE_DIR on 127.0.0.1 with the headers of its own _headers file (so every
// Content-Security-Policy is enforced), and a host page on another port (another origin, as
// a newspaper's site is) that pastes the embed code of every figure, copied from each share
// page. Then:
//   - embeds: at 320, 640 and 1280 px wide, with the embed script, each iframe shows the whole
//     chart, its source line and its link back; without the script, the iframe's own height
//     still shows them at 320 px; no console errors in host or embeds;
//   - Quick exit: at 320 and 390 px, scrolled anywhere on every page, its box overlaps the box
//     of no text;
//   - tables: at 320 px, every data table wider than its column says it scrolls, takes
//     keyboard focus and scrolls with the arrow keys;
//   - screenshots of the first share page and of the host page at 320, 390 and 1280 px.
// It prints one line per problem and ends with "N passed, N failed".

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { TYPES, headerRules, htmlPages } from './site.mjs';

const args = process.argv.slice(2);
const siteDir = path.resolve(args[0] ?? 'public');
const shotsIndex = args.indexOf('--screenshots');
const shotsDir = shotsIndex >= 0 ? args[shotsIndex + 1] : null;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic',
  // Frames from another origin drawn in the page's own process, so that full-page screenshots show them.
  '--disable-features=IsolateOrigins,site-per-process'];
const failures = [];
let passed = 0;
let tablesThatScroll = 0;
function check(where, what, ok, detail = '') {
  if (ok) passed += 1;
  else failures.push(`${where}: ${what}${detail ? `: ${detail}` : ''}`);
}

function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function serveSite(dir) {
  const rules = headerRules(path.join(dir, '_headers'));
  return listen((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(dir, url);
    if (!file.startsWith(dir)) { res.writeHead(400); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404); res.end('not found'); return; }
    const headers = {};
    for (const rule of rules) if (rule.pattern.test(url)) Object.assign(headers, rule.headers);
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
}

const address = (rel) => '/' + rel.replace(/index\.html$/, '');
const sharePages = htmlPages(siteDir).filter((p) => /^figures\/[^/]+\/index\.html$/.test(p));

const site = await serveSite(siteDir);
const origin = `http://127.0.0.1:${site.address().port}`;
// The host pages, by path, filled in once the embed codes are known.
const hostPages = new Map();
const host = await listen((req, res) => {
  const at = new URL(req.url, 'http://x').pathname;
  // A browser asks every site for its icon; a newspaper has one.
  if (at === '/favicon.ico') { res.writeHead(204); res.end(); return; }
  const body = hostPages.get(at);
  res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body ?? 'not found');
});
const hostOrigin = `http://localhost:${host.address().port}`;
if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  const context = await browser.newContext();
  const codes = await embedCodes(context);
  check('share pages', 'every figure has embed code', codes.length === sharePages.length && codes.length > 0, `${codes.length} of ${sharePages.length}`);
  const hostPage = (withScript) => '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1"><title>A newspaper</title>'
    + '<style>body{margin:0;font:16px/1.5 serif}h2{margin:1rem 0.5rem}</style></head><body>'
    + codes.map(({ id, code }) => `<h2>${id}</h2>\n${withScript ? code : code.replace(/<script[^>]*><\/script>/g, '')}`).join('\n')
    + '</body></html>';
  hostPages.set('/with-script.html', hostPage(true));
  hostPages.set('/without-script.html', hostPage(false));
  for (const width of [320, 640, 1280]) await embeds(context, width, true);
  await embeds(context, 320, false);
  for (const rel of htmlPages(siteDir)) await quickExit(context, rel);
  for (const rel of htmlPages(siteDir)) await tables(context, rel);
  check('the site', 'some table scrolls at 320px, so the cue was tried', tablesThatScroll > 0);
  if (shotsDir) await screenshots(context);
} finally {
  await browser.close();
  site.close();
  host.close();
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`finish: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

/// Each figure's embed code as its share page offers it, pointed at this server.
async function embedCodes(context) {
  const page = await context.newPage();
  const codes = [];
  for (const rel of sharePages) {
    await page.goto(origin + address(rel));
    const code = await page.$eval('textarea#embed-code', (t) => t.value).catch(() => null);
    if (!code) continue;
    const id = rel.split('/')[1];
    // The code names the published site: this server stands in for it.
    const published = new URL(code.match(/src="([^"]+)"/)[1]).origin;
    codes.push({ id, code: code.split(published).join(origin) });
  }
  await page.close();
  return codes;
}

/// Every embed on the host page at `width`: the chart, its source and its link back are all
/// inside the iframe's box, and the iframe's document does not scroll.
async function embeds(context, width, withScript) {
  const where = `host page at ${width}px ${withScript ? 'with' : 'without'} the embed script`;
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.setViewportSize({ width, height: 800 });
  await page.goto(`${hostOrigin}/${withScript ? 'with' : 'without'}-script.html`, { waitUntil: 'load' });
  const frames = await page.$$('iframe[data-soapbox-embed]');
  check(where, 'shows every embed', frames.length > 0 && frames.length === sharePages.length, `${frames.length}`);
  for (const element of frames) {
    const id = await element.getAttribute('data-soapbox-embed');
    await element.scrollIntoViewIfNeeded();
    const frame = await element.contentFrame();
    await frame.waitForLoadState('load');
    await frame.evaluate(() => document.fonts.ready);
    if (withScript) {
      // The script sets the height the embed page reports: wait until the two agree.
      let agreed = false;
      for (let tries = 0; tries < 100 && !agreed; tries += 1) {
        const set = await element.evaluate((el) => el.style.height);
        const box = await element.boundingBox();
        const inner = await frame.evaluate(() => [Math.ceil(document.body.getBoundingClientRect().height), window.innerHeight]);
        agreed = Boolean(set) && Math.abs(box.height - inner[0]) < 1 && Math.abs(inner[1] - inner[0]) < 1;
        if (!agreed) await page.waitForTimeout(50);
      }
      if (!agreed) problems.push(`${id}: the iframe's height never followed its page`);
    }
    const seen = await frame.evaluate(() => {
      const inside = (el) => {
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= -0.5 && r.left >= -0.5 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
      };
      const sources = [...document.querySelectorAll('.chart-source')];
      return {
        // The layout the frame's width shows: the others are not displayed.
        chart: inside([...document.querySelectorAll('svg.chart-svg')].find((el) => el.getClientRects().length > 0)),
        source: sources.length > 0 && inside(sources[0]),
        link: inside(document.querySelector('a[target="_top"]')),
        scrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
        content: Math.ceil(document.body.getBoundingClientRect().height),
        frame: window.innerHeight,
      };
    });
    const sizes = `content ${seen.content}px in a ${seen.frame}px frame`;
    check(where, `${id}: the whole chart is visible`, seen.chart, sizes);
    check(where, `${id}: the source line is visible`, seen.source, sizes);
    check(where, `${id}: the link back is visible`, seen.link, sizes);
    check(where, `${id}: nothing is clipped`, !seen.scrolls, sizes);
    if (withScript) check(where, `${id}: the frame is no taller than its chart needs`, seen.frame <= seen.content + 2, sizes);
  }
  check(where, 'no console errors', problems.length === 0, problems.join('; '));
  await page.close();
}

/// Scrolled to anywhere on the page at 320 and 390 px, Quick exit covers no text.
async function quickExit(context, rel) {
  const page = await context.newPage();
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 700 });
    await page.goto(origin + address(rel), { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const overlaps = await page.evaluate(async () => {
      const exit = document.querySelector('.quick-exit');
      if (!exit) return null;
      const found = [];
      const bottom = document.documentElement.scrollHeight - window.innerHeight;
      for (const y of [0, 150, 400, 900, 1600, 2500, bottom / 2, bottom]) {
        window.scrollTo(0, Math.min(y, bottom));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const box = exit.getBoundingClientRect();
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent.trim() || exit.contains(node) || !node.parentElement.checkVisibility({ visibilityProperty: true })) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) {
            const w = Math.min(r.right, box.right) - Math.max(r.left, box.left);
            const h = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
            if (w > 0.5 && h > 0.5) found.push(`"${node.textContent.trim().slice(0, 30)}" at scroll ${Math.round(window.scrollY)}`);
          }
        }
      }
      return found;
    });
    if (overlaps === null) break;
    check(rel, `Quick exit covers no text at ${width}px`, overlaps.length === 0, overlaps.slice(0, 3).join('; '));
  }
  await page.close();
}

/// At 320 px, each data table that is wider than its column says so, and the keyboard
/// scrolls it.
async function tables(context, rel) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(origin + address(rel), { waitUntil: 'load' });
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await page.waitForTimeout(100);
  const wraps = await page.$$('.table-wrap');
  for (const [i, wrap] of wraps.entries()) {
    const state = await wrap.evaluate((el) => ({
      wider: el.scrollWidth > el.clientWidth + 1,
      focusable: el.tabIndex === 0,
      cue: getComputedStyle(el, '::before').content,
      cueTop: el.getBoundingClientRect().top,
      tableTop: el.querySelector('table').getBoundingClientRect().top,
    }));
    if (!state.wider) {
      check(rel, `table ${i + 1} that fits makes no claim to scroll`, state.cue === 'none', state.cue);
      continue;
    }
    check(rel, `table ${i + 1} says that it scrolls`, /Scroll sideways/.test(state.cue) && state.tableTop > state.cueTop + 10, state.cue);
    check(rel, `table ${i + 1} takes keyboard focus`, state.focusable);
    await wrap.focus();
    const before = await wrap.evaluate((el) => el.scrollLeft);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    await page.waitForTimeout(300);
    const after = await wrap.evaluate((el) => el.scrollLeft);
    check(rel, `table ${i + 1} scrolls with the arrow keys`, after > before, `${before} -> ${after}`);
    tablesThatScroll += 1;
  }
  await page.close();
}

async function screenshots(context) {
  const page = await context.newPage();
  const share = sharePages[0];
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(origin + address(share), { waitUntil: 'load' });
    await page.screenshot({ path: path.join(shotsDir, `share-page-${width}.png`), fullPage: true });
    await page.goto(`${hostOrigin}/with-script.html`, { waitUntil: 'load' });
    // A viewport as tall as the page, so that every lazy frame loads and is drawn.
    for (let i = 0; i < 3; i += 1) {
      await page.setViewportSize({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: path.join(shotsDir, `embed-host-${width}.png`) });
  }
  await page.close();
}
