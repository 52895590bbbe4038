import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { GROUP_STATUS_LABELS } from '@signpost/policy';
import {
  apiAs, chooseRadio, expectAccessible, expectNoHorizontalScroll, flashText, newPage, screenshot, SCREENSHOTS, send, signIn, summaryLinks,
  tabTo, typeInto, useSignpost,
} from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';

const RECORDS = `
  status version logoStatus logoStatusChangedAt notes nextReviewDue
  placements { placement state evidenceUrl evidenceNote publishedAt verifiedAt removedAt version }
  reviews { reviewedAt pinnedMessagePresent autoResponsePresent logoStillUsed notes nextReviewDue reviewer { displayName } }
`;
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

const fieldError = (page: Page, id: string) => page.locator(`#${id}-error`).textContent().then((t) => t?.replace(/^Error:\s*/, '').trim() ?? null).catch(() => null);
const card = (page: Page, placement: string) => page.locator(`[data-placement="${placement}"]`);

describe('placements, the logo and reviews: the officer records steps 4–6 and the periodic check', () => {
  const app = useSignpost();

  it('records both placements with evidence through a conflict, the logo removal (the group becomes compliant) and a review with its findings', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const lead = await apiAs(app.signpost.url, LEAD);
    const name = `Records Confessions ${Date.now()}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', riskLevel: 'HIGH', usesLogo: true },
    });
    const read = async () => (await api(`query($id: ID!) { group(id: $id) { ${RECORDS} } }`, { id: group.id })).group;

    // Before any wording is agreed: the section says what to do first.
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Where the wording is published' }).count()).toBe(1);
    expect(await page.getByTestId('placements-empty').textContent()).toContain('Once the wording is agreed');
    expect(await page.getByText('No reviews are recorded yet.', { exact: false }).count()).toBe(1);
    expect(await page.getByTestId('logo').textContent()).toContain('In use');
    // The logo is said once, in its own section, not also in the details.
    expect(await page.getByText('University logo', { exact: true }).count()).toBe(1);
    // The address of a placement before the wording is agreed says there is nothing to record yet.
    await page.goto(`/groups/${group.id}/placements/pinned-message`);
    await expect.poll(() => page.getByText('the wording must be agreed with the administrators before it is published').count()).toBe(1);
    await expectAccessible(page);
    // An address naming no placement is not a page.
    await page.goto(`/groups/${group.id}/placements/banner`);
    await expect.poll(() => page.getByRole('heading', { name: 'Page not found' }).count()).toBe(1);

    // The wording is agreed (as wording.browser-spec.ts does it in the browser): a contact, a proposal, the lead's approval.
    await api(`mutation($i: LogContactInput!) { logContact(input: $i) { id } }`, {
      i: {
        groupId: group.id, occurredAt: new Date().toISOString(), channel: 'PLATFORM_MESSAGE', direction: 'OUTBOUND', outcome: 'ENGAGED',
        summary: "Introduced the team, explained the university's position and asked for the wording and the logo's removal.",
        steps: ['INTRODUCED', 'POSITION_EXPLAINED', 'WORDING_REQUESTED', 'LOGO_REMOVAL_REQUESTED'],
      },
    });
    await api(`mutation($i: LogContactInput!) { logContact(input: $i) { id } }`, {
      i: {
        groupId: group.id, occurredAt: new Date().toISOString(), channel: 'PLATFORM_MESSAGE', direction: 'INBOUND', outcome: 'ENGAGED', steps: [],
        summary: 'The admins replied: happy to pin the wording and set up the auto-reply.',
      },
    });
    const { wordingTemplates } = await api(`{ wordingTemplates { id body } }`);
    const { proposeWording } = await api(`mutation($i: ProposeWordingInput!) { proposeWording(input: $i) { id version } }`, {
      i: { groupId: group.id, text: wordingTemplates[0].body, proposedBy: 'UNIVERSITY' },
    });
    await lead(`mutation($i: ApproveWordingInput!) { approveWording(input: $i) { id } }`, { i: { agreementId: proposeWording.id, version: proposeWording.version } });
    const agreed = await read();
    expect(agreed.status).toBe('WORDING_AGREED');
    expect(agreed.placements.map((p: { placement: string; state: string }) => [p.placement, p.state])).toEqual([
      ['PINNED_MESSAGE', 'NOT_PUBLISHED'], ['AUTO_RESPONSE', 'NOT_PUBLISHED'],
    ]);

    await page.goto(`/groups/${group.id}`);
    await expect.poll(() => card(page, 'PINNED_MESSAGE').textContent()).toContain('Not published');
    expect(await card(page, 'AUTO_RESPONSE').textContent()).toContain('Not published');
    await expectAccessible(page);

    // 1. The pinned message, keyboard only: its "Record" link names the placement for people who hear links alone.
    await tabTo(page, page.getByRole('link', { name: 'Record the pinned message' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${group.id}/placements/pinned-message`);
    await expect.poll(() => page.title()).toBe('Record a placement – Signpost');
    await expect.poll(() => page.getByRole('heading', { name: 'Record the pinned message' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'placement-form');

    // Sending nothing: the summary links to the question; axe passes with the errors shown.
    await send(page, 'Save the pinned message');
    await expect.poll(() => summaryLinks(page)).toEqual(['Select what you saw of the pinned message']);
    await expect.poll(() => page.title()).toBe('Error: Record a placement – Signpost');
    await expectAccessible(page);

    // Published needs evidence: said as soon as it is sent, on the link; a link that is not http(s) is refused as it is typed.
    await chooseRadio(page, 'What is the state of the pinned message now?', 'Published, not verified');
    await send(page, 'Save the pinned message');
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter a link to the placement or a note of what you saw']);
    expect(await fieldError(page, 'evidenceUrl')).toBe('Enter a link to the placement or a note of what you saw');
    await typeInto(page, 'Link to the placement', 'javascript:alert(1)');
    await expect.poll(() => fieldError(page, 'evidenceUrl')).toBe('Enter a link that starts with http:// or https://');
    await expectAccessible(page);
    await screenshot(page, 'placement-errors');

    // A link with a password passes the page's check but not the API's: the API's words land on the field.
    await typeInto(page, 'Link to the placement', 'https://kb:secret@www.instagram.com/p/kb-pinned');
    await expect.poll(() => fieldError(page, 'evidenceUrl')).toBeNull();
    await send(page, 'Save the pinned message');
    await expect.poll(() => fieldError(page, 'evidenceUrl')).toBe('The link to the placement must be an http or https link without a user name or password');
    expect(await summaryLinks(page)).toEqual(['The link to the placement must be an http or https link without a user name or password']);
    expect((await read()).placements[0].state).toBe('NOT_PUBLISHED');

    await typeInto(page, 'Link to the placement', 'https://www.instagram.com/p/kb-pinned');
    await send(page, 'Save the pinned message');
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => flashText(page)).toContain('The pinned message is recorded as published, not verified');
    expect(await flashText(page)).toContain(`The group's status is still ${GROUP_STATUS_LABELS.WORDING_AGREED}.`);
    await expect.poll(() => card(page, 'PINNED_MESSAGE').textContent()).toContain('https://www.instagram.com/p/kb-pinned (opens in new tab)');
    expect(await card(page, 'PINNED_MESSAGE').getByRole('link').last().getAttribute('rel')).toBe('noopener noreferrer');
    const published = (await read()).placements[0];
    expect(published).toMatchObject({ placement: 'PINNED_MESSAGE', state: 'PUBLISHED', evidenceUrl: 'https://www.instagram.com/p/kb-pinned', evidenceNote: null });
    expect(published.publishedAt).toBeTruthy();

    // 2. The auto-response: a move the policy does not allow is refused by the API, in words, on the question.
    await page.getByRole('link', { name: 'Record the auto-response' }).click();
    await page.waitForURL(`**/groups/${group.id}/placements/auto-response`);
    await chooseRadio(page, 'What is the state of the auto-response now?', 'Removed');
    await send(page, 'Save the auto-response');
    await expect.poll(() => fieldError(page, 'state')).toMatch(/^A placement cannot go from ‘Not published’ to ‘Removed’/);
    expect(await summaryLinks(page)).toHaveLength(1);
    await expectAccessible(page);

    // Then a stale edit: the person types, someone else records the auto-response meanwhile, the save is a CONFLICT.
    await chooseRadio(page, 'What is the state of the auto-response now?', 'Published, not verified');
    await typeInto(page, 'Link to the placement', 'https://www.instagram.com/kb/auto');
    await typeInto(page, 'What you saw (optional if you give a link)', 'Sent a test submission; the reply carried the wording.');
    const stale = (await read()).placements[1];
    await api(`mutation($i: RecordPlacementInput!) { recordPlacement(input: $i) { id } }`, {
      i: { groupId: group.id, placement: 'AUTO_RESPONSE', state: 'PUBLISHED', evidenceNote: 'The admins say the auto-reply is on.', version: stale.version },
    });
    await send(page, 'Save the auto-response');
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Someone else changed this record after you opened it');
    await expectAccessible(page);
    await screenshot(page, 'placement-conflict');
    await page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => page.getByTestId('changes').locator('li').allTextContents()).toEqual(
      expect.arrayContaining(['State: Not published is now Published, not verified', 'Note: now “The admins say the auto-reply is on.”']),
    );
    expect(await page.locator('[aria-labelledby="reloaded-title"]').evaluate((el) => el === document.activeElement)).toBe(true);
    // What was typed is kept; "recorded now" shows the other person's record.
    expect(await page.getByLabel('Link to the placement', { exact: true }).inputValue()).toBe('https://www.instagram.com/kb/auto');
    expect(await page.getByLabel('What you saw (optional if you give a link)', { exact: true }).inputValue()).toBe('Sent a test submission; the reply carried the wording.');
    expect(await page.getByLabel('Published, not verified', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByTestId('placement-now').textContent()).toContain('The admins say the auto-reply is on.');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'placement-reloaded');
    // It is published now, so the officer records what they checked as verified.
    await chooseRadio(page, 'What is the state of the auto-response now?', 'Verified');
    await send(page, 'Save the auto-response');
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => flashText(page)).toContain('The auto-response is recorded as verified');
    const auto = (await read()).placements[1];
    expect(auto).toMatchObject({
      placement: 'AUTO_RESPONSE', state: 'VERIFIED', evidenceUrl: 'https://www.instagram.com/kb/auto', evidenceNote: 'Sent a test submission; the reply carried the wording.',
      version: stale.version + 2,
    });

    // 3. The pinned message verified with a note only (the link recorded before stays).
    await page.getByRole('link', { name: 'Record the pinned message' }).click();
    await page.waitForURL(`**/placements/pinned-message`);
    await chooseRadio(page, 'What is the state of the pinned message now?', 'Verified');
    await typeInto(page, 'What you saw (optional if you give a link)', 'Pinned at the top of the profile.');
    await send(page, 'Save the pinned message');
    await page.waitForURL(`**/groups/${group.id}`);
    // Both verified, but the logo is still in use: not compliant yet, as the API says.
    await expect.poll(() => flashText(page)).toContain(`The group's status is still ${GROUP_STATUS_LABELS.WORDING_AGREED}.`);
    const verified = await read();
    expect(verified.placements[0]).toMatchObject({ state: 'VERIFIED', evidenceUrl: 'https://www.instagram.com/p/kb-pinned', evidenceNote: 'Pinned at the top of the profile.' });
    expect(verified.status).toBe('WORDING_AGREED');

    // 4. The logo: removal verified needs what was checked; then the group is compliant.
    await tabTo(page, page.getByRole('link', { name: 'Record the logo status' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${group.id}/logo`);
    await expect.poll(() => page.title()).toBe('Record the university logo – Signpost');
    expect(await page.getByTestId('logo-now').textContent()).toContain('In use');
    await expectAccessible(page);
    await screenshot(page, 'logo-form');
    await send(page, 'Save the logo status');
    await expect.poll(() => summaryLinks(page)).toEqual(['Select what is happening with the university logo']);
    await chooseRadio(page, 'What is happening with the university logo?', 'Removal verified');
    await send(page, 'Save the logo status');
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter what you checked, or a link showing the page without the logo']);
    expect(await fieldError(page, 'note')).toBe('Enter what you checked, or a link showing the page without the logo');
    await expectAccessible(page);
    await screenshot(page, 'logo-errors');
    // Giving the link instead puts the note's error right as it is typed.
    await typeInto(page, 'Link showing what you checked (optional)', 'https://www.instagram.com/kb_confessions');
    await expect.poll(() => fieldError(page, 'note')).toBeNull();
    await typeInto(page, 'What you saw or asked', 'Profile picture and pinned posts checked: the crest is gone.');
    await send(page, 'Save the logo status');
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => flashText(page)).toContain('The university logo is recorded as removal verified');
    expect(await flashText(page)).toContain(`The group's status moved from ${GROUP_STATUS_LABELS.WORDING_AGREED} to ${GROUP_STATUS_LABELS.COMPLIANT}.`);
    const compliant = await read();
    expect(compliant).toMatchObject({ status: 'COMPLIANT', logoStatus: 'REMOVAL_VERIFIED' });
    expect(compliant.notes).toContain('Profile picture and pinned posts checked: the crest is gone. — https://www.instagram.com/kb_confessions');
    await expect.poll(() => page.getByTestId('logo').textContent()).toContain('Removal verified');
    expect(await page.getByTestId('logo').textContent()).toContain(DATE.format(new Date(compliant.logoStatusChangedAt)));

    // 5. A review: today by default, never the future; the auto-response is gone, so the group is no longer compliant.
    await tabTo(page, page.getByRole('link', { name: 'Record a review' }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/groups/${group.id}/reviews/new`);
    await expect.poll(() => page.title()).toBe('Record a review – Signpost');
    const today = new Date();
    expect(await page.getByLabel('Day').inputValue()).toBe(String(today.getDate()));
    expect(await page.getByLabel('Month').inputValue()).toBe(String(today.getMonth() + 1));
    expect(await page.getByLabel('Year').inputValue()).toBe(String(today.getFullYear()));
    expect(await page.getByTestId('review-recorded-now').textContent()).toContain('Auto-response: Verified');
    await expectAccessible(page);
    await screenshot(page, 'review-form');
    const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
    await typeInto(page, 'Day', String(tomorrow.getDate()));
    await typeInto(page, 'Month', String(tomorrow.getMonth() + 1));
    await typeInto(page, 'Year', String(tomorrow.getFullYear()));
    await send(page, 'Record the review');
    await expect.poll(() => summaryLinks(page)).toEqual([
      'The date of the review must be today or in the past',
      'Select yes if the agreed wording is pinned on the page',
      'Select yes if submissions get the agreed wording as an auto-response',
      'Select yes if the page still uses the university logo',
    ]);
    await expectAccessible(page);
    await screenshot(page, 'review-errors');
    await typeInto(page, 'Day', String(today.getDate()));
    await typeInto(page, 'Month', String(today.getMonth() + 1));
    await typeInto(page, 'Year', String(today.getFullYear()));
    await chooseRadio(page, 'Is the agreed wording pinned on the page?', 'Yes');
    await chooseRadio(page, 'Do submissions get the agreed wording as an auto-response?', 'No');
    await chooseRadio(page, 'Does the page still use the university logo?', 'No');
    await typeInto(page, 'Notes (optional)', 'A test submission got no reply.');
    await send(page, 'Record the review');
    await page.waitForURL(`**/groups/${group.id}`);
    const reviewed = await read();
    expect(reviewed.reviews).toHaveLength(1);
    expect(reviewed.reviews[0]).toMatchObject({
      pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: false, notes: 'A test submission got no reply.', reviewer: { displayName: expect.any(String) },
    });
    expect(reviewed.placements.map((p: { state: string }) => p.state)).toEqual(['VERIFIED', 'REMOVED']);
    expect(reviewed.status).not.toBe('COMPLIANT');
    expect(new Date(reviewed.nextReviewDue).getTime()).toBe(new Date(reviewed.reviews[0].nextReviewDue).getTime());
    // The findings, in the portal's words, and the next review date.
    await expect.poll(() => flashText(page)).toContain('The review is recorded');
    const said = await flashText(page);
    expect(said).toContain('The pinned message is in place: recorded as ‘Verified’ again.');
    expect(said).toContain('The auto-response is missing: recorded as ‘Removed’ (it was ‘Verified’).');
    expect(said).toContain(`The group moved from ‘${GROUP_STATUS_LABELS.COMPLIANT}’ to ‘${GROUP_STATUS_LABELS[reviewed.status as keyof typeof GROUP_STATUS_LABELS]}’.`);
    expect(said).toContain(`The next review is due on ${DATE.format(new Date(reviewed.reviews[0].nextReviewDue))}.`);
    // The reviews section, newest first, with the three checks.
    const review = page.locator('.sp-reviews > li').first();
    await expect.poll(() => review.textContent()).toContain('A test submission got no reply.');
    const rows = await review.locator('.govuk-summary-list__row').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      `Reviewed by ${reviewed.reviews[0].reviewer.displayName}`, 'Pinned message there Yes', 'Auto-response there No', 'Logo still used No',
      'Notes A test submission got no reply.', `Next review due ${DATE.format(new Date(reviewed.reviews[0].nextReviewDue))}`,
    ]);
    expect(await card(page, 'AUTO_RESPONSE').textContent()).toContain('Removed');
    await expectAccessible(page);
    await page.locator('#placements').scrollIntoViewIfNeeded();
    await screenshot(page, 'group-records');
    // The three sections on their own, from "Where the wording is published" to the end of the page.
    const top = await page.evaluate(() => document.getElementById('placements')!.getBoundingClientRect().top + window.scrollY - 16);
    const bottom = await page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'group-records-sections.png'), fullPage: true, clip: { x: 0, y: top, width: 1280, height: bottom - top } });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a stale logo change says what changed on the group and keeps what was typed', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id version } }`, {
      i: { name: `Logo ${Date.now()}`, platform: 'FACEBOOK', kind: 'MEMES', riskLevel: 'MEDIUM', usesLogo: true },
    });
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}/logo`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}/logo`);
    await chooseRadio(page, 'What is happening with the university logo?', 'Removal verified');
    await typeInto(page, 'What you saw or asked', 'The crest is gone from the banner.');
    // Meanwhile a colleague records that removal was asked for: the group's version moves on.
    await api(`mutation($i: RecordLogoStatusInput!) { recordLogoStatus(input: $i) { id } }`, {
      i: { groupId: group.id, groupVersion: group.version, status: 'REMOVAL_REQUESTED', note: 'Asked the admins by DM.' },
    });
    await send(page, 'Save the logo status');
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain('Someone else changed this record after you opened it');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => page.getByTestId('changes').locator('li').allTextContents()).toEqual(['The logo: In use is now Removal requested']);
    expect(await page.getByTestId('logo-now').textContent()).toContain('Removal requested');
    expect(await page.getByLabel('What you saw or asked', { exact: true }).inputValue()).toBe('The crest is gone from the banner.');
    expect(await page.getByLabel('Removal verified', { exact: true }).isChecked()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'logo-reloaded');
    await send(page, 'Save the logo status');
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => flashText(page)).toContain('The university logo is recorded as removal verified');
    const { group: after } = await api(`query($id: ID!) { group(id: $id) { logoStatus notes } }`, { id: group.id });
    expect(after.logoStatus).toBe('REMOVAL_VERIFIED');
    expect(after.notes).toContain('Asked the admins by DM.');
    expect(after.notes).toContain('The crest is gone from the banner.');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('the review form reads at 390 px wide with no sideways scrolling', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name: `Narrow ${Date.now()}`, platform: 'TIKTOK', kind: 'MEMES', riskLevel: 'LOW' },
    });
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/groups/${group.id}/reviews/new`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}/reviews/new`);
    await expect.poll(() => page.getByRole('heading', { name: 'Record a review' }).count()).toBe(1);
    expect(await page.getByTestId('review-recorded-now').textContent()).toContain('No wording is agreed yet');
    await expectNoHorizontalScroll(page);
    await page.getByRole('button', { name: 'Record the review' }).click();
    await expect.poll(() => summaryLinks(page)).toHaveLength(3);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshot(page, 'review-form-390');
    // A review with nothing agreed still records, and says what it could not record.
    await chooseRadio(page, 'Is the agreed wording pinned on the page?', 'Yes');
    await chooseRadio(page, 'Do submissions get the agreed wording as an auto-response?', 'No');
    await chooseRadio(page, 'Does the page still use the university logo?', 'No');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => flashText(page)).toContain('No wording has been agreed with this group yet');
    const { group: after } = await api(`query($id: ID!) { group(id: $id) { reviews { pinnedMessagePresent notes } } }`, { id: group.id });
    expect(after.reviews).toEqual([{ pinnedMessagePresent: true, notes: expect.stringContaining('No wording has been agreed') }]);
    await expectNoHorizontalScroll(page);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
