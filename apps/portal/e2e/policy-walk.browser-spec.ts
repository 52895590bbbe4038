import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  AFFILIATION_LABELS, CONCERN_ACTION_LABELS, CONCERN_CATEGORY_LABELS, CONTACT_CHANNEL_LABELS, CONTACT_DIRECTION_LABELS, CONTACT_OUTCOME_LABELS, GROUP_STATUS_LABELS,
  LOGO_STATUS_LABELS, PLACEMENT_STATE_LABELS, POLICY_STEP_LABELS, REFERRAL_OUTCOME_LABELS, REFERRAL_REASON_LABELS, SEVERITY_LABELS,
  TEAM_LABELS, type GroupStatus,
} from '@signpost/policy';
import {
  apiAs, chooseRadio, expectAccessible, inboxOf, newPage, screenshot, signIn, useSignpost,
} from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';
const HR = 'hr@signpost.test';
const DISCIPLINE = 'discipline@signpost.test';
const LEGAL = 'legal@signpost.test';

const banner = (page: Page) => page.locator('.govuk-notification-banner--success');

async function fillDate(page: Page, name: string, date: Date) {
  await page.locator(`#${name}-day`).fill(String(date.getDate()));
  await page.locator(`#${name}-month`).fill(String(date.getMonth() + 1));
  await page.locator(`#${name}-year`).fill(String(date.getFullYear()));
}

/** Follows a link on the group page to one of its forms, and waits for the form. */
async function openForm(page: Page, link: string, path: string) {
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.waitForURL((u) => u.pathname.endsWith(path));
  await page.locator('main form').waitFor();
}

/** Sends a form and waits to be back on the group page with the form's success banner. */
async function sendAndReturn(page: Page, button: string, groupId: string, says: string | RegExp) {
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL((u) => u.pathname === `/groups/${groupId}`, { timeout: 20_000 });
  await expect.poll(() => banner(page).textContent()).toMatch(says);
}

/**
 * The walk the issue asks for, through the portal only: the officer records
 * a sighting and carries it through every step of the policy (the lead
 * approving the wording in a browser of their own), records a concern and
 * drafts a referral; the lead sees where it will go and submits it; it
 * arrives in HR's inbox and in no other team's, and HR acknowledges it, adds a
 * note and closes it with an outcome. Each step is checked against what the
 * API then holds.
 */
