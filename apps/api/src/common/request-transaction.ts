import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { accessOf, ANONYMOUS, type Access } from '@signpost/policy';
import type { AppConfig } from '../config.js';
import { createLoaderRegistry, type AuthorizationDecision, type RequestContext, type SignedInUser } from './context.js';
import { header, identityLookup, type RequestHeaders } from '../auth/identity.js';
import { databaseContextSql, databaseSettings, enterDatabaseContext } from './database-context.js';
import { countRequestQuery, markRequestRunner } from '../database/query-counter.js';
import { batchStatements } from './statement-batch.js';
import { checkOperationCost } from './graphql-limits.js';
import { appError } from './errors.js';
import { isTransientDatabaseError } from './database-errors.js';
import type { AuditSealer } from '../modules/audit/audit-sealer.js';

/**
 * The one owner of a request's database transaction, from start to commit or
 * rollback. Nothing is opened until the document has parsed and validated
 * (`open`, called by the plugin below once the operation is known), so a
 * refused document costs no connection. Inside the transaction the caller is
 * resolved, their access decided once by the policy, and the API's database
 * role taken with that access's settings (row-level security). `end` commits
 * or rolls back and releases the connection; it may be called any number of
 * times and from anywhere (the plugin, the HTTP safety net), only the first
 * call counts.
 */
