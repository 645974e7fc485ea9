// What both browser drivers (check.mjs, finish.mjs) need of a built site: the content type
// of each file it serves, and its HTML pages.
import fs from 'node:fs';
import path from 'node:path';

export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.txt': 'text/plain',
  '.xml': 'application/xml', '.json': 'application/json', '.csv': 'text/csv',
  '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon',
};

/// Every HTML page under `dir`, by its path from there, sorted.
export function htmlPages(dir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...htmlPages(dir, child));
    else if (entry.name.endsWith('.html')) out.push(child);
  }
  return out.sort();
}

/// The rules of a `_headers` file (none when there is none): each path pattern, as a
/// regular expression, with its headers.
export function headerRules(file) {
  const rules = [];
  if (!fs.existsSync(file)) return rules;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('/')) {
      rules.push({ pattern: new RegExp('^' + line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$'), headers: {} });
    } else if (/^\s+\S/.test(line) && rules.length > 0) {
      const at = line.indexOf(':');
      rules[rules.length - 1].headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}
