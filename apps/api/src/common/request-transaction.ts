import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '../config.js';
import { createLoaderRegistry, type RequestContext } from './context.js';
import { header, resolveIdentity } from '../auth/identity.js';
import { enterDatabaseContext } from './database-context.js';

const RUNNER = Symbol('queryRunner');

/** The advisory lock the audit chain trigger takes (TamperEvidentAuditAndIdempotency migration). */
export const AUDIT_CHAIN_LOCK = 7466349301;
type ContextWithRunner = RequestContext & { [RUNNER]?: QueryRunner };

export interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Each GraphQL request runs in one transaction on one connection: the caller's
 * identity is resolved inside it, then the transaction takes the API's
 * database role with the caller's settings (row-level security), and every
 * resolver uses its EntityManager, so a mutation that fails anywhere writes
 * nothing.
 */
export async function createRequestContext(dataSource: DataSource, config: AppConfig, req: IncomingRequest): Promise<RequestContext> {
  const runner = serialize(dataSource.createQueryRunner());
  try {
    await runner.connect();
    await runner.startTransaction();
    const identity = await resolveIdentity(runner.manager, req.headers);
    await enterDatabaseContext(runner, identity.principal);
    const requestId = sanitizeRequestId(header(req.headers, 'x-request-id')) ?? randomUUID();
    const ctx: ContextWithRunner = {
      requestId,
      principal: identity.principal,
      user: identity.user,
      manager: runner.manager,
      config,
      loader: createLoaderRegistry(),
    };
    ctx[RUNNER] = runner;
    return ctx;
  } catch (err) {
    await finish(runner, false).catch(() => undefined);
    if (err instanceof GraphQLError) throw err;
    // The database is unreachable (restarting, failing over): say so, and let the client retry.
    throw new GraphQLError('The database is unavailable just now. Try again in a moment.', {
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
  }
}

/** Commits when the request succeeded (or was a query); rolls back a mutation that raised any error. */
export const requestTransactionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        // Every mutation writes the audit chain, whose lock is held to commit. Taking it first,
        // before any row lock, gives all writers one lock order: they queue, never deadlock.
        if (operation?.operation === 'mutation') await contextValue.manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      },
      async willSendResponse({ contextValue, operation, response }) {
        const runner = (contextValue as ContextWithRunner)[RUNNER];
        if (!runner) return;
        delete (contextValue as ContextWithRunner)[RUNNER];
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        const failedMutation = operation?.operation !== 'query' && Boolean(errors?.length);
        // A request the database could not serve is a 503 the client may retry, not a 200.
        if (errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
        try {
          await finish(runner, !failedMutation);
        } catch {
          // The commit itself failed: the client must not be told its change was saved.
          if (response.body.kind === 'single') {
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [
              { message: 'The database could not save this request. Try again.', extensions: { code: 'SERVICE_UNAVAILABLE' } },
            ];
          }
          response.http.status = 503;
        }
      },
    };
  },
};

/**
 * Resolvers run in parallel but share the request's one connection: queue their
 * statements here rather than lean on node-postgres's deprecated implicit queue.
 */
function serialize(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
  return runner;
}

/** Ends a context made by createRequestContext outside Apollo (tests, tools). */
export async function endRequestContext(ctx: RequestContext, commit: boolean): Promise<void> {
  const runner = (ctx as ContextWithRunner)[RUNNER];
  delete (ctx as ContextWithRunner)[RUNNER];
  if (runner) await finish(runner, commit);
}

async function finish(runner: QueryRunner, commit: boolean): Promise<void> {
  try {
    if (runner.isTransactionActive) {
      if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
    }
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}

const sanitizeRequestId = (v: string | undefined): string | undefined =>
  v && /^[A-Za-z0-9._-]{1,100}$/.test(v) ? v : undefined;
