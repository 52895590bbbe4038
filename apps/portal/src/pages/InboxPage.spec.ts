// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import InboxPage from './InboxPage.vue';
import { session } from '../session.js';
import { InboxDocument, type InboxQuery } from '../generated/graphql.js';

/** The inbox with the API answered per document by mock-apollo-client: what the team sees for a given answer. */
async function inboxWith(edges: InboxQuery['referrals']['edges']) {
  const client = createMockClient();
  const asked: unknown[] = [];
  client.setRequestHandler(InboxDocument, async (variables) => {
    asked.push(variables);
    return { data: { __typename: 'Query', referrals: { __typename: 'ReferralConnection', totalCount: edges.length, pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null }, edges } } };
  });
  session.me = { __typename: 'Me', id: 'u1', email: 'hr@signpost.test', displayName: 'Harper HR', roles: ['HR'], teams: ['HR'], permissions: [] } as never;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { template: '<div />' } }] });
  const wrapper = mount(InboxPage, { global: { plugins: [router], provide: { [DefaultApolloClient]: client } } });
  await flushPromises();
  return { wrapper, asked };
}

const referral = (id: string, name: string, overdue: boolean): InboxQuery['referrals']['edges'][number] => ({
  __typename: 'ReferralEdge',
  node: {
    __typename: 'Referral', id, status: 'SUBMITTED', reason: 'REFUSED_TO_ENGAGE', team: 'HR', submittedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    acknowledgeBy: '2026-12-10T17:00:00.000Z', acknowledgementOverdue: overdue, group: { __typename: 'Group', id: `g-${id}`, name, platform: 'DISCORD' },
  },
});

describe('InboxPage', () => {
  it("asks for the team's open referrals and shows each with its words, age and an Overdue tag where the API says so", async () => {
    const { wrapper, asked } = await inboxWith([referral('r1', 'Late page', true), referral('r2', 'Fresh page', false)]);
    expect(asked).toEqual([{ first: 50, after: null, filter: { status: ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS'] } }]);
    const rows = wrapper.findAll('tbody tr');
    expect(rows.map((r) => r.find('a').text())).toEqual(['Late page', 'Fresh page']);
    expect(rows[0]!.text()).toContain('Refused to engage');
    expect(rows[0]!.text()).toContain('New');
    expect(rows[0]!.text()).toContain('3 days');
    expect(rows[0]!.find('.govuk-tag--red').text()).toBe('Overdue');
    expect(rows[1]!.find('.govuk-tag--red').exists()).toBe(false);
    expect(wrapper.find('a').attributes('href')).toBe('/referrals/r1');
    expect(wrapper.text()).toContain('2 open referrals, overdue first.');
    expect(wrapper.find('.govuk-caption-l').text()).toBe('HR');
  });

  it('says so when the team has no open referrals, with no empty table', async () => {
    const { wrapper } = await inboxWith([]);
    expect(wrapper.text()).toContain('There are no open referrals for your team.');
    expect(wrapper.find('table').exists()).toBe(false);
  });
});
