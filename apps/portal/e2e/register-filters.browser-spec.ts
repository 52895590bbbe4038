import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PLATFORM_LABELS, RISK_LEVEL_LABELS } from '@signpost/policy';
import { apiAs, expectAccessible, expectNoHorizontalScroll, launchBrowser, newPage, screenshot, signIn, startSignpost, tabTo, type Signpost } from './harness.js';

const OFFICER = 'officer@signpost.test';
type Api = Awaited<ReturnType<typeof apiAs>>;

/** The names the register's table shows, in order. */
const rowsOf = (page: Page) => page.locator('table.govuk-table tbody tr td:first-child').allTextContents().then((n) => n.map((s) => s.trim()));
const countOf = (page: Page) => page.getByText(/^\d+ groups?$/).textContent();

/** What the API answers for the same filter, in the register's order (by default next review due). */
async function truthOf(api: Api, filter: Record<string, unknown>, sort = { field: 'NEXT_REVIEW_DUE', direction: 'ASC' }) {
  const { groups } = await api(`query($filter: GroupFilter, $sort: GroupSort) { groups(first: 25, filter: $filter, sort: $sort) { totalCount edges { node { name } } } }`, { filter, sort });
  return { count: `${groups.totalCount} ${groups.totalCount === 1 ? 'group' : 'groups'}`, names: groups.edges.map((e: any) => e.node.name as string) };
}

async function expectRegisterShows(page: Page, truth: { count: string; names: string[] }) {
  await expect.poll(() => countOf(page)).toBe(truth.count);
  await expect.poll(() => rowsOf(page)).toEqual(truth.names);
}