describe('the policy walked in the portal, from a sighting to a referral closed by the team it was routed to', () => {
  const app = useSignpost();

  it('walks a new group through every policy step to a referral HR acknowledges, notes and closes', async () => {
    const officerApi = await apiAs(app.signpost.url, OFFICER);
    const statusOf = async (id: string): Promise<GroupStatus> =>
      (await officerApi(`query($id: ID!) { group(id: $id) { status } }`, { id })).group.status;
    const name = `Walk Confessions ${Date.now()}`;

    // 1. The officer records the sighting, from the register.
    const officer = await newPage(app.browser, app.signpost.url);
    const page = officer.page;
    await page.goto('/');
    await signIn(page, OFFICER);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Register' }).click();
    await page.waitForURL('**/register');
    await page.getByRole('link', { name: 'Record a sighting' }).click();
    await page.waitForURL('**/groups/new');
    await page.getByLabel('Name of the group').fill(name);
    await page.getByLabel('Platform').selectOption('INSTAGRAM');
    await chooseRadio(page, 'What kind of group is it?', 'Confessions page');
    await page.getByLabel('Handle (optional)').fill('@walk_confessions');
    await chooseRadio(page, "Does it market itself to the university's students or staff?", 'Yes');
    await chooseRadio(page, 'Does it use the university logo?', 'Yes');
    await chooseRadio(page, 'Risk level', 'Medium');
    await page.getByRole('button', { name: 'Record the sighting' }).click();
    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    const groupId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => banner(page).textContent()).toContain(`${name} is in the register`);
    expect(await statusOf(groupId)).toBe('DISCOVERED');

    // 2. Its administrator, a member of staff, and how that was found out.
    await openForm(page, 'Add an administrator', '/administrators/new');
    await page.getByLabel('Handle', { exact: true }).fill('@walk_admin');
    await page.getByLabel('Name (optional)').fill('Sam Staffmember');
    await chooseRadio(page, 'What is their link to the university?', AFFILIATION_LABELS.STAFF);
    await page.getByLabel('How did you find out their link to the university? (optional)').fill('They told us in a message, and the staff directory agrees.');
    await sendAndReturn(page, 'Add the administrator', groupId, /administrator/i);

    // 3. The first contact covers the steps it can: introduced, affiliation, position, wording and logo asked for.
    await openForm(page, 'Log a contact', '/contacts/new');
    await fillDate(page, 'occurredAt', new Date());
    await chooseRadio(page, 'How was it made?', CONTACT_CHANNEL_LABELS.PLATFORM_MESSAGE);
    await chooseRadio(page, 'Who made the contact?', CONTACT_DIRECTION_LABELS.OUTBOUND);
    await page.getByLabel('What was said').fill('We introduced the team, explained the policy, asked for the signposting wording and for the logo to come down.');
    for (const step of ['INTRODUCED', 'AFFILIATION_ASCERTAINED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED', 'LOGO_REMOVAL_REQUESTED'] as const) {
      await page.getByLabel(POLICY_STEP_LABELS[step], { exact: true }).check();
    }
    await chooseRadio(page, 'What came of it?', CONTACT_OUTCOME_LABELS.NO_RESPONSE);
    await sendAndReturn(page, 'Log the contact', groupId, 'The contact is logged');
    expect(await statusOf(groupId)).toBe('CONTACTING');

    // 4. They answer and engage.
    await openForm(page, 'Log a contact', '/contacts/new');
    await fillDate(page, 'occurredAt', new Date());
    await chooseRadio(page, 'How was it made?', CONTACT_CHANNEL_LABELS.PLATFORM_MESSAGE);
    await chooseRadio(page, 'Who made the contact?', CONTACT_DIRECTION_LABELS.INBOUND);
    await page.getByLabel('What was said').fill('They agreed to pin the wording and set up the auto-response.');
    await chooseRadio(page, 'What came of it?', CONTACT_OUTCOME_LABELS.ENGAGED);
    await sendAndReturn(page, 'Log the contact', groupId, `moved from ${GROUP_STATUS_LABELS.CONTACTING} to ${GROUP_STATUS_LABELS.ENGAGED}`);
    expect(await statusOf(groupId)).toBe('ENGAGED');

    // 5. The wording, from the university's template.
    const { wordingTemplates } = await officerApi(`{ wordingTemplates { name version } }`);
    await openForm(page, 'Propose wording', '/wording/new');
    await page.getByLabel('Start from a template (optional)').selectOption({ label: `${wordingTemplates[0].name} (version ${wordingTemplates[0].version})` });
    await expect.poll(() => page.getByTestId('check-verdict').textContent()).toContain('Passes');
    await page.getByLabel('The university', { exact: true }).check();
    await sendAndReturn(page, 'Save the wording', groupId, 'Version 1 of the wording is saved');

    // 6. The lead approves it, in a browser of their own.
    const lead = await newPage(app.browser, app.signpost.url);
    await lead.page.goto(`/groups/${groupId}`);
    await signIn(lead.page, LEAD);
    await lead.page.getByRole('button', { name: 'Approve version 1' }).click();
    await expect.poll(() => banner(lead.page).textContent()).toContain('Version 1 of the wording is agreed');
    expect(await statusOf(groupId)).toBe('WORDING_AGREED');

    // 7. Both placements published (the administrators' word, with a link), then verified by the officer (what was seen).
    await page.reload();
    for (const [what, slug] of [['pinned message', 'pinned-message'], ['auto-response', 'auto-response']] as const) {
      await openForm(page, `Record the ${what}`, `/placements/${slug}`);
      await chooseRadio(page, `What is the state of the ${what} now?`, PLACEMENT_STATE_LABELS.PUBLISHED);
      await page.getByLabel('Link to the placement').fill(`https://www.instagram.com/p/walk-${slug}`);
      await sendAndReturn(page, `Save the ${what}`, groupId, new RegExp(`${what} is recorded as ${PLACEMENT_STATE_LABELS.PUBLISHED.toLowerCase()}`, 'i'));
      await openForm(page, `Record the ${what}`, `/placements/${slug}`);
      await chooseRadio(page, `What is the state of the ${what} now?`, PLACEMENT_STATE_LABELS.VERIFIED);
      await page.getByLabel('What you saw (optional if you give a link)').fill(`Checked the page: the ${what} shows the agreed wording.`);
      await sendAndReturn(page, `Save the ${what}`, groupId, new RegExp(`${what} is recorded as verified`, 'i'));
    }
    expect(await statusOf(groupId)).toBe('WORDING_AGREED');

    // 8. The logo taken down: nothing is missing any more, so the group is compliant.
    await openForm(page, 'Record the logo status', '/logo');
    await chooseRadio(page, 'What is happening with the university logo?', LOGO_STATUS_LABELS.REMOVAL_VERIFIED);
    await page.getByLabel('What you saw or asked').fill('The banner no longer shows the university crest.');
    await sendAndReturn(page, 'Save the logo status', groupId, /logo/i);
    expect(await statusOf(groupId)).toBe('COMPLIANT');
    // Every step of the policy is done, each with the record that covered it.
    const { group: stepped } = await officerApi(`query($id: ID!) { group(id: $id) { policySteps { step label done applicable } } }`, { id: groupId });
    expect(stepped.policySteps.filter((s: { applicable: boolean; done: boolean }) => s.applicable && !s.done)).toEqual([]);
    for (const s of stepped.policySteps as { label: string; done: boolean }[]) {
      await expect.poll(() => page.locator('.govuk-task-list__item', { hasText: s.label }).locator('.govuk-task-list__status').textContent()).toMatch(/Done|Not needed/);
    }
    // The seven steps of the policy's checklist, the last (referral or escalation) needed only when they refuse.
    expect(stepped.policySteps).toHaveLength(7);
    await expectAccessible(page);
    await screenshot(page, 'walk-compliant');

    // 9. Later, content of concern naming the administrator: the officer records it and drafts a referral.
    await openForm(page, 'Record a concern', '/concerns/new');
    await chooseRadio(page, 'What kind of content is it?', CONCERN_CATEGORY_LABELS.DIGNITY_POLICY);
    await chooseRadio(page, 'How serious is it?', SEVERITY_LABELS.HIGH);
    await fillDate(page, 'seenAt', new Date());
    await page.getByLabel('What did you see?').fill('Posts mocking a named member of staff, approved by the page administrator.');
    await page.getByLabel('Which administrator is it about? (optional)').selectOption({ label: '@walk_admin (Sam Staffmember)' });
    await chooseRadio(page, 'What was done about it?', CONCERN_ACTION_LABELS.NONE);
    await sendAndReturn(page, 'Record the concern', groupId, 'The concern is recorded');

    await openForm(page, 'Draft a referral', '/referrals/new');
    await chooseRadio(page, 'Why are the administrators referred?', REFERRAL_REASON_LABELS.CONTENT_OF_CONCERN);
    await page.getByLabel('Summary').fill('The administrator, a member of staff, approves posts mocking a colleague.');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    const referralId = new URL(page.url()).pathname.split('/').pop()!;
    // Where it will go, before anyone submits it: HR, as the administrator is staff.
    await expect.poll(() => page.getByTestId('routing-explanation').textContent()).toContain(`The referral goes to ${TEAM_LABELS.HR}`);
    await screenshot(page, 'walk-referral-draft');
    expect(officer.consoleErrors).toEqual([]);
    await officer.context.close();

    // 10. The lead submits it as proposed.
    await lead.page.goto(`/referrals/${referralId}`);
    await lead.page.getByLabel(`As proposed: to ${TEAM_LABELS.HR}`).check();
    await lead.page.getByRole('button', { name: 'Submit the referral' }).click();
    await expect.poll(() => banner(lead.page).textContent()).toContain(`The referral is submitted to ${TEAM_LABELS.HR}`);
    expect(await statusOf(groupId)).toBe('REFERRED');
    expect(lead.consoleErrors).toEqual([]);
    await lead.context.close();

    // 11. It is in HR's inbox, and in neither Discipline's nor Legal's.
    expect(await inboxOf(app.browser, app.signpost.url, DISCIPLINE)).not.toContain(name);
    expect(await inboxOf(app.browser, app.signpost.url, LEGAL)).not.toContain(name);
    const hr = await newPage(app.browser, app.signpost.url);
    await hr.page.goto('/');
    await signIn(hr.page, HR);
    await hr.page.waitForURL('**/inbox');
    await hr.page.getByRole('link', { name }).click();
    await hr.page.waitForURL(`**/referrals/${referralId}`);
    // Nothing else to go to: their referrals only.
    expect(await hr.page.locator('.govuk-service-navigation__link').allTextContents()).toEqual(['Referrals']);
    await expectAccessible(hr.page);

    // 12. HR acknowledges, adds a note and closes it with an outcome.
    await hr.page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => banner(hr.page).textContent()).toContain('You acknowledged the referral');
    await hr.page.getByLabel('Note', { exact: true }).fill('Passed to the line manager; informal conversation held.');
    await hr.page.getByRole('button', { name: 'Add the note' }).click();
    await expect.poll(() => hr.page.getByTestId('notes').textContent()).toContain('Passed to the line manager');
    await chooseRadio(hr.page, 'What was the outcome?', REFERRAL_OUTCOME_LABELS.ACTION_TAKEN);
    await hr.page.getByLabel('Note on the outcome (optional)').fill('The member of staff handed the page over and apologised.');
    await hr.page.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => banner(hr.page).textContent()).toContain(`The referral is closed: ${REFERRAL_OUTCOME_LABELS.ACTION_TAKEN}`);
    await screenshot(hr.page, 'walk-referral-closed-by-hr');
    const hrApi = await apiAs(app.signpost.url, HR);
    const { referral } = await hrApi(`query($id: ID!) { referral(id: $id) { status team outcome outcomeNote acknowledgedAt notes { body team } } }`, { id: referralId });
    expect(referral).toMatchObject({
      status: 'CLOSED', team: 'HR', outcome: 'ACTION_TAKEN', outcomeNote: 'The member of staff handed the page over and apologised.',
      notes: [{ body: 'Passed to the line manager; informal conversation held.', team: 'HR' }],
    });
    expect(referral.acknowledgedAt).not.toBeNull();
    expect(hr.consoleErrors).toEqual([]);
    await hr.context.close();
  }, 420_000);
});
