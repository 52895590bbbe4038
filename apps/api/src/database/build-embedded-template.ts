/**
 * Run by the build (`npm run build`): makes dist/pgdata-template, the new
 * database cluster that embedded.ts copies into each new data folder, and the
 * same cluster as dist/pgdata-template.tar.gz, which an in-memory database
 * (tests) loads; so neither runs PGlite's initdb (seconds of CPU, hundreds of
 * MB). Made again only when the PGlite version changes. Migrations are not in
 * it: they run at every start, as on PostgreSQL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_START_PARAMS, EMBEDDED_TEMPLATE_DIR, EMBEDDED_TEMPLATE_TARBALL, initEmbeddedDataDir } from './embedded.js';

const pglite = fileURLToPath(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')));
const version = (JSON.parse(readFileSync(pglite, 'utf8')) as { version: string }).version;
const stamp = `${EMBEDDED_TEMPLATE_DIR}.json`;
const made = existsSync(stamp) ? (JSON.parse(readFileSync(stamp, 'utf8')) as { pglite?: string }).pglite : undefined;

if (made === version && existsSync(path.join(EMBEDDED_TEMPLATE_DIR, 'PG_VERSION')) && existsSync(EMBEDDED_TEMPLATE_TARBALL)) {
  console.log(`embedded database template: up to date (PGlite ${version})`);
} else {
  const started = performance.now();
  await rm(stamp, { force: true });
  await rm(EMBEDDED_TEMPLATE_DIR, { recursive: true, force: true });
  await rm(EMBEDDED_TEMPLATE_TARBALL, { force: true });
  await initEmbeddedDataDir(EMBEDDED_TEMPLATE_DIR, null);
  // PGlite writes its tarball from a running database: a copy's, so the template stays as initdb left it.
  const scratch = await mkdtemp(path.join(tmpdir(), 'signpost-template-'));
  try {
    await cp(EMBEDDED_TEMPLATE_DIR, scratch, { recursive: true });
    const db = await PGlite.create(scratch, { startParams: [...EMBEDDED_START_PARAMS] });
    const tarball = await db.dumpDataDir('gzip');
    await db.close();
    await writeFile(EMBEDDED_TEMPLATE_TARBALL, Buffer.from(await tarball.arrayBuffer()));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await writeFile(stamp, `${JSON.stringify({ pglite: version })}\n`);
  console.log(`embedded database template: made for PGlite ${version} in ${Math.round(performance.now() - started)} ms`);
}