export class RequestTransaction {
  private runner: QueryRunner | null = null;
  private opening: Promise<void> | null = null;
  private ended = false;
  /** Set once BEGIN and the request's settings went through: from then on, a commit that cannot happen is an error. */
  private committable = false;
  private readonly opened: Promise<void>;
  private settleOpened!: { resolve: () => void; reject: (err: unknown) => void };
  /** Set when the request appended audit events: once they commit, the sealer is told. */
  private audited = false;
  access: Access | null = null;
  user: SignedInUser | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly headers: RequestHeaders,
    private readonly sealer: AuditSealer | null = null,
  ) {
    this.opened = new Promise<void>((resolve, reject) => {
      this.settleOpened = { resolve, reject };
    });
    // Nobody may be waiting; an unopened request is not an unhandled rejection.
    this.opened.catch(() => undefined);
  }

  /**
   * Resolves once the owner has opened the transaction; rejects if it never
   * will (the operation was refused first). For plugins that need the
   * database before execution (idempotency keys) without opening it themselves.
   */
  whenOpen(): Promise<void> {
    return this.opened;
  }

  /** The request appended audit events (common/audit.ts): they are sealed after commit. */
  noteAudited(): void {
    this.audited = true;
  }

  /**
   * INSERTs of audit events sent with COMMIT, in the same round trip. Whatever
   * reads the trail within the request (the audit service) calls flushAudit()
   * first, so a request still sees its own events.
   */
  private readonly deferred: string[] = [];

  /** Whether audit events wait for COMMIT: while the transaction is open. */
  get defersAudit(): boolean {
    return this.isOpen;
  }

  deferAudit(insertSql: string): void {
    this.deferred.push(insertSql);
    this.audited = true;
  }

  /** Sends the audit events waiting for COMMIT now: before the request reads the trail itself. */
  async flushAudit(): Promise<void> {
    if (this.deferred.length === 0 || !this.isOpen) return;
    const batch = this.deferred.splice(0).join(';\n');
    await this.manager.query(batch);
  }

  get isOpen(): boolean {
    return this.runner !== null && !this.ended;
  }

  get manager(): EntityManager {
    if (!this.runner || this.ended) throw new Error('The request has no open transaction (it is opened once the operation is known).');
    return this.runner.manager;
  }

  /** Opens the transaction and decides the caller's access; the same promise for every caller. */
  open(): Promise<void> {
    return (this.opening ??= this.begin());
  }

  /**
   * BEGIN, the caller's identity and the request's settings in ONE round trip
   * in the common case: the three statements go as one simple-protocol batch
   * (the credential's digest inlined as a literal), the settings being those
   * this credential got last time. The answer is checked: if the caller's
   * access is no longer what those settings say (roles changed, session
   * ended, first request), the right settings are taken at once, before
   * anything else runs — a guess can cost one round trip, never a wrong scope.
   */
  private async begin(): Promise<void> {
    if (this.ended) throw new Error('The request has already ended.');
    // In order on its one connection; SELECTs waiting together go as one batch (statement-batch.ts).
    const runner = batchStatements(this.dataSource.createQueryRunner());
    markRequestRunner(runner);
    this.runner = runner;
    try {
      const client: { query(text: string): Promise<unknown> } = await runner.connect();
      const lookup = identityLookup(this.headers);
      const guess = lookup.credential ? settingsGuesses.get(lookup.credential) : ANONYMOUS_SETTINGS;
      const batch = ['BEGIN'];
      if (lookup.statement) {
        if (!/^[0-9a-f]{64}$/.test(lookup.statement.digest)) throw new Error('A credential digest must be hex.');
        batch.push(lookup.statement.sql.replace('$1', `'${lookup.statement.digest}'`));
      }
      if (guess) batch.push(databaseContextSql(guess));
      // The transaction is ours from here: TypeORM must neither start another nor skip the rollback.
      markTransactionActive(runner);
      countRequestQuery();
      const answer = await client.query(batch.join(';\n'));
      const results = (Array.isArray(answer) ? answer : [answer]) as { rows: unknown[] }[];
      const identity = lookup.resolve(lookup.statement ? results[1]!.rows : []);
      const access = accessOf(identity.principal);
      const settings = databaseSettings(access);
      if (!guess || !sameSettings(guess, settings)) await enterDatabaseContext(runner, access);
      if (lookup.credential) rememberSettings(lookup.credential, settings);
      this.committable = true;
      this.access = access;
      this.user = identity.user;
      this.settleOpened.resolve();
    } catch (err) {
      this.settleOpened.reject(err);
      // It never opened: nothing to commit, and the answer is the error alone (no rolled-back data).
      this.ended = true;
      await this.finish(false).catch(() => undefined);
      if (err instanceof GraphQLError) throw err;
      // Only a database that cannot be reached (restarting, failing over) is "unavailable"; anything else is a fault.
      if (isTransientDatabaseError(err)) {
        throw appError('SERVICE_UNAVAILABLE', 'The database is unavailable just now. Try again in a moment.', {}, { status: 503 });
      }
      throw err;
    }
  }

  /**
   * Commits (or rolls back) and releases the connection. Safe to call again:
   * only the first call acts. Called while the transaction is still opening
   * (a plugin refused the request meanwhile), it waits for the opening to
   * finish first, so a connection is never released in the middle of its BEGIN.
   */
  async end(commit: boolean): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.settleOpened.reject(new Error('The request ended before its transaction opened.'));
    if (this.opening) await this.opening.catch(() => undefined);
    await this.finish(commit);
  }

  private async finish(commit: boolean): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    // TypeORM releases a runner by itself when its connection errors (the server ended the session, e.g.
    // while restarting): then nothing was committed, and a commit asked for must fail loudly, never
    // silently, or the client would be told a change was saved that the database never kept.
    if (runner.isReleased || !runner.isTransactionActive) {
      if (commit && this.committable) throw new Error('The database connection was lost before the transaction could commit.');
      if (!runner.isReleased) await runner.release();
      return;
    }
    try {
      if (commit && this.deferred.length > 0) await this.commitWithAudit(runner);
      else if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
    } finally {
      if (!runner.isReleased) await runner.release();
    }
    // Chained after commit, by the sealer, without this request (or any other) waiting for the chain.
    if (commit && this.audited) this.sealer?.nudge();
  }

  /**
   * The deferred audit INSERTs and COMMIT as one batch. If an INSERT fails, COMMIT never runs: the
   * transaction is rolled back and the error thrown, so the answer is withheld (no read goes unrecorded).
   */
  private async commitWithAudit(runner: QueryRunner): Promise<void> {
    const client = (runner as unknown as { databaseConnection: { query(text: string): Promise<unknown> } }).databaseConnection;
    countRequestQuery();
    try {
      await client.query([...this.deferred, 'COMMIT'].join(';\n'));
    } catch (err) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
    Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: false, transactionDepth: 0 });
  }
}

/**
 * The context of a GraphQL request. Built before Apollo parses anything, so it
 * touches no database: `access`, `user` and `manager` exist once the request's
 * transaction is open, which is before any resolver runs.
 */
