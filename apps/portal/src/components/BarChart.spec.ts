// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import BarChart, { type Bar } from './BarChart.vue';

const BARS: Bar[] = [
  { key: 'DISCOVERED', label: 'Discovered', value: 4 },
  { key: 'CONTACTING', label: 'Contacting', value: 1200 },
  { key: 'ENGAGED', label: 'Engaged', value: 600 },
  { key: 'CLOSED', label: 'Closed', value: 0 },
];

const chart = (props: Partial<InstanceType<typeof BarChart>['$props']> = {}) =>
  mount(BarChart, { props: { id: 'by-status', title: 'Groups by status', itemHeading: 'Status', valueHeading: 'Groups', bars: BARS, ...props } });

describe('BarChart', () => {
  it('draws one named image with a bar per value, each labelled in words with its figure, and the same figures in a table', () => {
    const wrapper = chart();
    const svg = wrapper.get('svg');
    expect(svg.attributes('role')).toBe('img');
    expect(svg.attributes('aria-label')).toBe('Groups by status, as a bar chart; the table beside it has the figures');
    expect(svg.findAll('g').map((g) => g.attributes('data-key'))).toEqual(['DISCOVERED', 'CONTACTING', 'ENGAGED', 'CLOSED']);
    expect(svg.findAll('.sp-chart__label').map((t) => t.text())).toEqual(['Discovered', 'Contacting', 'Engaged', 'Closed']);
    expect(svg.findAll('.sp-chart__value').map((t) => t.text())).toEqual(['4', '1,200', '600', '0']);
    // Bars are in proportion: the largest fills the room, a zero draws nothing, a small value still shows.
    const widths = svg.findAll('rect').map((r) => Number(r.attributes('width')));
    expect(widths).toEqual([2, 190, 95, 0]);

    const table = wrapper.get('table');
    expect(table.get('caption').text()).toBe('Groups by status');
    expect(table.findAll('thead th').map((th) => th.text())).toEqual(['Status', 'Groups']);
    expect(table.findAll('tbody tr').map((tr) => [tr.get('th').text(), tr.get('td').text()])).toEqual([['Discovered', '4'], ['Contacting', '1,200'], ['Engaged', '600'], ['Closed', '0']]);
    expect(table.findAll('tbody th').every((th) => th.attributes('scope') === 'row')).toBe(true);
  });

  it('writes values the way it is told, in the picture and the table alike', () => {
    const wrapper = chart({ bars: [{ key: 'median', label: 'Median', value: 12.5 }], format: (n: number) => `${n} days`, valueHeading: 'Days' });
    expect(wrapper.get('.sp-chart__value').text()).toBe('12.5 days');
    expect(wrapper.get('tbody td').text()).toBe('12.5 days');
    expect(Number(wrapper.get('svg').attributes('viewBox')!.split(' ')[3])).toBeGreaterThan(0);
  });
});
