import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ERROR_MESSAGES, GROUP_STATUS_LABELS, PLATFORM_LABELS } from '@signpost/policy';
import { apiAs, expectAccessible, expectNoHorizontalScroll, newPage, screenshot, signIn, tabTo, useSignpost } from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';
/** Each of Home's lists: the API's filter it shows, and where its "see all" link goes (the register, filtered exactly so). */
const LISTS: [string, string, string][] = [
  ['overdue-reviews', '{ overdueReview: true }', '/register?overdue=true'],
  ['unresponsive', '{ unresponsiveEligible: true }', '/register?unresponsive=true'],
  ['placements', '{ placementsUnverified: true }', '/register?unverified=true'],
  ['critical', '{ riskLevel: [CRITICAL] }', '/register?risk=CRITICAL'],
];
const LEAD_LISTS: [string, string, string][] = [['wording', '{ wordingAwaitingApproval: true }', '/register?wording=true']];

type Api = Awaited<ReturnType<typeof apiAs>>;

/** What one of Home's lists shows: its count and the names it links to. */
async function listOnPage(page: Page, id: string) {
  const section = page.getByTestId(id);
  return {
    count: Number((await section.locator('h2 .govuk-tag').textContent())?.replace(/,/g, '')),
    names: (await section.locator('ul.govuk-list a').allTextContents()).map((n) => n.trim()),
  };
}

/** A chart's table, row by row: [label, figure]. */
const tableOf = (page: Page, id: string) =>
  page.getByTestId(id).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent!.trim(), r.querySelector('td')!.textContent!.trim()]));

async function expectListsMatch(page: Page, api: Api) {
  for (const [id, filter] of LISTS) {
    const truth = (await api(`{ groups(first: 5, filter: ${filter}) { totalCount edges { node { name } } } }`)).groups;
    await expect.poll(() => listOnPage(page, id)).toEqual({ count: truth.totalCount, names: truth.edges.map((e: any) => e.node.name) });
  }
}

/** Each list's "see all" goes to the register filtered as the list is: the register lists as many groups as the list's count, the same ones the API has. */
async function expectSeeAllMatch(page: Page, api: Api, lists: [string, string, string][]) {
  for (const [id, filter, href] of lists) {
    await page.goto('/');
    await expect.poll(() => page.getByTestId(id).count()).toBe(1);
    const { count } = await listOnPage(page, id);
    expect(count, `the demo has groups for ${id}`).toBeGreaterThan(0);
    const link = page.getByTestId(id).getByRole('link', { name: /^See all/ });
    expect(await link.getAttribute('href')).toBe(href);
    await link.click();
    await page.waitForURL((u) => `${u.pathname}${u.search}` === href);
    await expect.poll(() => page.getByText(/^\d+ groups?$/).textContent()).toBe(`${count} ${count === 1 ? 'group' : 'groups'}`);
    const truth = (await api(`{ groups(first: 25, filter: ${filter}) { edges { node { name } } } }`)).groups.edges.map((e: any) => e.node.name).sort();
    await expect.poll(async () => (await page.locator('table.govuk-table tbody tr td:first-child').allTextContents()).map((n) => n.trim()).sort()).toEqual(truth);
  }
}

async function expectChartsMatch(page: Page, api: Api) {
  const { registerStats: s } = await api(`{ registerStats { byStatus { status count } byPlatform { platform count } daysToCompliance { groups median p90 } } }`);
  expect(await tableOf(page, 'by-status')).toEqual(s.byStatus.map((r: any) => [GROUP_STATUS_LABELS[r.status as keyof typeof GROUP_STATUS_LABELS], String(r.count)]));
  expect(await tableOf(page, 'by-platform')).toEqual(s.byPlatform.map((r: any) => [PLATFORM_LABELS[r.platform as keyof typeof PLATFORM_LABELS], r.count.toLocaleString('en-GB')]));
  const days = (n: number) => `${(Math.round(n * 10) / 10).toLocaleString('en-GB')} ${n === 1 ? 'day' : 'days'}`;
  expect(s.daysToCompliance.groups, 'the demo has a compliant group').toBeGreaterThan(0);
  expect(await tableOf(page, 'days-to-compliance')).toEqual([['Median', days(s.daysToCompliance.median)], ['90th percentile', days(s.daysToCompliance.p90)]]);
  // Each chart is one image with a name; every bar carries its figure in words, as the table does.
  for (const id of ['by-status', 'by-platform', 'days-to-compliance']) {
    const svg = page.locator(`#${id}-chart`);
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toMatch(/as a bar chart; the table beside it has the figures$/);
    expect(await svg.locator('.sp-chart__value').allTextContents()).toEqual((await tableOf(page, id)).map(([, v]) => v));
  }
}

