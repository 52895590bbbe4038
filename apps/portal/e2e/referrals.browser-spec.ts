import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ERROR_MESSAGES } from '@signpost/policy';
import {
  apiAs, chooseRadio, errorOf, expectAccessible, expectNoHorizontalScroll, inboxOf, newPage, screenshot, signIn, successBanner, summaryLinks, tabTo, useSignpost,
} from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';
const DISCIPLINE = 'discipline@signpost.test';
const HR = 'hr@signpost.test';
const LEGAL = 'legal@signpost.test';
const REFERRAL_FIELDS = `id status team reason summary version routingOverrideReason splitKey acknowledgedAt closedAt outcome outcomeNote
  submittedBy { email } createdBy { email } notes { body team } transfers { fromTeam toTeam reason }
  snapshot { team administrators { handle affiliation } contacts { summary } }`;

type Api = Awaited<ReturnType<typeof apiAs>>;

/** A group whose administrators have these links to the university, with one contact logged (evidence for the snapshot). */
async function groupWith(api: Api, name: string, admins: { handle: string; affiliation: string }[]): Promise<string> {
  const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
    i: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', handle: `@${name.replace(/\W/g, '_').toLowerCase()}` },
  });
  for (const a of admins) {
    await api(`mutation($i: AddAdministratorInput!) { addAdministrator(input: $i) { id } }`, { i: { groupId: group.id, ...a } });
  }
  await api(`mutation($i: LogContactInput!) { logContact(input: $i) { id } }`, {
    i: {
      groupId: group.id, occurredAt: new Date().toISOString(), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND',
      summary: 'We introduced the team and asked who runs the page.', steps: ['INTRODUCED'], outcome: 'NO_RESPONSE',
    },
  });
  return group.id as string;
}

async function draftFor(api: Api, groupId: string, summary = 'Posts naming students, and no support offered.'): Promise<string> {
  const { draftReferral } = await api(`mutation($i: DraftReferralInput!) { draftReferral(input: $i) { id } }`, {
    i: { groupId, reason: 'CONTENT_OF_CONCERN', summary },
  });
  return draftReferral.id as string;
}

async function submitted(lead: Api, referralId: string, routing: Record<string, unknown> = { mode: 'AUTO' }): Promise<string[]> {
  const { referral } = await lead(`query($id: ID!) { referral(id: $id) { version } }`, { id: referralId });
  const { submitReferral } = await lead(`mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { referrals { id } } }`, {
    i: { id: referralId, version: referral.version, routing },
  });
  return submitReferral.referrals.map((r: { id: string }) => r.id);
}

