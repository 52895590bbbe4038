import path from 'node:path';
import express, { type Express } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { GraphQLSchema } from 'graphql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { AppConfig } from './config.js';
import type { RequestContext } from './common/context.js';
import { GraphQLRequestContext, requestTransactionPlugin } from './common/request-transaction.js';
import { createFormatError, errorContractPlugin } from './common/format-error.js';
import { authorizationDecisionsPlugin } from './common/authorization-decisions.js';
import { authRoutes } from './auth/auth.routes.js';
import { oidcRoutes } from './auth/oidc.routes.js';
import { idempotencyPlugin } from './common/idempotency.js';
import { graphqlValidationRules, TRUSTED_LIMITS } from './common/graphql-limits.js';
import { graphqlRequestGuard, MAX_BODY } from './security/graphql-http-guard.js';
import { loadTrustedDocuments, trustedDocumentsGuard, TRUSTED_DOCUMENTS_FILE, type TrustedDocuments } from './security/trusted-documents.js';
import { auditChainGauges, type AuditChainGauges } from './modules/audit/audit-chain-at-start.js';
import { errorBody } from './common/errors.js';
import { isDataException } from './common/database-errors.js';
import { portalRoutes } from './portal/portal-routes.js';
import { auditSealerGauges, type AuditSealer } from './modules/audit/audit-sealer.js';
import { databaseQueries } from './database/query-counter.js';

const MAX_BODY_BYTES = 100 * 1024;

/** Set when the process is stopping: readiness answers 503 while requests in flight finish. */
export interface Lifecycle {
  draining: boolean;
}

export interface AppParts {
  lifecycle: Lifecycle;
  app: Express;
  apollo: ApolloServer<RequestContext>;
  /** Set once the audit chain has been verified at start (server.ts). */
  auditChain: AuditChainGauges;
  /** The documents registered at start (the portal's operations), which a request names by `documentId`. */
  trustedDocuments: TrustedDocuments;
}

/** Express app: auth routes, GraphQL at /graphql, health, readiness and metrics; the portal at / after them all. */
export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  schema: GraphQLSchema,
  logger: Logger,
  auditSealer: AuditSealer | null = null,
): Promise<AppParts> {
  // Read once, here: nothing a request sends adds to them.
  const trustedDocuments = loadTrustedDocuments([path.join(config.portalDir, TRUSTED_DOCUMENTS_FILE), ...config.trustedDocumentFiles], schema, config, logger);
  const apollo = new ApolloServer<RequestContext>({
    logger,
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // main.ts owns shutdown: Apollo's own SIGTERM handler would race it and hang.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would let any caller register documents; the trusted ones come from the portal's build.
    persistedQueries: false,
    // The trusted limits: documents the caller wrote were held to the tighter ad-hoc limits before (trustedDocumentsGuard).
    parseOptions: { maxTokens: TRUSTED_LIMITS.maxTokens },
    validationRules: graphqlValidationRules(config),
    formatError: createFormatError(logger, { production: config.production, schema }),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      requestTransactionPlugin,
      idempotencyPlugin,
      errorContractPlugin,
      ...(config.exposeAuthorizationDecisions && !config.production ? [authorizationDecisionsPlugin] : []),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const auditChain = auditChainGauges(metrics);
  metrics.registerMetric(databaseQueries);
  if (auditSealer) auditSealerGauges(metrics, auditSealer, dataSource);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Answers about people and their sessions must not be kept by a browser or a proxy: set first, so
  // refusals of the body parser, the guard, Apollo and the error handler carry it too.
  app.use(['/graphql', '/auth'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: MAX_BODY }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  const lifecycle: Lifecycle = { draining: false };
  app.get('/readyz', async (_req, res) => {
    if (lifecycle.draining) return void res.status(503).json({ status: 'stopping' });
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  app.use(authRoutes(dataSource, config, logger));
  app.use(oidcRoutes(dataSource, config, logger));
  // The context touches no database: the request's transaction opens once the operation is known.
  const contexts = new WeakMap<express.Request, GraphQLRequestContext>();
  const graphql = expressMiddleware(apollo, {
    context: async ({ req }) => {
      const ctx = new GraphQLRequestContext(dataSource, config, req.headers, auditSealer);
      contexts.set(req, ctx);
      return ctx;
    },
  });
  app.use('/graphql', graphqlRequestGuard(), trustedDocumentsGuard(trustedDocuments, { production: config.production }), async (req, res, next) => {
    try {
      await graphql(req, res, next);
    } finally {
      // Some of Apollo's refusals skip the plugin that ends the transaction: the owner ends it (a no-op if it already did).
      await contexts.get(req)?.transaction.end(false).catch((err) => logger.warn({ err }, 'could not end an abandoned request transaction'));
    }
  });
  // Last of the routes: only what the API did not answer reaches the portal, and it passes the API's own paths on to their 404.
  app.use(portalRoutes(config.portalDir, logger));
  app.use(((err, _req, res, _next) => {
    // A value the database refuses as data (SQLSTATE 22xxx, e.g. a NUL in text) is the caller's bad input.
    const status = isDataException(err) ? 400 : typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    if (res.headersSent) return void res.end();
    if (status === 413) return void res.status(413).json(errorBody('PAYLOAD_TOO_LARGE', 'The request body is larger than 100 kB.', { limit: 'body', max: MAX_BODY_BYTES }));
    if (status < 500) return void res.status(status).json(errorBody('BAD_REQUEST', 'The request could not be read.', {}));
    res.status(500).json(errorBody('INTERNAL_SERVER_ERROR', 'Something went wrong on our side.', {}));
  }) as express.ErrorRequestHandler);

  return { app, apollo, lifecycle, auditChain, trustedDocuments };
}
