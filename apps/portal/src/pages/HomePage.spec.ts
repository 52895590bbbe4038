// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import { GROUP_STATUSES, PLATFORMS, permissionEnumName, ROLE_PERMISSIONS } from '@signpost/policy';
import HomePage from './HomePage.vue';
import { session } from '../session.js';
import { HomeDocument, type HomeQuery } from '../generated/graphql.js';

const none = { __typename: 'GroupConnection' as const, totalCount: 0, edges: [] };
const answer = (): HomeQuery => ({
  overdue: {
    __typename: 'GroupConnection', totalCount: 7,
    edges: [{ __typename: 'GroupEdge', node: { __typename: 'Group', id: 'g1', name: 'Late Confessions', platform: 'X', status: 'CONTACTING', riskLevel: 'LOW', nextReviewDue: '2026-11-01T12:00:00.000Z', reviewOverdue: true } }],
  },
  unresponsive: none, placements: none, critical: none,
  registerStats: {
    __typename: 'RegisterStats', total: 13, overdueReviews: 7, unresponsiveEligible: 0,
    byStatus: GROUP_STATUSES.map((status, i) => ({ __typename: 'StatusCount' as const, status, count: i })),
    byPlatform: PLATFORMS.map((platform, i) => ({ __typename: 'PlatformCount' as const, platform, count: i === 0 ? 13 : 0 })),
    daysToCompliance: { __typename: 'DaysToCompliance', groups: 2, median: 12.25, p90: 30 },
  },
});

/** Home for an officer, with the API answered by mock-apollo-client: the charts are drawn from what registerStats says. */
async function homeAs() {
  const client = createMockClient();
  const asked: unknown[] = [];
  client.setRequestHandler(HomeDocument, async (variables) => {
    asked.push(variables);
    return { data: { __typename: 'Query', ...answer() } };
  });
  session.me = { __typename: 'Me', id: 'u1', email: 'officer@signpost.test', displayName: 'Olive Officer', roles: ['SOCIAL_MEDIA_OFFICER'], teams: [], permissions: ROLE_PERMISSIONS.SOCIAL_MEDIA_OFFICER.map(permissionEnumName) } as never;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { template: '<div />' } }] });
  const wrapper = mount(HomePage, { global: { plugins: [router], provide: { [DefaultApolloClient]: client } } });
  await flushPromises();
  return { wrapper, asked };
}

describe('HomePage', () => {
  it("asks for the officer's lists without the lead's, and draws each chart with a table of the API's figures", async () => {
    const { wrapper, asked } = await homeAs();
    expect(asked).toEqual([{ first: 5, lead: false }]);
    expect(wrapper.get('[data-testid="overdue-reviews"] h2').text()).toBe('Overdue reviews 7');
    expect(wrapper.get('[data-testid="overdue-reviews"] a').attributes('href')).toBe('/groups/g1');
    expect(wrapper.get('[data-testid="overdue-reviews"]').text()).toContain('Showing 1 of 7.');
    // "See all" is the register filtered exactly as the list is.
    expect(wrapper.get('[data-testid="overdue-reviews"] a[href^="/register"]').attributes('href')).toBe('/register?overdue=true');
    expect(wrapper.get('[data-testid="unresponsive"]').text()).toContain('No group can be marked unresponsive yet');
    expect(wrapper.find('[data-testid="wording"]').exists()).toBe(false);

    const rows = (id: string) => wrapper.findAll(`[data-testid="${id}"] tbody tr`).map((r) => [r.get('th').text(), r.get('td').text()]);
    expect(rows('by-status')).toHaveLength(GROUP_STATUSES.length);
    expect(rows('by-status')[0]).toEqual(['Discovered', '0']);
    expect(rows('by-status')[9]).toEqual(['Closed', '9']);
    expect(rows('by-platform')[0]![1]).toBe('13');
    expect(rows('days-to-compliance')).toEqual([['Median', '12.3 days'], ['90th percentile', '30 days']]);
    expect(wrapper.findAll('svg[role="img"]').map((s) => s.attributes('aria-label'))).toEqual([
      'Groups by status, as a bar chart; the table beside it has the figures',
      'Groups by platform, as a bar chart; the table beside it has the figures',
      'Days from sighting to compliance, as a bar chart; the table beside it has the figures',
    ]);
    expect(wrapper.findAll('[data-testid="by-status"] .sp-chart__value').map((t) => t.text())).toEqual(rows('by-status').map(([, v]) => v));
  });
});
