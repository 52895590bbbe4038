// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createMockClient } from 'mock-apollo-client';
import PlacementFormPage from './PlacementFormPage.vue';
import { takeFlash } from '../flash.js';
import {
  PlacementFormDocument, RecordPlacementDocument, type PlacementFormFieldsFragment, type PlacementFormQuery, type RecordPlacementMutationVariables,
} from '../generated/graphql.js';

const record = (over: Partial<PlacementFormFieldsFragment> = {}): PlacementFormFieldsFragment => ({
  __typename: 'PlacementRecord', id: 'p1', placement: 'PINNED_MESSAGE', state: 'NOT_PUBLISHED', publishedAt: null, verifiedAt: null, removedAt: null,
  evidenceUrl: null, evidenceNote: null, updatedAt: '2026-12-01T10:00:00.000Z', version: 1, ...over,
});
const groupWith = (placements: PlacementFormFieldsFragment[], status: PlacementFormQuery['group']['status'] = 'WORDING_AGREED'): PlacementFormQuery => ({
  group: { __typename: 'Group', id: 'g1', name: 'Kind Confessions', status, version: 4, placements },
});

/**
 * The placement form with the API answered per document by mock-apollo-client:
 * `reads` are the group as successive loads answer it; `answers` what each save answers.
 */
async function formWith(reads: PlacementFormQuery[], answers: ((v: RecordPlacementMutationVariables) => unknown)[] = [], at = '/groups/g1/placements/pinned-message') {
  const client = createMockClient();
  const loads: unknown[] = [];
  const sent: RecordPlacementMutationVariables[] = [];
  client.setRequestHandler(PlacementFormDocument, async (variables) => {
    loads.push(variables);
    return { data: reads[Math.min(loads.length, reads.length) - 1] };
  });
  client.setRequestHandler(RecordPlacementDocument, async (variables) => {
    sent.push(variables as RecordPlacementMutationVariables);
    const answer = answers[sent.length - 1];
    if (!answer) throw new Error('No answer for this save');
    return answer(variables as RecordPlacementMutationVariables) as never;
  });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/groups/:id/placements/:placement', component: PlacementFormPage },
      { path: '/:rest(.*)*', component: { render: () => h('p', 'elsewhere') } },
    ],
  });
  await router.push(at);
  const wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [router], provide: { [DefaultApolloClient]: client } } });
  await flushPromises();
  return { wrapper, router, loads, sent };
}

/** Lets vee-validate's checks and Apollo's answers land (each takes a few ticks). */
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 0));
  }
};
const summary = (w: Awaited<ReturnType<typeof formWith>>['wrapper']) => w.findAll('.govuk-error-summary a').map((a) => a.text());

