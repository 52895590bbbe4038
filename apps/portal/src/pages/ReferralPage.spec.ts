// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import { permissionEnumName, type Permission, type Team } from '@signpost/policy';
import ReferralPage from './ReferralPage.vue';
import { session } from '../session.js';
import { ReferralPageDocument, SubmitReferralDocument, type ReferralPageQuery } from '../generated/graphql.js';

type Referral = ReferralPageQuery['referral'];
type Admin = { handle: string; affiliation: 'STUDENT' | 'STAFF' | 'UNKNOWN' };

/** A draft as the API answers it, routed to these teams with these administrators, and the caller's submit action. */
function draft(byTeam: [Team, Admin[]][], submit: { allowed: boolean; unmet: string[] }): Referral {
  return {
    __typename: 'Referral', id: 'r1', status: 'DRAFT', reason: 'CONTENT_OF_CONCERN', summary: 'Posts naming students.', team: null, version: 3,
    createdAt: '2026-12-01T10:00:00.000Z', submittedAt: null, acknowledgedAt: null, acknowledgeBy: null, acknowledgementOverdue: false, closedAt: null,
    outcome: null, outcomeNote: null, routingOverrideReason: null, splitKey: null,
    createdBy: { __typename: 'User', id: 'u-officer', displayName: 'Olivia Officer' }, submittedBy: null,
    group: { __typename: 'Group', id: 'g1', name: 'Exam Confessions', platform: 'INSTAGRAM', handle: '@exam_confessions', url: null },
    availableActions: [
      { __typename: 'ReferralAvailableAction', action: 'updateDraft', allowed: true, unmet: [], to: null },
      { __typename: 'ReferralAvailableAction', action: 'submit', allowed: submit.allowed, unmet: submit.unmet, to: 'SUBMITTED' },
    ],
    routing: {
      __typename: 'RoutingProposal',
      explanation: "The administrators' affiliations differ (1 student → Student discipline; 1 member of staff → HR): split the referral, one per team, or override the routing with a reason.",
      teams: byTeam.map(([t]) => t),
      needsDecision: byTeam.length > 1,
      byTeam: byTeam.map(([team, admins]) => ({
        __typename: 'TeamRoute', team,
        administrators: admins.map((a, i) => ({ __typename: 'Administrator', id: `${team}-${i}`, handle: a.handle, name: null, affiliation: a.affiliation })),
      })),
    },
    snapshot: null, notes: [], transfers: [],
  } as Referral;
}

/** The page for one person (their permissions), with the API answered per document: what they see, and what was sent. */
async function pageFor(referral: Referral, permissions: Permission[], submitAnswer?: Team[]) {
  const client = createMockClient();
  const sent: unknown[] = [];
  client.setRequestHandler(ReferralPageDocument, async () => ({ data: { __typename: 'Query', referral } }));
  client.setRequestHandler(SubmitReferralDocument, async (variables) => {
    sent.push(variables);
    return {
      data: {
        __typename: 'Mutation',
        submitReferral: {
          __typename: 'SubmitReferralPayload',
          group: { __typename: 'Group', id: 'g1', status: 'REFERRED', version: 5 },
          referrals: (submitAnswer ?? []).map((team, i) => ({ __typename: 'Referral', id: i === 0 ? 'r1' : `r${i + 1}`, team, status: 'SUBMITTED', version: 4, submittedAt: '2026-12-03T10:00:00.000Z' })),
        },
      },
    };
  });
  session.me = { __typename: 'Me', id: 'u1', email: 'lead@signpost.test', displayName: 'Leo Lead', roles: [], teams: [], permissions: permissions.map(permissionEnumName) } as never;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { template: '<div />' } }] });
  await router.push('/referrals/r1');
  const wrapper = mount(ReferralPage, { attachTo: document.body, global: { plugins: [router], provide: { [DefaultApolloClient]: client } } });
  await flushPromises();
  return { wrapper, sent };
}

const radios = (wrapper: Awaited<ReturnType<typeof pageFor>>['wrapper'], name: string) =>
  wrapper.findAll(`input[type=radio][name=${name}]`).map((r) => wrapper.find(`label[for=${r.attributes('id')}]`).text());

