import { describe, expect, it } from 'vitest';
import { apiAs, expectAccessible, focusedId, newPage, screenshot, signIn, successBanner, summaryFocused, useSignpost } from './harness.js';

/** What the API itself answers a demo person, over plain HTTP: the truth the pages must show. */
const asPerson = async (url: string, email: string, query: string, variables: Record<string, unknown> = {}) => (await apiAs(url, email))(query, variables);

describe('the portal in Chromium, served by the API on one port', () => {
  const app = useSignpost();

  it('asks a newcomer to sign in, names every field at fault, and refuses a wrong password without saying which part was wrong', async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('returnTo') === '/');
    await expect.poll(() => page.title()).toBe('Sign in – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
    // Without OIDC configured there is no university sign-in to offer: the password form alone.
    expect(await page.getByRole('button', { name: /^Sign in with/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.locator('a').allTextContents()).toEqual(['Enter your email address', 'Enter your password']);
    // The summary takes focus, and each problem links to its field.
    await expect.poll(() => summaryFocused(page)).toBe(true);
    await summary.getByRole('link', { name: 'Enter your password' }).click();
    await expect.poll(() => focusedId(page)).toBe('password');
    await expectAccessible(page);
    await screenshot(page, 'sign-in-errors');

    await page.getByLabel('Email address').fill('officer@signpost.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => summary.textContent()).toMatch(/That email and password do not match/);
    expect(page.url()).toContain('/sign-in');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows an officer the register as the API has it, with filters and sorting kept in the URL, and no way into the teams\' inboxes', async () => {
    const truth = await asPerson(app.signpost.url, 'officer@signpost.test', `{ groups(first: 100) { totalCount edges { node { id name } } } }`);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, 'officer@signpost.test');
    // Home is the team's work for today; the register is one link away.
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs doing today');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Register' }).click();
    await page.waitForURL(/\/register$/);
    await expect.poll(() => page.getByText(/^\d+ groups?$/).textContent()).toBe(`${truth.groups.totalCount} groups`);
    const names = await page.locator('table.govuk-table tbody tr td:first-child').allTextContents();
    expect(names.length).toBe(Math.min(25, truth.groups.totalCount));
    expect(names.every((n) => truth.groups.edges.some((e: any) => e.node.name === n.trim()))).toBe(true);
    // Navigation shows only what the roles allow.
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual(['Home', 'Register']);
    await expectAccessible(page);
    await screenshot(page, 'register');

    // Search and sort with the keyboard; the URL keeps the view, so the link reproduces it.
    const target = truth.groups.edges[0].node.name as string;
    await page.getByLabel('Name, handle or web address').fill(target);
    await page.getByLabel('Sort by').selectOption({ label: 'Name (A to Z)' });
    await page.getByRole('button', { name: 'Apply' }).press('Enter');
    await page.waitForURL((u) => u.searchParams.get('search') === target && u.searchParams.get('sort') === 'name');
    await expect.poll(() => page.locator('table.govuk-table tbody tr td:first-child').first().textContent()).toBe(target);
    const link = page.url();
    const second = await newPage(app.browser, app.signpost.url);
    await second.page.goto(link);
    await signIn(second.page, 'officer@signpost.test');
    await second.page.waitForURL(link);
    await expect.poll(() => second.page.locator('table.govuk-table tbody tr td:first-child').first().textContent()).toBe(target);
    expect(await second.page.getByLabel('Name, handle or web address').inputValue()).toBe(target);
    await second.context.close();

    // The teams' inbox does not exist for an officer.
    await page.goto('/inbox');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("opens a group's page from a deep link after signing in: the policy's steps and every next move with the reasons in words", async () => {
    const truth = await asPerson(app.signpost.url, 'officer@signpost.test', `{ groups(first: 1, filter: { status: [DISCOVERED] }) { edges { node { id name availableTransitions { to allowed unmet } } } } }`);
    const group = truth.groups.edges[0].node;
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await signIn(page, 'officer@signpost.test');
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(group.name);
    await expect.poll(() => page.locator('.govuk-task-list__item').count()).toBe(7);
    const refused = group.availableTransitions.filter((t: any) => !t.allowed);
    expect(refused.length).toBeGreaterThan(0);
    for (const t of refused) for (const reason of t.unmet) await expect.poll(() => page.getByText(reason, { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'group');

    // A group that does not exist reads as a page that does not exist.
    await page.goto('/groups/00000000-0000-4000-8000-000000000000');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(consoleErrors.filter((e) => !/NOT_FOUND|not found/i.test(e))).toEqual([]);
    await context.close();
  });

  it('shows HR its own referrals only, overdue first, and lets it acknowledge one; nothing else is in its navigation', async () => {
    const truth = await asPerson(app.signpost.url, 'hr@signpost.test', `{ referrals(first: 100, filter: { status: [SUBMITTED, ACKNOWLEDGED, IN_PROGRESS] }) { totalCount edges { node { id team status group { name } } } } }`);
    expect(truth.referrals.edges.every((e: any) => e.node.team === 'HR')).toBe(true);
    const submitted = truth.referrals.edges.find((e: any) => e.node.status === 'SUBMITTED')?.node;
    expect(submitted, 'the demo data has a submitted HR referral').toBeDefined();

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, 'hr@signpost.test');
    await page.waitForURL(/\/inbox$/);
    await expect.poll(() => page.locator('table.govuk-table tbody tr').count()).toBe(truth.referrals.totalCount);
    const shown = (await page.locator('table.govuk-table tbody tr td:first-child a').allTextContents()).sort();
    expect(shown).toEqual(truth.referrals.edges.map((e: any) => e.node.group.name).sort());
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual(['Referrals']);
    await expectAccessible(page);
    await screenshot(page, 'inbox');

    await page.getByRole('link', { name: submitted.group.name }).first().click();
    await page.waitForURL(`**/referrals/${submitted.id}`);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => successBanner(page).textContent()).toMatch(/You acknowledged the referral/);
    await expect.poll(() => page.locator('.govuk-tag').first().textContent()).toBe('Acknowledged');
    await expect.poll(() => page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'referral-acknowledged');
    const after = await asPerson(app.signpost.url, 'hr@signpost.test', `query($id: ID!) { referral(id: $id) { status } }`, { id: submitted.id });
    expect(after.referral.status).toBe('ACKNOWLEDGED');

    // The register is not there for HR.
    await page.goto('/register');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows the data protection officer only the audit trail in the navigation, and it opens", async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, 'dpo@signpost.test');
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect.poll(() => sections.getByRole('link').allTextContents()).toEqual(['Audit trail']);
    await sections.getByRole('link', { name: 'Audit trail' }).click();
    await page.waitForURL((u) => u.pathname === '/audit');
    await expect.poll(() => sections.getByRole('link', { name: 'Audit trail' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit trail');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows an administrator only the users and service clients in the navigation, and each opens", async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, 'admin@signpost.test');
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect.poll(() => sections.getByRole('link').allTextContents()).toEqual(['Users', 'Service clients']);
    await sections.getByRole('link', { name: 'Service clients' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/service-clients');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Service clients');
    await sections.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/users');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Users');
    // The audit trail is the data protection officer's, not an administrator's.
    await page.goto('/audit');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('sends a person whose session ended back to sign in, then to where they were; signing out ends the session', async () => {
    const { page, context } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, 'officer@signpost.test');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/register?sort=risk');
    await expect.poll(() => page.locator('table.govuk-table tbody tr').count()).toBeGreaterThan(0);
    // The session ends on the server (as at expiry); the next request the page makes is refused.
    await fetch(`${app.signpost.url}/auth/logout`, { method: 'POST', headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('Sort by').selectOption({ label: 'Name (A to Z)' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/sign-in\?/);
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toMatch(/Your session ended/);
    await signIn(page, 'officer@signpost.test');
    await page.waitForURL(/\/register\?sort=name$/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1$/);
    await page.goto('/register');
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await context.close();
  });
});
