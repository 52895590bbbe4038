import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './testing/test-client.js';
import { freePort } from './testing/test-identity-provider.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/** The built server as `npm start` runs it: its own process, the embedded database in a data folder. */
async function startProcess(dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), SIGNPOST_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { child, url, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${output}`);
}

const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe('the built server on the embedded database', () => {
  const children: ChildProcess[] = [];
  let dataDir: string;
  beforeAll(async () => {
    expect(existsSync(MAIN), 'run the build first (npm test does)').toBe(true);
    dataDir = await mkdtemp(path.join(tmpdir(), 'signpost-main-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds demo data on first start, keeps data across a restart, and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const first = await startProcess(dataDir, await freePort());
    children.push(first.child);
    const officer = new TestClient(first.url);
    expect((await officer.login('officer@signpost.test', 'signpost-demo')).status).toBe(200);
    const before = await officer.ok(`{ groups(first: 1) { totalCount } }`);
    expect(before.groups.totalCount).toBeGreaterThan(0);
    const { createGroup } = await officer.ok(`mutation { createGroup(input: { name: "Survives restart", platform: OTHER, kind: OTHER, riskLevel: LOW }) { id } }`);
    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('stopping');

    const second = await startProcess(dataDir, await freePort());
    children.push(second.child);
    const again = new TestClient(second.url);
    await again.login('officer@signpost.test', 'signpost-demo');
    const after = await again.ok(`query($id: ID!) { group(id: $id) { name } groups(first: 1) { totalCount } }`, { id: createGroup.id });
    expect(after.group.name).toBe('Survives restart');
    // Demo data is seeded once: the count grew by exactly the one group created.
    expect(after.groups.totalCount).toBe(before.groups.totalCount + 1);
    expect(await stop(second.child)).toBe(0);
  });

  it('refuses a second process on the same data folder instead of corrupting it', async () => {
    const first = await startProcess(dataDir, await freePort());
    children.push(first.child);
    const second = spawn(process.execPath, [MAIN], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: String(await freePort()), SIGNPOST_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    second.stdout!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('is in use by process');
    expect(await stop(first.child)).toBe(0);
  });

  it('on SIGTERM under load turns readiness to 503, finishes every request in flight, then exits', { timeout: 180_000 }, async () => {
    const server = await startProcess(dataDir, await freePort(), { SIGNPOST_SHUTDOWN_GRACE_MS: '1500' });
    children.push(server.child);
    const officer = new TestClient(server.url);
    await officer.login('officer@signpost.test', 'signpost-demo');
    const heavy = `{ groups(first: 50) { totalCount edges { node { id name administrators { handle } contactLog { summary } concerns { category } timeline(first: 20) { action } } } } }`;
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const inFlight = Array.from({ length: 30 }, () => officer.gql(heavy));
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    // While draining, readiness says so, and the server still answers.
    let readiness = 0;
    for (let i = 0; i < 20 && readiness !== 503; i++) {
      readiness = (await fetch(`${server.url}/readyz`)).status;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readiness).toBe(503);
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.every((r) => !r.errors && r.data?.groups.totalCount > 0)).toBe(true);
    expect(await exited).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
