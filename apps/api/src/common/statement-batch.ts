import pgUtils from 'pg/lib/utils.js';
import { escapeLiteral } from 'pg';
import { QueryResult, type QueryRunner } from 'typeorm';
import { countRequestQuery } from '../database/query-counter.js';

/**
 * One request's statements on its one connection, in order — and, when
 * several SELECTs are waiting together (the DataLoaders of one level of a
 * GraphQL answer fire in the same tick), sent as ONE simple-protocol batch
 * with their parameters inlined as literals: one round trip instead of one
 * each. Round trips dominate a request's cost on these machines (each is a
 * write system call and a wake-up on both sides; docs/performance.md).
 *
 * Only plain SELECTs with parameters pg knows how to send are batched; a
 * statement with dollar quoting, or anything else, goes on its own through
 * TypeORM as before. A literal is exactly the text pg would have sent as the
 * parameter (`prepareValue`), quoted by `escapeLiteral`, so PostgreSQL infers
 * its type from the context as it does for an untyped parameter. If a batch
 * fails, every statement in it fails with the error (the transaction is then
 * aborted, as it would have been after the first failure).
 */
export function batchStatements(runner: QueryRunner): QueryRunner {
  const single = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  const waiting: Pending[] = [];
  let busy = false;

  const pump = async () => {
    busy = true;
    try {
      while (waiting.length > 0) {
        const batch = takeBatch(waiting);
        if (batch.length === 1) {
          const [p] = batch as [Pending];
          await single(p.sql, p.parameters, p.structured).then(p.resolve, p.reject);
          continue;
        }
        await sendBatch(runner, batch);
      }
    } finally {
      busy = false;
    }
  };

  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
    new Promise((resolve, reject) => {
      waiting.push({ sql, parameters, structured: Boolean(structured), resolve, reject, inlined: null });
      if (!busy) void pump();
    })) as QueryRunner['query'];
  return runner;
}

interface Pending {
  sql: string;
  parameters: unknown[] | undefined;
  structured: boolean;
  resolve: (value: any) => void;
  reject: (err: unknown) => void;
  /** The statement with its parameters as literals, once known to be batchable. */
  inlined: string | null;
}

const MAX_BATCH = 20;

/** The leading run of batchable SELECTs (at most MAX_BATCH), or the first statement alone. */
function takeBatch(waiting: Pending[]): Pending[] {
  const batch: Pending[] = [];
  while (batch.length < MAX_BATCH && waiting.length > 0) {
    const next = waiting[0]!;
    next.inlined ??= inline(next.sql, next.parameters);
    if (next.inlined === null) break;
    batch.push(waiting.shift()!);
  }
  return batch.length > 0 ? batch : [waiting.shift()!];
}

async function sendBatch(runner: QueryRunner, batch: Pending[]): Promise<void> {
  const client = (runner as unknown as { databaseConnection?: { query(text: string): Promise<unknown> } }).databaseConnection;
  if (!client || runner.isReleased) {
    const err = new Error('The request has no open connection.');
    for (const p of batch) p.reject(err);
    return;
  }
  countRequestQuery();
  try {
    const answer = await client.query(batch.map((p) => p.inlined).join(';\n'));
    const results = (Array.isArray(answer) ? answer : [answer]) as { rows: unknown[]; rowCount: number | null }[];
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (!p.structured) return p.resolve(r.rows);
      const structured = new QueryResult();
      structured.records = r.rows;
      structured.raw = r.rows;
      structured.affected = r.rowCount ?? undefined;
      p.resolve(structured);
    });
  } catch (err) {
    for (const p of batch) p.reject(err);
  }
}

/**
 * The SELECT with `$n` replaced by literals, or null when it is not one to
 * batch. Placeholders are replaced only outside quoted text and identifiers.
 */
export function inline(sql: string, parameters: readonly unknown[] | undefined): string | null {
  if (!/^\s*SELECT\b/i.test(sql) || sql.includes(';') || /\$[A-Za-z_]*\$/.test(sql)) return null;
  const values = parameters ?? [];
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // Copy the quoted text as it is ('' and "" are the escapes inside).
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) return null;
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j += 1;
      }
      out += sql.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (/[0-9]/.test(sql[j] ?? '')) j += 1;
      const index = Number(sql.slice(i + 1, j)) - 1;
      if (index < 0 || index >= values.length) return null;
      const prepared = pgUtils.prepareValue(values[index]);
      if (prepared !== null && typeof prepared !== 'string') return null;
      out += prepared === null ? 'NULL' : escapeLiteral(prepared);
      i = j - 1;
      continue;
    }
    out += c;
  }
  return out;
}
