import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, type TestEnvironment } from '../testing/test-environment.js';
import type { TestClient } from '../testing/test-client.js';

/**
 * Restarts the machine's PostgreSQL (fast, then immediate) while clients keep
 * writing, each write retried with its idempotency key until it is
 * acknowledged. Runs on its own (vitest.faults.config.ts) because it takes the
 * database away from everything else.
 */
const version = readdirSync('/etc/postgresql')[0]!;
const pgctl = (...args: string[]) => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', ...args], { stdio: 'pipe' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL restarting under concurrent writes', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment('postgres');
  });
  afterAll(async () => {
    try {
      pgctl('start');
    } catch {
      // already running
    }
    await env?.close();
  });

  async function readyz(): Promise<number> {
    try {
      return (await fetch(`${env.url}/readyz`, { signal: AbortSignal.timeout(3000) })).status;
    } catch {
      return 0;
    }
  }

  async function waitFor(status: number, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if ((await readyz()) === status) return true;
      await sleep(100);
    }
    return false;
  }

  /**
   * One client writing groups, each write retried with the same key until acknowledged: at least
   * `count`, and on until `restartsDone()` (writes are fast enough to finish before a restart otherwise).
   */
  async function writer(client: TestClient, id: number, count: number, acknowledged: string[], deadline: number, restartsDone: () => boolean): Promise<number> {
    let retries = 0;
    for (let i = 0; i < count || !restartsDone(); i++) {
      const name = `fault-${id}-${i}`;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`${name} never acknowledged`);
        try {
          const res = await fetch(`${env.url}/graphql`, {
            method: 'POST',
            headers: client.headers({ 'idempotency-key': name }),
            body: JSON.stringify({
              query: `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name } }`,
              variables: { input: { name, platform: 'OTHER', kind: 'OTHER', riskLevel: 'LOW' } },
            }),
            signal: AbortSignal.timeout(10_000),
          });
          const body = (await res.json()) as { data?: { createGroup?: { name: string } } };
          if (res.ok && body.data?.createGroup?.name === name) {
            acknowledged.push(name);
            break;
          }
        } catch {
          // connection reset or timeout: retry with the same key
        }
        retries++;
        await sleep(150);
      }
    }
    return retries;
  }

  it('keeps every acknowledged write exactly once, answers readiness truthfully, and never exits', async () => {
    const officer = await env.as('officer');
    const acknowledged: string[] = [];
    const deadline = Date.now() + 120_000;
    let restartsDone = false;
    const writers = Array.from({ length: 6 }, (_, id) => writer(officer, id, 25, acknowledged, deadline, () => restartsDone));

    const observed: Record<string, number[]> = {};
    for (const mode of ['fast', 'immediate']) {
      await sleep(700);
      pgctl('stop', '-m', mode);
      const sawDown = await waitFor(503, 10_000);
      observed[mode] = [sawDown ? 503 : await readyz()];
      await sleep(800);
      pgctl('start');
      const cameBack = await waitFor(200, 30_000);
      observed[mode].push(cameBack ? 200 : await readyz());
    }
    restartsDone = true;
    const retries = await Promise.all(writers);

    expect(observed).toEqual({ fast: [503, 200], immediate: [503, 200] });
    // The restarts really did interrupt writes.
    expect(retries.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(6 * 25);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    const rows: { name: string; n: number }[] = await env.server.dataSource.query(
      `SELECT name, count(*)::int AS n FROM groups WHERE name LIKE 'fault-%' GROUP BY name`,
    );
    const stored = new Map(rows.map((r) => [r.name, r.n]));
    for (const name of acknowledged) expect(stored.get(name), name).toBe(1);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // Still serving.
    expect((await fetch(`${env.url}/healthz`)).status).toBe(200);
    expect((await officer.ok(`{ me { email } }`)).me.email).toBe('officer@signpost.test');
  });
});
