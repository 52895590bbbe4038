import { describe, expect, it } from 'vitest';
import { inline } from './statement-batch.js';

describe('inlining a SELECT\'s parameters for a batch', () => {
  it('puts each parameter in as the literal pg would have sent, outside quoted text and identifiers only', () => {
    const at = new Date('2026-12-04T10:00:00.123Z');
    const sql = `SELECT "a$1", 'it''s $1', $1, $2, $3, $4, $10 FROM t WHERE x = ANY($5) AND y = $6 AND z IS NOT DISTINCT FROM $7 AND w = $8 AND v = $9`;
    const out = inline(sql, ['o\'Brien', 42, true, { k: 'v' }, ['a', 'b"c'], at, null, 'back\\slash', undefined, 'ten']);
    expect(out).toBe(
      `SELECT "a$1", 'it''s $1', 'o''Brien', '42', 'true', '{"k":"v"}', 'ten' FROM t WHERE x = ANY( E'{"a","b\\\\"c"}') AND y = '${(out!.match(/y = '([^']+)'/) ?? [])[1]}' AND z IS NOT DISTINCT FROM NULL AND w =  E'back\\\\slash' AND v = NULL`,
    );
    // The date is sent as pg sends it: with its offset, to the millisecond, the same instant.
    expect(new Date((out!.match(/y = '([^']+)'/) ?? [])[1]!).getTime()).toBe(at.getTime());
  });

  it('batches only plain SELECTs it can read to the end', () => {
    expect(inline('INSERT INTO t VALUES ($1)', [1])).toBeNull();
    expect(inline('UPDATE t SET a = $1', [1])).toBeNull();
    expect(inline('SELECT 1; DELETE FROM t', [])).toBeNull();
    expect(inline('SELECT $$ $1 $$', [1])).toBeNull();
    expect(inline("SELECT 'unterminated", [])).toBeNull();
    expect(inline('SELECT $2', [1])).toBeNull();
    expect(inline('SELECT $1', [Buffer.from('x')])).toBeNull();
    expect(inline('  select id from t where id = $1', ['x'])).toBe("  select id from t where id = 'x'");
  });
});