export class GraphQLRequestContext implements RequestContext {
  readonly requestId: string;
  readonly loader = createLoaderRegistry();
  readonly decisions: AuthorizationDecision[] = [];
  readonly transaction: RequestTransaction;

  constructor(
    dataSource: DataSource,
    readonly config: AppConfig,
    headers: RequestHeaders,
    sealer: AuditSealer | null = null,
  ) {
    this.requestId = sanitizeRequestId(header(headers, 'x-request-id')) ?? randomUUID();
    this.transaction = new RequestTransaction(dataSource, headers, sealer);
  }

  get access(): Access {
    if (!this.transaction.access) throw new Error('Access is decided when the request transaction opens.');
    return this.transaction.access;
  }

  get user(): SignedInUser | null {
    return this.transaction.user;
  }

  get manager(): EntityManager {
    return this.transaction.manager;
  }
}

/** The transaction of a request context, when it has one (Apollo's contexts do; contexts made for the seed do not). */
export function transactionOf(ctx: RequestContext): RequestTransaction | null {
  return ctx instanceof GraphQLRequestContext ? ctx.transaction : null;
}

/**
 * Opens the request's transaction once the operation is known (after the cost
 * limit, the last check that needs no database), and closes it when the
 * response is ready: commit for a query or a mutation without errors,
 * rollback otherwise — and then the answer carries no data, so a client is
 * never shown a change that was undone.
 */
export const requestTransactionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation(rc) {
        const transaction = transactionOf(rc.contextValue);
        if (!rc.operation) return;
        try {
          checkOperationCost(rc.schema, rc.document, rc.operation, rc.request.variables);
        } catch (err) {
          await transaction?.end(false);
          throw err;
        }
        if (!transaction) return;
        // No lock on the audit chain: events are appended, and chained after commit (audit-sealer.ts).
        await transaction.open();
      },
      async willSendResponse({ contextValue, operation, response }) {
        const transaction = transactionOf(contextValue);
        if (!transaction?.isOpen) return;
        const single = response.body.kind === 'single' ? response.body.singleResult : null;
        const errors = single?.errors;
        const failedMutation = operation?.operation !== 'query' && Boolean(errors?.length);
        // A request the database could not serve is a 503 the client may retry, not a 200.
        if (errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
        try {
          await transaction.end(!failedMutation);
          if (failedMutation && single) {
            single.data = null;
            single.extensions = { ...single.extensions, transaction: 'ROLLED_BACK' };
          }
        } catch {
          // The commit itself failed: the client must not be told its change was saved.
          if (single) {
            single.data = null;
            single.errors = [{ message: 'The database could not save this request. Try again.', extensions: { code: 'SERVICE_UNAVAILABLE' } }];
          }
          response.http.status = 503;
        }
      },
    };
  },
};

/** The settings each credential (by digest) was given last: a guess sent with BEGIN, always checked. Bounded. */
const settingsGuesses = new Map<string, Readonly<Record<string, string>>>();
const MAX_GUESSES = 5000;
const ANONYMOUS_SETTINGS = databaseSettings(accessOf(ANONYMOUS));

function rememberSettings(credential: string, settings: Readonly<Record<string, string>>): void {
  if (settingsGuesses.has(credential)) settingsGuesses.delete(credential);
  else if (settingsGuesses.size >= MAX_GUESSES) settingsGuesses.delete(settingsGuesses.keys().next().value!);
  settingsGuesses.set(credential, settings);
}

function sameSettings(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((k) => a[k] === b[k]);
}

/** BEGIN went out in our own batch: tell TypeORM its runner is in a transaction (depth 1), as startTransaction() would. */
function markTransactionActive(runner: QueryRunner): void {
  Object.assign(runner as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: true, transactionDepth: 1 });
}

/**
 * Resolvers run in parallel but share the request's one connection: queue their
 * statements here rather than lean on node-postgres's deprecated implicit queue.
 */
export function serialize(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
  return runner;
}

const sanitizeRequestId = (v: string | undefined): string | undefined =>
  v && /^[A-Za-z0-9._-]{1,100}$/.test(v) ? v : undefined;
