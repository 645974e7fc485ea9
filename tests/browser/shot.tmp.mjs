import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
const [root, ...pages] = process.argv.slice(2);
const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(req.url.split('?')[0]);
  let f = path.join(root, p);
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  if (!fs.existsSync(f)) { res.writeHead(404, {'content-type': 'text/html'}); res.end(fs.readFileSync(path.join(root, '404.html'))); return; }
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' });
  res.end(fs.readFileSync(f));
}).listen(8765);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const spec of pages) {
  const [url, width, name] = spec.split(',');
  const page = await browser.newPage({ viewport: { width: +width, height: 800 } });
  await page.goto('http://127.0.0.1:8765' + url);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: !name.includes('top') });
  await page.close();
}
await browser.close(); server.close();
