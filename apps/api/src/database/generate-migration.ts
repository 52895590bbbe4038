/**
 * Writes a migration for the difference between the entities and the schema the
 * existing migrations build, computed on a throwaway in-memory PGlite:
 *   npm run build && npm run migration:generate -- AddSomething
 * then add the new class to migrations/index.ts.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startEmbeddedDatabase } from './embedded.js';
import { createDataSource } from './data-source.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('Usage: npm run migration:generate -- PascalCaseName');
  process.exit(2);
}

const embedded = await startEmbeddedDatabase();
const ds = createDataSource({ url: embedded.url, poolSize: 1 });
await ds.initialize();
await ds.runMigrations();
const sql = await ds.driver.createSchemaBuilder().log();
await ds.destroy();
await embedded.close();

if (sql.upQueries.length === 0) {
  console.log('No changes: the entities match the migrations.');
  process.exit(0);
}
const timestamp = Date.now();
const quote = (q: string) => '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
const down = sql.downQueries.reverse().map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/database/migrations');
const file = path.join(dir, `${timestamp}-${name}.ts`);
await writeFile(file, source);
console.log(`Wrote ${path.relative(process.cwd(), file)}; add ${name}${timestamp} to migrations/index.ts.`);
