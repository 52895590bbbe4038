import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { SnakeNamingStrategy } from './naming-strategy.js';
import { QueryCountingLogger } from './query-counter.js';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  logger?: Logger;
}

/**
 * One TypeORM data source for both databases: PGlite is reached over the
 * Postgres wire protocol, so the `postgres` driver and `pg` serve both.
 */
export function createDataSource({ url, poolSize, logger }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize,
    logger: new QueryCountingLogger(),
    // Without this a database restart emits an unhandled 'error' and kills the process.
    poolErrorHandler: (err: Error) => logger?.warn({ err }, 'database connection lost'),
    extra: { connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 },
  });
}
