import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import type { ContractError } from '@signpost/policy';
import { createTestEnvironment, databaseKinds, SPEC_DOCUMENTS } from '../testing/test-environment.js';
import { loadConfig } from '../config.js';
import { startSignpost } from '../server.js';
import { createLogger } from '../common/logger.js';
import { TestClient } from '../testing/test-client.js';
import { ServiceTokenClient } from '../testing/service-token-client.js';
import { CliApproveDocument, CliAuditOfDocument, CliMeDocument, CliReferralsCountDocument, CliServiceClientsDocument } from '../testing/generated/graphql.js';
import { registerServiceClientCommands } from './service-client-commands.js';

/** The built command line: what `npm run signpost -- …` runs once it has built it. */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

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

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `signpost <args>` as a process of its own (the built CLI), against the database the environment variables name now. */
function signpostProcess(...args: string[]): Promise<Exit> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  for (const k of ['DATABASE_URL', 'SIGNPOST_DATA_DIR'] as const) if (process.env[k] === undefined) delete env[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

const tokenIn = (output: string): string => /^(sp_[A-Za-z0-9_-]{43})$/m.exec(output)![1]!;
const PASSWORD = 'a long passphrase for the cli';

describe.each(await databaseKinds())('signpost service-client and user on %s', (kind) => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, SIGNPOST_DATA_DIR: process.env.SIGNPOST_DATA_DIR };
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /**
   * The command line and the server on one database: PostgreSQL takes both at
   * once; the embedded database takes one process at a time, so the server is
   * stopped while a command runs (as the README says to do). `cli` runs the
   * service-client commands in this process; `run` runs any command as its own
   * process, from the build.
   */
  async function setup(): Promise<{ cli: (...args: string[]) => Promise<string>; run: (...args: string[]) => Promise<Exit>; server: () => Promise<{ url: string }> }> {
    if (kind === 'postgres') {
      const env = await createTestEnvironment('postgres');
      cleanup.push(() => env.close());
      process.env.DATABASE_URL = env.server.config.databaseUrl!;
      return { cli: signpost, run: signpostProcess, server: async () => env };
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
      run: async (...args) => {
        await stop();
        return signpostProcess(...args);
      },
      server: async () =>
        (running ??= await startSignpost({ ...loadConfig({ NODE_ENV: 'test' }), port: 0, host: '127.0.0.1', databaseUrl: null, dataDir: dir, seedDemo: false, trustedDocumentFiles: [SPEC_DOCUMENTS] }, createLogger('silent'))),
    };
  }

  /** A person made with `signpost user create`, signed in over HTTP. */
  async function signIn(url: string, email: string): Promise<TestClient> {
    const client = new TestClient(url);
    expect((await client.login(email, PASSWORD)).status).toBe(200);
    return client;
  }

  // Each command opens the database as the real one does: on the embedded database that is a PGlite start each time.
  const SLOW = { timeout: 240_000 };

  it('creates a client whose printed token works with its scopes, lists it without the token, and revokes it', SLOW, async () => {
    const { cli, server } = await setup();
    const created = await cli('service-client', 'create', '--name', 'Student Union portal', '--scope', 'groups:read', '--scope', 'groups:report');
    expect(created).toContain('Created service client Student Union portal');
    expect(created).not.toMatch(/approve/i);
    const token = tokenIn(created);

    let env = await server();
    const service = new ServiceTokenClient(env.url, token);
    expect((await service.ok(CliMeDocument)).me.permissions).toEqual(['GROUP_READ', 'GROUP_REPORT']);
    expect((await service.fails('FORBIDDEN', CliReferralsCountDocument)).extensions.permission).toBe('referral.read');

    const listed = await cli('service-client', 'list');
    expect(listed).toMatch(/^Student Union portal\tsp_\S{7}…\tgroups:read,groups:report\tcreated \S+\tlast used \S+\tactive$/m);
    expect(listed).not.toContain(token);

    expect(await cli('service-client', 'revoke', '--name', 'Student Union portal')).toContain('Revoked Student Union portal');

    env = await server();
    const res = await fetch(`${env.url}/graphql`, {
      method: 'POST',
      headers: new ServiceTokenClient(env.url, token).headers(),
      body: JSON.stringify({ query: print(CliMeDocument) }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: ContractError<'UNAUTHENTICATED'>[] }).errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_TOKEN' });
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

  it('lists a referral client made on the command line as awaiting approval; its token works once an administrator approves it', SLOW, async () => {
    expect(existsSync(CLI), 'run the build first (npm test does)').toBe(true);
    const { cli, run, server } = await setup();
    for (const [email, role] of [['kim.admin@uni.test', 'ADMIN'], ['pat.dpo@uni.test', 'DATA_PROTECTION']] as const) {
      const made = await run('user', 'create', '--email', email, '--name', email, '--role', role, '--password', PASSWORD);
      expect(made, made.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`Created ${email} with roles ${role}.`) });
    }
    const created = await cli('service-client', 'create', '--name', 'HR case system', '--scope', 'referrals:read:HR');
    expect(created).toMatch(/works only once an administrator approves it/);
    const token = tokenIn(created);
    expect((await cli('service-client', 'list')).split('\n')).toContainEqual(expect.stringMatching(/^HR case system\tsp_\S{7}…\treferrals:read:HR\tcreated \S+\tlast used -\tawaiting approval$/));

    let env = await server();
    const early = await fetch(`${env.url}/graphql`, { method: 'POST', headers: new ServiceTokenClient(env.url, token).headers(), body: JSON.stringify({ query: print(CliMeDocument) }) });
    expect(early.status).toBe(401);
    expect(((await early.json()) as { errors: ContractError<'UNAUTHENTICATED'>[] }).errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'AWAITING_APPROVAL' });

    // Nobody made it in Signpost, so any administrator may be the second person.
    const kim = await signIn(env.url, 'kim.admin@uni.test');
    const client = (await kim.ok(CliServiceClientsDocument)).serviceClients.find((c) => c.name === 'HR case system')!;
    expect(client).toMatchObject({ approvalRequired: true, active: false, createdBy: null, approvedBy: null });
    const { approveServiceClient } = await kim.ok(CliApproveDocument, { input: { id: client.id } });
    expect(approveServiceClient).toMatchObject({ id: client.id, active: true, createdBy: null, approvedBy: { email: 'kim.admin@uni.test' } });
    expect(approveServiceClient.approvedAt).not.toBeNull();
    const service = new ServiceTokenClient(env.url, token);
    expect((await service.ok(CliMeDocument)).me.permissions).toEqual(['REFERRAL_READ']);
    expect((await service.ok(CliReferralsCountDocument)).referrals.totalCount).toBe(0);
    const { auditEvents } = await (await signIn(env.url, 'pat.dpo@uni.test')).ok(CliAuditOfDocument, { id: client.id });
    expect(auditEvents.edges.map((e) => ({ action: e.node.action, by: e.node.actor?.email ?? e.node.actorLabel }))).toEqual(expect.arrayContaining([
      { action: 'serviceClient.create', by: 'system' },
      { action: 'serviceClient.approve', by: 'kim.admin@uni.test' },
    ]));

    expect((await cli('service-client', 'list')).split('\n')).toContainEqual(expect.stringMatching(/^HR case system\t.*\tactive$/));
    env = await server();
    expect((await new ServiceTokenClient(env.url, token).ok(CliMeDocument)).me.permissions).toEqual(['REFERRAL_READ']);
  });

  it('refuses ADMIN together with a receiving team or DATA_PROTECTION on one account, in user create and user roles', SLOW, async () => {
    expect(existsSync(CLI), 'run the build first (npm test does)').toBe(true);
    const { run, server } = await setup();
    for (const other of ['HR', 'DATA_PROTECTION'] as const) {
      const both = await run('user', 'create', '--email', `admin.${other.toLowerCase()}@uni.test`, '--role', 'ADMIN', '--role', other, '--password', PASSWORD);
      expect(both.code, both.stdout).toBe(1);
      expect(both.stderr).toMatch(new RegExp(`ADMIN cannot be held together with ${other} on one account`));
      expect(both.stdout).not.toMatch(/Created/);
    }
    const kim = await run('user', 'create', '--email', 'kim.admin@uni.test', '--role', 'ADMIN', '--password', PASSWORD);
    expect(kim, kim.stderr).toMatchObject({ code: 0 });
    const clash = await run('user', 'roles', '--email', 'kim.admin@uni.test', '--role', 'ADMIN', '--role', 'LEGAL');
    expect(clash.code, clash.stdout).toBe(1);
    expect(clash.stderr).toMatch(/ADMIN cannot be held together with LEGAL on one account/);
    const fine = await run('user', 'roles', '--email', 'kim.admin@uni.test', '--role', 'ADMIN', '--role', 'SOCIAL_MEDIA_OFFICER');
    expect(fine).toMatchObject({ code: 0, stdout: expect.stringContaining('kim.admin@uni.test now has roles ADMIN, SOCIAL_MEDIA_OFFICER.') });

    const listed = await run('user', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')).toContain('kim.admin@uni.test\tADMIN,SOCIAL_MEDIA_OFFICER');
    expect(listed.stdout).not.toMatch(/admin\.(hr|data_protection)@/);
    const env = await server();
    expect((await (await signIn(env.url, 'kim.admin@uni.test')).ok(CliMeDocument)).me.roles).toEqual(['ADMIN', 'SOCIAL_MEDIA_OFFICER']);
  });
});
