import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_START_PARAMS, EMBEDDED_TEMPLATE_DIR, initEmbeddedDataDir, startEmbeddedDatabase } from './embedded.js';

describe('a new embedded data folder', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'signpost-embedded-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gets a copy of the build’s cluster, which the database opens with the embedded settings; a folder with one is left alone', async () => {
    expect(existsSync(path.join(EMBEDDED_TEMPLATE_DIR, 'PG_VERSION')), 'run the build first (npm test does)').toBe(true);
    const dir = path.join(root, 'from-template');
    expect(await initEmbeddedDataDir(dir)).toBe('template');
    const embedded = await startEmbeddedDatabase(dir);
    try {
      expect((await embedded.db.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]!.shared_buffers).toBe('32MB');
      await embedded.db.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
    } finally {
      await embedded.close();
    }
    expect(await initEmbeddedDataDir(dir)).toBe('existing');
    const again = await startEmbeddedDatabase(dir);
    try {
      expect((await again.db.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    } finally {
      await again.close();
    }
    // Nothing of the making is left beside the cluster.
    expect((await readdir(dir)).filter((entry) => entry.startsWith('.initdb-'))).toEqual([]);
  });

  it('in memory (tests), is the same cluster, loaded from the build’s tarball', async () => {
    const systemId = async (embedded: { db: PGlite }) =>
      (await embedded.db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]!.id;
    const fromFolder = await startEmbeddedDatabase(path.join(root, 'from-template'));
    const inMemory = await startEmbeddedDatabase();
    try {
      // initdb gives every cluster an identifier of its own: the same one means the same cluster.
      expect(await systemId(inMemory)).toBe(await systemId(fromFolder));
      expect((await inMemory.db.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]!.shared_buffers).toBe('32MB');
      expect((await inMemory.db.query('SELECT 1 FROM pg_class WHERE relname = $1', ['kept'])).rows).toEqual([]);
    } finally {
      await inMemory.close();
      await fromFolder.close();
    }
  });

  it('without a template, is made by initdb in a child process; a half-made folder from an interrupted start is made again', { timeout: 120_000 }, async () => {
    const dir = path.join(root, 'interrupted');
    // What an interrupted first start can leave: the scratch folder, and cluster entries moved before PG_VERSION.
    await mkdir(path.join(dir, '.initdb-999999', 'base'), { recursive: true });
    await mkdir(path.join(dir, 'global'), { recursive: true });
    await writeFile(path.join(dir, 'global', 'pg_control'), 'torn');
    expect(await initEmbeddedDataDir(dir, null)).toBe('initdb');
    expect(existsSync(path.join(dir, '.initdb-999999'))).toBe(false);
    const db = await PGlite.create(dir, { startParams: [...EMBEDDED_START_PARAMS] });
    try {
      expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.close();
    }
  });
});
