import { loadConfig } from '../config.js';
import { openDatabase, type OpenDatabase } from '../database/open-database.js';
import { createLogger } from '../common/logger.js';

/** Opens the database the server would use (migrating it), runs `fn`, and closes it. */
export async function withDatabase<T>(fn: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config, createLogger('warn'));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
