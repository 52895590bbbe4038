// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import EscalationPage from './EscalationPage.vue';
import { session } from '../session.js';
import { ApproveEscalationDocument, EscalationPageDocument, type EscalationPageFieldsFragment } from '../generated/graphql.js';

type Actions = EscalationPageFieldsFragment['availableActions'];
const action = (name: Actions[number]['action'], to: Actions[number]['to'], unmet: string[], mutation: string): Actions[number] => ({
  __typename: 'EscalationAvailableAction', action: name, to, allowed: unmet.length === 0, unmet, mutation,
});

const escalation = (status: EscalationPageFieldsFragment['status'], version: number, availableActions: Actions): EscalationPageFieldsFragment => ({
  __typename: 'Escalation', id: 'e1', kind: 'PLATFORM_REPORT', reason: 'Hate speech against a student society.', status, version,
  createdAt: '2026-12-01T10:00:00.000Z', approvedAt: status === 'DRAFT' ? null : '2026-12-02T10:00:00.000Z', reportedAt: null, externalReference: null, outcome: null,
  createdBy: { __typename: 'User', id: 'u1', displayName: 'Olivia Officer' },
  approvedBy: status === 'DRAFT' ? null : { __typename: 'User', id: 'u2', displayName: 'Leo Lead' },
  group: { __typename: 'Group', id: 'g1', name: 'Hateful Memes', status: 'ENGAGED', version: 4 },
  availableActions,
});

/** The escalation page with the API answered per document by mock-apollo-client: what a person sees for a given answer, and what the page sends. */
async function pageWith(answer: EscalationPageFieldsFragment, approved?: EscalationPageFieldsFragment) {
  const client = createMockClient();
  const asked: unknown[] = [];
  const approvals: unknown[] = [];
  client.setRequestHandler(EscalationPageDocument, async (variables) => {
    asked.push(variables);
    return { data: { __typename: 'Query', escalation: answer } };
  });
  client.setRequestHandler(ApproveEscalationDocument, async (variables) => {
    approvals.push(variables);
    return approved
      ? { data: { __typename: 'Mutation', approveEscalation: approved } }
      : { errors: [{ message: 'Someone else changed this escalation.', extensions: { code: 'CONFLICT' } }] } as never;
  });
  session.me = { __typename: 'Me', id: 'u2', email: 'lead@signpost.test', displayName: 'Leo Lead', roles: ['SOCIAL_MEDIA_LEAD'], teams: [], permissions: [] } as never;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/escalations/:id', component: { template: '<div />' } }, { path: '/:rest(.*)*', component: { template: '<div />' } }] });
  await router.push('/escalations/e1');
  await router.isReady();
  const wrapper = mount(EscalationPage, { global: { plugins: [router], provide: { [DefaultApolloClient]: client } }, attachTo: document.body });
  await flushPromises();
  return { wrapper, asked, approvals };
}

const section = (wrapper: Awaited<ReturnType<typeof pageWith>>['wrapper'], name: string) => wrapper.find(`section[data-action="${name}"]`);

