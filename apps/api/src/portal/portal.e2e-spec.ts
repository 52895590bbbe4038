import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnvironment, databaseKinds, type TestEnvironment } from '../testing/test-environment.js';
import { PORTAL_CONTENT_SECURITY_POLICY, portalRoutes } from './portal-routes.js';

const MARKER = 'signpost-portal-test-marker';
const SCRIPT = 'console.log("signpost portal test");\n';
// Serving the portal touches no database: the first kind is enough.
const [kind] = await databaseKinds();

const ROOT = mkdtempSync(path.join(tmpdir(), 'signpost-portal-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

/** A folder shaped like Vite's build: index.html, hashed files under assets/, a fixed-name file at the top. */
function fakeBuild(): string {
  const dir = path.join(ROOT, 'built', 'dist');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="app">${MARKER}</div></body></html>`);
  writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), SCRIPT);
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  // Beside the build, not in it: must never be served.
  writeFileSync(path.join(ROOT, 'built', 'secret.txt'), 'not for the web');
  return dir;
}

/**
 * A request sent as written: fetch would resolve `%2e%2e` before sending it,
 * and adds `Cache-Control: no-cache` to a conditional request (which rules out a 304).
 */
function rawGet(url: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject).end();
  });
}

function expectPortalHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('same-origin');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
}

describe(`the built portal on ${kind}`, () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment(kind!, { config: { portalDir: fakeBuild() } });
  });
  afterAll(() => env?.close());

  it.each(['/', '/groups/123', '/inbox?x=1', '/groups/0b6f3c1e-8a3d-4a8e-9d4f-2f1a5b6c7d8e/referrals', '/index.html'])('answers %s with index.html, revalidated, under the CSP', async (at) => {
    const res = await fetch(`${env.url}${at}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectPortalHeaders(res);
    expect(await res.text()).toContain(MARKER);
  });

  it('answers a deep link to a client that sends no Accept header, and to HEAD without a body', async () => {
    expect(await rawGet(env.url, '/groups/123')).toMatchObject({ status: 200, body: expect.stringContaining(MARKER) });
    const head = await fetch(`${env.url}/groups/123`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await head.text()).toBe('');
  });

  it('lets the browser revalidate index.html cheaply (ETag, 304)', async () => {
    const first = await fetch(`${env.url}/groups/123`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(await rawGet(env.url, '/', { 'if-none-match': etag! })).toEqual({ status: 304, body: '' });
  });

  it('answers a hashed file under /assets/ as JavaScript, cached for a year as immutable', async () => {
    const res = await fetch(`${env.url}/assets/app-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(SCRIPT);
  });

  it('revalidates a file with a fixed name outside /assets/', async () => {
    const res = await fetch(`${env.url}/favicon.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectPortalHeaders(res);
  });

  it.each([
    ['a missing file under /assets/', '/assets/missing.js'],
    ['a path under /assets/ without an extension', '/assets/missing'],
    ['the /assets folder itself', '/assets'],
    ['a missing file with an extension', '/robots.txt'],
    ['a dotfile', '/.env'],
  ])('answers 404, not the index, for %s', async (_case, at) => {
    const res = await fetch(`${env.url}${at}`, { headers: { accept: 'text/html,*/*' } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(MARKER);
  });

  it('answers 404 for a page to a client that does not accept HTML', async () => {
    const res = await fetch(`${env.url}/groups/123`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(MARKER);
  });

  it('never serves a file from outside its folder', async () => {
    for (const at of ['/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await rawGet(env.url, at);
      expect([at, res.status]).toEqual([at, 404]);
      expect(res.body).not.toContain('not for the web');
    }
  });

  it.each(['/auth/nope', '/auth/oidc/nope', '/AUTH/nope', '/healthz/x', '/readyz/x', '/metrics/x'])('leaves %s, a path of the API it does not have, to the API: 404, not the index', async (at) => {
    const res = await fetch(`${env.url}${at}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).not.toBe(PORTAL_CONTENT_SECURITY_POLICY);
    expect(await res.text()).not.toContain(MARKER);
  });

  it('leaves /auth answers no-store, 404s included', async () => {
    expect((await fetch(`${env.url}/auth/nope`)).headers.get('cache-control')).toBe('no-store');
  });

  // /graphql is mounted as a prefix (before the portal existed too), so Apollo answers /graphql/x itself: never the index.
  it('leaves GET /graphql/x to GraphQL as before: an API refusal, no-store, not the index', async () => {
    const res = await fetch(`${env.url}/graphql/x`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).not.toBe(PORTAL_CONTENT_SECURITY_POLICY);
    expect(await res.text()).not.toContain(MARKER);
  });

  it('still answers GraphQL at POST /graphql', async () => {
    const res = await fetch(`${env.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('still answers /healthz, /readyz and /metrics as before', async () => {
    const health = await fetch(`${env.url}/healthz`, { headers: { accept: 'text/html' } });
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${env.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await fetch(`${env.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toContain('signpost_audit_chain_intact');
  });

  it('does not answer other methods with the index', async () => {
    const res = await fetch(`${env.url}/groups/123`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(MARKER);
  });
});

describe(`a portal folder without index.html on ${kind}`, () => {
  let env: TestEnvironment;
  const dir = path.join(ROOT, 'not-built', 'dist');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    env = await createTestEnvironment(kind!, { config: { portalDir: dir } });
  });
  afterAll(() => env?.close());

  it('starts, and / answers 404 with a short page saying the portal is not built', async () => {
    for (const at of ['/', '/groups/123']) {
      const res = await fetch(`${env.url}${at}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expectPortalHeaders(res);
      const page = await res.text();
      expect(page).toContain('The portal is not built');
      expect(page).toContain('npm run build');
      expect(page).not.toContain('Cannot GET');
      // Nothing about the server's folders is shown to whoever asks.
      expect(page).not.toContain(dir);
    }
    expect(await (await fetch(`${env.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('serves the portal once it is built, without a restart', async () => {
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html><p>${MARKER}</p>`);
    try {
      const res = await fetch(`${env.url}/groups/123`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(MARKER);
    } finally {
      rmSync(path.join(dir, 'index.html'));
    }
  });
});

describe('the start-up log', () => {
  function linesFor(dir: string): { level: number; msg: string; portalDir?: string }[] {
    const lines: { level: number; msg: string }[] = [];
    portalRoutes(dir, pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }));
    return lines;
  }

  it('says once, at warn, that the portal is not built and how to build it', () => {
    const missing = path.join(ROOT, 'nowhere', 'dist');
    const lines = linesFor(missing);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, portalDir: missing });
    expect(lines[0]!.msg).toMatch(/^the portal is not built .*run `npm run build`/);
  });

  it('says nothing when it is built', () => {
    expect(linesFor(fakeBuild())).toEqual([]);
  });
});
