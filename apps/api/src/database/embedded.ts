import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  db: PGlite;
  close(): Promise<void>;
}

/**
 * PGlite (Postgres in WebAssembly) served over the Postgres wire protocol on a
 * free loopback port, so the API reaches it exactly as it reaches PostgreSQL.
 * `dataDir` undefined means in memory (tests).
 *
 * All socket connections share one PGlite session, so the server takes one
 * connection and the API's pool must be of size 1.
 */
export async function startEmbeddedDatabase(dataDir?: string, loadDataDir?: Blob | File): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://', loadDataDir ? { loadDataDir } : {});
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
