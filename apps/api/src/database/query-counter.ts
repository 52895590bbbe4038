import { Counter } from 'prom-client';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Every SQL round trip the process sends (one per query call: a batch sent as
 * one simple-protocol message counts once), for /metrics and the benchmark's
 * "SQL statements per request". Process-wide: each app registers it in its own
 * registry.
 */
export const databaseQueries = new Counter({
  name: 'signpost_db_queries_total',
  help: 'SQL round trips sent to the database (a multi-statement batch sent as one message counts once)',
  registers: [],
});

/** TypeORM's logger, which sees every query a query runner sends: counts them, prints nothing. */
export class QueryCountingLogger implements TypeOrmLogger {
  logQuery(): void {
    databaseQueries.inc();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
