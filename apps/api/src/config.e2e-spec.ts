import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './testing/test-client.js';
import { freePort } from './testing/test-identity-provider.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const DAY_MS = 24 * 60 * 60 * 1000;

describe('the built server and CLI with SIGNPOST_CONFIG_FILE', () => {
  const children: ChildProcess[] = [];
  let dir: string;

  /** Runs a built entry point as `npm start` or `npm run signpost` would, on an embedded database of its own. */
  function run(entry: string, args: string[], env: Record<string, string>) {
    const child = spawn(process.execPath, [path.join(DIST, entry), ...args], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', DATABASE_URL: '', SIGNPOST_DATA_DIR: path.join(dir, 'data'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, exited, output: () => output };
  }

  beforeAll(async () => {
    expect(existsSync(path.join(DIST, 'main.js')), 'run the build first (npm test does)').toBe(true);
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-config-e2e-'));
    await writeFile(path.join(dir, 'invalid.json'), JSON.stringify({ policy: { reviewIntervalDays: { CRITICAL: -3, SEVERE: 2 } }, wording: { universityName: '' } }));
    await writeFile(path.join(dir, 'partial.json'), JSON.stringify({ policy: { reviewIntervalDays: { CRITICAL: 3 } } }));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const EXPECTED = (file: string) => [
    'PORT must be an integer from 0 to 65535 (got "abc")',
    `SIGNPOST_CONFIG_FILE ${file}: policy.reviewIntervalDays.CRITICAL must be a whole number of days from 1 to 3650 (got -3)`,
    `SIGNPOST_CONFIG_FILE ${file}: policy.reviewIntervalDays.SEVERE is not a risk level (expected one of: LOW, MEDIUM, HIGH, CRITICAL)`,
    `SIGNPOST_CONFIG_FILE ${file}: wording.universityName must be the name of the university, not empty`,
  ];

  it('the server refuses to start on an invalid file, with one log line per problem and no stack trace', async () => {
    const file = path.join(dir, 'invalid.json');
    const server = run('main.js', [], { PORT: 'abc', SIGNPOST_CONFIG_FILE: file });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.map((line) => line.msg)).toEqual([...EXPECTED(file), 'Signpost could not start: 4 problems in the configuration']);
    expect(lines.every((line) => line.level === 60)).toBe(true);
    expect(server.output()).not.toMatch(/stack|\n\s+at /);
  });

  it('the CLI reports the same problems, one line each, and exits 1', async () => {
    const file = path.join(dir, 'invalid.json');
    const cli = run('cli.js', ['user', 'list'], { PORT: 'abc', SIGNPOST_CONFIG_FILE: file });
    expect(await cli.exited).toBe(1);
    expect(cli.output().trim().split('\n')).toEqual(['4 problems in the configuration:', ...EXPECTED(file).map((problem) => `  ${problem}`)]);
  });

  it('a partial file keeps the other review intervals: createGroup of a MEDIUM group succeeds over HTTP', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const server = run('main.js', [], { PORT: String(port), SIGNPOST_CONFIG_FILE: path.join(dir, 'partial.json') });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 200))) {
      if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not become ready:\n${server.output()}`);
      ready = await fetch(`${url}/readyz`).then((res) => res.ok, () => false);
    }
    const officer = new TestClient(url);
    expect((await officer.login('officer@signpost.test', 'signpost-demo')).status).toBe(200);
    const create = `mutation($risk: RiskLevel!) { createGroup(input: { name: "Partial config", platform: OTHER, kind: OTHER, riskLevel: $risk }) { nextReviewDue } }`;
    const dueIn = async (risk: string) => {
      const before = Date.now();
      const { createGroup } = await officer.ok<{ createGroup: { nextReviewDue: string } }>(create, { risk });
      return (new Date(createGroup.nextReviewDue).getTime() - before) / DAY_MS;
    };
    // The default 30 days for MEDIUM, the file's 3 days for CRITICAL (a few seconds' leeway for the request).
    expect(await dueIn('MEDIUM')).toBeCloseTo(30, 3);
    expect(await dueIn('CRITICAL')).toBeCloseTo(3, 3);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
