/**
 * Run by the build (`npm run build`): makes dist/pgdata-template, the new
 * database cluster that embedded.ts copies into each new data folder, so a
 * first start does not run PGlite's initdb (seconds of CPU). Made again only
 * when the PGlite version changes. Migrations are not in it: they run at
 * every start, as on PostgreSQL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_TEMPLATE_DIR, initEmbeddedDataDir } from './embedded.js';

const pglite = fileURLToPath(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')));
const version = (JSON.parse(readFileSync(pglite, 'utf8')) as { version: string }).version;
const stamp = `${EMBEDDED_TEMPLATE_DIR}.json`;
const made = existsSync(stamp) ? (JSON.parse(readFileSync(stamp, 'utf8')) as { pglite?: string }).pglite : undefined;

if (made === version && existsSync(path.join(EMBEDDED_TEMPLATE_DIR, 'PG_VERSION'))) {
  console.log(`embedded database template: up to date (PGlite ${version})`);
} else {
  const started = performance.now();
  await rm(stamp, { force: true });
  await rm(EMBEDDED_TEMPLATE_DIR, { recursive: true, force: true });
  await initEmbeddedDataDir(EMBEDDED_TEMPLATE_DIR, null);
  await writeFile(stamp, `${JSON.stringify({ pglite: version })}\n`);
  console.log(`embedded database template: made for PGlite ${version} in ${Math.round(performance.now() - started)} ms`);
}
