import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { WORDING_ELEMENT_LABELS } from '@signpost/policy';
import { apiAs, expectAccessible, newPage, screenshot, signIn, successBanner, summaryLinks, useSignpost } from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';

const AGREEMENTS = 'wordingAgreements { id status version approvedBy { displayName } latestVersion { number text proposedBy } }';
const statusOf = (page: Page, element: string) =>
  page.locator(`[data-testid="wording-check"] [data-element="${element}"] .govuk-task-list__status`).textContent().then((t) => t?.trim());
const announcement = (page: Page) => page.getByTestId('check-announcement').textContent().then((t) => t?.trim() ?? '');

describe('the wording step: proposing, the live check, comparing versions and the lead approving', () => {
  const app = useSignpost();

  it('proposes wording from a template with the check live, adds a version through a conflict, compares them, and the lead approves once the contact is logged', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const name = `Wording Confessions ${Date.now()}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'HIGH' },
    });
    const { wordingTemplates } = await api(`{ wordingTemplates { id name version body } }`);
    const template = wordingTemplates[0];
    expect(template, 'the demo has a wording template').toBeTruthy();
    const paragraphs: string[] = template.body.split('\n\n');
    const support = paragraphs.findIndex((p) => p.includes('https://www.example.ac.uk/'));
    expect(support).toBeGreaterThanOrEqual(0);
    const withoutSupport = paragraphs.filter((_, i) => i !== support).join('\n\n');

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Signposting wording' }).count()).toBe(1);
    expect(await page.getByText('No wording is agreed yet.').count()).toBe(1);
    expect(await page.getByText('No wording is being agreed now.').count()).toBe(1);

    // 1. The first version, from the template.
    await page.getByRole('link', { name: 'Propose wording' }).click();
    await page.waitForURL(`**/groups/${group.id}/wording/new`);
    await expect.poll(() => page.title()).toBe('Propose wording – Signpost');
    await expectAccessible(page);

    // Sending nothing lists the problem (and axe passes with the errors shown).
    await page.getByRole('button', { name: 'Save the wording' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter the wording']);
    await expect.poll(() => page.title()).toBe('Error: Propose wording – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'wording-propose-errors');

    await page.getByLabel('Start from a template (optional)').selectOption({ label: `${template.name} (version ${template.version})` });
    await expect.poll(() => page.getByLabel('The wording', { exact: true }).inputValue()).toBe(template.body);
    await expect.poll(() => page.getByTestId('check-verdict').textContent()).toContain('Passes');
    for (const e of Object.keys(WORDING_ELEMENT_LABELS)) await expect.poll(() => statusOf(page, e)).toBe('Met');
    await expect.poll(() => announcement(page)).toMatch(/^The wording passes the check/);

    // Take the support links out: the check says so, in words, and announces it politely.
    await page.getByLabel('The wording', { exact: true }).fill(withoutSupport);
    await expect.poll(() => statusOf(page, 'UNIVERSITY_SUPPORT')).toBe('Not met');
    await expect.poll(() => statusOf(page, 'REPUTABLE_BODY')).toBe('Met');
    await expect.poll(() => page.getByTestId('check-verdict').textContent()).toContain('Does not pass yet');
    await expect.poll(() => announcement(page)).toBe(
      `The wording does not pass the check yet: 1 of 4 required elements missing: ${WORDING_ELEMENT_LABELS.UNIVERSITY_SUPPORT}.`,
    );
    expect(await page.getByTestId('check-announcement').getAttribute('aria-live')).toBe('polite');
    // What the page says is what the API says of the same text.
    const { checkWording } = await api(`query($t: String!) { checkWording(text: $t) { passes missing elements { element present explanation } } }`, { t: withoutSupport });
    expect(checkWording.missing).toEqual(['UNIVERSITY_SUPPORT']);
    const hint = await page.locator('[data-element="UNIVERSITY_SUPPORT"] .govuk-task-list__hint').textContent();
    expect(hint?.trim()).toBe(checkWording.elements.find((e: { element: string }) => e.element === 'UNIVERSITY_SUPPORT').explanation);
    await expectAccessible(page);
    await screenshot(page, 'wording-check-failing');

    // Put them back: the check passes again.
    await page.getByLabel('The wording', { exact: true }).fill(template.body);
    await expect.poll(() => statusOf(page, 'UNIVERSITY_SUPPORT')).toBe('Met');
    await expect.poll(() => announcement(page)).toMatch(/^The wording passes the check/);
    await page.getByLabel('The university', { exact: true }).check();
    await page.getByRole('button', { name: 'Save the wording' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain('Version 1 of the wording is saved');
    await expect.poll(() => page.getByTestId('open-wording').textContent()).toContain('Awaiting approval');

    // 2. A second version, from the administrators; meanwhile someone else adds one, so the first save is a CONFLICT.
    await page.getByRole('link', { name: 'Propose a new version' }).click();
    await page.waitForURL(`**/groups/${group.id}/wording/new`);
    await expect.poll(() => page.getByText('This adds version 2').count()).toBe(1);
    const second = template.body.replace('run independently by students', 'run by a group of students').replace('any time, free,', 'at any time');
    expect(second).not.toBe(template.body);
    await page.getByLabel('The wording', { exact: true }).fill(second);
    await page.getByLabel('The administrators', { exact: true }).check();
    const before = await api(`query($id: ID!) { group(id: $id) { ${AGREEMENTS} } }`, { id: group.id });
    const open = before.group.wordingAgreements[0];
    await api(`mutation($i: ProposeWordingInput!) { proposeWording(input: $i) { id version } }`, {
      i: { groupId: group.id, agreementVersion: open.version, text: `${template.body}\n\nBe kind to each other.`, proposedBy: 'UNIVERSITY' },
    });
    await page.getByRole('button', { name: 'Save the wording' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('changed');
    await expectAccessible(page);
    await screenshot(page, 'wording-conflict');
    await page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => page.locator('[aria-labelledby="reloaded-title"]').textContent(), { timeout: 5000 }).toContain('version 2').catch(async (e) => {
      await screenshot(page, 'wording-reload-failed');
      throw new Error(`${e}\n${consoleErrors.join('\n')}\n${await page.locator('main').textContent()}`);
    });
    expect(await page.getByLabel('The wording', { exact: true }).inputValue()).toBe(second);
    await expect.poll(() => page.getByText('This adds version 3').count()).toBe(1);
    await page.getByRole('button', { name: 'Save the wording' }).click();
    await page.waitForURL(`**/groups/${group.id}`, { timeout: 10_000 }).catch(async (e) => {
      await screenshot(page, 'wording-after-reload-failed');
      throw new Error(`${e}\n${await page.locator('main').textContent()}`);
    });
    await expect.poll(() => successBanner(page).textContent()).toContain('Version 3 of the wording is saved');

    const after = await api(`query($id: ID!) { group(id: $id) { ${AGREEMENTS} wordingVersions { id number text proposedBy } } }`, { id: group.id });
    expect(after.group.wordingVersions.map((w: { number: number; proposedBy: string }) => [w.number, w.proposedBy])).toEqual([
      [1, 'UNIVERSITY'], [2, 'UNIVERSITY'], [3, 'ADMINISTRATORS'],
    ]);
    expect(after.group.wordingVersions[2].text).toBe(second);

    // Every version is listed, newest first, with who proposed it.
    const cards = page.locator('.sp-wording-versions > li');
    await expect.poll(() => cards.count()).toBe(3);
    expect(await cards.first().locator('h4').textContent()).toContain('Version 3');
    expect(await cards.first().textContent()).toContain('The administrators');
    expect(await cards.nth(2).locator('h4').textContent()).toContain('Version 1');

    // 3. Compare version 1 with version 3: the words removed and added, each said in words too.
    const fromSelect = page.getByLabel('Compare', { exact: true });
    const toSelect = page.getByLabel('With', { exact: true });
    await fromSelect.selectOption({ index: 2 });
    await toSelect.selectOption({ index: 0 });
    const diff = page.getByTestId('diff');
    await expect.poll(() => diff.locator('ins').count()).toBeGreaterThan(0);
    const inserted = (await diff.locator('ins').allTextContents()).join('|');
    const deleted = (await diff.locator('del').allTextContents()).join('|');
    expect(inserted).toContain('group');
    expect(inserted).toContain('at');
    expect(deleted).toContain('independently');
    expect(deleted).toContain('free');
    for (const t of await diff.locator('ins').allTextContents()) expect(t.startsWith('added: ')).toBe(true);
    for (const t of await diff.locator('del').allTextContents()) expect(t.startsWith('removed: ')).toBe(true);
    expect(await diff.locator('ins > .govuk-visually-hidden').first().textContent()).toBe('added: ');
    expect(await diff.locator('del > .govuk-visually-hidden').first().textContent()).toBe('removed: ');
    // Without the hidden words and the marked parts, the diff reads as the later text; with the removals, as the earlier one.
    const visible = await diff.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.govuk-visually-hidden').forEach((n) => n.remove());
      const later = copy.cloneNode(true) as HTMLElement;
      later.querySelectorAll('del').forEach((n) => n.remove());
      const earlier = copy.cloneNode(true) as HTMLElement;
      earlier.querySelectorAll('ins').forEach((n) => n.remove());
      return { later: later.textContent, earlier: earlier.textContent, elements: [...el.querySelectorAll('*')].map((n) => n.tagName.toLowerCase()) };
    });
    expect(visible.later).toBe(second);
    expect(visible.earlier).toBe(template.body);
    expect(new Set(visible.elements)).toEqual(new Set(['ins', 'del', 'span']));
    await expect.poll(() => page.getByTestId('diff-summary').textContent()).toMatch(/addition/);
    // Version 2 against version 3: the sentence version 2 added is gone again.
    await fromSelect.selectOption({ index: 1 });
    await expect.poll(() => diff.locator('del').allTextContents().then((t) => t.join(''))).toContain('kind');

    // The officer may not approve: the page says why, in words, as the API does.
    const approveOfficer = after.group.wordingAgreements[0].version;
    expect(approveOfficer).toBeGreaterThan(0);
    const unmet = await page.getByTestId('approve-unmet').locator('li').allTextContents();
    expect(unmet.some((u) => /POSITION_EXPLAINED/.test(u))).toBe(true);
    expect(unmet.some((u) => /WORDING_REQUESTED/.test(u))).toBe(true);
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'wording-compare');
    expect(consoleErrors).toEqual([]);

    // 4. The lead: refused until a contact explained the position and asked for wording; then approves.
    const lead = await newPage(app.browser, app.signpost.url);
    await lead.page.goto(`/groups/${group.id}`);
    await signIn(lead.page, LEAD);
    await lead.page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => lead.page.getByTestId('approve-unmet').locator('li').allTextContents()).toEqual([
      "a logged contact must first explain the university's position to the administrators (policy step POSITION_EXPLAINED)",
      'a logged contact must first ask the administrators for signposting wording (policy step WORDING_REQUESTED)',
    ]);
    await api(`mutation($i: LogContactInput!) { logContact(input: $i) { id } }`, {
      i: {
        groupId: group.id, occurredAt: new Date().toISOString(), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND', outcome: 'ENGAGED',
        summary: "Explained the university's position and asked the admins to publish signposting wording.",
        steps: ['INTRODUCED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED'],
      },
    });
    await lead.page.reload();
    const approve = lead.page.getByRole('button', { name: 'Approve version 3' });
    await expect.poll(() => approve.count()).toBe(1);
    await expectAccessible(lead.page);
    await approve.click();
    await expect.poll(() => lead.page.locator('[aria-labelledby="approved-title"]').textContent()).toContain('Version 3 of the wording is agreed');
    await expect.poll(() => lead.page.getByTestId('agreed-wording').textContent()).toContain('Agreed');
    expect(await lead.page.getByTestId('agreed-wording').textContent()).toContain(second);
    expect(await lead.page.getByText('No wording is being agreed now.').count()).toBe(1);
    await expectAccessible(lead.page);
    await screenshot(lead.page, 'wording-agreed');

    const agreed = await api(`query($id: ID!) { group(id: $id) { status ${AGREEMENTS} } }`, { id: group.id });
    expect(agreed.group.wordingAgreements[0]).toMatchObject({ status: 'AGREED', latestVersion: { number: 3, text: second, proposedBy: 'ADMINISTRATORS' } });
    expect(agreed.group.wordingAgreements[0].approvedBy?.displayName).toBeTruthy();
    expect(lead.consoleErrors).toEqual([]);
    await lead.context.close();
    await context.close();
  }, 240_000);
});
