// Prints the JavaScript a browser loads for the sign-in page and the home page (gzip), and fails above the budget.
// Follows the built files themselves: the entry named in dist/index.html, then every static import, then the
// page's own chunk (a lazy route) with its static imports. Size, not time: the same on every machine.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const ASSETS = path.join(DIST, 'assets');

const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
if (!entry) throw new Error('No entry script in dist/index.html: build the portal first');

/** A chunk and everything it imports statically (what loads before it runs). */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(path.join(ASSETS, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) closure(m[1], seen);
  return seen;
}
const gz = (file) => gzipSync(readFileSync(path.join(ASSETS, file))).length;
const pageChunk = (name) => {
  const found = readdirSync(ASSETS).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
  if (!found) throw new Error(`No chunk for ${name} in dist/assets`);
  return found;
};

let failed = false;
const base = closure(entry);
// Home is the social media team's dashboard and sends a receiving team on to its inbox: both count.
for (const [page, chunks] of [['sign-in', ['SignInPage']], ['home (dashboard)', ['HomePage']], ['home (inbox)', ['HomePage', 'InboxPage']]]) {
  const files = new Set(base);
  for (const c of chunks) closure(pageChunk(c), files);
  const kb = [...files].reduce((sum, f) => sum + gz(f), 0) / 1024;
  const ok = kb <= BUDGET_KB;
  failed ||= !ok;
  console.log(`${page.padEnd(16)} ${kb.toFixed(1).padStart(6)} kB gzip in ${files.size} files  (budget ${BUDGET_KB} kB: ${ok ? 'ok' : 'OVER'})`);
}
process.exit(failed ? 1 : 0);
