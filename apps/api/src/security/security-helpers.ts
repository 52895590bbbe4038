import type { DataSource } from 'typeorm';

// Test helpers for the security specs (kept beside them; nothing at run time imports this file).

/**
 * The content of every table as a hash per table: equal before and after
 * means nothing was written (rows added, removed or changed). Sessions are
 * left out: signing in is not what is being tested. An audit event's place in
 * the chain (seq, prev_hash, hash) is left out too: the sealer fills it in after
 * commit, at any moment, for events written earlier.
 */
export async function tableFingerprint(dataSource: DataSource): Promise<Record<string, string>> {
  const tables: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', 'migrations')
      ORDER BY table_name`,
  );
  const sql = tables
    .map(({ table_name: t }) => `SELECT '${t}' AS t, count(*)::text || ':' || md5(coalesce(string_agg((to_jsonb(x) - 'seq' - 'prev_hash' - 'hash')::text, '|' ORDER BY (to_jsonb(x) - 'seq' - 'prev_hash' - 'hash')::text), '')) AS h FROM "${t}" x`)
    .join(' UNION ALL ');
  const rows: { t: string; h: string }[] = await dataSource.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** What an error message must never contain: SQL, database object names, driver or stack details. */
const LEAKS: [string, RegExp][] = [
  ['SQL', /\b(SELECT|INSERT|UPDATE|DELETE|RETURNING|WHERE)\b/],
  ['SQL', /\bselect\b[^]*\bfrom\b|\binsert into\b|\bdelete from\b/i],
  ['database words', /\b(relation|column|constraint|tuple|syntax error at or near|duplicate key|violates|foreign key)\b/i],
  ['snake_case identifier', /\b[a-z][a-z0-9]*_[a-z0-9_]+\b/],
  ['driver', /QueryFailedError|TypeORM|node-postgres|\bpg_|PGlite|postgres/i],
  ['stack trace', /\bat [\w.<>]+ \(|\bat \/|\.ts:\d|\.js:\d|node_modules|file:\/\//],
];

/** Every message that gives away SQL, a table or column, or a stack trace, with what it gave away. */
export function findLeaks(messages: readonly string[], tableNames: readonly string[] = []): string[] {
  const tables = tableNames.length ? new RegExp(`\\b(${tableNames.map((t) => t.replace(/[^a-z0-9_]/g, '')).join('|')})\\b`) : null;
  const leaks: string[] = [];
  for (const message of new Set(messages)) {
    for (const [what, pattern] of LEAKS) if (pattern.test(message)) leaks.push(`${what}: ${message.slice(0, 200)}`);
    if (tables?.test(message)) leaks.push(`table name: ${message.slice(0, 200)}`);
  }
  return leaks;
}

/** Table names with an underscore (contact_log_entries...): never in a message. One-word names (groups) are ordinary English. */
export async function snakeCaseTableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE '%\\_%'`,
  );
  return rows.map((r) => r.table_name);
}
