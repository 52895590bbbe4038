import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { createLogger } from './common/logger.js';
import { startSignpost } from './server.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  // Whatever LOG_LEVEL says (it may be the problem): one line per problem, no stack trace.
  // Written synchronously: with pino's asynchronous default, fatal's flush reordered the lines before the exit.
  const logger = createLogger('info', { sync: true });
  for (const problem of err.problems) logger.fatal(problem);
  logger.fatal(`Signpost could not start: ${err.summary}`);
  process.exit(1);
}
const logger = createLogger(config.logLevel);

try {
  const signpost = await startSignpost(config, logger);
  logger.info(
    { database: config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})` },
    `Signpost is serving at ${signpost.url} (GraphQL at ${signpost.url}/graphql)`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    await signpost.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  logger.fatal({ err }, 'Signpost could not start');
  process.exit(1);
}
