import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AUDIT_ACTION_LABELS, isAuditAction } from '@signpost/policy';
import {
  apiAs, DEMO_PASSWORD, expectAccessible, expectNoHorizontalScroll, newPage, screenshot, signIn, tabTo, useSignpost,
} from './harness.js';

const DPO = 'dpo@signpost.test';
const ADMIN = 'admin@signpost.test';
const ADMIN2 = 'admin2@signpost.test';
const TRAIL = `query($first: Int!, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { seq action actorLabel summary details } } }
}`;

const summaryLinks = (page: Page) => page.locator('.govuk-error-summary li').allTextContents().then((ts) => ts.map((t) => t.trim()));
const errorOf = (page: Page, field: string) => page.locator(`#${field}-error`).textContent().then((t) => t?.replace(/^\s*Error:\s*/, '').trim() ?? '');
const seqs = (page: Page) => page.locator('table.sp-audit-table tbody tr td:first-child').allTextContents().then((ts) => ts.map((t) => t.trim()));
const banner = (page: Page) => page.locator('.govuk-notification-banner--success').textContent();

/**
 * Until the newest events have their place in the chain: the sealer chains an event moments after its
 * commit (the page shows "Not chained yet" meanwhile), so a comparison of seqs waits for it.
 */
const untilSealed = (api: (q: string, v?: Record<string, unknown>) => Promise<any>) =>
  expect
    .poll(async () => (await api(TRAIL, { first: 10 })).auditEvents.edges.every((e: any) => e.node.seq !== null), { timeout: 10_000 })
    .toBe(true);

/** A day as the URL keeps it, and as the date boxes take it. */
function day(offset: number) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  return { iso, parts: { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) }, midnight };
}
async function fillDate(page: Page, name: string, parts: { day: string; month: string; year: string }) {
  await page.locator(`#${name}-day`).fill(parts.day);
  await page.locator(`#${name}-month`).fill(parts.month);
  await page.locator(`#${name}-year`).fill(parts.year);
}

/** GraphQL as another service calls it: with a bearer token. */
async function asService(url: string, token: string, query: string) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json().catch(() => null)) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } | null };
}

const signsIn = async (url: string, email: string, password = DEMO_PASSWORD) =>
  (await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).status;