describe('ReferralPage: where a draft would go, and the routing choices for submitting it', () => {
  it('shows each team with its administrators and, for a lead, offers only split or override when they belong to two teams; an override needs a team and a reason before anything is sent', async () => {
    const referral = draft([['DISCIPLINE', [{ handle: '@student_admin', affiliation: 'STUDENT' }]], ['HR', [{ handle: '@staff_admin', affiliation: 'STAFF' }]]], { allowed: true, unmet: [] });
    const { wrapper, sent } = await pageFor(referral, ['referral.draft', 'referral.submit', 'referral.overrideRouting']);

    expect(wrapper.find('[data-testid=routing-explanation]').text()).toBe("The administrators' affiliations differ (1 student → Student discipline; 1 member of staff → HR): split the referral, one per team, or override the routing with a reason.");
    const cards = wrapper.findAll('[data-testid=routing-team]');
    expect(cards.map((c) => c.find('h3').text())).toEqual(['Student discipline', 'HR']);
    expect(cards[0]!.text()).toContain('@student_admin — Student');
    expect(cards[1]!.text()).toContain('@staff_admin — Member of staff');
    expect(wrapper.find('.govuk-warning-text').text()).toContain('more than one team');
    expect(radios(wrapper, 'mode')).toEqual(['Split: one referral for each team (2 referrals)', 'Override: send it all to one team, with a reason']);

    await wrapper.find('input[name=mode][value=OVERRIDE]').setValue(true);
    await flushPromises();
    expect(radios(wrapper, 'overrideTeam')).toEqual(['Student discipline', 'HR', 'Legal']);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await vi.waitFor(() => expect(wrapper.findAll('.govuk-error-summary li').map((l) => l.text())).toEqual([
      'Select the team to send it to', 'Enter why you are overriding the routing, in at least 10 characters',
    ]));
    expect(sent).toEqual([]);

    await wrapper.find('input[name=overrideTeam][value=LEGAL]').setValue(true);
    await wrapper.find('textarea[name=overrideReason]').setValue('  Both act for an outside company.  ');
    await flushPromises();
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent).toEqual([{ input: { id: 'r1', version: 3, routing: { mode: 'OVERRIDE', team: 'LEGAL', reason: 'Both act for an outside company.' } } }]);
    wrapper.unmount();
  });

  it('a split lists every referral it made, each with a link', async () => {
    const referral = draft([['DISCIPLINE', [{ handle: '@a', affiliation: 'STUDENT' }]], ['HR', [{ handle: '@b', affiliation: 'STAFF' }]]], { allowed: true, unmet: [] });
    const { wrapper, sent } = await pageFor(referral, ['referral.draft', 'referral.submit'], ['DISCIPLINE', 'HR']);
    // Without the override permission, splitting is the one choice.
    expect(radios(wrapper, 'mode')).toEqual(['Split: one referral for each team (2 referrals)']);
    await wrapper.find('input[name=mode][value=SPLIT]').setValue(true);
    await flushPromises();
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent).toEqual([{ input: { id: 'r1', version: 3, routing: { mode: 'SPLIT' } } }]);
    await vi.waitFor(() => expect(wrapper.find('.govuk-notification-banner--success').exists()).toBe(true));
    expect(wrapper.find('.govuk-notification-banner--success').text()).toContain('The referral is split and submitted: 2 referrals');
    const links = wrapper.findAll('[data-testid=created-referrals] a');
    expect(links.map((a) => [a.text(), a.attributes('href')])).toEqual([['Referral to Student discipline', '/referrals/r1'], ['Referral to HR', '/referrals/r2']]);
    wrapper.unmount();
  });

  it('for one team, "as proposed" is chosen already; the officer, who may not submit, sees the button disabled with the reason in words and no choices', async () => {
    const one = draft([['DISCIPLINE', [{ handle: '@a', affiliation: 'STUDENT' }, { handle: '@b', affiliation: 'STUDENT' }]]], { allowed: true, unmet: [] });
    const lead = await pageFor(one, ['referral.draft', 'referral.submit']);
    expect(radios(lead.wrapper, 'mode')).toEqual(['As proposed: to Student discipline']);
    expect((lead.wrapper.find('input[name=mode][value=AUTO]').element as HTMLInputElement).checked).toBe(true);
    expect(lead.wrapper.find('.govuk-warning-text').exists()).toBe(false);
    lead.wrapper.unmount();

    const refused = draft([['DISCIPLINE', [{ handle: '@a', affiliation: 'STUDENT' }]]], { allowed: false, unmet: ['only a social media lead can submit a referral'] });
    const officer = await pageFor(refused, ['referral.draft']);
    expect(officer.wrapper.find('input[name=mode]').exists()).toBe(false);
    const button = officer.wrapper.find('button[aria-describedby=submit-unmet]');
    expect(button.text()).toBe('Submit the referral');
    expect(button.attributes('disabled')).toBeDefined();
    expect(officer.wrapper.find('#submit-unmet').text()).toBe('Not possible: only a social media lead can submit a referral');
    // The routing is still shown to the officer, before anyone submits.
    expect(officer.wrapper.findAll('[data-testid=routing-team]')).toHaveLength(1);
    officer.wrapper.unmount();
  });
});