describe('PlacementFormPage', () => {
  it('shows what is recorded now and checks as it is sent: a state must be chosen, and published needs a link or a note', async () => {
    const { wrapper, loads, sent } = await formWith([groupWith([record({ evidenceUrl: 'https://example.org/pinned' }), record({ id: 'p2', placement: 'AUTO_RESPONSE' })])]);
    expect(loads).toEqual([{ groupId: 'g1' }]);
    expect(wrapper.find('h1').text()).toBe('Record the pinned message');
    expect(wrapper.find('[data-testid="placement-now"]').text()).toContain('Not published');
    const link = wrapper.find('[data-testid="placement-now"] a');
    expect([link.attributes('href'), link.attributes('rel')]).toEqual(['https://example.org/pinned', 'noopener noreferrer']);
    // Not published is where a placement starts: it is not offered.
    expect(wrapper.findAll('input[type="radio"]').map((r) => r.attributes('value'))).toEqual(['PUBLISHED', 'VERIFIED', 'REMOVED']);

    await wrapper.find('form').trigger('submit');
    await settle();
    expect(summary(wrapper)).toEqual(['Select what you saw of the pinned message']);
    expect(wrapper.find('.govuk-error-summary a').attributes('href')).toBe('#state');

    await wrapper.find('input[value="PUBLISHED"]').setValue(true);
    await settle();
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(summary(wrapper)).toEqual(['Enter a link to the placement or a note of what you saw']);
    expect(wrapper.find('#evidenceUrl-error').text()).toContain('Enter a link to the placement or a note of what you saw');
    // A note puts it right, as it is typed.
    await wrapper.find('textarea#evidenceNote').setValue('Pinned at the top');
    await settle();
    expect(wrapper.find('#evidenceUrl-error').exists()).toBe(false);
    // Removal needs no evidence.
    await wrapper.find('textarea#evidenceNote').setValue('');
    await wrapper.find('input[value="REMOVED"]').setValue(true);
    await settle();
    expect(wrapper.find('#evidenceUrl-error').exists()).toBe(false);
    expect(sent).toEqual([]);
  });

  it("sends the state, the evidence and the version it read; a CONFLICT offers a reload that says what changed and keeps what was typed", async () => {
    const theirs = record({ state: 'PUBLISHED', publishedAt: '2026-12-02T09:00:00.000Z', evidenceNote: 'The admins say it is up', version: 2 });
    const { wrapper, router, loads, sent } = await formWith(
      [groupWith([record()]), groupWith([theirs]), groupWith([record({ ...theirs, state: 'VERIFIED', version: 3 })], 'WORDING_AGREED')],
      [
        () => ({ errors: [{ message: 'Someone else changed this record after you opened it.', extensions: { code: 'CONFLICT', reason: 'STALE_VERSION', entity: 'Placement', currentVersion: 2 } }] }),
        (v) => ({ data: { recordPlacement: { ...theirs, state: v.input.state, evidenceUrl: v.input.evidenceUrl ?? null, version: 3 } } }),
      ],
    );
    await wrapper.find('input[value="VERIFIED"]').setValue(true);
    await wrapper.find('input#evidenceUrl').setValue('https://www.instagram.com/p/kind');
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(sent[0]).toEqual({ input: { groupId: 'g1', placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 1, evidenceUrl: 'https://www.instagram.com/p/kind' } });
    expect(wrapper.find('.govuk-error-summary').text()).toContain('Someone else changed this record after you opened it');

    const reload = wrapper.findAll('button').find((b) => b.text() === 'Reload, keeping what I typed');
    expect(reload).toBeTruthy();
    await reload!.trigger('click');
    await settle();
    expect(loads).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="changes"] li').map((l) => l.text())).toEqual([
      'State: Not published is now Published, not verified', 'Note: now “The admins say it is up”', 'Published: now 2 Dec 2026',
    ]);
    expect(wrapper.find('.govuk-error-summary').exists()).toBe(false);
    expect((wrapper.find('input#evidenceUrl').element as HTMLInputElement).value).toBe('https://www.instagram.com/p/kind');
    expect((wrapper.find('input[value="VERIFIED"]').element as HTMLInputElement).checked).toBe(true);
    expect(wrapper.find('[data-testid="placement-now"]').text()).toContain('The admins say it is up');

    // Saved again, with the version now read; back to the group with what changed.
    await wrapper.find('form').trigger('submit');
    await settle();
    expect(sent[1]).toEqual({ input: { groupId: 'g1', placement: 'PINNED_MESSAGE', state: 'VERIFIED', version: 2, evidenceUrl: 'https://www.instagram.com/p/kind' } });
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/groups/g1'));
    expect(takeFlash()).toEqual({ heading: 'The pinned message is recorded as verified', body: "The group's status is still Wording agreed." });
  });

  it('says there is nothing to record until the wording is agreed, and reads as not found for an address naming no placement', async () => {
    const { wrapper } = await formWith([groupWith([])]);
    expect(wrapper.text()).toContain('the wording must be agreed with the administrators before it is published');
    expect(wrapper.find('form').exists()).toBe(false);
    const nowhere = await formWith([groupWith([record()])], [], '/groups/g1/placements/banner');
    expect(nowhere.wrapper.find('h1').text()).toBe('Page not found');
    expect(nowhere.wrapper.find('form').exists()).toBe(false);
  });
});