describe('EscalationPage', () => {
  it("shows each action the API refuses as text with every reason in words, and no button or form for it", async () => {
    const officer = escalation('DRAFT', 1, [
      action('approve', 'APPROVED', ['your role does not allow you to approve escalations'], 'approveEscalation'),
      action('report', 'REPORTED', ['a lead must approve the escalation before it is reported'], 'reportEscalation'),
      action('close', 'CLOSED', ['An escalation cannot go from ‘Draft’ to ‘Closed’; from ‘Draft’ it can go to ‘Approved’ or ‘Reported’'], 'closeEscalation'),
    ]);
    const { wrapper, asked } = await pageWith(officer);
    expect(asked).toEqual([{ id: 'e1' }]);
    expect(wrapper.find('h1').text()).toBe('Report to the platform');
    expect(wrapper.find('h1 + p .govuk-tag').text()).toBe('Draft');
    expect(wrapper.find('[data-testid="escalation-details"]').text()).toContain('Olivia Officer');
    expect(wrapper.find('[data-testid="escalation-details"]').text()).toContain('Not yet: a lead approves escalations');
    expect(section(wrapper, 'approve').text()).toContain('Not possible now');
    expect(wrapper.find('[data-testid="approve-unmet"]').findAll('li').map((li) => li.text())).toEqual(['your role does not allow you to approve escalations']);
    expect(wrapper.find('[data-testid="report-unmet"]').findAll('li').map((li) => li.text())).toEqual(['a lead must approve the escalation before it is reported']);
    expect(wrapper.find('[data-testid="close-unmet"]').text()).toContain('cannot go from ‘Draft’ to ‘Closed’');
    expect(wrapper.findAll('button')).toHaveLength(0);
    expect(wrapper.find('form').exists()).toBe(false);
    wrapper.unmount();
  });

  it('offers what the API allows: approving sends the version on screen and says it is done; the report form is there for a lead', async () => {
    const lead = escalation('DRAFT', 3, [
      action('approve', 'APPROVED', [], 'approveEscalation'),
      action('report', 'REPORTED', [], 'reportEscalation'),
      action('close', 'CLOSED', ['An escalation cannot go from ‘Draft’ to ‘Closed’; from ‘Draft’ it can go to ‘Approved’ or ‘Reported’'], 'closeEscalation'),
    ]);
    const after = escalation('APPROVED', 4, [
      action('approve', 'APPROVED', ['An escalation cannot go from ‘Approved’ to ‘Approved’; from ‘Approved’ it can go to ‘Reported’'], 'approveEscalation'),
      action('report', 'REPORTED', [], 'reportEscalation'),
      action('close', 'CLOSED', ['An escalation cannot go from ‘Approved’ to ‘Closed’; from ‘Approved’ it can go to ‘Reported’'], 'closeEscalation'),
    ]);
    const { wrapper, approvals } = await pageWith(lead, after);
    const approve = section(wrapper, 'approve').find('button');
    expect(approve.text()).toBe('Approve the escalation');
    const report = wrapper.find('[data-testid="report-form"]');
    expect(report.exists()).toBe(true);
    expect(report.text()).toContain('also approves the escalation');
    expect(report.find('label[for="externalReference"]').text()).toBe("The platform's report number");
    expect(wrapper.find('[data-testid="close-unmet"]').exists()).toBe(true);

    await approve.trigger('click');
    await flushPromises();
    expect(approvals).toEqual([{ input: { id: 'e1', version: 3 } }]);
    expect(wrapper.find('.govuk-notification-banner--success').text()).toContain('The escalation is approved');
    expect(wrapper.find('h1 + p .govuk-tag').text()).toBe('Approved');
    expect(section(wrapper, 'approve').find('button').exists()).toBe(false);
    expect(wrapper.find('[data-testid="approve-unmet"]').text()).toContain('cannot go from ‘Approved’ to ‘Approved’');
    expect(wrapper.find('[data-testid="report-form"]').text()).not.toContain('also approves');
    expect(wrapper.find('[data-testid="escalation-details"]').text()).toContain('Leo Lead');
    wrapper.unmount();
  });

  it('a stale approval says the escalation changed and offers to reload it', async () => {
    const lead = escalation('DRAFT', 3, [
      action('approve', 'APPROVED', [], 'approveEscalation'),
      action('report', 'REPORTED', [], 'reportEscalation'),
      action('close', 'CLOSED', ['An escalation cannot go from ‘Draft’ to ‘Closed’; from ‘Draft’ it can go to ‘Approved’ or ‘Reported’'], 'closeEscalation'),
    ]);
    const { wrapper, approvals, asked } = await pageWith(lead);
    await section(wrapper, 'approve').find('button').trigger('click');
    await flushPromises();
    expect(approvals).toEqual([{ input: { id: 'e1', version: 3 } }]);
    const problem = section(wrapper, 'approve').find('.govuk-error-summary');
    expect(problem.text()).toContain('Someone else changed this record after you opened it');
    const reload = problem.find('button');
    expect(reload.text()).toBe('Reload the escalation');
    await reload.trigger('click');
    await flushPromises();
    expect(asked).toHaveLength(2);
    expect(section(wrapper, 'approve').find('.govuk-error-summary').exists()).toBe(false);
    wrapper.unmount();
  });
});
