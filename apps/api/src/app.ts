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
import { createRequestContext, requestTransactionPlugin } from './common/request-transaction.js';
import { createFormatError } from './common/format-error.js';
import { authRoutes } from './auth/auth.routes.js';
import { oidcRoutes } from './auth/oidc.routes.js';
import { idempotencyPlugin } from './common/idempotency.js';
import { graphqlValidationRules } from './common/graphql-limits.js';

export interface AppParts {
  app: Express;
  apollo: ApolloServer<RequestContext>;
}

/** Express app: auth routes, GraphQL at /graphql, health, readiness and metrics. */
export async function createApp(config: AppConfig, dataSource: DataSource, schema: GraphQLSchema, logger: Logger): Promise<AppParts> {
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // main.ts owns shutdown: Apollo's own SIGTERM handler would race it and hang.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: 5000 },
    validationRules: graphqlValidationRules(config),
    formatError: createFormatError(logger),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      requestTransactionPlugin,
      idempotencyPlugin,
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '100kb' }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
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
  app.use(
    '/graphql',
    expressMiddleware(apollo, { context: ({ req }) => createRequestContext(dataSource, config, req) }),
  );
  app.use(((err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status < 500 ? err.status : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    res.status(status).json({ errors: [{ message: status === 413 ? 'The request body is larger than 100 kB.' : status < 500 ? 'The request could not be read.' : 'Something went wrong on our side.', extensions: { code } }] });
  }) as express.ErrorRequestHandler);

  return { app, apollo };
}
