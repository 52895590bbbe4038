import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig, type AppConfig } from '../config.js';
import { IN_MEMORY } from '../database/open-database.js';
import { startSignpost, type RunningSignpost } from '../server.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../seed/demo-users.js';
import { seedDemoAccounts } from '../seed/demo-seed.js';
import { createLogger } from '../common/logger.js';
import { TestClient } from './test-client.js';
import { auditTrailProblems } from './audit-registry.js';
import { ServiceTokenClient } from './service-token-client.js';
import { TestEnvApproveServiceClientDocument, TestEnvCreateServiceClientDocument } from './generated/graphql.js';

/**
 * The specs' own `.graphql` documents, written by `npm run codegen`
 * (codegen.ts): registered as trusted documents in every test server, as the
 * portal's are in the real one, so the specs' client sends them by id.
 */
export const SPEC_DOCUMENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generated', 'persisted-documents.json');

export type DatabaseKind = 'pglite' | 'postgres';

/** PostgreSQL the tests create their own databases in; never the shared `test` database. */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let postgresReachable: Promise<boolean> | undefined;

/** PGlite always; PostgreSQL too when it answers, and always in CI (where its absence fails the run). */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  })();
  if (await postgresReachable) return ['pglite', 'postgres'];
  if (process.env.CI === 'true') throw new Error(`CI=true but PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}`);
  console.warn(`PostgreSQL not reachable at ${POSTGRES_ADMIN_URL}: running on PGlite only`);
  return ['pglite'];
}

export interface TestEnvironment {
  kind: DatabaseKind;
  server: RunningSignpost;
  url: string;
  /** A client signed in as the demo account for this role-name (officer, lead, discipline, hr, legal, dpo, admin). */
  as(who: DemoAccount): Promise<TestClient>;
  anonymous(): TestClient;
  /** A client calling with a real bearer token of a service client holding these scopes (made by the demo admin; approved by the second admin when its scopes read referrals). */
  asService(scopes: string[]): Promise<ServiceTokenClient>;
  /** Stops the server and drops the database; fails when the trail holds an action the policy's registry does not list (testing/audit-registry.ts). */
  close(): Promise<void>;
}

export type DemoAccount = 'officer' | 'lead' | 'discipline' | 'hr' | 'legal' | 'dpo' | 'admin' | 'admin2';

/**
 * Starts a real Signpost over real HTTP on a fresh database: an in-memory
 * PGlite, or a new PostgreSQL database dropped afterwards. Demo accounts are
 * seeded; demo data only when `demoData` is set.
 */
export async function createTestEnvironment(kind: DatabaseKind, options: { demoData?: boolean; config?: Partial<AppConfig> } = {}): Promise<TestEnvironment> {
  let databaseUrl: string | null = null;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    const name = `signpost_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  if (!existsSync(SPEC_DOCUMENTS)) throw new Error(`${SPEC_DOCUMENTS} is missing: run npm run codegen (npm test does)`);
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test' }),
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: IN_MEMORY,
    seedDemo: options.demoData ?? false,
    trustedDocumentFiles: [SPEC_DOCUMENTS],
    ...options.config,
  };
  const server = await startSignpost(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  if (!config.seedDemo) await server.dataSource.transaction((manager) => seedDemoAccounts(manager));
  const clients = new Map<DemoAccount, TestClient>();
  const services = new Map<string, ServiceTokenClient>();
  const env: TestEnvironment = {
    kind,
    server,
    url: server.url,
    async as(who) {
      let client = clients.get(who);
      if (!client) {
        const account = DEMO_USERS.find((u) => u.email.startsWith(`${who}@`));
        if (!account) throw new Error(`No demo account ${who}`);
        client = new TestClient(server.url);
        await client.login(account.email, DEMO_PASSWORD);
        clients.set(who, client);
      }
      return client;
    },
    anonymous: () => new TestClient(server.url),
    async asService(scopes) {
      const key = [...scopes].sort().join(' ');
      let client = services.get(key);
      if (!client) {
        const admin = await env.as('admin');
        const { createServiceClient } = await admin.ok(TestEnvCreateServiceClientDocument, {
          input: { name: `test-service-${services.size + 1}`, scopes },
        });
        if (createServiceClient.client.approvalRequired) {
          await (await env.as('admin2')).ok(TestEnvApproveServiceClientDocument, { input: { id: createServiceClient.client.id } });
        }
        client = new ServiceTokenClient(server.url, createServiceClient.token);
        services.set(key, client);
      }
      return client;
    },
    async close() {
      // What the API wrote must all be in the policy's registry of audit actions.
      const problems = server.dataSource.isInitialized ? await auditTrailProblems(server.dataSource) : [];
      await server.close();
      await dropDatabase?.();
      if (problems.length > 0) throw new Error(`The audit trail holds what the policy's registry does not allow:\n${problems.join('\n')}`);
    },
  };
  return env;
}