describe('referrals: drafted by the officer, routed and submitted by the lead, worked by the receiving team', () => {
  const app = useSignpost();
  let officer: Api;
  let lead: Api;

  beforeAll(async () => {
    [officer, lead] = await Promise.all([apiAs(app.signpost.url, OFFICER), apiAs(app.signpost.url, LEAD)]);
  });

  it('the officer drafts a referral for a group of students with the keyboard, sees it would go to Student discipline and cannot submit it; the lead submits it; only Discipline receives it', async () => {
    const name = `Exam Confessions ${Date.now()}`;
    const groupId = await groupWith(officer, name, [{ handle: '@first_student', affiliation: 'STUDENT' }, { handle: '@second_student', affiliation: 'STUDENT' }]);

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${groupId}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${groupId}`);
    const section = page.locator('#referrals');
    await expect.poll(() => section.textContent()).toBe('Referrals');
    await expect.poll(() => page.getByText('No referrals yet.', { exact: false }).count()).toBe(1);

    await tabTo(page, page.getByRole('link', { name: 'Draft a referral' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${groupId}/referrals/new`);
    await expect.poll(() => page.title()).toBe('Draft a referral – Signpost');

    // Sent empty: every problem at the top, linked to its field, and beside each field.
    await tabTo(page, page.getByRole('button', { name: 'Save the draft' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => summaryLinks(page)).toEqual(['Select why the administrators are referred', 'Enter what the receiving team needs to know']);
    expect(await errorOf(page, 'reason')).toBe('Select why the administrators are referred');
    expect(await errorOf(page, 'summary')).toBe('Enter what the receiving team needs to know');
    await expect.poll(() => page.title()).toBe('Error: Draft a referral – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'referral-draft-errors');

    await chooseRadio(page, 'Why are the administrators referred?', 'Content of concern');
    await tabTo(page, page.getByLabel('Summary'));
    await page.keyboard.type('Posts name <b>students</b>; no support is offered.');
    // Each error goes as it is put right.
    await expect.poll(() => page.locator('#summary-error').count()).toBe(0);
    await tabTo(page, page.getByRole('button', { name: 'Save the draft' }));
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    const referralId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is drafted');
    const { referral: draft } = await officer(`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id: referralId });
    expect(draft).toMatchObject({ status: 'DRAFT', team: null, reason: 'CONTENT_OF_CONCERN', summary: 'Posts name <b>students</b>; no support is offered.', createdBy: { email: OFFICER } });

    // Where it would go, before anyone submits it: the API's explanation, and per team which administrators.
    // The API's explanation, with its team names in the portal's words.
    await expect.poll(() => page.getByTestId('routing-explanation').textContent()).toContain('Student discipline');
    expect(await page.getByTestId('routing-explanation').textContent()).not.toContain('DISCIPLINE');
    const teams = page.getByTestId('routing-team');
    await expect.poll(() => teams.count()).toBe(1);
    expect(await teams.locator('h3').textContent()).toBe('Student discipline');
    expect(await teams.textContent()).toContain('@first_student');
    expect(await teams.textContent()).toContain('@second_student');
    expect(await page.locator('.govuk-warning-text').count()).toBe(0);
    // The officer may not submit: the button is disabled and says why, in the API's words.
    const submit = page.getByRole('button', { name: 'Submit the referral' });
    expect(await submit.isDisabled()).toBe(true);
    const unmet = (await page.getByTestId('submit-unmet').textContent()) ?? '';
    expect(unmet).toMatch(/Not possible: .+/);
    expect(await page.getByText('Posts name <b>students</b>; no support is offered.', { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'referral-draft-officer');

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The group page lists it as a draft (reached inside the portal: its list of referrals is not the one cached before the draft).
    await page.getByRole('link', { name: "Go to the group's page" }).click();
    await page.waitForURL(`**/groups/${groupId}`);
    const listed = page.getByTestId('group-referrals');
    await expect.poll(() => listed.textContent()).toContain('Draft: Content of concern');
    expect(await listed.textContent()).toContain('Draft');
    expect(await listed.getByRole('link').getAttribute('href')).toBe(`/referrals/${referralId}`);
    await expectAccessible(page);
    await screenshot(page, 'group-referrals');
    expect(consoleErrors).toEqual([]);
    await context.close();

    // The lead, in a browser of their own, submits it as proposed.
    const asLead = await newPage(app.browser, app.signpost.url);
    await asLead.page.goto(`/referrals/${referralId}`);
    await signIn(asLead.page, LEAD);
    await asLead.page.waitForURL(`**/referrals/${referralId}`);
    const mode = asLead.page.getByRole('group', { name: 'How should it be routed?' });
    await expect.poll(() => mode.getByRole('radio').count()).toBe(2);
    expect(await mode.getByLabel('As proposed: to Student discipline').isChecked()).toBe(true);
    await expectAccessible(asLead.page);
    await screenshot(asLead.page, 'referral-submit-lead');
    await tabTo(asLead.page, asLead.page.getByRole('button', { name: 'Submit the referral' }));
    await asLead.page.keyboard.press('Enter');
    await expect.poll(() => successBanner(asLead.page).textContent()).toContain('The referral is submitted to Student discipline');
    await expect.poll(() => asLead.page.locator('.govuk-caption-l').textContent()).toBe('Referral to Student discipline');
    // Once submitted: the snapshot, who submitted it and when.
    await expect.poll(() => asLead.page.getByTestId('snapshot-administrator').count()).toBe(2);
    expect(await asLead.page.locator('.govuk-summary-list__row', { hasText: 'Submitted' }).first().textContent()).toContain('by ');
    expect(await asLead.page.getByText('We introduced the team and asked who runs the page.').count()).toBe(1);
    await expectAccessible(asLead.page);
    await screenshot(asLead.page, 'referral-submitted-lead');
    const { referral: sent } = await lead(`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id: referralId });
    expect(sent).toMatchObject({ status: 'SUBMITTED', team: 'DISCIPLINE', submittedBy: { email: LEAD }, snapshot: { team: 'DISCIPLINE' } });
    expect(sent.snapshot.administrators.map((a: { handle: string }) => a.handle).sort()).toEqual(['@first_student', '@second_student']);
    expect(sent.snapshot.contacts).toEqual([{ summary: 'We introduced the team and asked who runs the page.' }]);
    expect(asLead.consoleErrors).toEqual([]);
    await asLead.context.close();

    // It arrives in Discipline's inbox, and in neither HR's nor Legal's.
    expect(await inboxOf(app.browser, app.signpost.url, DISCIPLINE)).toContain(name);
    expect(await inboxOf(app.browser, app.signpost.url, HR)).not.toContain(name);
    expect(await inboxOf(app.browser, app.signpost.url, LEGAL)).not.toContain(name);
  }, 240_000);

  it('the receiving team acknowledges, adds a note, progresses and closes with an outcome, each as the API keeps it; no horizontal scroll at 390 px', async () => {
    const name = `Halls Q&A ${Date.now()}`;
    const groupId = await groupWith(officer, name, [{ handle: '@halls_admin', affiliation: 'STUDENT' }]);
    const [referralId] = await submitted(lead, await draftFor(officer, groupId));
    const discipline = await apiAs(app.signpost.url, DISCIPLINE);
    const stored = async () => (await discipline(`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id: referralId })).referral;

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/inbox');
    await signIn(page, DISCIPLINE);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`**/referrals/${referralId}`);
    await expect.poll(() => page.getByTestId('snapshot-administrator').count()).toBe(1);
    // Not possible yet, with the reason: closing before acknowledging.
    await expect.poll(() => page.getByTestId('close-unmet').textContent()).toMatch(/Not possible: .+/);
    expect(await page.getByRole('button', { name: 'Close with an outcome' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'referral-team-new');

    await tabTo(page, page.getByRole('button', { name: 'Acknowledge' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => successBanner(page).textContent()).toContain('You acknowledged the referral');
    expect((await stored()).status).toBe('ACKNOWLEDGED');
    expect((await stored()).acknowledgedAt).not.toBeNull();

    // A note: empty is refused in the summary; then it is added and listed.
    await page.getByRole('button', { name: 'Add the note' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter the note']);
    await expectAccessible(page);
    await tabTo(page, page.getByLabel('Note', { exact: true }));
    await page.keyboard.type('Spoke to the student conduct officer; <i>meeting</i> booked.');
    await page.getByRole('button', { name: 'Add the note' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('Your note is added');
    await expect.poll(() => page.getByTestId('notes').textContent()).toContain('Spoke to the student conduct officer; <i>meeting</i> booked.');
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('');
    expect((await stored()).notes).toEqual([{ body: 'Spoke to the student conduct officer; <i>meeting</i> booked.', team: 'DISCIPLINE' }]);

    await page.getByRole('button', { name: 'Mark as in progress' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is in progress');
    expect((await stored()).status).toBe('IN_PROGRESS');
    await expect.poll(() => page.getByRole('button', { name: 'Mark as in progress' }).count()).toBe(0);

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'referral-team-in-progress-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Select the outcome']);
    await expectAccessible(page);
    await screenshot(page, 'referral-close-errors');
    await chooseRadio(page, 'What was the outcome?', 'Action taken');
    await page.getByLabel('Note on the outcome (optional)').fill('A written warning was issued.');
    await page.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is closed: Action taken');
    await expect.poll(() => page.locator('.govuk-summary-list__row', { hasText: 'Outcome' }).first().textContent()).toContain('Action taken: A written warning was issued.');
    expect(await stored()).toMatchObject({ status: 'CLOSED', outcome: 'ACTION_TAKEN', outcomeNote: 'A written warning was issued.' });
    expect((await stored()).closedAt).not.toBeNull();
    expect(await page.locator('#actions').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'referral-team-closed');
    // Closed, it is no longer in the team's open referrals (the inbox cached before is not what is shown).
    await page.getByRole('navigation').getByRole('link', { name: 'Referrals' }).click();
    await page.waitForURL('**/inbox');
    await expect.poll(() => page.locator('main p[aria-live]').textContent()).not.toContain('Loading');
    expect(await page.getByRole('link', { name }).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 240_000);

  it('the lead splits a mixed group one referral per team, with links to each; or overrides to one team, the reason checked as it is typed', async () => {
    const splitName = `Mixed Memes ${Date.now()}`;
    const splitGroup = await groupWith(officer, splitName, [{ handle: '@mixed_student', affiliation: 'STUDENT' }, { handle: '@mixed_staff', affiliation: 'STAFF' }]);
    const splitDraft = await draftFor(officer, splitGroup);

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/referrals/${splitDraft}`);
    await signIn(page, LEAD);
    await page.waitForURL(`**/referrals/${splitDraft}`);
    await expect.poll(() => page.getByTestId('routing-team').count()).toBe(2);
    expect(await page.locator('.govuk-warning-text').textContent()).toContain('more than one team');
    const mode = page.getByRole('group', { name: 'How should it be routed?' });
    // No "as proposed" when there are two teams: split or override.
    expect(await mode.getByRole('radio').count()).toBe(2);
    await page.getByRole('button', { name: 'Submit the referral' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Select how to route the referral']);
    await expectAccessible(page);
    await screenshot(page, 'referral-submit-errors');
    await chooseRadio(page, 'How should it be routed?', 'Split: one referral for each team (2 referrals)');
    await page.getByRole('button', { name: 'Submit the referral' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is split and submitted: 2 referrals');
    const links = page.getByTestId('created-referrals').getByRole('link');
    expect((await links.allTextContents()).sort()).toEqual(['Referral to HR', 'Referral to Student discipline']);
    await expectAccessible(page);
    await screenshot(page, 'referral-split');
    const { group } = await lead(`query($id: ID!) { group(id: $id) { referrals { id team status splitKey } } }`, { id: splitGroup });
    expect(group.referrals.map((r: { team: string }) => r.team).sort()).toEqual(['DISCIPLINE', 'HR']);
    expect(group.referrals.every((r: { status: string; splitKey: string }) => r.status === 'SUBMITTED' && r.splitKey === group.referrals[0].splitKey)).toBe(true);
    const hrLink = await links.filter({ hasText: 'HR' }).getAttribute('href');
    expect(hrLink).toBe(`/referrals/${group.referrals.find((r: { team: string }) => r.team === 'HR').id}`);
    expect(await inboxOf(app.browser, app.signpost.url, HR)).toContain(splitName);
    expect(await inboxOf(app.browser, app.signpost.url, DISCIPLINE)).toContain(splitName);
    expect(await inboxOf(app.browser, app.signpost.url, LEGAL)).not.toContain(splitName);

    // Override: every administrator to Legal, with a written reason checked as it is typed.
    const overrideName = `Override Page ${Date.now()}`;
    const overrideGroup = await groupWith(officer, overrideName, [{ handle: '@ov_student', affiliation: 'STUDENT' }, { handle: '@ov_staff', affiliation: 'STAFF' }]);
    const overrideDraft = await draftFor(officer, overrideGroup);
    await page.goto(`/referrals/${overrideDraft}`);
    await chooseRadio(page, 'How should it be routed?', 'Override: send it all to one team, with a reason');
    await page.getByRole('button', { name: 'Submit the referral' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Select the team to send it to', 'Enter why you are overriding the routing, in at least 10 characters']);
    await expectAccessible(page);
    await chooseRadio(page, 'Which team should it all go to?', 'Legal');
    await tabTo(page, page.getByLabel('Why are you overriding the routing?'));
    await page.keyboard.type('Short');
    await expect.poll(() => errorOf(page, 'overrideReason')).toBe('Enter why you are overriding the routing, in at least 10 characters');
    await page.keyboard.type(' — both act for an outside company');
    await expect.poll(() => page.locator('#overrideReason-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Submit the referral' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is submitted to Legal');
    await expect.poll(() => page.locator('.govuk-summary-list__row', { hasText: 'Routing overridden' }).textContent()).toContain('Short — both act for an outside company');
    const { referral: overridden } = await lead(`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id: overrideDraft });
    expect(overridden).toMatchObject({ status: 'SUBMITTED', team: 'LEGAL', routingOverrideReason: 'Short — both act for an outside company' });
    expect(overridden.snapshot.administrators).toHaveLength(2);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a transfer to another team takes the referral off the team’s list, says so and links back to the inbox; the other team has it', async () => {
    const name = `Transfer Page ${Date.now()}`;
    const groupId = await groupWith(officer, name, [{ handle: '@tr_admin', affiliation: 'STUDENT' }]);
    const [referralId] = await submitted(lead, await draftFor(officer, groupId));

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    // From the inbox (so its list is in the portal's cache when the person comes back to it).
    await page.goto('/inbox');
    await signIn(page, DISCIPLINE);
    await page.getByRole('link', { name }).click();
    await page.waitForURL(`**/referrals/${referralId}`);
    await page.getByRole('button', { name: 'Transfer the referral' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Select the team the referral belongs with', 'Enter why the referral belongs with the other team']);
    await expectAccessible(page);
    // The team it is with is not offered.
    expect(await page.getByRole('group', { name: 'Which team does it belong with?' }).getByRole('radio').count()).toBe(2);
    await chooseRadio(page, 'Which team does it belong with?', 'HR');
    await page.getByLabel('Why does it belong with them?').fill('The administrator is a member of staff, not a student.');
    await page.getByRole('button', { name: 'Transfer the referral' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is transferred to HR');
    expect(await successBanner(page).textContent()).toContain("It has left your team's list");
    await expectAccessible(page);
    await screenshot(page, 'referral-transferred');
    await page.getByRole('link', { name: 'Go back to your referrals' }).click();
    await page.waitForURL('**/inbox');
    await expect.poll(() => page.locator('main p[aria-live]').textContent()).not.toContain('Loading');
    expect(await page.getByRole('link', { name }).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();

    expect(await inboxOf(app.browser, app.signpost.url, HR)).toContain(name);
    const hr = await apiAs(app.signpost.url, HR);
    const { referral } = await hr(`query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id: referralId });
    expect(referral).toMatchObject({ team: 'HR', status: 'SUBMITTED', transfers: [{ fromTeam: 'DISCIPLINE', toTeam: 'HR', reason: 'The administrator is a member of staff, not a student.' }] });
  }, 240_000);

  it('a stale action is refused as a conflict: the page says what changed and keeps what was typed; a stale draft edit keeps the text and shows theirs', async () => {
    const name = `Conflict Page ${Date.now()}`;
    const groupId = await groupWith(officer, name, [{ handle: '@cf_admin', affiliation: 'STUDENT' }]);
    const [referralId] = await submitted(lead, await draftFor(officer, groupId));
    const discipline = await apiAs(app.signpost.url, DISCIPLINE);
    const { referral: r0 } = await discipline(`query($id: ID!) { referral(id: $id) { version } }`, { id: referralId });
    await discipline(`mutation($i: AcknowledgeReferralInput!) { acknowledgeReferral(input: $i) { id } }`, { i: { id: referralId, version: r0.version } });

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/referrals/${referralId}`);
    await signIn(page, DISCIPLINE);
    await page.waitForURL(`**/referrals/${referralId}`);
    await expect.poll(() => page.getByRole('button', { name: 'Close the referral' }).count()).toBe(1);
    // Meanwhile a colleague moves it on.
    const { referral: r1 } = await discipline(`query($id: ID!) { referral(id: $id) { version } }`, { id: referralId });
    await discipline(`mutation($i: UpdateReferralStatusInput!) { updateReferralStatus(input: $i) { id } }`, { i: { id: referralId, version: r1.version, status: 'IN_PROGRESS' } });

    await chooseRadio(page, 'What was the outcome?', 'No further action');
    await page.getByLabel('Note on the outcome (optional)').fill('Nothing more for us to do.');
    await page.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    await expectAccessible(page);
    await screenshot(page, 'referral-conflict');
    await page.getByRole('button', { name: 'Reload the referral' }).click();
    const changed = page.locator('.govuk-notification-banner', { hasText: 'This referral changed while you had it open' });
    await expect.poll(() => changed.textContent()).toContain('Its status is now In progress (it was Acknowledged).');
    expect(await page.getByLabel('Note on the outcome (optional)').inputValue()).toBe('Nothing more for us to do.');
    expect(await page.getByLabel('No further action').isChecked()).toBe(true);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => successBanner(page).textContent()).toContain('The referral is closed: No further action');
    const { referral: closed } = await discipline(`query($id: ID!) { referral(id: $id) { status outcome outcomeNote } }`, { id: referralId });
    expect(closed).toEqual({ status: 'CLOSED', outcome: 'NO_FURTHER_ACTION', outcomeNote: 'Nothing more for us to do.' });
    expect(consoleErrors).toEqual([]);
    await context.close();

    // A draft edited by two people: the second save is refused; reloading keeps what they typed and shows the other value.
    const draftId = await draftFor(officer, groupId, 'The first summary.');
    const asOfficer = await newPage(app.browser, app.signpost.url);
    await asOfficer.page.goto(`/referrals/${draftId}/edit`);
    await signIn(asOfficer.page, OFFICER);
    await asOfficer.page.waitForURL(`**/referrals/${draftId}/edit`);
    await expect.poll(() => asOfficer.page.getByLabel('Summary').inputValue()).toBe('The first summary.');
    const { referral: d0 } = await officer(`query($id: ID!) { referral(id: $id) { version } }`, { id: draftId });
    await officer(`mutation($i: UpdateReferralDraftInput!) { updateReferralDraft(input: $i) { id } }`, { i: { id: draftId, version: d0.version, summary: 'Their summary.' } });
    await asOfficer.page.getByLabel('Summary').fill('My summary.');
    await asOfficer.page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => asOfficer.page.locator('.govuk-error-summary').textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    await expectAccessible(asOfficer.page);
    await asOfficer.page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => asOfficer.page.locator('#summary-note').textContent()).toBe('Someone else saved this as: Their summary.');
    expect(await asOfficer.page.getByLabel('Summary').inputValue()).toBe('My summary.');
    await expectAccessible(asOfficer.page);
    await screenshot(asOfficer.page, 'referral-draft-conflict');
    await asOfficer.page.getByRole('button', { name: 'Save changes' }).click();
    await asOfficer.page.waitForURL(`**/referrals/${draftId}`);
    await expect.poll(() => successBanner(asOfficer.page).textContent()).toContain('Your changes to the draft are saved');
    const { referral: edited } = await officer(`query($id: ID!) { referral(id: $id) { summary status } }`, { id: draftId });
    expect(edited).toEqual({ summary: 'My summary.', status: 'DRAFT' });
    expect(asOfficer.consoleErrors).toEqual([]);
    await asOfficer.context.close();
  }, 240_000);
});
