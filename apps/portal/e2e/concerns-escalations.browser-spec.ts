import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ERROR_MESSAGES } from '@signpost/policy';
import {
  apiAs, chooseRadio, dayParts, errorOf, expectAccessible, expectNoHorizontalScroll, newPage, screenshot, signIn, successBanner,
  summaryFocused, summaryLinks, tabTo, typeInto, useSignpost,
} from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';
const ESCALATION = `id status version kind reason externalReference reportedAt outcome approvedAt approvedBy { displayName } createdBy { displayName }
  group { id status } availableActions { action allowed unmet }`;

const statusTag = (page: Page) => page.locator('h1 + p .govuk-tag').textContent().then((t) => t?.trim());
const unmetOf = (page: Page, action: string) => page.getByTestId(`${action}-unmet`).locator('li').allTextContents();

describe('concerns and escalations: a critical concern prompts an escalation, a lead approves it, it is reported and closed', () => {
  const app = useSignpost();

  it('the officer records a critical wellbeing concern with the keyboard, is prompted and drafts; the lead approves; the officer reports and closes it', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const leadApi = await apiAs(app.signpost.url, LEAD);
    const name = `Worrying Confessions ${Date.now()}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id status } }`, {
      i: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'LOW' },
    });
    const { addAdministrator: admin } = await api(`mutation($i: AddAdministratorInput!) { addAdministrator(input: $i) { id handle } }`, {
      i: { groupId: group.id, handle: '@worried_admin', affiliation: 'STUDENT' },
    });

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Concerns', exact: true }).count()).toBe(1);
    expect(await page.getByText('No concerns are recorded.').count()).toBe(1);
    expect(await page.getByText('No escalations are recorded.').count()).toBe(1);
    expect(await page.getByTestId('escalation-prompt').count()).toBe(0);

    // 1. Record a concern, with the keyboard only.
    await tabTo(page, page.getByRole('link', { name: 'Record a concern' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${group.id}/concerns/new`);
    await expect.poll(() => page.title()).toBe('Record a concern – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'concern-form');

    // Sending nothing lists every problem, in the form's order, and axe passes with them shown.
    await tabTo(page, page.getByRole('button', { name: 'Record the concern' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => summaryLinks(page)).toEqual([
      'Select what kind of content it is',
      'Select how serious it is',
      'Enter the date you saw it',
      'Describe what you saw',
      'Select what was done about it, or ‘No action’',
    ]);
    await expect.poll(() => page.title()).toBe('Error: Record a concern – Signpost');
    expect(await summaryFocused(page)).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'concern-form-errors');

    const seen = dayParts(1);
    await chooseRadio(page, 'What kind of content is it?', 'Wellbeing or safety');
    await chooseRadio(page, 'How serious is it?', 'Critical');
    await tabTo(page, page.getByLabel('Day'));
    await page.keyboard.type(seen.day);
    await page.keyboard.press('Tab');
    await page.keyboard.type(seen.month);
    await page.keyboard.press('Tab');
    await page.keyboard.type(seen.year);
    // A link that is not http(s) is refused as you type (once you leave the field).
    await typeInto(page, 'Link to the content (optional)', 'javascript:alert(1)');
    await page.keyboard.press('Tab');
    await expect.poll(() => errorOf(page, 'link')).toMatch(/^Enter a link to the content starting with http/);
    await page.getByLabel('Link to the content (optional)').fill('');
    await typeInto(page, 'Link to the content (optional)', 'https://www.instagram.com/p/worrying-post');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator('#link-error').count()).toBe(0);
    await typeInto(page, 'What did you see?', 'A post says a student intends to harm themselves tonight.\nComments egg them on.');
    await tabTo(page, page.getByLabel('Which administrator is it about? (optional)'));
    await page.keyboard.type('@worried');
    expect(await page.getByLabel('Which administrator is it about? (optional)').inputValue()).toBe(admin.id);
    await chooseRadio(page, 'What was done about it?', 'Passed to wellbeing');
    await tabTo(page, page.getByRole('button', { name: 'Record the concern' }));
    await page.keyboard.press('Enter');

    // 2. Back on the group page: the concern, and the prompt to escalate (important, not a success message).
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain('The concern is recorded');
    const prompt = page.getByTestId('escalation-prompt');
    await expect.poll(() => prompt.count()).toBe(1);
    expect(await prompt.getAttribute('class')).not.toContain('--success');
    expect(await prompt.locator('.govuk-notification-banner__title').textContent()).toBe('Important');
    expect(await prompt.textContent()).toContain('calls for an escalation to the platform or the police');
    const card = page.locator('.sp-concerns > li');
    await expect.poll(() => card.count()).toBe(1);
    const cardText = await card.first().textContent();
    expect(cardText).toContain('Wellbeing or safety');
    expect(cardText).toContain('Critical severity');
    expect(cardText).toContain('@worried_admin');
    expect(cardText).toContain('Passed to wellbeing');
    expect(cardText).toContain('intends to harm themselves');
    const link = card.first().getByRole('link', { name: /worrying-post/ });
    expect(await link.getAttribute('href')).toBe('https://www.instagram.com/p/worrying-post');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await expect.poll(() => page.locator('h1 + p').textContent()).toContain('Critical risk');

    const stored = await api(`query($id: ID!) { group(id: $id) { riskLevel escalationPrompted concerns { category severity seenAt link description actionTaken administrator { id } } } }`, { id: group.id });
    expect(stored.group).toMatchObject({ riskLevel: 'CRITICAL', escalationPrompted: true });
    expect(stored.group.concerns).toEqual([{
      category: 'WELLBEING_SAFETY', severity: 'CRITICAL', seenAt: expect.any(String), link: 'https://www.instagram.com/p/worrying-post',
      description: 'A post says a student intends to harm themselves tonight.\nComments egg them on.', actionTaken: 'PASSED_TO_WELLBEING', administrator: { id: admin.id },
    }]);
    expect(new Date(stored.group.concerns[0].seenAt).toDateString()).toBe(seen.date.toDateString());
    await expectAccessible(page);
    await screenshot(page, 'group-escalation-prompt');

    // 3. The obvious next step: draft the escalation.
    await tabTo(page, prompt.getByRole('link', { name: 'Draft an escalation' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${group.id}/escalations/new`);
    await expect.poll(() => page.title()).toBe('Draft an escalation – Signpost');
    await expectAccessible(page);
    await tabTo(page, page.getByRole('button', { name: 'Save the draft' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => summaryLinks(page)).toEqual(['Select who the group is to be reported to', 'Enter why the group must be reported']);
    await expectAccessible(page);
    await screenshot(page, 'escalation-form-errors');
    await chooseRadio(page, 'Who is the group to be reported to?', 'Report to the police');
    await typeInto(page, 'Why must the group be reported?', 'A student may be at risk of harm tonight; the page encourages it.');
    await tabTo(page, page.getByRole('button', { name: 'Save the draft' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/escalations\/[0-9a-f-]+$/);
    const escalationId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => successBanner(page).textContent()).toContain('The escalation is drafted');
    await expect.poll(() => statusTag(page)).toBe('Draft');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Report to the police');

    // The officer may not approve, nor report a draft: the page says why, as the API does.
    const asOfficer = (await api(`query($id: ID!) { escalation(id: $id) { ${ESCALATION} } }`, { id: escalationId })).escalation;
    expect(asOfficer).toMatchObject({ status: 'DRAFT', kind: 'POLICE_REPORT', reason: 'A student may be at risk of harm tonight; the page encourages it.', createdBy: { displayName: expect.any(String) } });
    const officerApprove = asOfficer.availableActions.find((a: { action: string }) => a.action === 'approve');
    expect(officerApprove.allowed).toBe(false);
    expect(await unmetOf(page, 'approve')).toEqual(officerApprove.unmet);
    expect(await unmetOf(page, 'report')).toEqual(asOfficer.availableActions.find((a: { action: string }) => a.action === 'report').unmet);
    expect(officerApprove.unmet.join(' ')).toMatch(/approve escalations/);
    expect(await page.getByRole('button', { name: 'Approve the escalation' }).count()).toBe(0);
    expect(await page.getByTestId('escalation-details').textContent()).toContain(asOfficer.createdBy.displayName);
    await expectAccessible(page);
    await screenshot(page, 'escalation-draft-officer');

    // The group page no longer prompts: an escalation is drafted, and listed.
    const groupAfterDraft = await api(`query($id: ID!) { group(id: $id) { escalationPrompted escalations { id status } } }`, { id: group.id });
    expect(groupAfterDraft.group).toEqual({ escalationPrompted: false, escalations: [{ id: escalationId, status: 'DRAFT' }] });

    // 4. The lead, in a browser of their own, approves it on the escalation page.
    const lead = await newPage(app.browser, app.signpost.url);
    await lead.page.goto(`/escalations/${escalationId}`);
    await signIn(lead.page, LEAD);
    await lead.page.waitForURL(`**/escalations/${escalationId}`);
    const approve = lead.page.getByRole('button', { name: 'Approve the escalation' });
    await expect.poll(() => approve.count()).toBe(1);
    await expectAccessible(lead.page);
    await tabTo(lead.page, approve);
    await lead.page.keyboard.press('Enter');
    await expect.poll(() => lead.page.locator('[aria-labelledby="done-title"]').textContent()).toContain('The escalation is approved');
    await expect.poll(() => statusTag(lead.page)).toBe('Approved');
    const approved = (await leadApi(`query($id: ID!) { escalation(id: $id) { ${ESCALATION} } }`, { id: escalationId })).escalation;
    expect(approved).toMatchObject({ status: 'APPROVED', approvedAt: expect.any(String), approvedBy: { displayName: expect.any(String) } });
    expect(await lead.page.getByTestId('escalation-details').textContent()).toContain(approved.approvedBy.displayName);
    expect(lead.consoleErrors).toEqual([]);
    await lead.context.close();

    // 5. The officer reports it: the reference is needed (checked as you type), then the group is ESCALATED.
    await page.reload();
    const reportForm = page.getByTestId('report-form');
    await expect.poll(() => reportForm.count()).toBe(1);
    expect(await page.getByLabel('Day').inputValue()).toBe(String(new Date().getDate()));
    await tabTo(page, page.getByRole('button', { name: 'Record the report' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter the crime reference number the police gave you']);
    expect(await errorOf(page, 'externalReference')).toBe('Enter the crime reference number the police gave you');
    await expectAccessible(page);
    await screenshot(page, 'escalation-report-errors');
    // What only the API can tell (a text-direction character pasted in with the reference) is shown on the field too.
    await page.getByLabel('Crime reference number').fill('CR/12345/26\u202E');
    await expect.poll(() => page.locator('#externalReference-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Record the report' }).click();
    await expect.poll(() => errorOf(page, 'externalReference')).toMatch(/^The reference contains control or text-direction characters/);
    expect(await summaryLinks(page)).toEqual([await errorOf(page, 'externalReference')]);
    expect((await api(`query($id: ID!) { escalation(id: $id) { status } }`, { id: escalationId })).escalation.status).toBe('APPROVED');
    await page.getByLabel('Crime reference number').fill('');
    await typeInto(page, 'Crime reference number', 'CR/12345/26');
    await expect.poll(() => page.locator('#externalReference-error').count()).toBe(0);
    await tabTo(page, page.getByRole('button', { name: 'Record the report' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-labelledby="done-title"]').textContent(), { timeout: 5000 }).toContain('The report is recorded').catch(async (e) => {
      throw new Error(`${e}\n${consoleErrors.join('\n')}\n${await page.locator('main').textContent()}`);
    });
    await expect.poll(() => statusTag(page)).toBe('Reported');
    const reported = (await api(`query($id: ID!) { escalation(id: $id) { ${ESCALATION} } }`, { id: escalationId })).escalation;
    expect(reported).toMatchObject({ status: 'REPORTED', externalReference: 'CR/12345/26', reportedAt: expect.any(String), group: { status: 'ESCALATED' } });
    expect(new Date(reported.reportedAt).toDateString()).toBe(new Date().toDateString());
    expect(await page.locator('[aria-labelledby="done-title"]').textContent()).toContain('escalated');
    expect(await page.getByTestId('escalation-details').textContent()).toContain('CR/12345/26');
    expect(await page.getByTestId('escalation-details').textContent()).toContain('Escalated');

    // 6. Close it with the outcome.
    await tabTo(page, page.getByRole('button', { name: 'Close the escalation' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => errorOf(page, 'outcome')).toBe('Enter what came of the report');
    await expectAccessible(page);
    await typeInto(page, 'What came of the report?', 'The police made a welfare visit; the post was removed.');
    await tabTo(page, page.getByRole('button', { name: 'Close the escalation' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-labelledby="done-title"]').textContent()).toContain('The escalation is closed');
    await expect.poll(() => statusTag(page)).toBe('Closed');
    const closed = (await api(`query($id: ID!) { escalation(id: $id) { ${ESCALATION} } }`, { id: escalationId })).escalation;
    expect(closed).toMatchObject({ status: 'CLOSED', outcome: 'The police made a welfare visit; the post was removed.' });
    expect(await page.getByTestId('escalation-details').textContent()).toContain('welfare visit');
    // Nothing more can be done, and the page says why for each action, as the API does.
    for (const a of closed.availableActions) expect(await unmetOf(page, a.action)).toEqual(a.unmet);
    await expectAccessible(page);
    await screenshot(page, 'escalation-closed');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'escalation-closed-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The group page: escalated, with the escalation listed and a link to it.
    await page.getByRole('link', { name: `Back to ${name}` }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.locator('h1 + p').textContent()).toContain('Escalated');
    const listed = page.locator('.sp-escalations > li');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.first().textContent()).toContain('Closed');
    expect(await listed.first().getByRole('link').getAttribute('href')).toBe(`/escalations/${escalationId}`);
    expect(await page.getByTestId('escalation-prompt').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'group-concerns-escalations');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a stale action is refused as a CONFLICT: reloading keeps the reference typed, and the report then goes through', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const leadApi = await apiAs(app.signpost.url, LEAD);
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name: `Hateful Memes ${Date.now()}`, platform: 'X', kind: 'MEMES', riskLevel: 'HIGH' },
    });
    const { recordEscalation: drafted } = await api(`mutation($i: RecordEscalationInput!) { recordEscalation(input: $i) { id version } }`, {
      i: { groupId: group.id, kind: 'PLATFORM_REPORT', reason: 'Hate speech against a student society.' },
    });

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/escalations/${drafted.id}`);
    await signIn(page, LEAD);
    await page.waitForURL(`**/escalations/${drafted.id}`);
    // A lead may report a draft, approving it in the same step.
    await expect.poll(() => page.getByTestId('report-form').count()).toBe(1);
    expect(await page.getByTestId('report-form').textContent()).toContain('also approves');
    await typeInto(page, "The platform's report number", 'X-REPORT-998877');

    // Meanwhile the escalation is approved elsewhere: the page's version is stale.
    await leadApi(`mutation($i: ApproveEscalationInput!) { approveEscalation(input: $i) { id } }`, { i: { id: drafted.id, version: drafted.version } });
    await tabTo(page, page.getByRole('button', { name: 'Record the report' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    await expectAccessible(page);
    await screenshot(page, 'escalation-conflict');
    expect((await api(`query($id: ID!) { escalation(id: $id) { status externalReference } }`, { id: drafted.id })).escalation).toEqual({ status: 'APPROVED', externalReference: null });

    await tabTo(page, page.getByRole('button', { name: 'Reload, keeping what I typed' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-labelledby="report-reloaded-title"]').textContent()).toContain('changed while you were typing');
    await expect.poll(() => statusTag(page)).toBe('Approved');
    expect(await page.getByLabel("The platform's report number").inputValue()).toBe('X-REPORT-998877');
    expect(await page.getByTestId('report-form').textContent()).not.toContain('also approves');
    await expectAccessible(page);
    await tabTo(page, page.getByRole('button', { name: 'Record the report' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[aria-labelledby="done-title"]').textContent()).toContain('The report is recorded');
    await expect.poll(() => statusTag(page)).toBe('Reported');
    const stored = (await api(`query($id: ID!) { escalation(id: $id) { ${ESCALATION} } }`, { id: drafted.id })).escalation;
    expect(stored).toMatchObject({ status: 'REPORTED', externalReference: 'X-REPORT-998877', version: drafted.version + 2, group: { status: 'ESCALATED' } });

    // An escalation that is not there reads as a page that is not there.
    await page.goto('/escalations/00000000-0000-4000-8000-000000000000');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
