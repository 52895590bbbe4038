import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ERROR_MESSAGES, RISK_LEVEL_LABELS } from '@signpost/policy';
import { apiAs, chooseRadio, expectAccessible, openAs, screenshot, useSignpost } from './harness.js';

const OFFICER = 'officer@signpost.test';
const LEAD = 'lead@signpost.test';
const FIELDS = 'id name handle riskLevel notes version assignedOfficer { email displayName }';

const banner = (page: Page) => page.locator('.govuk-notification-banner--success');

async function openEdit(browser: Browser, url: string, email: string, groupId: string) {
  const opened = await openAs(browser, url, email, `/groups/${groupId}`);
  await opened.page.getByRole('link', { name: /^Change the details/ }).click();
  await opened.page.waitForURL(`**/groups/${groupId}/edit`);
  await opened.page.getByLabel('Name of the group').waitFor();
  return opened;
}

describe("changing a group's details, and a stale edit from two browsers", () => {
  const app = useSignpost();

  it('changes the risk level and assigns the officer to themselves, sending only what changed', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const name = `Edit Confessions ${Date.now()}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name, platform: 'TIKTOK', kind: 'CONFESSIONS', handle: '@edit_me', riskLevel: 'LOW' },
    });
    const { page, context, consoleErrors } = await openEdit(app.browser, app.signpost.url, OFFICER, group.id);
    await expect.poll(() => page.title()).toBe("Change the group's details – Signpost");
    // The form starts from the group as it is.
    expect(await page.getByLabel('Name of the group').inputValue()).toBe(name);
    expect(await page.getByLabel(RISK_LEVEL_LABELS.LOW, { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Assigned officer (optional)').inputValue()).toBe('');
    await expectAccessible(page);
    await screenshot(page, 'group-edit');

    // Emptying the name is refused beside the field and in the summary.
    await page.getByLabel('Name of the group').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary a').allTextContents()).toEqual(['Enter the name of the group']);
    await expectAccessible(page);
    await page.getByLabel('Name of the group').fill(name);

    await chooseRadio(page, 'Risk level', RISK_LEVEL_LABELS.HIGH);
    await page.getByLabel('Assigned officer (optional)').selectOption({ label: 'Olivia Officer (you)' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => banner(page).textContent()).toContain(`Your changes to ${name} are saved`);
    await expect.poll(() => page.locator('.govuk-summary-list__row', { hasText: 'Assigned officer' }).first().locator('dd').textContent()).toBe('Olivia Officer');
    const { group: saved } = await api(`query($id: ID!) { group(id: $id) { ${FIELDS} } }`, { id: group.id });
    expect(saved).toMatchObject({ name, handle: '@edit_me', riskLevel: 'HIGH', assignedOfficer: { email: OFFICER }, version: 2 });
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('tells the officer the group changed in the lead’s browser meanwhile, shows what, and reloads keeping what they typed', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const name = `Two Browsers ${Date.now()}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name, platform: 'INSTAGRAM', kind: 'ANONYMOUS_QA', handle: '@two_browsers', riskLevel: 'MEDIUM' },
    });
    // Both open the form on the same version.
    const officer = await openEdit(app.browser, app.signpost.url, OFFICER, group.id);
    const lead = await openEdit(app.browser, app.signpost.url, LEAD, group.id);

    // The lead renames it and changes the handle, and saves first.
    await lead.page.getByLabel('Name of the group').fill(`${name} (renamed)`);
    await lead.page.getByLabel('Handle (optional)').fill('@lead_handle');
    await lead.page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => banner(lead.page).textContent()).toContain('are saved');
    await lead.context.close();

    // The officer, still on the old version, changes the handle too and writes a note.
    const { page } = officer;
    await page.getByLabel('Handle (optional)').fill('@officer_handle');
    await page.getByLabel('Notes (optional)').fill('The page moved to a new handle this week.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary').textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page);
    await screenshot(page, 'group-edit-conflict');
    const { group: meanwhile } = await api(`query($id: ID!) { group(id: $id) { ${FIELDS} } }`, { id: group.id });
    expect(meanwhile).toMatchObject({ name: `${name} (renamed)`, handle: '@lead_handle', notes: null, version: 2 });

    await page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => page.locator('[aria-labelledby="reloaded-title"]').textContent().catch(() => '')).toContain('This group changed while you were editing');
    // What they typed is kept; the field they left takes the lead's name; the field both changed shows the lead's value beside theirs.
    expect(await page.getByLabel('Handle (optional)').inputValue()).toBe('@officer_handle');
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('The page moved to a new handle this week.');
    expect(await page.getByLabel('Name of the group').inputValue()).toBe(`${name} (renamed)`);
    expect(await page.locator('#handle-note').textContent()).toContain('Someone else saved this as: @lead_handle');
    await expectAccessible(page);
    await screenshot(page, 'group-edit-reloaded');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    const { group: after } = await api(`query($id: ID!) { group(id: $id) { ${FIELDS} } }`, { id: group.id });
    expect(after).toMatchObject({ name: `${name} (renamed)`, handle: '@officer_handle', notes: 'The page moved to a new handle this week.', version: 3 });
    expect(officer.consoleErrors).toEqual([]);
    await officer.context.close();
  }, 120_000);
});
