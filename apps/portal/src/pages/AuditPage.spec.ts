// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS } from '@signpost/policy';
import AuditPage from './AuditPage.vue';
import { AuditChainDocument, AuditTrailDocument, type AuditTrailQuery } from '../generated/graphql.js';

const ACTOR = '3f2b6c1e-8d4a-4c2b-9e1f-0a1b2c3d4e5f';
const GROUP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const event = (seq: string, action: string, details: Record<string, unknown> = {}): AuditTrailQuery['auditEvents']['edges'][number] => ({
  __typename: 'AuditEventEdge',
  node: {
    __typename: 'AuditEvent', id: seq, seq, at: '2026-12-03T10:15:30.000Z', action, actorLabel: 'officer@signpost.test', actor: { __typename: 'User', id: ACTOR },
    entityType: 'Group', entityId: GROUP, groupId: GROUP, summary: 'Group recorded', details,
  },
});

/** The audit page at a URL, with the API answered per document: what it asks for, and what it shows. */
async function auditAt(path: string, edges = [event('12', 'group.create', { name: '<b>not html</b>', fields: ['name', 'url'] })], ok = true) {
  const client = createMockClient();
  const asked: Record<string, unknown>[] = [];
  client.setRequestHandler(AuditTrailDocument, async (variables) => {
    asked.push(variables);
    return {
      data: {
        __typename: 'Query',
        auditEvents: { __typename: 'AuditEventConnection', totalCount: edges.length, pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'CURSOR-2' }, edges },
      },
    };
  });
  client.setRequestHandler(AuditChainDocument, async () => ({
    data: {
      __typename: 'Query',
      auditChainStatus: ok
        ? { __typename: 'AuditChainStatus', ok: true, events: 12, headSeq: '12', headHash: 'ab'.repeat(32), firstBrokenSeq: null, reason: null, explanation: null }
        : { __typename: 'AuditChainStatus', ok: false, events: 6, headSeq: '6', headHash: 'cd'.repeat(32), firstBrokenSeq: '7', reason: 'HASH_MISMATCH', explanation: 'Event 7 was changed after it was written.' },
    },
  }));
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { template: '<div />' } }] });
  await router.push(path);
  const wrapper = mount(AuditPage, { global: { plugins: [router], provide: { [DefaultApolloClient]: client } }, attachTo: document.body });
  await flushPromises();
  return { wrapper, asked, router };
}

