import { describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from './embedded.js';
import { createDataSource } from './data-source.js';

describe('migrations', () => {
  it('build exactly the schema the entities describe (no change left for a new migration)', async () => {
    const embedded = await startEmbeddedDatabase();
    const ds = createDataSource({ url: embedded.url, poolSize: 1 });
    try {
      await ds.initialize();
      await ds.runMigrations();
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await embedded.close();
    }
  });
});
