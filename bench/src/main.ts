import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { FULL_SIZE, PASSWORD, SMOKE_SIZE, USERS, generate, markerMatches, timelineGroupIndexes, type Size } from './generate.js';
import { drive, type Measured } from './drive.js';
import { API_MAIN, REPO, SERVER_NODE_FLAGS, auditCheckDone, freePort, stopAll, queriesTotal, rssMb, sampleRss, signIn, startNode, startProduct, type Child } from './processes.js';
import { startCountingProxy } from './wire-count.js';
import { evaluateChecks, writeResults, printTable, type Point, type Embedded } from './report.js';

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    'no-embedded': { type: 'boolean', default: false },
    'server-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432' },
  },
});

const SMOKE = opts.smoke!;
const SIZE: Size = SMOKE ? SMOKE_SIZE : FULL_SIZE;
// The smoke database carries the process id, so smoke runs in two worktrees at once do not drop each other's.
const DB_NAME = SMOKE ? `signpost_bench_smoke_${process.pid}` : 'signpost_bench';
const SERVER = opts['server-url']!.replace(/\/+$/, '');
const DB_URL = `${SERVER}/${DB_NAME}`;
const DURATION = Number(opts.duration ?? (SMOKE ? 1 : 10));
const WARMUP = Number(opts.warmup ?? (SMOKE ? 0.3 : 2));
/** The product's pool (apps/api) has 10 connections; the baseline's pg.Pool gets the same. */
const POOL_SIZE = 10;

const log = (s: string) => console.log(s);
const persisted: Record<string, string> = JSON.parse(readFileSync(path.join(REPO, 'apps/portal/dist/persisted-documents.json'), 'utf8'));

/** The portal's registered document for an operation: its id (what a person's session may run). */
function documentIdOf(operationName: string): string {
  const re = new RegExp(`^(query|mutation) ${operationName}\\b`);
  const hit = Object.entries(persisted).find(([, doc]) => re.test(doc));
  if (!hit) throw new Error(`The portal build registers no operation ${operationName} (apps/portal/dist/persisted-documents.json): build the portal`);
  return hit[0];
}

const bodyOf = (operationName: string, variables: unknown) => JSON.stringify({ documentId: documentIdOf(operationName), operationName, variables });