describe("the social media team's home, a group's timeline and its own moves", () => {
  const app = useSignpost();

  it("shows the officer what needs doing today as the API has it, with charts whose tables hold registerStats' figures, and no lead-only lists", async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, OFFICER);
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs doing today');
    await expect.poll(() => page.getByTestId('critical').count()).toBe(1);
    await expectListsMatch(page, api);
    expect(await page.getByTestId('wording').count()).toBe(0);
    expect(await page.getByTestId('draft-referrals').count()).toBe(0);
    await expectChartsMatch(page, api);
    // The demo's group that may be marked unresponsive is listed, and its link opens it.
    const unresponsive = await listOnPage(page, 'unresponsive');
    expect(unresponsive.names).toContain('Library Quiet Zone Confessions');
    await expectAccessible(page);
    await screenshot(page, 'home');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'home-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    await tabTo(page, page.getByTestId('unresponsive').getByRole('link', { name: 'Library Quiet Zone Confessions' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Library Quiet Zone Confessions');
    await expectSeeAllMatch(page, api, LISTS);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('shows the lead the wording awaiting approval and the draft referrals as well, as the API has them', async () => {
    const api = await apiAs(app.signpost.url, LEAD);
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, LEAD);
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.getByTestId('draft-referrals').count()).toBe(1);
    await expectListsMatch(page, api);
    const drafts = (await api(`{ referrals(first: 5, filter: { status: [DRAFT] }) { totalCount edges { node { id group { name } } } } }`)).referrals;
    expect(drafts.totalCount).toBeGreaterThan(0);
    expect(await listOnPage(page, 'draft-referrals')).toEqual({ count: drafts.totalCount, names: drafts.edges.map((e: any) => e.node.group.name) });
    expect(await page.getByTestId('draft-referrals').locator('a').first().getAttribute('href')).toBe(`/referrals/${drafts.edges[0].node.id}`);
    const awaiting = (await api(`{ groups(first: 5, filter: { wordingAwaitingApproval: true }) { totalCount edges { node { id name } } } }`)).groups;
    expect(awaiting.edges.map((e: any) => e.node.name)).toContain('Northfield Memes');
    expect(await listOnPage(page, 'wording')).toEqual({ count: awaiting.totalCount, names: awaiting.edges.map((e: any) => e.node.name) });
    expect(await page.getByTestId('wording').locator('a').first().getAttribute('href')).toBe(`/groups/${awaiting.edges[0].node.id}#wording`);
    await expectChartsMatch(page, api);
    await expectAccessible(page);
    await screenshot(page, 'home-lead');
    await expectSeeAllMatch(page, api, LEAD_LISTS);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('sends a receiving team to its inbox, the data protection officer to the audit trail and an administrator to the users', async () => {
    for (const [email, path] of [['hr@signpost.test', '/inbox'], ['dpo@signpost.test', '/audit'], ['admin@signpost.test', '/admin/users']] as const) {
      const { page, context } = await newPage(app.browser, app.signpost.url);
      await page.goto('/');
      await signIn(page, email);
      await page.waitForURL((u) => u.pathname === path);
      expect(await page.getByText('What needs doing today').count(), email).toBe(0);
      await context.close();
    }
  });

  it("puts a contact just logged at the top of the group's timeline, newest first, and shows more on request", async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const group = (await api(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`, {
      input: { name: `Timeline Confessions ${Date.now()}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', marketsToUniversity: false, usesLogo: false, riskLevel: 'LOW' },
    })).createGroup;
    // Enough history for more than one page of the timeline.
    for (let i = 1; i <= 24; i++) {
      await api(`mutation($input: LogContactInput!) { logContact(input: $input) { id } }`, {
        input: { groupId: group.id, occurredAt: new Date(Date.now() - (30 - i) * 3_600_000).toISOString(), channel: 'EMAIL', direction: 'OUTBOUND', summary: `Message ${i}`, steps: [], outcome: 'NO_RESPONSE' },
      });
    }
    const truth = (await api(`query($id: ID!) { group(id: $id) { timeline(first: 100) { summary action actorLabel } } }`, { id: group.id })).group.timeline;
    expect(truth.length).toBeGreaterThan(20);
    expect(truth[0].action).toMatch(/^contact\./);
    // In words, from the policy's labels: the channel, who contacted whom, the outcome.
    expect(truth[0].summary).toBe('Contact logged: email, we contacted them, no response');

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    const items = page.getByRole('list', { name: 'Timeline, newest first' }).locator('> li');
    await expect.poll(() => items.count()).toBe(20);
    const summaries = () => items.locator('p:first-child').allTextContents();
    expect(await summaries()).toEqual(truth.slice(0, 20).map((e: any) => e.summary));
    expect(await items.first().textContent()).toContain(truth[0].actorLabel);
    await expectAccessible(page);
    await screenshot(page, 'group-timeline');

    await tabTo(page, page.getByRole('button', { name: 'Show more' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => items.count()).toBe(Math.min(40, truth.length));
    expect(await summaries()).toEqual(truth.slice(0, 40).map((e: any) => e.summary));
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(truth.length > 40 ? 1 : 0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('marks the eligible demo group unresponsive with the obvious button, as the API then has it', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { groups } = await api(`{ groups(first: 5, filter: { unresponsiveEligible: true }) { edges { node { id name status version } } } }`);
    const target = groups.edges.find((e: any) => e.node.name === 'Library Quiet Zone Confessions').node;
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${target.id}`);
    await signIn(page, OFFICER);
    const primary = page.getByTestId('primary-move');
    await expect.poll(() => primary.textContent()).toContain('Mark the group as unresponsive');
    expect(await primary.getAttribute('class')).toBe('govuk-button');
    await expectAccessible(page);
    await screenshot(page, 'group-moves');
    await tabTo(page, primary);
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('[aria-labelledby="moved-title"]').textContent()).toContain(`The group is now ${GROUP_STATUS_LABELS.UNRESPONSIVE}`);
    const after = (await api(`query($id: ID!) { group(id: $id) { status version timeline(first: 1) { action } } }`, { id: target.id })).group;
    expect(after.status).toBe('UNRESPONSIVE');
    expect(after.version).toBeGreaterThan(target.version);
    await expect.poll(() => page.locator('.govuk-caption-l + h1 + p .govuk-tag').first().textContent()).toContain(GROUP_STATUS_LABELS.UNRESPONSIVE);
    expect(await page.getByTestId('move-markUnresponsive').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('closes a group with a reason (required, checked as typed), survives a conflict keeping the reason, and reopens it', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { groups } = await api(`{ groups(first: 5, filter: { search: "NU Crushes" }) { edges { node { id status version } } } }`);
    const target = groups.edges[0].node;
    expect(target.status).toBe('CONTACTING');
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${target.id}`);
    await signIn(page, OFFICER);
    // A move that happens by itself says on what, with a way to the form that sets it off.
    await expect.poll(() => page.getByTestId('move-engage').textContent()).toContain('happens by itself when the administrators respond');
    expect(await page.getByTestId('move-engage').getByRole('link', { name: /Go to the contact form/ }).getAttribute('href')).toBe(`/groups/${target.id}/contacts/new`);
    // A refused move is shown with what is missing, in words, and no button.
    const markUnresponsive = page.getByTestId('move-markUnresponsive');
    expect(await markUnresponsive.textContent()).toContain('not possible yet');
    expect(await markUnresponsive.locator('.sp-unmet li').count()).toBeGreaterThan(0);
    expect(await markUnresponsive.getByRole('button').count()).toBe(0);

    await tabTo(page, page.getByRole('button', { name: 'Close the group' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reason');
    await page.getByRole('button', { name: 'Close the group' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter why the group is being closed']);
    await expect.poll(() => page.locator('#reason-error').textContent()).toContain('Enter why the group is being closed');
    await expectAccessible(page);
    await screenshot(page, 'group-close-errors');
    // Checked as it is typed: the problem goes once there is a reason.
    await page.getByLabel('Why is the group being closed?').fill('The page has been deleted by its owner.');
    await expect.poll(() => page.locator('#reason-error').count()).toBe(0);

    // Someone else changes the group meanwhile: nothing is closed, the reason is kept, and a reload lets it go through.
    await api(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { version } }`, { input: { id: target.id, version: target.version, notes: 'Changed by a colleague' } });
    await page.getByRole('button', { name: 'Close the group' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').first().textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    expect((await api(`query($id: ID!) { group(id: $id) { status } }`, { id: target.id })).group.status).toBe('CONTACTING');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Reload the group' }).click();
    await expect.poll(() => page.getByText('Changed by a colleague').count()).toBe(1);
    expect(await page.getByLabel('Why is the group being closed?').inputValue()).toBe('The page has been deleted by its owner.');
    await page.getByRole('button', { name: 'Close the group' }).click();
    await expect.poll(() => page.locator('[aria-labelledby="moved-title"]').textContent()).toContain(`The group is now ${GROUP_STATUS_LABELS.CLOSED}`);
    const closed = (await api(`query($id: ID!) { group(id: $id) { status version timeline(first: 5) { action summary } } }`, { id: target.id })).group;
    expect(closed.status).toBe('CLOSED');
    // The move in words, the policy's labels: "Status Contacting → Closed".
    expect(closed.timeline[0]).toMatchObject({ action: 'group.status', summary: expect.stringMatching(new RegExp(`^Status .+ → ${GROUP_STATUS_LABELS.CLOSED}$`)) });
    await expect.poll(() => page.getByRole('list', { name: 'Timeline, newest first' }).locator('> li').first().locator('p').first().textContent()).toBe(closed.timeline[0].summary);

    // Reopening is then the obvious move, back to where the group was.
    const reopen = page.getByTestId('primary-move');
    await expect.poll(() => reopen.textContent()).toContain('Reopen the group');
    await expectAccessible(page);
    await reopen.click();
    await expect.poll(() => page.locator('[aria-labelledby="moved-title"]').textContent()).toContain(`The group is now ${GROUP_STATUS_LABELS.CONTACTING}`);
    const reopened = (await api(`query($id: ID!) { group(id: $id) { status version } }`, { id: target.id })).group;
    expect(reopened.status).toBe('CONTACTING');
    expect(reopened.version).toBeGreaterThan(closed.version);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
