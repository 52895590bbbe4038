import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '@signpost/policy';
import {
  apiAs, chooseRadio, dayParts, errorOf, expectAccessible, expectNoHorizontalScroll, fillDate, focusedId, newPage, screenshot, signIn,
  successBanner, summaryFocused, summaryLinks, tabTo, useSignpost,
} from './harness.js';

const OFFICER = 'officer@signpost.test';
const GROUP_FIELDS = 'id name platform kind handle url audienceSize marketsToUniversity usesLogo discoveryMethod discoveredAt riskLevel notes status';
const ADMIN_FIELDS = 'id handle name affiliation affiliationMethod universityId contactDetails notes version';

describe("the officer's first forms: a sighting, its administrators and the contact log", () => {
  const app = useSignpost();

  it("records a sighting with the keyboard only and lands on the new group's page, with every answer as the API keeps it", async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/');
    await signIn(page, OFFICER);
    // Home is the team's work for today; the register is one link away.
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs doing today');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Register' }).click();
    await page.waitForURL(/\/register$/);

    await tabTo(page, page.getByRole('link', { name: 'Record a sighting' }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/groups/new');
    await expect.poll(() => page.title()).toBe('Record a sighting – Signpost');
    await expectAccessible(page);
    await screenshot(page, 'form-record-a-sighting');

    const name = `Keyboard Confessions ${Date.now()}`;
    const found = dayParts(1);
    await tabTo(page, page.getByLabel('Name of the group'));
    await page.keyboard.type(name);
    await tabTo(page, page.getByLabel('Platform'));
    await page.keyboard.type('Instagram');
    expect(await page.getByLabel('Platform').inputValue()).toBe('INSTAGRAM');
    await chooseRadio(page, 'What kind of group is it?', 'Confessions page');
    await tabTo(page, page.getByLabel('Handle (optional)'));
    await page.keyboard.type('@kb_confessions');
    await tabTo(page, page.getByLabel('Web address (optional)'));
    await page.keyboard.type('https://www.instagram.com/kb_confessions');
    await tabTo(page, page.getByLabel('Audience size (optional)'));
    await page.keyboard.type('1,250');
    await chooseRadio(page, "Does it market itself to the university's students or staff?", 'Yes');
    await chooseRadio(page, 'Does it use the university logo?', 'Yes');
    await tabTo(page, page.getByLabel('How was it found? (optional)'));
    await page.keyboard.type('A student reported it\nto the wellbeing team');
    await tabTo(page, page.getByLabel('Day'));
    await page.keyboard.type(found.day);
    await page.keyboard.press('Tab');
    await page.keyboard.type(found.month);
    await page.keyboard.press('Tab');
    await page.keyboard.type(found.year);
    await chooseRadio(page, 'Risk level', 'High');
    await tabTo(page, page.getByLabel('Notes (optional)'));
    await page.keyboard.type('<b>Posts</b> about <script>exams</script>');
    await tabTo(page, page.getByRole('button', { name: 'Record the sighting' }));
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    const banner = successBanner(page);
    await expect.poll(() => banner.textContent()).toContain(`${name} is in the register`);

    const api = await apiAs(app.signpost.url, OFFICER);
    const { group } = await api(`query($id: ID!) { group(id: $id) { ${GROUP_FIELDS} } }`, { id });
    expect(group).toMatchObject({
      name, platform: 'INSTAGRAM', kind: 'CONFESSIONS', handle: '@kb_confessions', url: 'https://www.instagram.com/kb_confessions', audienceSize: 1250,
      marketsToUniversity: true, usesLogo: true, discoveryMethod: 'A student reported it\nto the wellbeing team', riskLevel: 'HIGH',
      notes: '<b>Posts</b> about <script>exams</script>', status: 'DISCOVERED',
    });
    expect(new Date(group.discoveredAt).toDateString()).toBe(found.date.toDateString());

    // What people typed is shown as text, never as HTML; a web address is a link only as http(s), opened without a way back.
    await expect.poll(() => page.getByText('<b>Posts</b> about <script>exams</script>', { exact: true }).count()).toBe(1);
    expect(await page.locator('main b, main script').count()).toBe(0);
    const link = page.getByRole('link', { name: /instagram\.com\/kb_confessions/ });
    expect(await link.getAttribute('href')).toBe('https://www.instagram.com/kb_confessions');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await expect.poll(() => page.locator('.govuk-summary-list__row', { hasText: 'Audience size' }).locator('dd').textContent()).toBe('1,250');
    await expectAccessible(page);
    await screenshot(page, 'group-recorded');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('lists every problem of an empty or wrongly filled sighting in the error summary and beside each field, and clears each as it is put right', async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/groups/new');
    await signIn(page, OFFICER);
    await page.waitForURL('**/groups/new');

    await page.getByRole('button', { name: 'Record the sighting' }).click();
    const problems = [
      'Enter the name of the group',
      'Select the platform the group is on',
      'Select what kind of group it is',
      "Select yes if the group markets itself to the university's students or staff",
      'Select yes if the group uses the university logo',
      'Select the risk level',
    ];
    await expect.poll(() => summaryLinks(page)).toEqual(problems);
    await expect.poll(() => summaryFocused(page)).toBe(true);
    await expect.poll(() => page.title()).toBe('Error: Record a sighting – Signpost');
    expect(await page.locator('.govuk-form-group--error .govuk-error-message').count()).toBe(problems.length);
    // Each problem links to its field: the first radio of a question, the box itself otherwise.
    expect(await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      ['#name', '#platform', '#kind', '#marketsToUniversity', '#usesLogo', '#riskLevel'],
    );
    await page.getByRole('link', { name: 'Select what kind of group it is' }).click();
    await expect.poll(() => focusedId(page)).toBe('kind');
    await expectAccessible(page);
    await screenshot(page, 'form-record-a-sighting-errors');

    // Checked as they type: a problem goes as soon as it is put right, a new one shows beside its field.
    await page.getByLabel('Name of the group').fill('Half-filled Confessions');
    await expect.poll(() => page.locator('#name-error').count()).toBe(0);
    await page.getByLabel('Web address (optional)').fill('javascript:alert(1)');
    await expect.poll(() => errorOf(page, 'url')).toBe('Enter a web address that starts with http:// or https://');
    await page.getByLabel('Audience size (optional)').fill('about a thousand');
    await expect.poll(() => errorOf(page, 'audienceSize')).toBe('Audience size must be a whole number, like 1200');
    await fillDate(page, 'discoveredAt', { day: '31', month: '2', year: '2026' });
    await expect.poll(() => errorOf(page, 'discoveredAt')).toBe('The date it was found must be a real date');
    await page.locator('#discoveredAt-month').fill('');
    await expect.poll(() => errorOf(page, 'discoveredAt')).toBe('The date it was found must include a month');
    // Only the box at fault is marked.
    expect(await page.locator('.govuk-date-input__input.govuk-input--error').evaluateAll((els) => els.map((e) => e.id))).toEqual(['discoveredAt-month']);
    const tomorrow = dayParts(-1);
    await fillDate(page, 'discoveredAt', tomorrow);
    await expect.poll(() => errorOf(page, 'discoveredAt')).toBe('The date it was found must be today or in the past');

    await page.getByRole('button', { name: 'Record the sighting' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual([
      'Select the platform the group is on',
      'Select what kind of group it is',
      'Enter a web address that starts with http:// or https://',
      'Audience size must be a whole number, like 1200',
      "Select yes if the group markets itself to the university's students or staff",
      'Select yes if the group uses the university logo',
      'The date it was found must be today or in the past',
      'Select the risk level',
    ]);
    await page.getByRole('link', { name: 'The date it was found must be today or in the past' }).click();
    await expect.poll(() => focusedId(page)).toBe('discoveredAt-day');
    await expectAccessible(page);
    await screenshot(page, 'form-record-a-sighting-invalid');
    // Nothing was sent: the register has no such group.
    const api = await apiAs(app.signpost.url, OFFICER);
    expect((await api(`{ groups(first: 5, filter: { search: "Half-filled" }) { totalCount } }`)).groups.totalCount).toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows the API's own refusal beside the field at fault (a sighting dated before 2000), then records it once put right", async () => {
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto('/groups/new');
    await signIn(page, OFFICER);
    await page.waitForURL('**/groups/new');
    const name = `Old Memes ${Date.now()}`;
    await page.getByLabel('Name of the group').fill(name);
    await page.getByLabel('Platform').selectOption({ label: 'Reddit' });
    await page.getByLabel('Memes', { exact: true }).check();
    await page.getByRole('group', { name: 'Does it use the university logo?' }).getByLabel('No').check();
    await page.getByRole('group', { name: "Does it market itself to the university's students or staff?" }).getByLabel('No').check();
    await page.getByLabel('Low', { exact: true }).check();
    // A real date in the past, so the form lets it through; the API records nothing from before social media.
    await fillDate(page, 'discoveredAt', { day: '1', month: '1', year: '1999' });
    await page.getByRole('button', { name: 'Record the sighting' }).click();

    const refusal = 'The date it was found must be a date in or after the year 2000';
    await expect.poll(() => summaryLinks(page)).toEqual([refusal]);
    await expect.poll(() => errorOf(page, 'discoveredAt')).toBe(refusal);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#discoveredAt-day');
    await expect.poll(() => summaryFocused(page)).toBe(true);
    expect(page.url()).toMatch(/\/groups\/new$/);
    await expectAccessible(page);
    await screenshot(page, 'form-record-a-sighting-server-error');

    // Putting it right clears the API's message as the person types, and the same form (same idempotency key) records the group once.
    await page.locator('#discoveredAt-year').fill(dayParts(3).year);
    await expect.poll(() => page.locator('#discoveredAt-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Record the sighting' }).click();
    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    const api = await apiAs(app.signpost.url, OFFICER);
    expect((await api(`query($s: String!) { groups(first: 5, filter: { search: $s }) { totalCount } }`, { s: name })).groups.totalCount).toBe(1);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('adds an administrator and changes them; a stale change says the record moved on and, after a reload, keeps what was typed', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id name } }`, {
      i: { name: `Night Owls Q&A ${Date.now()}`, platform: 'DISCORD', kind: 'ANONYMOUS_QA' },
    });
    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.getByText('No administrators are recorded yet.').count()).toBe(1);
    await page.getByRole('link', { name: 'Add an administrator' }).click();
    await page.waitForURL(`**/groups/${group.id}/administrators/new`);

    await page.getByRole('button', { name: 'Add the administrator' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual(['Enter their handle on the platform', 'Select their link to the university, or ‘Not known yet’']);
    await expectAccessible(page);
    await screenshot(page, 'form-administrator-errors');

    await page.getByLabel('Handle', { exact: true }).fill('@mod_anna');
    await page.getByLabel('Name (optional)').fill('Anna Example');
    // The words are the policy's labels; each says where a referral would go.
    expect(await page.getByRole('group', { name: 'What is their link to the university?' }).locator('.govuk-radios__label').allTextContents()).toEqual(
      ['Student', 'Member of staff', 'Alumni', 'Not affiliated', 'Not known yet'],
    );
    await page.getByLabel('Student', { exact: true }).check();
    await page.getByLabel('How did you find out their link to the university? (optional)').fill('She said so in a direct message');
    await page.getByLabel('University ID (optional)').fill('S1234567');
    await page.getByLabel('Contact details (optional)').fill('anna@example.test');
    await expect.poll(() => page.locator('.govuk-form-group--error').count()).toBe(0);
    await screenshot(page, 'form-administrator-add');
    await page.getByRole('button', { name: 'Add the administrator' }).click();

    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain(`@mod_anna is recorded as an administrator of ${group.name}`);
    const card = page.locator('.govuk-summary-card', { has: page.getByRole('heading', { name: '@mod_anna' }) });
    await expect.poll(() => card.locator('.govuk-summary-list__row', { hasText: 'Link to the university' }).locator('dd').textContent()).toMatch(/^\s*Student/);
    const [added] = (await api(`query($id: ID!) { group(id: $id) { administrators { ${ADMIN_FIELDS} } } }`, { id: group.id })).group.administrators;
    expect(added).toMatchObject({
      handle: '@mod_anna', name: 'Anna Example', affiliation: 'STUDENT', affiliationMethod: 'She said so in a direct message', universityId: 'S1234567',
      contactDetails: 'anna@example.test', notes: null, version: 1,
    });

    // A change: the form starts from what is saved, and only what changed is sent.
    await page.getByRole('link', { name: 'Change administrator @mod_anna' }).click();
    await page.waitForURL(`**/administrators/${added.id}/edit`);
    expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Anna Example');
    expect(await page.getByLabel('Student', { exact: true }).isChecked()).toBe(true);
    await page.getByLabel('Contact details (optional)').fill('anna@example.test, or @mod_anna on Discord');
    await expectAccessible(page);
    await screenshot(page, 'form-administrator-change');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain('Your changes to @mod_anna are saved');

    // Two people open the same administrator; the second saves first.
    await page.getByRole('link', { name: 'Change administrator @mod_anna' }).click();
    await page.waitForURL(`**/administrators/${added.id}/edit`);
    await expect.poll(() => page.getByLabel('Name (optional)').inputValue()).toBe('Anna Example');
    const other = await newPage(app.browser, app.signpost.url);
    await other.page.goto(`/groups/${group.id}/administrators/${added.id}/edit`);
    await signIn(other.page, OFFICER);
    await other.page.waitForURL(`**/administrators/${added.id}/edit`);
    await expect.poll(() => other.page.getByLabel('Name (optional)').inputValue()).toBe('Anna Example');
    await other.page.getByLabel('Name (optional)').fill('Anna B. Example');
    await other.page.getByLabel('University ID (optional)').fill('S7654321');
    await other.page.getByRole('button', { name: 'Save changes' }).click();
    await other.page.waitForURL(`**/groups/${group.id}`);
    await other.context.close();

    await page.getByLabel('Name (optional)').fill('Anna A. Example');
    await page.getByLabel('Notes (optional)').fill('Prefers email');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain(ERROR_MESSAGES.CONFLICT);
    await expect.poll(() => summaryFocused(page)).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'form-administrator-conflict');

    await page.getByRole('button', { name: 'Reload, keeping what I typed' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toContain('This administrator changed while you were editing');
    // What this person typed stays; what only the other person changed comes in; where both changed a field, theirs is shown beside it.
    expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Anna A. Example');
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('Prefers email');
    expect(await page.getByLabel('University ID (optional)').inputValue()).toBe('S7654321');
    expect(await page.locator('#name-note').textContent()).toBe('Someone else saved this as: Anna B. Example');
    expect(await page.getByLabel('Name (optional)').getAttribute('aria-describedby')).toContain('name-note');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'form-administrator-conflict-reloaded');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain('Your changes to @mod_anna are saved');
    const [after] = (await api(`query($id: ID!) { group(id: $id) { administrators { ${ADMIN_FIELDS} } } }`, { id: group.id })).group.administrators;
    expect(after).toMatchObject({ name: 'Anna A. Example', universityId: 'S7654321', notes: 'Prefers email', contactDetails: 'anna@example.test, or @mod_anna on Discord', version: 4 });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("logs contacts covering the policy's steps: the group moves from Discovered to Contacting, its steps are ticked off, the log is newest first", async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id name status } }`, {
      i: { name: `Library Confessions ${Date.now()}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS' },
    });
    expect(group.status).toBe('DISCOVERED');
    await api(`mutation($i: AddAdministratorInput!) { addAdministrator(input: $i) { id } }`, { i: { groupId: group.id, handle: '@lib_admin', name: 'Lee Brown' } });

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.locator('.govuk-tag').first().textContent()).toBe('Discovered');
    const step = (label: string) => page.locator('.govuk-task-list__item', { hasText: label }).locator('.govuk-task-list__status');
    await expect.poll(() => step('Administrators contacted and their affiliation ascertained').textContent()).toMatch(/To do/);
    await page.getByRole('link', { name: 'Log a contact' }).click();
    await page.waitForURL(`**/groups/${group.id}/contacts/new`);

    await page.getByRole('button', { name: 'Log the contact' }).click();
    await expect.poll(() => summaryLinks(page)).toEqual([
      'Enter the date of the contact',
      'Select how the contact was made',
      'Select who made the contact',
      'Enter what was said',
      'Select what came of the contact',
    ]);
    await expectAccessible(page);
    await screenshot(page, 'form-contact-errors');

    const yesterday = dayParts(1);
    await fillDate(page, 'occurredAt', yesterday);
    await page.getByLabel('Email', { exact: true }).check();
    await page.getByLabel('We contacted them').check();
    await page.getByLabel('Which administrator was it with? (optional)').selectOption({ label: '@lib_admin (Lee Brown)' });
    await page.getByLabel('What was said').fill('Introduced the team and asked whether the admins study here.');
    // The steps, in the policy's words.
    expect(await page.getByRole('group', { name: 'Which steps of the policy did it cover? (optional)' }).locator('.govuk-checkboxes__label').allTextContents()).toEqual([
      'Introduced the team', 'Asked about their affiliation', "Explained the university's position", 'Asked for signposting wording', 'Asked them to stop using the logo',
    ]);
    await page.getByLabel('Introduced the team').check();
    await page.getByLabel('Asked about their affiliation').check();
    await page.getByLabel("Explained the university's position").check();
    await page.getByLabel('No response', { exact: true }).check();
    await screenshot(page, 'form-contact');
    await page.getByRole('button', { name: 'Log the contact' }).click();

    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => successBanner(page).textContent()).toContain("The group's status moved from Discovered to Contacting.");
    await expect.poll(() => page.locator('.govuk-tag').first().textContent()).toBe('Contacting');
    const truth = (await api(`query($id: ID!) { group(id: $id) { status policySteps { label done applicable } } }`, { id: group.id })).group;
    expect(truth.status).toBe('CONTACTING');
    expect(truth.policySteps.filter((s: any) => s.done).map((s: any) => s.label)).toEqual(
      ['Group recorded', 'Administrators contacted and their affiliation ascertained', "University's position explained"],
    );
    for (const s of truth.policySteps) await expect.poll(() => step(s.label).textContent()).toMatch(!s.applicable ? /Not needed/ : s.done ? /Done/ : /To do/);

    // The API's own rule, not the form's: a contact the administrators made is itself a response.
    await page.getByRole('link', { name: 'Log a contact' }).click();
    await page.waitForURL(`**/groups/${group.id}/contacts/new`);
    await fillDate(page, 'occurredAt', dayParts(0));
    await page.getByLabel('Message on the platform').check();
    await page.getByLabel('They contacted us').check();
    await page.getByLabel('With whom (optional)').fill('A second moderator');
    await page.getByLabel('What was said').fill('They replied that they are students and will talk to us.');
    await page.getByLabel('No response', { exact: true }).check();
    await page.getByRole('button', { name: 'Log the contact' }).click();
    const refusal = 'An inbound contact is a response from the administrators, so its outcome cannot be ‘No response’';
    await expect.poll(() => summaryLinks(page)).toEqual([refusal]);
    await expect.poll(() => errorOf(page, 'outcome')).toBe(refusal);
    await page.getByRole('link', { name: refusal }).click();
    await expect.poll(() => focusedId(page)).toBe('outcome');
    await expectAccessible(page);
    await screenshot(page, 'form-contact-server-error');

    await page.getByLabel('Responded', { exact: true }).check();
    await page.getByRole('button', { name: 'Log the contact' }).click();
    await page.waitForURL(`**/groups/${group.id}`);
    const now = (await api(`query($id: ID!) { group(id: $id) { status contactLog { summary } } }`, { id: group.id })).group;
    await expect.poll(() => page.locator('.govuk-tag').first().textContent()).toBe({ CONTACTING: 'Contacting', ENGAGED: 'Engaged' }[now.status as string]);
    // Newest first, as the API keeps it.
    const cards = page.locator('.sp-contact-log > li');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.locator('.govuk-summary-card__title').allTextContents()).toEqual([
      `${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date())}: Message on the platform`,
      `${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(yesterday.date)}: Email`,
    ]);
    expect(await cards.locator('.govuk-summary-list__row', { hasText: 'What was said' }).locator('dd').allTextContents()).toEqual(now.contactLog.map((c: any) => c.summary));
    expect(await cards.first().locator('.govuk-summary-list__row', { hasText: 'With' }).first().locator('dd').textContent()).toContain('A second moderator');
    await expectAccessible(page);
    await screenshot(page, 'group-contacts');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('fits a 390 px wide phone screen: a group with long addresses and its forms scroll only up and down', async () => {
    const api = await apiAs(app.signpost.url, OFFICER);
    const long = `https://www.instagram.com/${'a_very_long_account_name_'.repeat(4)}?utm_source=${'x'.repeat(60)}`;
    const { createGroup: group } = await api(`mutation($i: CreateGroupInput!) { createGroup(input: $i) { id } }`, {
      i: { name: `Phone-sized Confessions ${Date.now()}`, platform: 'INSTAGRAM', kind: 'CONFESSIONS', url: long, handle: `@${'long_handle_'.repeat(7)}`, notes: 'n'.repeat(120) },
    });
    await api(`mutation($i: AddAdministratorInput!) { addAdministrator(input: $i) { id } }`, { i: { groupId: group.id, handle: `@${'admin_'.repeat(14)}`, contactDetails: `${'someone'.repeat(8)}@example.test` } });
    await api(`mutation($i: LogContactInput!) { logContact(input: $i) { id } }`, {
      i: { groupId: group.id, occurredAt: new Date().toISOString(), channel: 'EMAIL', direction: 'OUTBOUND', summary: 'w'.repeat(150), steps: ['INTRODUCED'], outcome: 'NO_RESPONSE' },
    });

    const { page, context, consoleErrors } = await newPage(app.browser, app.signpost.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/groups/${group.id}`);
    await signIn(page, OFFICER);
    await page.waitForURL(`**/groups/${group.id}`);
    await expect.poll(() => page.locator('.sp-contact-log > li').count()).toBe(1);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshot(page, 'group-390px');

    await page.goto(`/groups/${group.id}/contacts/new`);
    await page.getByRole('button', { name: 'Log the contact' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary a').count()).toBeGreaterThan(0);
    await expectNoHorizontalScroll(page);
    await screenshot(page, 'form-contact-390px');
    await page.goto('/groups/new');
    await page.getByRole('button', { name: 'Record the sighting' }).click();
    await expect.poll(() => page.locator('.govuk-error-summary a').count()).toBeGreaterThan(0);
    await expectNoHorizontalScroll(page);
    await expectAccessible(page);
    await screenshot(page, 'form-record-a-sighting-390px');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
