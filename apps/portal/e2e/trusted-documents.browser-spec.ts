import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { DEMO_PASSWORD, expectAccessible, newPage, screenshot, signIn, useSignpost } from './harness.js';

/** The manifest the portal's build wrote beside index.html, which the API registered at start. */
const MANIFEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/persisted-documents.json');

/** The id of the portal's registered operation with this name. */
function documentIdOf(manifest: Record<string, string>, operation: string): string {
  const found = Object.entries(manifest).filter(([, text]) => new RegExp(`\\b(query|mutation) ${operation}\\b`).test(text));
  expect(found.map(([id]) => id), `one registered operation named ${operation}`).toHaveLength(1);
  return found[0]![0];
}

async function cookieOf(url: string, email: string): Promise<string> {
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

async function graphql(url: string, cookie: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

interface Sent {
  body: any;
  /** The status and the error codes it was answered with. */
  answer: Promise<{ status: number; codes: string[] }>;
}

/** Every GraphQL request a page makes, as it was sent, and how it was answered. */
function recordGraphql(page: Page): Sent[] {
  const sent: Sent[] = [];
  page.on('request', (request: Request) => {
    if (new URL(request.url()).pathname !== '/graphql') return;
    const answer = request.response().then(async (response) => {
      const json = (await response?.json().catch(() => null)) as { errors?: { extensions?: { code?: string } }[] } | null;
      return { status: response?.status() ?? 0, codes: (json?.errors ?? []).map((e) => e.extensions?.code ?? '?') };
    });
    sent.push({ body: request.postDataJSON(), answer });
  });
  return sent;
}

/** Each request named a registered document by id alone, and none was refused for what it sent. */
async function expectRegisteredOnly(sent: Sent[], manifest: Record<string, string>): Promise<void> {
  expect(sent.length).toBeGreaterThan(0);
  for (const { body, answer } of sent) {
    const what = JSON.stringify(body);
    // The built portal sends the id alone: no text the server would have to trust.
    expect(typeof body.documentId, what).toBe('string');
    expect(body.query, what).toBeUndefined();
    expect(manifest[body.documentId], `${body.operationName} is registered`).toBeDefined();
    const { status, codes } = await answer;
    expect(codes.filter((c) => ['PERSISTED_DOCUMENT_NOT_FOUND', 'FORBIDDEN', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'].includes(c)), what).toEqual([]);
    expect(status, what).toBeLessThan(400);
  }
}

/**
 * With NODE_ENV=production the API runs, for a person's session, only the
 * documents the portal's build registered: the portal must still work, so
 * every operation its pages send is in the manifest, sent by id alone.
 */
describe('the portal with NODE_ENV=production: trusted documents only', () => {
  const app = useSignpost({ nodeEnv: 'production' });
  let manifest: Record<string, string>;

  beforeAll(async () => {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
  });

  it("refuses a session's own documents, so the checks below are production's", async () => {
    const cookie = await cookieOf(app.signpost.url, 'officer@signpost.test');
    const adHoc = await graphql(app.signpost.url, cookie, { query: '{ me { email } }' });
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', permission: null, reason: 'TRUSTED_DOCUMENTS_ONLY' });
    const registered = await graphql(app.signpost.url, cookie, { documentId: documentIdOf(manifest, 'Me'), operationName: 'Me' });
    expect([registered.status, registered.body.data.me.email]).toEqual([200, 'officer@signpost.test']);
  });

  it('signs an officer in and shows the register as the API has it, every request by a registered id and none refused', async () => {
    const cookie = await cookieOf(app.signpost.url, 'officer@signpost.test');
    const truth = await graphql(app.signpost.url, cookie, { documentId: documentIdOf(manifest, 'Register'), variables: { first: 25 } });
    expect(truth.body.errors).toBeUndefined();
    const { totalCount, edges } = truth.body.data.groups as { totalCount: number; edges: { node: { id: string; name: string } }[] };
    expect(totalCount).toBeGreaterThan(0);

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    const graphqlRequests = recordGraphql(page);
    await page.goto('/');
    await signIn(page, 'officer@signpost.test');
    // Home is the team's work for today; the register is one link away.
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs doing today');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Register' }).click();
    await page.waitForURL(/\/register$/);
    await expect.poll(() => page.getByText(/^\d+ groups?$/).textContent()).toBe(`${totalCount} groups`);
    const names = await page.locator('table.govuk-table tbody tr td:first-child').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(edges.map((e) => e.node.name));
    await expectAccessible(page);
    await screenshot(page, 'production-register');

    // A group's page too: its steps and next moves come from further registered operations.
    await page.getByRole('link', { name: edges[0]!.node.name, exact: true }).first().click();
    await page.waitForURL(`**/groups/${edges[0]!.node.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(edges[0]!.node.name);
    await expect.poll(() => page.locator('.govuk-task-list__item').count()).toBe(7);

    expect(graphqlRequests.length).toBeGreaterThanOrEqual(3);
    await expectRegisteredOnly(graphqlRequests, manifest);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("proposes wording with the live check and shows the group's wording section, by registered ids only", async () => {
    const cookie = await cookieOf(app.signpost.url, 'officer@signpost.test');
    const truth = await graphql(app.signpost.url, cookie, { documentId: documentIdOf(manifest, 'Register'), variables: { first: 25 } });
    const { edges } = truth.body.data.groups as { edges: { node: { id: string; name: string } }[] };
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    const graphqlRequests = recordGraphql(page);
    await page.goto(`/groups/${edges[0]!.node.id}/wording/new`);
    await signIn(page, 'officer@signpost.test');
    await page.waitForURL(`**/groups/${edges[0]!.node.id}/wording/new`);
    const templates = page.getByLabel('Start from a template (optional)');
    await expect.poll(() => templates.locator('option').count()).toBeGreaterThan(1);
    await templates.selectOption({ index: 1 });
    await expect.poll(() => page.getByTestId('wording-check').locator('li').count()).toBe(4);
    expect(graphqlRequests.some((r) => r.body.operationName === 'CheckWording')).toBe(true);
    await page.getByRole('link', { name: /^Back to / }).click();
    await page.waitForURL(`**/groups/${edges[0]!.node.id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Signposting wording' }).count()).toBe(1);
    await expectRegisteredOnly(graphqlRequests, manifest);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows HR its inbox and a referral's page, by registered ids only", async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    const graphqlRequests = recordGraphql(page);
    await page.goto('/');
    await signIn(page, 'hr@signpost.test');
    await page.waitForURL(/\/inbox$/);
    await expect.poll(() => page.locator('table.govuk-table tbody tr').count()).toBeGreaterThan(0);
    await page.locator('table.govuk-table tbody tr td:first-child a').first().click();
    await page.waitForURL(/\/referrals\//);
    await expect.poll(() => page.locator('.govuk-tag').count()).toBeGreaterThan(0);
    await expectRegisteredOnly(graphqlRequests, manifest);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
