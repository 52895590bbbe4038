import 'reflect-metadata';
import { loadConfig } from './config.js';
import { createLogger } from './common/logger.js';
import { startSignpost } from './server.js';

const config = loadConfig();
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
