import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

/** Events chained by one call of the database's `audit_seal()`; more are chained by calling again. */
const BATCH = 2000;
/**
 * How long a nudge waits before sealing, so that under load one run chains the
 * events of many requests (a run per request would cost each request a round
 * trip more); an event is still chained within a few tens of milliseconds.
 */
const GATHER_MS = 25;

export interface AuditSealerOptions {
  logger?: Logger;
  /** How often pending events are looked for without being asked (events of a process that died before sealing). */
  sweepMs?: number;
}

/**
 * Chains appended audit events after they commit (AuditChainSealedAfterCommit
 * migration): `audit_seal()` takes the chain's lock for its own statement
 * only, so no request ever waits for another request's audit events.
 *
 * `nudge()` is called once a request that wrote events has committed: a seal
 * starts a few milliseconds later (gathering the events of the requests that
 * commit meanwhile), and requests that commit while one runs are served by one
 * more run after it — never a queue of runs. A sweep every few seconds and one
 * at start chain what another process appended and did not live to seal. Runs
 * on the data source's own login role (the owner), never on a request's
 * connection or role.
 */
export class AuditSealer {
  private running: Promise<number> | null = null;
  private again = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  /** Events this process has sealed, and the runs it took (for /metrics). */
  sealed = 0;
  runs = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: AuditSealerOptions = {},
  ) {}

  /** Starts the sweep; the first one runs at once. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.nudge();
    this.timer = setInterval(() => this.nudge(), this.options.sweepMs ?? 5000);
    this.timer.unref();
  }

  /** A request committed audit events: seal soon, without the caller waiting. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.sealNow().catch(() => undefined);
    }, GATHER_MS).unref();
  }

  /**
   * Seals every event committed before this call, and resolves with how many
   * this call (and the run it joined) sealed. A run already under way may
   * have read the pending events before the caller's commit, so a caller who
   * needs its own events sealed gets a fresh run after it.
   */
  async sealNow(): Promise<number> {
    if (this.running) {
      this.again = true;
      await this.running.catch(() => undefined);
      // Someone else may have started the follow-up run already: join it.
      if (this.running) return this.running;
    }
    const run = this.runUntilDone();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    }
  }

  private async runUntilDone(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        this.runs += 1;
        const [{ n }] = await this.dataSource.query('SELECT audit_seal($1) AS n', [BATCH]);
        total += n;
        // A full batch: more are waiting now. Events committed during the run wait for the next, gathered, run.
        if (n < BATCH) break;
      }
      this.failures = 0;
    } catch (err) {
      // The events stay appended and committed: the next run chains them. Said once, not per request.
      if (this.failures++ === 0) this.options.logger?.warn({ err }, 'could not seal audit events just now; they are kept and sealed later');
      throw err;
    }
    this.sealed += total;
    return total;
  }

  /** Stops the sweep, waits for a run in flight, and seals what is left (the server is stopping). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.stopped) return;
    await this.running?.catch(() => undefined);
    await this.sealNow().catch(() => undefined);
    this.stopped = true;
  }
}

/** /metrics: events this process sealed, and events appended but not sealed yet (alert if it keeps growing). */
export function auditSealerGauges(registry: Registry, sealer: AuditSealer, dataSource: DataSource): void {
  new Gauge({
    name: 'signpost_audit_events_sealed',
    help: 'Audit events this process has chained since it started',
    registers: [registry],
    collect() {
      this.set(sealer.sealed);
    },
  });
  new Gauge({
    name: 'signpost_audit_seal_runs',
    help: 'Runs of the audit sealer since start (each chains every event committed before it, up to 2,000)',
    registers: [registry],
    collect() {
      this.set(sealer.runs);
    },
  });
  new Gauge({
    name: 'signpost_audit_events_unsealed',
    help: 'Audit events committed but not chained yet (normally 0 or a few; growing means the sealer is failing)',
    registers: [registry],
    async collect() {
      try {
        const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL');
        this.set(n);
      } catch {
        this.set(-1);
      }
    },
  });
}
