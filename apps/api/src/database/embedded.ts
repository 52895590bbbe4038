import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  db: PGlite;
  close(): Promise<void>;
}

/**
 * Postgres settings of every embedded start (command-line `-c`, so nothing is
 * written into the data folder). Postgres sets aside and touches its shared
 * memory at start, inside PGlite's WebAssembly heap, which never shrinks:
 * - shared_buffers: 32 MB (4,096 pages) rather than 128 MB holds the demo
 *   register several times over; a page it lacks is one read from the
 *   operating system's file cache;
 * - PGlite is one single-user backend, with no postmaster to start others: no
 *   room is kept for 100 connections, 16 autovacuum workers or WAL senders.
 */
export const EMBEDDED_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  ...['shared_buffers=32MB', 'max_connections=8', 'autovacuum_worker_slots=2', 'max_wal_senders=0'].flatMap((setting) => ['-c', setting]),
];

/**
 * PGlite (Postgres in WebAssembly) served over the Postgres wire protocol on a
 * free loopback port, so the API reaches it exactly as it reaches PostgreSQL.
 * `dataDir` undefined means in memory (tests).
 *
 * All socket connections share one PGlite session, so the server takes one
 * connection and the API's pool must be of size 1.
 */
export async function startEmbeddedDatabase(dataDir?: string, loadDataDir?: Blob | File): Promise<EmbeddedDatabase> {
  if (dataDir && !loadDataDir) await initEmbeddedDataDir(dataDir);
  // In memory, the build's cluster is loaded from its tarball (initdb there cost seconds and ~500 MB kept for the process's life).
  if (!dataDir && !loadDataDir) loadDataDir = await templateTarball();
  const db = await PGlite.create(dataDir ?? 'memory://', { startParams: [...EMBEDDED_START_PARAMS], ...(loadDataDir ? { loadDataDir } : {}) });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    db,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

const PG_VERSION = 'PG_VERSION';

/**
 * A new database cluster, made by the build (`build-embedded-template.ts`) and
 * copied into each new data folder. Found from this module in dist/database/
 * (the product) and in src/database/ (tests) alike: both are two folders below
 * apps/api/.
 */
export const EMBEDDED_TEMPLATE_DIR = path.resolve(fileURLToPath(new URL('../../dist/pgdata-template/', import.meta.url)));

/** The same cluster as a tarball (PGlite's `dumpDataDir`), which an in-memory database loads. */
export const EMBEDDED_TEMPLATE_TARBALL = `${EMBEDDED_TEMPLATE_DIR}.tar.gz`;

let tarball: Promise<Blob | undefined> | undefined;
/** Read once a process (tests start many databases); undefined without a build, and PGlite then runs initdb itself. */
const templateTarball = (): Promise<Blob | undefined> =>
  (tarball ??= readFile(EMBEDDED_TEMPLATE_TARBALL).then(
    (bytes) => new Blob([bytes]),
    () => undefined,
  ));

// A module, run by `node --input-type=module -e`: its bare import resolves from this file's folder (the child's cwd), as the server's own does.
const INITDB_CHILD = `
const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create(process.argv[1]);
await db.close();
`;

/**
 * Gives a new data folder its database cluster; a folder that has one already
 * is left as it is. The cluster is a copy of the build's template (a fraction
 * of a second), or, when there is none (`template` null or missing), made by
 * PGlite's initdb in a child process (seconds).
 *
 * Never initdb in the server's own process: it left PGlite's WebAssembly heaps —
 * a second Postgres for the bootstrap, initdb's own, and a copy of the first —
 * at about 500 MB that the process kept for its whole life. A child returns all
 * of it when it exits.
 *
 * The cluster is put together in a folder of its own inside the data folder and
 * moved in with PG_VERSION last, so a start interrupted half-way leaves no
 * half-made cluster to trip over: the next start makes it again.
 */
export async function initEmbeddedDataDir(dataDir: string, template: string | null = EMBEDDED_TEMPLATE_DIR): Promise<'existing' | 'template' | 'initdb'> {
  const target = path.resolve(dataDir);
  if (existsSync(path.join(target, PG_VERSION))) return 'existing';
  await mkdir(target, { recursive: true });
  // Left by an interrupted first start (no cluster was moved in, as PG_VERSION is missing).
  for (const entry of await readdir(target)) if (entry.startsWith('.initdb-')) await rm(path.join(target, entry), { recursive: true, force: true });
  const scratch = path.join(target, `.initdb-${process.pid}`);
  const fromTemplate = template !== null && existsSync(path.join(template, PG_VERSION));
  try {
    // A copy-on-write clone where the file system offers one, else a plain copy.
    if (fromTemplate) await cp(template, scratch, { recursive: true, mode: constants.COPYFILE_FICLONE });
    else await runInitdb(scratch);
    const entries = (await readdir(scratch)).filter((entry) => entry !== PG_VERSION);
    for (const entry of [...entries, PG_VERSION]) {
      // Only a move interrupted before PG_VERSION leaves a cluster's entry here: it is replaced whole.
      await rm(path.join(target, entry), { recursive: true, force: true });
      await rename(path.join(scratch, entry), path.join(target, entry));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return fromTemplate ? 'template' : 'initdb';
}

async function runInitdb(folder: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INITDB_CHILD, folder], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`Could not create the embedded database in ${folder}${stderr?.trim() ? `:\n${stderr.trim()}` : `: ${(err as Error).message}`}`, { cause: err });
  }
}
