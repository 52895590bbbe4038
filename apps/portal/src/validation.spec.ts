import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { dateField, dateProblem, isHttpAddress, optionalText, optionalWholeNumber, toDate } from './validation.js';

const TODAY = new Date(2026, 11, 3, 9, 30);

describe("the forms' own checks", () => {
  it('takes only http(s) web addresses with a host', () => {
    for (const ok of ['https://www.instagram.com/example', 'http://example.test/a?b=c', 'HTTPS://Example.org']) expect(isHttpAddress(ok), ok).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'www.instagram.com/x', 'https://', 'https:///x', 'https:\\\\evil.test', 'https://exa mple.test', ' https://example.test', 'ftp://example.test'])
      expect(isHttpAddress(bad), bad).toBe(false);
  });

  it('says what is wrong with a date in GOV.UK words, and which part is missing', () => {
    const opts = { name: 'The date of the contact', required: true, pastOrToday: true };
    expect(dateProblem({ day: '', month: '', year: '' }, opts, TODAY)).toBe('Enter the date of the contact');
    expect(dateProblem({ day: '', month: '', year: '' }, { ...opts, required: false }, TODAY)).toBeNull();
    expect(dateProblem({ day: '3', month: '', year: '2026' }, opts, TODAY)).toBe('The date of the contact must include a month');
    expect(dateProblem({ day: '', month: '', year: '2026' }, opts, TODAY)).toBe('The date of the contact must include a day and a month');
    expect(dateProblem({ day: '31', month: '2', year: '2026' }, opts, TODAY)).toBe('The date of the contact must be a real date');
    expect(dateProblem({ day: 'x', month: '2', year: '2026' }, opts, TODAY)).toBe('The date of the contact must be a real date');
    expect(dateProblem({ day: '1', month: '2', year: '26' }, opts, TODAY)).toBe('Year must include 4 numbers');
    expect(dateProblem({ day: '4', month: '12', year: '2026' }, opts, TODAY)).toBe('The date of the contact must be today or in the past');
    expect(dateProblem({ day: '3', month: '12', year: '2026' }, opts, TODAY)).toBeNull();
    expect(toDate({ day: '29', month: '2', year: '2028' })?.getDate()).toBe(29);
    expect(toDate({ day: '29', month: '2', year: '2027' })).toBeNull();
  });

  it('turns what was typed into what the API takes: trimmed text or null, whole numbers, dates', () => {
    const schema = v.object({
      notes: optionalText(20, 'too long'),
      audience: optionalWholeNumber('not a number'),
      when: dateField({ name: 'The date', required: false }),
    });
    expect(v.parse(schema, { notes: '  hello ', audience: '1,250', when: { day: '', month: '', year: '' } })).toEqual({ notes: 'hello', audience: 1250, when: null });
    expect(v.parse(schema, { notes: '   ', audience: '', when: { day: '2', month: '1', year: '2026' } })).toEqual({ notes: null, audience: null, when: new Date(2026, 0, 2) });
    const refused = v.safeParse(schema, { notes: 'x'.repeat(21), audience: '12 thousand', when: { day: '', month: '1', year: '2026' } });
    expect(refused.issues?.map((i) => [v.getDotPath(i), i.message])).toEqual([
      ['notes', 'too long'],
      ['audience', 'not a number'],
      ['when', 'The date must include a day'],
    ]);
  });
});
