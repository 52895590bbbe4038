import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { createTestEnvironment, databaseKinds } from '../testing/test-environment.js';
import { loadConfig } from '../config.js';
import { startSignpost } from '../server.js';
import { createLogger } from '../common/logger.js';
import { ServiceTokenClient } from '../testing/service-token-client.js';
import { registerServiceClientCommands } from './service-client-commands.js';

/** Runs `signpost service-client ...` in this process against the database the environment variables name; returns what it printed. */
async function signpost(...args: string[]): Promise<string> {
  const program = new Command('signpost').exitOverride();
  registerServiceClientCommands(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

const tokenIn = (output: string): string => /^(sp_[A-Za-z0-9_-]{43})$/m.exec(output)![1]!;

describe.each(await databaseKinds())('signpost service-client on %s', (kind) => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, SIGNPOST_DATA_DIR: process.env.SIGNPOST_DATA_DIR };
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /**
   * The command line and the server on one database: PostgreSQL takes both at
   * once; the embedded database takes one process at a time, so the server is
   * stopped while the command runs (as the README says to do).
   */
  async function setup(): Promise<{ cli: (...args: string[]) => Promise<string>; server: () => Promise<{ url: string }> }> {
    if (kind === 'postgres') {
      const env = await createTestEnvironment('postgres');
      cleanup.push(() => env.close());
      process.env.DATABASE_URL = env.server.config.databaseUrl!;
      return { cli: signpost, server: async () => env };
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'signpost-cli-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    delete process.env.DATABASE_URL;
    process.env.SIGNPOST_DATA_DIR = dir;
    let running: { url: string; close(): Promise<void> } | null = null;
    const stop = async () => {
      await running?.close();
      running = null;
    };
    cleanup.push(stop);
    return {
      cli: async (...args) => {
        await stop();
        return signpost(...args);
      },
      server: async () =>
        (running ??= await startSignpost({ ...loadConfig({ NODE_ENV: 'test' }), port: 0, host: '127.0.0.1', databaseUrl: null, dataDir: dir, seedDemo: false }, createLogger('silent'))),
    };
  }

  // Each command opens the database as the real one does: on the embedded database that is a PGlite start each time.
  const SLOW = { timeout: 240_000 };

  it('creates a client whose printed token works with its scopes, lists it without the token, and revokes it', SLOW, async () => {
    const { cli, server } = await setup();
    const created = await cli('service-client', 'create', '--name', 'Student Union portal', '--scope', 'groups:read', '--scope', 'groups:report');
    expect(created).toContain('Created service client Student Union portal');
    const token = tokenIn(created);

    let env = await server();
    const service = new ServiceTokenClient(env.url, token);
    expect((await service.ok('{ me { permissions } }')).me.permissions).toEqual(['group.read', 'group.report']);
    await service.fails('FORBIDDEN', '{ referrals(first: 1) { totalCount } }');

    const listed = await cli('service-client', 'list');
    expect(listed).toMatch(/^Student Union portal\tsp_\S{7}…\tgroups:read,groups:report\tcreated \S+\tlast used \S+\tactive$/m);
    expect(listed).not.toContain(token);

    expect(await cli('service-client', 'revoke', '--name', 'Student Union portal')).toContain('Revoked Student Union portal');

    env = await server();
    const res = await fetch(`${env.url}/graphql`, {
      method: 'POST',
      headers: new ServiceTokenClient(env.url, token).headers(),
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown scope and a name already used, listing the valid scopes; revoking twice changes nothing', SLOW, async () => {
    const { cli } = await setup();
    await expect(cli('service-client', 'create', '--name', 'Writer', '--scope', 'groups:write')).rejects.toThrow(/Unknown scope groups:write\. Scopes are: groups:read, groups:report, referrals:read:DISCIPLINE/);
    await cli('service-client', 'create', '--name', 'Kiosk', '--scope', 'groups:read');
    await expect(cli('service-client', 'create', '--name', 'Kiosk', '--scope', 'groups:read')).rejects.toThrow(/already exists/);
    await expect(cli('service-client', 'revoke', '--name', 'Nobody')).rejects.toThrow(/No service client is named Nobody/);
    expect(await cli('service-client', 'revoke', '--name', 'Kiosk')).toContain('Revoked Kiosk');
    expect(await cli('service-client', 'revoke', '--name', 'Kiosk')).toContain('Kiosk was already revoked');
    const listed = await cli('service-client', 'list');
    expect(listed.split('\n').filter((l) => l.startsWith('Kiosk\t'))).toEqual([expect.stringMatching(/\trevoked \S+$/)]);
    expect(listed).not.toContain('Writer');
  });
});
