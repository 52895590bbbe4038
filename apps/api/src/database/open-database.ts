import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import { createDataSource } from './data-source.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { AuditSealer } from '../modules/audit/audit-sealer.js';

export { IN_MEMORY } from '../config.js';
import { IN_MEMORY } from '../config.js';

export interface OpenDatabase {
  dataSource: DataSource;
  embedded: boolean;
  /** Chains audit events after they commit; started by the server, and run once more by close(). */
  auditSealer: AuditSealer;
  close(): Promise<void>;
}

/**
 * PostgreSQL when DATABASE_URL is set, otherwise PGlite in SIGNPOST_DATA_DIR.
 * Migrations run here, at every start, on both.
 */
export async function openDatabase(config: AppConfig, logger?: Logger): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let releaseLock: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const inMemory = config.dataDir === IN_MEMORY;
    if (!inMemory) releaseLock = await lockDataDir(config.dataDir);
    try {
      embedded = await startEmbeddedDatabase(inMemory ? undefined : config.dataDir);
    } catch (err) {
      await releaseLock?.();
      throw err;
    }
    url = embedded.url;
  }
  const dataSource = createDataSource({ url, poolSize: embedded ? 1 : 10, logger });
  try {
    await dataSource.initialize();
    // The embedded database serves one process (and one connection): nobody to take turns with.
    if (embedded) await dataSource.runMigrations({ transaction: 'each' });
    else await migrate(dataSource);
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.close();
    await releaseLock?.();
    throw err;
  }
  const auditSealer = new AuditSealer(dataSource, { logger });
  return {
    dataSource,
    embedded: Boolean(embedded),
    auditSealer,
    async close() {
      // What this process appended is chained before it lets go of the database.
      if (dataSource.isInitialized) await auditSealer.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.close();
      await releaseLock?.();
    },
  };
}

// Any fixed number: several API processes starting together take turns to migrate.
const MIGRATION_LOCK = 7_466_349_201;

async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/** Two processes on one PGlite folder would corrupt it: the second one is refused. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'signpost.lock');
  const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${holder}. Stop that process first (Signpost's embedded database takes one process at a time).`,
    );
  }
  await writeFile(lock, String(process.pid));
  return () => rm(lock, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
