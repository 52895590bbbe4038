import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config.js';
import { openDatabase } from './database/open-database.js';
import { createSchema } from './schema.js';
import { createApp } from './app.js';
import { createLogger } from './common/logger.js';
import { seedDemoData } from './seed/demo-seed.js';
import { checkAuditChainAtStart } from './modules/audit/audit-chain-at-start.js';
import type { AuditChainStatus } from './modules/audit/audit-chain.js';
import type { AuditSealer } from './modules/audit/audit-sealer.js';

export interface RunningSignpost {
  url: string;
  config: AppConfig;
  dataSource: DataSource;
  logger: Logger;
  /** Chains committed audit events; `sealNow()` when a caller needs them chained before it reads the chain. */
  auditSealer: AuditSealer;
  /** The audit chain verified after start, in the background: its status, or null if the check failed or was stopped. */
  auditChainChecked: Promise<AuditChainStatus | null>;
  /** Stops serving and closes the database; calling it again waits for the same close. */
  close(): Promise<void>;
}

/** Opens the database (migrating it), seeds demo data where asked, and serves HTTP. */
export async function startSignpost(config: AppConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningSignpost> {
  const db = await openDatabase(config, logger);
  try {
    const schema = await createSchema();
    if (config.seedDemo) {
      const seeded = await seedDemoData(db.dataSource, config, schema);
      if (seeded) logger.info('seeded demo data; sign in as officer@signpost.test with password signpost-demo');
    }
    // What the seed (or a process that stopped before sealing) appended is chained first, then as requests commit.
    db.auditSealer.start();
    const { app, apollo, lifecycle, auditChain } = await createApp(config, db.dataSource, schema, logger, db.auditSealer);
    const server: Server = await new Promise((resolve, reject) => {
      // Express 5 hands a failed listen (e.g. EADDRINUSE) to the callback rather than only emitting 'error'.
      const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
      s.once('error', reject);
    });
    // After listening: a long trail must not keep the server from answering. A broken one is logged
    // at error level and shown in /metrics; the server keeps serving (the trail is evidence, not a lock).
    const auditCheck = checkAuditChainAtStart(db.dataSource, { embedded: db.embedded, logger, gauges: auditChain, sealer: db.auditSealer });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      config,
      dataSource: db.dataSource,
      logger,
      auditSealer: db.auditSealer,
      auditChainChecked: auditCheck.done,
      close() {
        closing ??= (async () => {
          // Readiness goes 503 first; load balancers stop sending while we keep serving for the grace period.
          lifecycle.draining = true;
          auditCheck.stop();
          if (config.shutdownGraceMs > 0) await new Promise((r) => setTimeout(r, config.shutdownGraceMs));
          // Stop accepting; requests in flight finish before the callback.
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await apollo.stop();
          await auditCheck.done;
          await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
