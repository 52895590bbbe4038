import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_STATUSES } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from './test-environment.js';
import { groupIn } from './builders.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function specFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : specFiles(full);
    return /\.(e2e-|faults-)?spec\.ts$/.test(name) ? [full] : [];
  });
}

describe('specs build state the way people do', () => {
  it('no spec sets a status in SQL: states are reached through the mutations (testing/builders.ts)', () => {
    const offenders = specFiles(SRC).filter((file) => /UPDATE\s+(groups|referrals|escalations|wording_agreements|placements)\b[^`'"]*\bSET\b[^`'"]*\b(status|state)\s*=/i.test(readFileSync(file, 'utf8')));
    // The row-level security spec tries such UPDATEs on purpose, as the API's role, and expects them refused.
    expect(offenders.map((f) => path.relative(SRC, f)).filter((f) => f !== 'database/row-level-security.e2e-spec.ts')).toEqual([]);
  });
});

describe.each(await databaseKinds())('group builders on %s', (kind) => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind);
  });
  afterAll(() => env?.close());

  it.each(GROUP_STATUSES)('bring a group to %s through the real mutations', async (status) => {
    const group = await groupIn(env, status, { administrators: ['STUDENT', 'STAFF'] });
    expect(group.status).toBe(status);
    const { group: read } = await (await env.as('officer')).ok(
      `query($id: ID!) { group(id: $id) { status timeline(first: 50) { action details } } }`,
      { id: group.id },
    );
    expect(read.status).toBe(status);
    // Every move is in the group's story; only close, reopen and mark unresponsive were made by hand.
    const moves = read.timeline.filter((e: { action: string }) => e.action === 'group.status').map((e: { details: Record<string, unknown> }) => e.details);
    for (const move of moves) expect(move.automatic === true || ['close', 'reopen', 'markUnresponsive'].includes(move.transition as string), JSON.stringify(move)).toBe(true);
    if (status === 'REFERRED') expect(group.referralIds).toHaveLength(2);
  });
});