interface Scenario {
  name: 'inbox' | 'register' | 'group-page' | 'write' | 'inbox-last-page';
  /** Who runs it: the product's session and the baseline's scope. */
  as: 'hr' | 'officer';
  operationName: string;
  connections: number[];
  body: () => string;
  /** How the product's answer is compared with the baseline's. */
  compare: 'equal' | 'shape';
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** A database holding the register: reused when its marker names this generator and size, else made again. */
async function prepareDatabase(): Promise<void> {
  const exists = await withClient(`${SERVER}/postgres`, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount === 1);
  if (exists && !SMOKE && !opts.regenerate && (await withClient(DB_URL, (c) => markerMatches(c, SIZE)))) {
    log(`Database ${DB_NAME}: kept from an earlier run (same generator version and size; --regenerate makes it again).`);
    return;
  }
  await withClient(`${SERVER}/postgres`, async (c) => {
    if (exists) await c.query(`DROP DATABASE ${DB_NAME} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DB_NAME}`);
  });
  log(`Database ${DB_NAME}: migrating (the product migrates an empty database at start)…`);
  const product = await startProduct(DB_URL);
  await product.stop();
  log(`Generating ${SIZE.groups} groups, ${SIZE.contacts} contact log entries, ${SIZE.referrals} referrals…`);
  const g = await withClient(DB_URL, (c) => generate(c, SIZE, log));
  log(`Generated in ${g.seconds.toFixed(1)} s (dates relative to ${g.base}).`);
}

/** Sorted keys, recursively: the shape of a value without its data. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

function withoutPolicySteps(v: any): any {
  const copy = structuredClone(v);
  if (copy?.data?.logContact?.group) delete copy.data.logContact.group.policySteps;
  return copy;
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below
  }
  return { status: res.status, json, text };
}

const failures: string[] = [];
const fail = (s: string) => {
  failures.push(s);
  console.error(`!!! ${s}`);
};

async function embeddedStarts(): Promise<Embedded> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signpost-bench-embedded-'));
  const env = { DATABASE_URL: undefined, NODE_ENV: undefined, SIGNPOST_DATA_DIR: dir, LOG_LEVEL: 'warn', SIGNPOST_SEED_DEMO: undefined };
  const start = async () => {
    const port = await freePort();
    const t = performance.now();
    const child = await startNode(API_MAIN, [], { ...env, PORT: String(port), HOST: '127.0.0.1' }, { port, readyPath: '/readyz', timeoutMs: 180_000, nodeFlags: SERVER_NODE_FLAGS });
    return { child, seconds: (performance.now() - t) / 1000 };
  };
  const idle = () => new Promise((r) => setTimeout(r, SMOKE ? 1500 : 3000));
  try {
    const cold = await start();
    await idle();
    const coldIdleRssMb = rssMb(cold.child.pid) ?? 0;
    await cold.child.stop();
    const warm = await start();
    await idle();
    const idleRssMb = rssMb(warm.child.pid) ?? 0;
    await warm.child.stop();
    return { coldStartS: cold.seconds, warmStartS: warm.seconds, idleRssMb, coldIdleRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const startedAt = new Date();
  log(`Signpost benchmark (${SMOKE ? 'smoke' : 'full'}): ${DURATION} s per point after ${WARMUP} s warm-up; product and baseline pools of ${POOL_SIZE} connections each; PostgreSQL at ${SERVER}.`);
  log(`Machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews the figures).`);
  await prepareDatabase();

  const timelineIds = await withClient(DB_URL, async (c) =>
    (await c.query<{ id: string }>(`SELECT bench.uid('group', i)::text AS id FROM unnest($1::int[]) i`, [timelineGroupIndexes(SIZE)])).rows.map((r) => r.id),
  );
  // Groups the write scenario logs contacts with: open, not referred, not the timeline groups; each request another one.
  const writeGroups = await withClient(DB_URL, async (c) =>
    (
      await c.query<{ id: string; admin: string }>(
        `SELECT g.id, (SELECT a.id FROM administrators a WHERE a.group_id = g.id ORDER BY a.id LIMIT 1) AS admin
           FROM groups g WHERE g.status NOT IN ('CLOSED', 'REFERRED', 'ESCALATED') AND g.id <> ALL($1::uuid[]) ORDER BY g.id LIMIT 50000`,
        [timelineIds],
      )
    ).rows,
  );

  const product = await startProduct(DB_URL);
  const baselinePort = await freePort();
  const baseline = await startNode(path.join(REPO, 'bench/dist/baseline.js'), [], { PORT: String(baselinePort), DATABASE_URL: DB_URL, POOL_SIZE: String(POOL_SIZE) }, { port: baselinePort, readyPath: '/readyz' }).catch(
    async (err: unknown) => {
      await product.stop();
      throw err;
    },
  );
  const children: Child[] = [product, baseline];
  const points: Point[] = [];
  let extra: Record<string, unknown> = {};
  try {
    const chain = await auditCheckDone(product.url);
    log(`The product verified its audit chain at start (${chain.events ?? '?'} events, intact ${chain.intact}) in ${chain.seconds.toFixed(1)} s after ready; measuring starts after it.`);
    if (chain.intact === 0) fail('the product found the audit chain broken');
    const cookies = {
      hr: await signIn(product.url, USERS.find((u) => u.key === 'hr')!.email, PASSWORD),
      officer: await signIn(product.url, USERS.find((u) => u.key === 'officer')!.email, PASSWORD),
    };
    const productHeaders = (as: 'hr' | 'officer') => ({ cookie: cookies[as] });
    const baselineHeaders = (as: 'hr' | 'officer') => ({ 'x-bench-scope': as === 'hr' ? 'teams:HR' : 'all' });

    const inboxVars = (first: number, after: string | null) => ({ first, after, filter: { status: ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS'] } });
    // The inbox's last page: follow endCursor to the end once (on the product), then benchmark that `after`.
    let lastAfter: string | null = null;
    let pages = 0;
    let lastPageRows = 0;
    for (let after: string | null = null; ; ) {
      const r = await post(product.url, productHeaders('hr'), bodyOf('Inbox', inboxVars(50, after)));
      const conn = r.json?.data?.referrals;
      if (r.status !== 200 || !conn) throw new Error(`Inbox page ${pages + 1} answered ${r.status}: ${r.text.slice(0, 500)}`);
      pages++;
      if (!conn.pageInfo.hasNextPage) {
        lastAfter = after;
        lastPageRows = conn.edges.length;
        break;
      }
      after = conn.pageInfo.endCursor;
    }
    log(`HR's inbox: ${pages} pages of 50; the last page (${lastPageRows} referrals) is benchmarked from its cursor.`);

    // SQL statements per request of the inbox for first: 1 and first: 100 (a few requests each, one at a time).
    const sqlPer = async (first: number) => {
      const before = await queriesTotal(product.url);
      const n = 20;
      for (let i = 0; i < n; i++) await post(product.url, productHeaders('hr'), bodyOf('Inbox', inboxVars(first, null)));
      const after = await queriesTotal(product.url);
      return before === null || after === null ? null : (after - before) / n;
    };
    extra = { inboxSqlFirst1: await sqlPer(1), inboxSqlFirst100: await sqlPer(100), inboxPages: pages, lastPageRows, auditEventsAtStart: chain.events, auditCheckS: chain.seconds };

    let writeNext = 0;
    const writeBody = () => {
      const g = writeGroups[writeNext++ % writeGroups.length]!;
      return bodyOf('LogContact', {
        input: {
          groupId: g.id, administratorId: g.admin, occurredAt: new Date(Date.now() - 60_000).toISOString(), channel: 'PLATFORM_MESSAGE',
          direction: 'OUTBOUND', summary: 'Followed up on the earlier message about signposting.', steps: ['INTRODUCED'], outcome: 'NO_RESPONSE',
        },
      });
    };
    const low = [1, 4];
    const only = opts.only ? opts.only.split(',') : null;
    const scenarios: Scenario[] = [
      { name: 'inbox', as: 'hr', operationName: 'Inbox', connections: SMOKE ? low : [1, 4, 32], compare: 'equal', body: () => bodyOf('Inbox', inboxVars(50, null)) },
      {
        name: 'register', as: 'officer', operationName: 'Register', connections: SMOKE ? low : [1, 4, 32], compare: 'equal',
        body: () => bodyOf('Register', {
          first: 25, after: null, sort: { field: 'NEXT_REVIEW_DUE', direction: 'ASC' },
          filter: { status: ['CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'], riskLevel: ['HIGH', 'CRITICAL'], search: 'confess' },
        }),
      },
      { name: 'group-page', as: 'officer', operationName: 'GroupTimeline', connections: SMOKE ? low : [1, 4, 32], compare: 'equal', body: () => bodyOf('GroupTimeline', { id: timelineIds[0], first: 50 }) },
      { name: 'write', as: 'officer', operationName: 'LogContact', connections: SMOKE ? low : [1, 8, 32], compare: 'shape', body: writeBody },
      { name: 'inbox-last-page', as: 'hr', operationName: 'Inbox', connections: SMOKE ? low : [1, 4, 32], compare: 'equal', body: () => bodyOf('Inbox', inboxVars(50, lastAfter)) },
    ];
    for (const s of scenarios) {
      if (only && !only.includes(s.name)) continue;
      // The same question to both, once: the answers must agree.
      const body = s.body();
      const p = await post(product.url, productHeaders(s.as), body);
      const b = await post(baseline.url, baselineHeaders(s.as), s.compare === 'shape' ? s.body() : body);
      if (p.status !== 200 || p.json?.errors) fail(`${s.name}: the product answered ${p.status} ${p.text.slice(0, 500)}`);
      if (b.status !== 200 || b.json?.errors) fail(`${s.name}: the baseline answered ${b.status} ${b.text.slice(0, 500)}`);
      const same = s.compare === 'equal' ? isDeepStrictEqual(p.json, b.json) : isDeepStrictEqual(shapeOf(withoutPolicySteps(p.json)), shapeOf(b.json));
      if (!same) {
        fail(`${s.name}: the product's and the baseline's answers differ`);
        console.error(`  product:  ${p.text.slice(0, 1500)}\n  baseline: ${b.text.slice(0, 1500)}`);
      } else {
        const bytes = s.compare === 'equal' && p.text === b.text ? ', byte for byte' : '';
        log(`${s.name}: product and baseline answer the same JSON (${s.compare === 'equal' ? `deep-equal${bytes}` : 'same fields but policySteps; the values differ (new rows)'}).`);
      }
      for (const connections of s.connections) {
        const run = async (url: string, headers: Record<string, string>) => {
          if (WARMUP > 0) await drive({ url, connections, duration: WARMUP, headers, body: s.body });
          return drive({ url, connections, duration: DURATION, headers, body: s.body });
        };
        const base = await run(baseline.url, baselineHeaders(s.as));
        // The product: queries counted around the measured part only (after its warm-up).
        if (WARMUP > 0) await drive({ url: product.url, connections, duration: WARMUP, headers: productHeaders(s.as), body: s.body });
        // Requests still in flight when a run's time is up finish on the server: read the counter once it is still.
        const settledQueries = async () => {
          let q = await queriesTotal(product.url);
          for (let settled = 0; settled < 20; settled++) {
            await new Promise((r) => setTimeout(r, 100));
            const again = await queriesTotal(product.url);
            if (again === q) break;
            q = again;
          }
          return q;
        };
        const q0 = await settledQueries();
        const rss = sampleRss(product.pid);
        const prod = await drive({ url: product.url, connections, duration: DURATION, headers: productHeaders(s.as), body: s.body });
        const maxRss = rss.stop();
        const q1 = await settledQueries();
        const point: Point = {
          name: s.name,
          connections,
          rps: prod.rps,
          p50: prod.p50,
          p99: prod.p99,
          baselineRps: base.rps,
          baselineP99: base.p99,
          ratio: base.rps > 0 ? prod.rps / base.rps : 0,
          sqlPerRequest: q0 === null || q1 === null || prod.sent === 0 ? null : (q1 - q0) / prod.sent,
          rssMb: maxRss,
          baselineP50: base.p50,
          requests: prod.requests,
          non2xx: prod.non2xx,
          graphqlErrors: prod.graphqlErrors,
          socketErrors: prod.socketErrors,
          baselineBad: base.non2xx + base.graphqlErrors + base.socketErrors,
          load1: loadavg()[0]!,
        };
        points.push(point);
        const bad = (m: Measured, who: string) => {
          if (m.non2xx || m.graphqlErrors || m.socketErrors) {
            fail(`${s.name} @${connections}: ${who} had ${m.non2xx} non-2xx, ${m.graphqlErrors} GraphQL errors, ${m.socketErrors} socket errors/timeouts; first: ${m.firstBad}`);
          }
          if (m.requests === 0) fail(`${s.name} @${connections}: ${who} completed no request`);
        };
        bad(prod, 'the product');
        bad(base, 'the baseline');
        log(
          `  ${s.name.padEnd(16)} c=${String(connections).padStart(2)}  product ${prod.rps.toFixed(1).padStart(7)} req/s p50 ${String(prod.p50).padStart(4)} ms p99 ${String(prod.p99).padStart(4)} ms | ` +
            `baseline ${base.rps.toFixed(1).padStart(7)} req/s p99 ${String(base.p99).padStart(4)} ms | ratio ${point.ratio.toFixed(2)} | sql/req ${point.sqlPerRequest === null ? 'null' : point.sqlPerRequest.toFixed(2)} | rss ${maxRss.toFixed(0)} MB`,
        );
      }
    }

    // SQL round trips per request counted on the wire: a second instance of the product, its database connections
    // through a counting proxy, each scenario's request a few times one after another (not under load).
    const upstream = new URL(SERVER);
    const proxy = await startCountingProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const proxied = new URL(DB_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const counted = await startProduct(proxied.toString());
    children.push(counted);
    try {
      await auditCheckDone(counted.url);
      const perRequest = async (as: 'hr' | 'officer', body: () => string) => {
        for (let i = 0; i < 3; i++) await post(counted.url, productHeaders(as), body());
        const n = SMOKE ? 5 : 20;
        const before = proxy.roundTrips();
        for (let i = 0; i < n; i++) {
          const r = await post(counted.url, productHeaders(as), body());
          if (r.status !== 200 || r.json?.errors) fail(`counting SQL: the product answered ${r.status} ${r.text.slice(0, 300)}`);
        }
        return (proxy.roundTrips() - before) / n;
      };
      const wire: Record<string, number> = {};
      for (const s of scenarios) if (!only || only.includes(s.name)) wire[s.name] = await perRequest(s.as, s.body);
      wire['inbox first: 1'] = await perRequest('hr', () => bodyOf('Inbox', inboxVars(1, null)));
      wire['inbox first: 100'] = await perRequest('hr', () => bodyOf('Inbox', inboxVars(100, null)));
      extra.wireSqlPerRequest = wire;
      log(`SQL round trips per request on the wire (a second product instance behind a counting proxy, one request at a time): ${Object.entries(wire).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    } finally {
      await counted.stop();
      await proxy.close();
    }
  } finally {
    for (const c of children) await c.stop();
  }

  let embedded: Embedded | null = null;
  if (!opts['no-embedded']) {
    log('Embedded database (PGlite): cold start (new data folder: migrate + demo seed), then warm start…');
    embedded = await embeddedStarts();
    log(`  cold ${embedded.coldStartS.toFixed(2)} s (idle RSS after it ${embedded.coldIdleRssMb.toFixed(0)} MB), warm ${embedded.warmStartS.toFixed(2)} s, idle RSS ${embedded.idleRssMb.toFixed(0)} MB`);
  }

  const checks = evaluateChecks(points, embedded, extra);
  printTable(points, POOL_SIZE, (extra.wireSqlPerRequest ?? {}) as Record<string, number>);
  log('\nMust hold (ratios from this run):');
  for (const c of checks) log(`  ${c.status.padEnd(4)} ${c.name}: ${c.detail}`);
  const files = writeResults({ cores: cpus().length, loadAtEnd: loadavg(), startedAt, smoke: SMOKE, duration: DURATION, warmup: WARMUP, poolSize: POOL_SIZE, size: SIZE, points, embedded, checks, extra, failures });
  log(`\nWrote ${files.join(', ')}`);

  if (SMOKE) {
    // The smoke asserts the instrument works: every answer 2xx without GraphQL errors, product and baseline agree, latest.json has the schema.
    const latest = JSON.parse(readFileSync(path.join(REPO, 'bench/results/latest.json'), 'utf8'));
    const keys = ['name', 'connections', 'rps', 'p50', 'p99', 'baselineRps', 'baselineP99', 'ratio', 'sqlPerRequest', 'rssMb'];
    const schemaOk =
      isDeepStrictEqual(Object.keys(latest).sort(), ['embedded', 'scenarios']) &&
      Array.isArray(latest.scenarios) &&
      (opts.only !== undefined || ['inbox', 'register', 'group-page', 'write', 'inbox-last-page'].every((n) => latest.scenarios.some((s: any) => s.name === n))) &&
      latest.scenarios.every((s: any) => isDeepStrictEqual(Object.keys(s).sort(), [...keys].sort()) && typeof s.rps === 'number' && s.rps > 0) &&
      isDeepStrictEqual(Object.keys(latest.embedded ?? {}).sort(), ['coldStartS', 'idleRssMb', 'warmStartS']);
    if (!schemaOk) fail('bench/results/latest.json does not have the schema');
  }
  if (failures.length > 0) {
    await dropSmokeDatabase();
    console.error(`\n${failures.length} problem(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  if (opts.check && checks.some((c) => c.status === 'FAIL')) {
    await dropSmokeDatabase();
    process.exit(1);
  }
  log(SMOKE ? '\nSmoke: every request answered 2xx without GraphQL errors; product and baseline agree; latest.json has the schema.' : '');
}

const dropSmokeDatabase = () => (SMOKE ? withClient(`${SERVER}/postgres`, (c) => c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`)).then(() => undefined, () => undefined) : Promise.resolve());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the product and the baseline${SMOKE ? ', dropping the smoke database' : ''}…`);
    void stopAll()
      .then(() => dropSmokeDatabase())
      .finally(() => process.exit(130));
  });
}

main().then(
  () => dropSmokeDatabase(),
  async (err) => {
    console.error(err);
    await dropSmokeDatabase();
    process.exit(1);
  },
);