describe("the register's filters, all kept in the URL", () => {
  let signpost: Signpost;
  let browser: Browser;
  let api: Api;
  let officer: { id: string; displayName: string };

  beforeAll(async () => {
    [signpost, browser] = await Promise.all([startSignpost(), launchBrowser()]);
    api = await apiAs(signpost.url, OFFICER);
    officer = (await api(`{ me { id displayName } }`)).me;
    // Two groups of the demo are assigned to the officer; and enough more groups for a second page of the register.
    const { groups } = await api(`{ groups(first: 100, sort: { field: NAME, direction: ASC }) { edges { node { id version name } } } }`);
    for (const g of groups.edges.slice(0, 2).map((e: any) => e.node)) {
      await api(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { id } }`, { input: { id: g.id, version: g.version, assignedOfficerId: officer.id } });
    }
    for (let i = 1; i <= 26; i++) {
      await api(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, {
        input: { name: `Filler page ${String(i).padStart(2, '0')}`, platform: 'YIK_YAK', kind: 'OTHER', riskLevel: 'LOW' },
      });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await signpost?.stop();
  });

  it('filters by platform, risk and the "show only" conditions with the keyboard; the URL, reloaded or opened afresh, shows what the API has', async () => {
    const { page, context, consoleErrors } = await newPage(browser, signpost.url);
    await page.goto('/register');
    await signIn(page, OFFICER);
    await page.waitForURL((u) => u.pathname === '/register');
    await expectRegisterShows(page, await truthOf(api, {}));

    // The demo's platform with the most groups, at the risk most of them have: a view with rows in it.
    const { groups: all } = await api(`{ groups(first: 100) { edges { node { platform riskLevel reviewOverdue } } } }`);
    const tally = new Map<string, number>();
    for (const { node } of all.edges) if (node.platform !== 'YIK_YAK') tally.set(`${node.platform} ${node.riskLevel}`, (tally.get(`${node.platform} ${node.riskLevel}`) ?? 0) + 1);
    const [platform, risk] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]![0].split(' ') as [keyof typeof PLATFORM_LABELS, keyof typeof RISK_LEVEL_LABELS];

    await tabTo(page, page.getByLabel('Platform'));
    await page.getByLabel('Platform').selectOption({ label: PLATFORM_LABELS[platform] });
    await page.getByLabel('Risk').selectOption({ label: RISK_LEVEL_LABELS[risk] });
    await page.getByRole('button', { name: 'Apply' }).press('Enter');
    await page.waitForURL((u) => u.searchParams.get('platform') === platform && u.searchParams.get('risk') === risk);
    const byPlatform = await truthOf(api, { platform: [platform], riskLevel: [risk] });
    expect(byPlatform.names.length).toBeGreaterThan(0);
    await expectRegisterShows(page, byPlatform);

    // "Show only" conditions combine with the rest.
    await tabTo(page, page.getByLabel('Overdue reviews'));
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Apply' }).press('Enter');
    await page.waitForURL((u) => u.searchParams.get('overdue') === 'true' && u.searchParams.get('platform') === platform);
    await expectRegisterShows(page, await truthOf(api, { platform: [platform], riskLevel: [risk], overdueReview: true }));
    await page.getByLabel('Overdue reviews').uncheck();
    await page.getByLabel('Risk').selectOption({ label: 'Any risk' });
    await page.getByLabel('Platform').selectOption({ label: 'Any platform' });
    const flags: [string, string, Record<string, boolean>][] = [
      ['Groups that can be marked unresponsive', 'unresponsive', { unresponsiveEligible: true }],
      ['Wording awaiting approval', 'wording', { wordingAwaitingApproval: true }],
      ['Placements not yet verified', 'unverified', { placementsUnverified: true }],
    ];
    for (const [label, key, filter] of flags) {
      await page.getByLabel(label).check();
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL((u) => u.searchParams.get(key) === 'true' && [...u.searchParams.keys()].length === 1);
      const truth = await truthOf(api, filter);
      expect(truth.names.length, `the demo has a group for "${label}"`).toBeGreaterThan(0);
      await expectRegisterShows(page, truth);
      await page.getByLabel(label).uncheck();
    }

    // A view with every kind of filter set: reloaded, and opened by someone else from the link, it is the same.
    const search = byPlatform.names[0]!.slice(0, 4);
    await page.goto(`/register?search=${encodeURIComponent(search)}&platform=${platform}&risk=${risk}&overdue=false&sort=name`);
    const combined = await truthOf(api, { search, platform: [platform], riskLevel: [risk] }, { field: 'NAME', direction: 'ASC' });
    expect(combined.names.length).toBeGreaterThan(0);
    await expectRegisterShows(page, combined);
    await page.reload();
    await expectRegisterShows(page, combined);
    const link = page.url();
    const other = await newPage(browser, signpost.url);
    await other.page.goto(link);
    await signIn(other.page, 'lead@signpost.test');
    await other.page.waitForURL(link);
    await expectRegisterShows(other.page, combined);
    await other.context.close();
    expect(await page.getByLabel('Platform').inputValue()).toBe(platform);
    expect(await page.getByLabel('Risk').inputValue()).toBe(risk);
    expect(await page.getByLabel('Overdue reviews').isChecked()).toBe(false);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('name');
    expect(await page.getByLabel('Name, handle or web address').inputValue()).toBe(search);
    await expectAccessible(page);
    await screenshot(page, 'register-filtered');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'register-filtered-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Clear filters keeps nothing but the order.
    await page.goto(`/register?platform=${platform}&sort=name`);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.pathname === '/register' && u.search === '?sort=name');
    await expect.poll(() => countOf(page)).toBe((await truthOf(api, {})).count);
    expect(await page.getByRole('link', { name: 'Clear filters' }).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('filters by the assigned officer, chosen from the people groups can be assigned to', async () => {
    const { page, context, consoleErrors } = await newPage(browser, signpost.url);
    await page.goto('/register');
    await signIn(page, OFFICER);
    await page.waitForURL((u) => u.pathname === '/register');
    const { assignableOfficers } = await api(`{ assignableOfficers { id displayName } }`);
    await expect.poll(() => page.getByLabel('Assigned officer').locator('option').allTextContents()).toEqual(['Any officer', ...assignableOfficers.map((o: any) => o.displayName)]);
    await page.getByLabel('Assigned officer').selectOption({ label: officer.displayName });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('officer') === officer.id);
    const mine = await truthOf(api, { assignedOfficerId: officer.id });
    expect(mine.names).toHaveLength(2);
    await expectRegisterShows(page, mine);
    // Each row shows its assigned officer.
    expect((await page.locator('table.govuk-table tbody tr td:last-child').allTextContents()).map((t) => t.trim())).toEqual([officer.displayName, officer.displayName]);
    await page.reload();
    await expectRegisterShows(page, mine);
    expect(await page.getByLabel('Assigned officer').inputValue()).toBe(officer.id);
    await expectAccessible(page);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('ignores what the URL cannot mean, and starts a changed view at its first page', async () => {
    const { page, context, consoleErrors } = await newPage(browser, signpost.url);
    await page.goto('/register');
    await signIn(page, OFFICER);
    await page.waitForURL((u) => u.pathname === '/register');
    const everything = await truthOf(api, {});
    await page.goto('/register?platform=MYSPACE&risk=HUGE&status=NOPE&officer=not-an-id&overdue=maybe&unverified=1&sort=bogus');
    await expectRegisterShows(page, everything);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByLabel('Platform').inputValue()).toBe('');
    expect(await page.getByLabel('Sort by').inputValue()).toBe('review');
    // An id that is no officer of the team is ignored too.
    await page.goto('/register?officer=00000000-0000-4000-8000-000000000000');
    await expectRegisterShows(page, everything);
    expect(await page.getByLabel('Assigned officer').inputValue()).toBe('');

    // The second page keeps the filters; changing a filter goes back to the first page.
    await page.goto('/register?risk=LOW');
    const low = await api(`{ groups(first: 100, filter: { riskLevel: [LOW] }) { totalCount } }`);
    expect(low.groups.totalCount, 'the fillers make a second page').toBeGreaterThan(25);
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL((u) => u.searchParams.has('after') && u.searchParams.get('risk') === 'LOW');
    await expect.poll(() => rowsOf(page).then((r) => r.length)).toBe(low.groups.totalCount - 25);
    await page.getByLabel('Platform').selectOption({ label: PLATFORM_LABELS.YIK_YAK });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('platform') === 'YIK_YAK' && u.searchParams.get('risk') === 'LOW' && !u.searchParams.has('after'));
    await expectRegisterShows(page, await truthOf(api, { riskLevel: ['LOW'], platform: ['YIK_YAK'] }));
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
