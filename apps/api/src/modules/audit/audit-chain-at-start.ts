import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { verifyAuditChain, type AuditChainStatus } from './audit-chain.js';
import type { AuditSealer } from './audit-sealer.js';

/** What /metrics says about the audit chain as verified when the server started. */
export interface AuditChainGauges {
  record(status: AuditChainStatus): void;
}

export function auditChainGauges(registry: Registry): AuditChainGauges {
  const intact = new Gauge({
    name: 'signpost_audit_chain_intact',
    help: "The audit trail's hash chain as verified at start: 1 intact, 0 broken, -1 not verified (yet)",
    registers: [registry],
  });
  const firstBrokenSeq = new Gauge({
    name: 'signpost_audit_chain_first_broken_seq',
    help: 'The seq of the first broken audit event found at start; 0 when none was found',
    registers: [registry],
  });
  const verifiedEvents = new Gauge({
    name: 'signpost_audit_chain_verified_events',
    help: 'Audit events verified intact at start (those before the break, when broken)',
    registers: [registry],
  });
  intact.set(-1);
  firstBrokenSeq.set(0);
  verifiedEvents.set(0);
  return {
    record(status) {
      intact.set(status.ok ? 1 : 0);
      firstBrokenSeq.set(status.ok ? 0 : Number(status.firstBrokenSeq));
      verifiedEvents.set(status.events);
    },
  };
}

export interface AuditChainCheck {
  /** The status, or null when the check failed or was stopped; never rejects. */
  done: Promise<AuditChainStatus | null>;
  /** Ends the check at its next page (the server is stopping). */
  stop(): void;
}

class CheckStopped extends Error {}

/**
 * Verifies the whole chain once, in the background, and says loudly when it is
 * broken: an `error` log naming the first broken event, and the gauges.
 *
 * It runs on the data source's own login role, as `signpost audit verify` does,
 * not inside a request's `signpost_app` role, whose row-level security would
 * hide part of the trail. On PostgreSQL in one REPEATABLE READ snapshot. The
 * embedded database has one connection, which a long transaction would keep
 * from every request, so there it reads page by page: the chain is append-only
 * and only ever extended at its end (by the sealer), so every page still reads
 * a prefix of the chain.
 */
export function checkAuditChainAtStart(
  dataSource: DataSource,
  options: { embedded: boolean; logger: Logger; gauges: AuditChainGauges; sealer?: AuditSealer },
): AuditChainCheck {
  const { logger, gauges } = options;
  let stopping = false;
  const guarded = (db: { query(sql: string, parameters?: unknown[]): Promise<any[]> }) => ({
    query: (sql: string, parameters?: unknown[]) => (stopping ? Promise.reject(new CheckStopped()) : db.query(sql, parameters)),
  });
  // What was appended and not sealed yet (the seed; a process that stopped before sealing) is chained first.
  const sealed = options.sealer ? options.sealer.sealNow().catch(() => 0) : Promise.resolve(0);
  const verified = sealed.then(() =>
    options.embedded
      ? verifyAuditChain(guarded(dataSource))
      : dataSource.transaction('REPEATABLE READ', (m) => verifyAuditChain(guarded(m))),
  );
  const done = verified.then(
    (status) => {
      gauges.record(status);
      if (status.ok) {
        logger.info({ event: 'audit_chain_verified', events: status.events, headSeq: status.headSeq }, `audit trail intact: ${status.events} events verified`);
      } else {
        logger.error(
          { event: 'audit_chain_broken', firstBrokenSeq: status.firstBrokenSeq, reason: status.reason, intactEvents: status.events },
          `AUDIT TRAIL BROKEN: event ${status.firstBrokenSeq} (${status.reason}): ${status.explanation} ` +
            `${status.events === 1 ? '1 event before it is' : `${status.events} events before it are`} intact. ` +
            'Find out who changed it; `npm run signpost -- audit verify` checks again.',
        );
      }
      return status;
    },
    (err: unknown) => {
      if (err instanceof CheckStopped || stopping) logger.info('audit trail check stopped: the server is stopping');
      else logger.error({ err }, 'could not verify the audit trail at start');
      return null;
    },
  );
  return { done, stop: () => void (stopping = true) };
}