describe('AuditPage', () => {
  it('asks for the newest page with no filter, and shows each event with its details as plain text and the chain as intact', async () => {
    const { wrapper, asked } = await auditAt('/audit');
    expect(asked).toEqual([{ first: 25, after: null, filter: {} }]);
    const cells = wrapper.findAll('tbody tr td').map((c) => c.text());
    expect(cells[0]).toBe('12');
    expect(cells[2]).toContain('officer@signpost.test');
    // The action in the policy's words, not its name.
    expect(cells[3]).toBe('Group recorded');
    expect(wrapper.find('.sp-details').text()).toContain('<b>not html</b>');
    expect(wrapper.find('.sp-details b').exists()).toBe(false);
    expect(wrapper.find('.sp-details').text()).toContain('["name","url"]');
    expect(wrapper.find('.sp-chain .govuk-tag').text()).toBe('Intact');
    expect(wrapper.find('.sp-chain').text()).toContain('12 events checked');
    wrapper.unmount();
  });

  it('turns the filters in the URL into the query: the last day included, ids checked, the cursor passed on', async () => {
    const { asked, wrapper } = await auditAt(`/audit?action=referral.read&actor=${ACTOR}&type=Group&record=not-an-id&group=${GROUP}&from=2026-11-01&to=2026-11-30&after=CURSOR-1`);
    expect(asked).toEqual([{
      first: 25,
      after: 'CURSOR-1',
      filter: {
        action: 'referral.read', actorId: ACTOR, entityType: 'Group', groupId: GROUP,
        from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 11, 1).toISOString(),
      },
    }]);
    // The boxes show the view the URL asks for: the action chosen in the list, by its label.
    const action = wrapper.find('#action').element as HTMLSelectElement;
    expect(action.value).toBe('referral.read');
    expect(action.selectedOptions[0]!.textContent).toBe('Referral read');
    expect((wrapper.find('#from-day').element as HTMLInputElement).value).toBe('1');
    expect((wrapper.find('#to-month').element as HTMLInputElement).value).toBe('11');
    wrapper.unmount();
  });

  it('puts what is chosen and typed into the URL, and asks again with it', async () => {
    const { wrapper, asked, router } = await auditAt('/audit');
    await wrapper.find('#action').setValue('auth.login');
    await wrapper.find('#from-day').setValue('2');
    await wrapper.find('#from-month').setValue('12');
    await wrapper.find('#from-year').setValue('2026');
    await wrapper.find('#to-day').setValue('3');
    await wrapper.find('#to-month').setValue('12');
    await wrapper.find('#to-year').setValue('2026');
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ action: 'auth.login', from: '2026-12-02', to: '2026-12-03' }));
    await flushPromises();
    expect(asked).toHaveLength(2);
    expect(asked.at(-1)).toEqual({
      first: 25, after: null, filter: { action: 'auth.login', from: new Date(2026, 11, 2).toISOString(), to: new Date(2026, 11, 4).toISOString() },
    });
    // The next page keeps the filters and carries the cursor.
    const next = wrapper.find('a[rel="next"]').attributes('href')!;
    expect(new URL(next, 'http://x').searchParams.get('after')).toBe('CURSOR-2');
    expect(new URL(next, 'http://x').searchParams.get('action')).toBe('auth.login');
    wrapper.unmount();
  });

  it('sends nothing for dates in the wrong order, and says so in the summary', async () => {
    const { wrapper, asked } = await auditAt('/audit');
    for (const [id, value] of [['from-day', '5'], ['from-month', '12'], ['from-year', '2026'], ['to-day', '4'], ['to-month', '12'], ['to-year', '2026']]) {
      await wrapper.find(`#${id}`).setValue(value);
    }
    await wrapper.find('form').trigger('submit');
    await vi.waitFor(() => expect(wrapper.find('.govuk-error-summary').text()).toContain('The last day must be the same as or after the first day'));
    await flushPromises();
    expect(asked).toHaveLength(1);
    wrapper.unmount();
  });

  it('says the chain is broken, where and why, in words', async () => {
    const { wrapper } = await auditAt('/audit', [], false);
    expect(wrapper.find('.sp-chain .govuk-tag').text()).toBe('Broken');
    expect(wrapper.find('.sp-chain').text()).toContain('The chain is broken at event 7');
    expect(wrapper.find('[data-testid="chain-explanation"]').text()).toBe('Event 7 was changed after it was written.');
    wrapper.unmount();
  });

  it('says when a filter finds nothing, with a way back to every event', async () => {
    const { wrapper } = await auditAt('/audit?action=nothing.matches', []);
    expect(wrapper.find('[data-testid="audit-empty"]').text()).toContain('No events match these filters.');
    expect(wrapper.find('table').exists()).toBe(false);
    wrapper.unmount();
  });

  it('offers every action of the policy\'s registry by its label, any action first', async () => {
    const { wrapper } = await auditAt('/audit');
    const options = wrapper.findAll('#action option').map((o) => [(o.element as HTMLOptionElement).value, o.text()]);
    expect(options[0]).toEqual(['', 'Any action']);
    expect(options.slice(1)).toEqual(AUDIT_ACTIONS.map((a) => [a, AUDIT_ACTION_LABELS[a]]));
    expect(wrapper.find('label[for="action"]').text()).toBe('Action (optional)');
    wrapper.unmount();
  });

  it('keeps an action the registry does not know, from an older link, choosable and asked for', async () => {
    const { wrapper, asked } = await auditAt('/audit?action=group.archive', [event('3', 'group.archive')]);
    expect(asked).toEqual([{ first: 25, after: null, filter: { action: 'group.archive' } }]);
    const action = wrapper.find('#action').element as HTMLSelectElement;
    expect(action.value).toBe('group.archive');
    expect(action.selectedOptions[0]!.textContent).toBe('group.archive (an action this version does not know)');
    expect(wrapper.find('[data-testid="audit-action"]').text()).toBe('group.archive');
    wrapper.unmount();
  });
});