describe("the data protection officer's audit trail and the administrators' pages", () => {
  const app = useSignpost();

  it('shows the DPO the newest events as the API has them, the chain intact, and pages by cursor', async () => {
    const api = await apiAs(app.signpost.url, DPO);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    page.setDefaultTimeout(15_000);
    await page.goto('/audit');
    await signIn(page, DPO);
    await page.waitForURL((u) => u.pathname === '/audit');
    await expect.poll(() => page.title()).toBe('Audit trail – Signpost');
    await untilSealed(api);
    await page.reload();
    await expect.poll(async () => (await seqs(page)).length).toBeGreaterThan(0);

    const first = await api(TRAIL, { first: 25 });
    expect(first.auditEvents.totalCount).toBeGreaterThan(25);
    expect(await seqs(page)).toEqual(first.auditEvents.edges.map((e: any) => e.node.seq));
    // Newest first: seq only goes down.
    const numbers = (await seqs(page)).map(BigInt);
    expect(numbers.every((n, i) => i === 0 || n < numbers[i - 1]!)).toBe(true);
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toContain(`${first.auditEvents.totalCount.toLocaleString('en-GB')} events, newest first; page 1.`);
    const top = first.auditEvents.edges[0].node;
    const row = page.locator('table.sp-audit-table tbody tr').first();
    expect(await row.textContent()).toContain(top.actorLabel);
    // The action in the policy's words, not its name.
    expect(isAuditAction(top.action)).toBe(true);
    expect(await row.textContent()).toContain(AUDIT_ACTION_LABELS[top.action as keyof typeof AUDIT_ACTION_LABELS]);
    expect(await row.locator('td').nth(3).textContent()).not.toContain(top.action);
    expect(await row.textContent()).toContain(top.summary);

    // Details are plain text key/values, never markup.
    const withDetails = first.auditEvents.edges.find((e: any) => Object.keys(e.node.details).length > 0)?.node;
    if (withDetails) {
      const cells = page.locator('table.sp-audit-table tbody tr', { has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${withDetails.seq}\\s*$`) }) }).locator('.sp-details');
      const [key] = Object.keys(withDetails.details);
      expect(await cells.locator('dt').first().textContent()).toBe(key);
    }

    // The chain's status, in words.
    const { auditChainStatus: chain } = await api(`{ auditChainStatus { ok events headSeq headHash } }`);
    expect(chain.ok).toBe(true);
    const panel = page.getByRole('region', { name: 'The hash chain' });
    await expect.poll(() => panel.locator('.govuk-tag').textContent()).toBe('Intact');
    expect(await panel.textContent()).toContain(`Every event is intact and in place: ${chain.events.toLocaleString('en-GB')} events checked.`);
    expect(await panel.textContent()).toContain(chain.headHash);
    await expectAccessible(page);
    await screenshot(page, 'audit-trail');

    // The next page is the API's next page; Previous comes back; both are links in the URL.
    await tabTo(page, page.getByRole('link', { name: 'Next page of events' }));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('after') === first.auditEvents.pageInfo.endCursor);
    const second = await api(TRAIL, { first: 25, after: first.auditEvents.pageInfo.endCursor });
    await expect.poll(() => seqs(page)).toEqual(second.auditEvents.edges.map((e: any) => e.node.seq));
    expect(await page.getByTestId('audit-count').textContent()).toContain('page 2.');
    if (second.auditEvents.pageInfo.hasNextPage) {
      await page.getByRole('link', { name: 'Next page of events' }).click();
      await page.waitForURL((u) => u.searchParams.get('after') === second.auditEvents.pageInfo.endCursor);
      await expect.poll(() => page.getByTestId('audit-count').textContent()).toContain('page 3.');
      await page.getByRole('link', { name: 'Previous page of events' }).click();
      await page.waitForURL((u) => u.searchParams.get('after') === first.auditEvents.pageInfo.endCursor);
      await expect.poll(() => seqs(page)).toEqual(second.auditEvents.edges.map((e: any) => e.node.seq));
    }
    await page.getByRole('link', { name: 'Previous page of events' }).click();
    await page.waitForURL((u) => u.pathname === '/audit' && !u.searchParams.has('after'));
    await expect.poll(() => seqs(page)).toEqual(first.auditEvents.edges.map((e: any) => e.node.seq));
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('narrows the trail by action and dates, keeps the view in the URL, says when nothing matches, and checks the dates as they are typed', async () => {
    const api = await apiAs(app.signpost.url, DPO);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    page.setDefaultTimeout(15_000);
    await page.goto('/audit');
    await signIn(page, DPO);
    await page.waitForURL((u) => u.pathname === '/audit');
    await expect.poll(async () => (await seqs(page)).length).toBeGreaterThan(0);

    const today = day(0);
    // The action is chosen from the registry's list, by its label; the URL keeps its name.
    await page.getByLabel('Action (optional)').selectOption({ label: AUDIT_ACTION_LABELS['auth.login'] });
    await fillDate(page, 'from', today.parts);
    await fillDate(page, 'to', today.parts);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('action') === 'auth.login' && u.searchParams.get('from') === today.iso && u.searchParams.get('to') === today.iso);
    await untilSealed(api);
    await page.reload();
    const tomorrow = new Date(today.midnight.getFullYear(), today.midnight.getMonth(), today.midnight.getDate() + 1);
    const truth = await api(TRAIL, { first: 25, filter: { action: 'auth.login', from: today.midnight.toISOString(), to: tomorrow.toISOString() } });
    const all = await api(TRAIL, { first: 1 });
    expect(truth.auditEvents.totalCount).toBeGreaterThan(0);
    expect(truth.auditEvents.totalCount).toBeLessThan(all.auditEvents.totalCount);
    await expect.poll(() => seqs(page)).toEqual(truth.auditEvents.edges.map((e: any) => e.node.seq));
    expect(new Set((await page.locator('table.sp-audit-table tbody tr td:nth-child(4)').allTextContents()).map((t) => t.trim()))).toEqual(new Set([AUDIT_ACTION_LABELS['auth.login']]));
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toContain(
      `${truth.auditEvents.totalCount === 1 ? '1 event' : `${truth.auditEvents.totalCount} events`} match the filters, newest first`,
    );

    // A reload (or the link) reproduces the view, boxes included.
    await page.reload();
    await expect.poll(() => seqs(page)).toEqual(truth.auditEvents.edges.map((e: any) => e.node.seq));
    expect(await page.getByLabel('Action (optional)').inputValue()).toBe('auth.login');
    expect(await page.locator('#from-day').inputValue()).toBe(today.parts.day);
    expect(await page.locator('#to-year').inputValue()).toBe(today.parts.year);

    // Only one person's events, from a row.
    await page.getByRole('link', { name: `Only theirs (${DPO})` }).first().click();
    await page.waitForURL((u) => Boolean(u.searchParams.get('actor')) && u.searchParams.get('action') === 'auth.login');
    await expect.poll(async () => new Set(await page.locator('table.sp-audit-table tbody tr td:nth-child(3)').allTextContents().then((t) => t.map((s) => s.replace('Only theirs', '').replace(`(${DPO})`, '').trim())))).toEqual(new Set([DPO]));

    // Dates are checked as they are typed; the summary lists them.
    await fillDate(page, 'from', { day: '31', month: '2', year: today.parts.year });
    await page.locator('#to-day').focus();
    await expect.poll(() => errorOf(page, 'from')).toBe('The first day must be a real date');
    const later = day(1);
    await fillDate(page, 'from', later.parts);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['The last day must be the same as or after the first day']);
    await expect.poll(() => page.title()).toBe('Error: Audit trail – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'audit-trail-errors');

    // A filter that finds nothing says what to do next.
    await fillDate(page, 'to', later.parts);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('from') === later.iso);
    await expect.poll(() => page.getByTestId('audit-empty').textContent()).toContain('No events match these filters.');
    expect(await page.locator('table.sp-audit-table').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'audit-trail-empty');

    // On a phone the page itself never scrolls sideways: the table scrolls in its own labelled region, reached by Tab.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/audit');
    await expect.poll(async () => (await seqs(page)).length).toBeGreaterThan(0);
    await expectNoHorizontalScroll(page);
    const region = page.getByRole('region', { name: /Audit events, newest first/ });
    await tabTo(page, region, 120);
    await expectAccessible(page);
    await screenshot(page, 'audit-trail-390');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('is "Page not found" for the officer and a receiving team, and the admin pages are for administrators only', async () => {
    for (const [email, path] of [['officer@signpost.test', '/audit'], ['hr@signpost.test', '/audit'], [DPO, '/admin/users'], [DPO, '/admin/service-clients']] as const) {
      const { page, context } = await newPage(app.browser, app.signpost.url);
      await page.goto(path);
      await signIn(page, email);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
      expect(await page.locator('table').count()).toBe(0);
      await context.close();
    }
  }, 120_000);

  it('lets an administrator add a person with roles, change their roles and disable them, who then cannot sign in', async () => {
    const api = await apiAs(app.signpost.url, ADMIN);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    page.setDefaultTimeout(15_000);
    await page.goto('/admin/users');
    await signIn(page, ADMIN);
    await page.waitForURL((u) => u.pathname === '/admin/users');
    const { users } = await api(`{ users { id email displayName roles disabled } }`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(users.length);
    expect(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email')))).toEqual(users.map((u: any) => u.email));
    const hr = page.locator('tr[data-email="hr@signpost.test"]');
    expect(await hr.textContent()).toContain('HR');
    // Their own roles are another administrator's to change: the reason is in words.
    expect(await page.locator(`tr[data-email="${ADMIN}"]`).textContent()).toContain('nobody changes their own roles: ask another administrator');
    await expectAccessible(page);
    await screenshot(page, 'admin-users');

    await tabTo(page, page.getByRole('link', { name: 'Add a person' }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/admin/users/new');
    await expect.poll(() => page.title()).toBe('Add a person – Signpost');
    await page.getByRole('button', { name: 'Add the person' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter the person’s name', 'Enter their email address']);
    await expectAccessible(page);
    await screenshot(page, 'admin-user-new-errors');

    // Checked as it is typed: a short password, roles the policy keeps apart.
    await page.getByLabel('Password for signing in with email (optional)').fill('short');
    await page.getByLabel('Name', { exact: true }).focus();
    await expect.poll(() => errorOf(page, 'password')).toBe('The password must be 12 characters or more');
    await page.getByLabel('System administrator').check();
    await page.getByLabel('HR', { exact: true }).check();
    await expect.poll(() => errorOf(page, 'roles')).toMatch(/‘System administrator’ cannot be held together with ‘HR’/);
    await page.getByLabel('System administrator').uncheck();
    await expect.poll(() => page.locator('#roles-error').count()).toBe(0);
    await page.getByLabel('Student discipline team').check();

    const password = 'a long enough password';
    const email = `new.person.${Date.now()}@signpost.test`;
    await page.getByLabel('Name', { exact: true }).fill('Nova Person');
    // An email in use already: the API says so beside the field.
    await page.getByLabel('Email address').fill('officer@signpost.test');
    await page.getByLabel('Password for signing in with email (optional)').fill(password);
    await page.getByRole('button', { name: 'Add the person' }).click();
    await expect.poll(() => errorOf(page, 'email')).toBe('A user with email officer@signpost.test already exists');
    await expect.poll(() => summaryLinks(page)).toEqual(['A user with email officer@signpost.test already exists']);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Add the person' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/users');
    await expect.poll(() => banner(page)).toContain('Nova Person is added');
    const row = page.locator(`tr[data-email="${email}"]`);
    expect(await row.textContent()).toContain('Student discipline team, HR');
    const stored = (await api(`{ users { id email displayName roles disabled } }`)).users.find((u: any) => u.email === email);
    expect(stored).toMatchObject({ displayName: 'Nova Person', roles: ['DISCIPLINE', 'HR'], disabled: false });
    expect(await signsIn(app.signpost.url, email, password)).toBe(200);

    // Change their roles.
    await row.getByRole('link', { name: 'Change roles of Nova Person' }).click();
    await page.waitForURL(`**/admin/users/${stored.id}/roles`);
    await expect.poll(() => page.getByLabel('HR', { exact: true }).isChecked()).toBe(true);
    await page.getByLabel('HR', { exact: true }).uncheck();
    await page.getByLabel('Student discipline team').uncheck();
    await page.getByLabel('Legal').check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save the roles' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/users');
    await expect.poll(() => banner(page)).toContain('They now hold: Legal.');
    expect((await api(`{ users { email roles } }`)).users.find((u: any) => u.email === email).roles).toEqual(['LEGAL']);

    // Disable them: a confirmation page first, with the keyboard.
    await tabTo(page, page.locator(`tr[data-email="${email}"]`).getByRole('link', { name: 'Disable Nova Person' }), 150);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/admin/users/${stored.id}/disable`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Disable Nova Person?');
    await expectAccessible(page);
    await screenshot(page, 'admin-user-disable');
    await tabTo(page, page.getByRole('button', { name: 'Yes, disable Nova Person' }));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/admin/users');
    await expect.poll(() => banner(page)).toContain('Nova Person is disabled');
    expect(await page.locator(`tr[data-email="${email}"]`).textContent()).toContain('Disabled');
    expect((await api(`{ users { email disabled } }`)).users.find((u: any) => u.email === email).disabled).toBe(true);
    expect(await signsIn(app.signpost.url, email, password)).not.toBe(200);

    // Nobody disables their own account: the API's refusal, in words, on the confirmation page.
    const me = users.find((u: any) => u.email === ADMIN);
    await page.goto(`/admin/users/${me.id}/disable`);
    await page.getByRole('button', { name: `Yes, disable ${me.displayName}` }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['You cannot disable your own account; ask another administrator']);
    await expectAccessible(page);
    expect((await api(`{ users { email disabled } }`)).users.find((u: any) => u.email === ADMIN).disabled).toBe(false);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('creates a service client whose token is shown once and copied; a second administrator approves it; the token works until it is revoked', async () => {
    const api = await apiAs(app.signpost.url, ADMIN);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    page.setDefaultTimeout(15_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.signpost.url });
    await page.goto('/admin/service-clients');
    await signIn(page, ADMIN);
    await page.waitForURL((u) => u.pathname === '/admin/service-clients');
    const { serviceClients } = await api(`{ serviceClients { name } }`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(serviceClients.length);
    if (serviceClients.length === 0) expect(await page.locator('.govuk-inset-text').textContent()).toContain('There are no service clients yet.');
    await expectAccessible(page);
    await screenshot(page, 'admin-service-clients');

    await page.getByRole('link', { name: 'Create a service client' }).click();
    await page.waitForURL('**/admin/service-clients/new');
    await page.getByRole('button', { name: 'Create the service client' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter a name for the service client', 'Select at least one thing the service may do']);
    await expectAccessible(page);
    await screenshot(page, 'admin-service-client-new-errors');

    const name = `Wellbeing dashboard ${Date.now()}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Read HR’s referrals').check();
    await page.getByRole('button', { name: 'Create the service client' }).click();
    const panel = page.getByTestId('token-panel');
    await expect.poll(() => panel.textContent()).toContain(`${name} is created`);
    const token = await page.getByLabel('Token').inputValue();
    const created = (await api(`{ serviceClients { id name scopes tokenPrefix active approvalRequired } }`)).serviceClients.find((c: any) => c.name === name);
    expect(created).toMatchObject({ scopes: ['referrals:read:HR'], active: false, approvalRequired: true });
    expect(token.startsWith(created.tokenPrefix)).toBe(true);
    expect(token.length).toBeGreaterThan(created.tokenPrefix.length + 16);
    expect(await page.getByText('it will not be shown again').count()).toBe(1);
    expect(await page.getByLabel('Token').getAttribute('readonly')).not.toBeNull();
    await expectAccessible(page);
    await screenshot(page, 'admin-service-client-token');

    await tabTo(page, page.getByRole('button', { name: 'Copy the token' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // Not approved yet: the token does not work.
    const referrals = '{ referrals(first: 5) { totalCount } }';
    const early = await asService(app.signpost.url, token, referrals);
    expect(early.body?.data?.referrals).toBeUndefined();
    expect(early.body?.errors?.[0]?.message).toMatch(/second administrator has approved/);

    // Shown once: a reload and it is gone.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Create a service client');
    expect(await page.content()).not.toContain(token);

    // The creator cannot approve it: the API's refusal, in words.
    await page.goto('/admin/service-clients');
    const row = page.locator(`tr[data-name="${name}"]`);
    await expect.poll(() => row.textContent()).toContain('Waiting for approval');
    expect(await page.content()).not.toContain(token);
    await row.getByRole('button', { name: `Approve ${name}` }).click();
    await expect.poll(() => summaryLinks(page)).toEqual([`${name} was not approved: A second administrator must approve this service client: you created it`]);
    await expectAccessible(page);
    expect((await api(`{ serviceClients { name approvedAt } }`)).serviceClients.find((c: any) => c.name === name).approvedAt).toBeNull();

    // A second administrator, in a browser of their own, approves it.
    const second = await newPage(app.browser, app.signpost.url);
    second.page.setDefaultTimeout(15_000);
    await second.page.goto('/admin/service-clients');
    await signIn(second.page, ADMIN2);
    const theirRow = second.page.locator(`tr[data-name="${name}"]`);
    await tabTo(second.page, theirRow.getByRole('button', { name: `Approve ${name}` }), 150);
    await second.page.keyboard.press('Enter');
    await expect.poll(() => banner(second.page)).toContain(`${name} is approved`);
    await expect.poll(() => theirRow.textContent()).toContain('Active');
    expect(await theirRow.textContent()).toMatch(/Approved .* by /);
    await expectAccessible(second.page);
    await screenshot(second.page, 'admin-service-client-approved');
    const works = await asService(app.signpost.url, token, referrals);
    expect(works.body?.errors).toBeUndefined();
    expect(typeof works.body?.data?.referrals?.totalCount).toBe('number');

    // Revoke it, after a confirmation; the token stops working.
    await theirRow.getByRole('link', { name: `Revoke ${name}` }).click();
    await second.page.waitForURL(`**/admin/service-clients/${created.id}/revoke`);
    await expect.poll(() => second.page.getByRole('heading', { level: 1 }).textContent()).toBe(`Revoke ${name}?`);
    await expectAccessible(second.page);
    await screenshot(second.page, 'admin-service-client-revoke');
    await second.page.getByRole('button', { name: `Yes, revoke ${name}` }).click();
    await second.page.waitForURL((u) => u.pathname === '/admin/service-clients');
    await expect.poll(() => banner(second.page)).toContain(`${name} is revoked`);
    await expect.poll(() => second.page.locator(`tr[data-name="${name}"]`).textContent()).toContain('Revoked');
    await second.page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(second.page);
    await screenshot(second.page, 'admin-service-clients-390');
    const stored = (await api(`{ serviceClients { name active revokedAt } }`)).serviceClients.find((c: any) => c.name === name);
    expect(stored.active).toBe(false);
    expect(stored.revokedAt).not.toBeNull();
    const after = await asService(app.signpost.url, token, referrals);
    expect(after.body?.data?.referrals).toBeUndefined();
    expect(after.body?.errors?.[0]?.message).toMatch(/not valid/);
    expect(second.consoleErrors).toEqual([]);
    await second.context.close();
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
