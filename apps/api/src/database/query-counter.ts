import { Counter } from 'prom-client';
import type { QueryRunner, Logger as TypeOrmLogger } from 'typeorm';

/**
 * Every SQL round trip the process sends (one per query call: a batch sent as
 * one simple-protocol message counts once), for /metrics and the benchmark's
 * "SQL statements per request". Process-wide: each app registers it in its own
 * registry.
 */
export const databaseQueries = new Counter({
  name: 'signpost_db_queries_total',
  help: 'SQL round trips sent to the database (a multi-statement batch sent as one message counts once), by source: a request\'s own transaction, or background work (the audit sealer, readiness, metrics, start)',
  labelNames: ['source'] as const,
  registers: [],
});

/** Marks a query runner as a request's own, so its round trips count as the request's. */
export function markRequestRunner(runner: QueryRunner): void {
  runner.data = { ...runner.data, request: true };
}

/** One round trip sent outside TypeORM's runner.query (a batch sent on the driver's client). */
export function countRequestQuery(): void {
  databaseQueries.inc({ source: 'request' });
}

/** TypeORM's logger, which sees every query a query runner sends: counts them, prints nothing. */
export class QueryCountingLogger implements TypeOrmLogger {
  logQuery(_query: string, _parameters?: unknown[], runner?: QueryRunner): void {
    databaseQueries.inc({ source: runner?.data?.request ? 'request' : 'background' });
    if (process.env.SIGNPOST_TRACE_SQL === '1') console.log('SQL', runner?.data?.request ? 'request' : 'background', _query.slice(0, 120).replace(/\s+/g, ' '));
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
