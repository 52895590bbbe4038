import * as v from 'valibot';

/**
 * The pieces the portal's form schemas are built from (valibot, read by
 * vee-validate). They check what a form can know by itself — a field left
 * empty, too long for the policy's `LIMITS`, a date that is not a date, a web
 * address that is not http(s) — in GOV.UK's words. Anything that needs the
 * policy's rules or the records is the API's to say; its answer is shown next
 * to the field the same way (`useGovForm().showServerErrors`).
 */

/** A required line or paragraph of text, trimmed. */
export const requiredText = (empty: string, max: number, tooLong: string) =>
  v.pipe(v.string(empty), v.trim(), v.nonEmpty(empty), v.maxLength(max, tooLong));

/** Optional text, trimmed; nothing typed is null (which clears the field on an update). */
export const optionalText = (max: number, tooLong: string) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.maxLength(max, tooLong),
    v.transform((s): string | null => (s === '' ? null : s)),
  );

/** One of a fixed set of values (radios, a select), with the message for none chosen. */
export const choice = <const T extends readonly string[]>(options: T, message: string) => v.picklist(options, message);

/** Yes or no radios, as a boolean. */
export const yesNo = (message: string) =>
  v.pipe(choice(['yes', 'no'] as const, message), v.transform((s) => s === 'yes'));

/** Where a link may point: http or https only, with a host (the API checks the finer points and says so). */
export function isHttpAddress(s: string): boolean {
  if (!/^https?:\/\/[^/\\\s]/i.test(s) || /\s/.test(s)) return false;
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An optional web address. */
export const optionalWebAddress = (max: number, messages: { invalid: string; tooLong: string }) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.maxLength(max, messages.tooLong),
    v.check((s) => s === '' || isHttpAddress(s), messages.invalid),
    v.transform((s): string | null => (s === '' ? null : s)),
  );

/** An optional whole number, as people write it (1,200 or 1200). */
export const optionalWholeNumber = (message: string) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.transform((s) => s.replace(/[,\s]/g, '')),
    v.check((s) => s === '' || /^\d{1,10}$/.test(s), message),
    v.transform((s): number | null => (s === '' ? null : Number(s))),
  );

/** The three boxes of a GOV.UK date input, as typed. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}
export const emptyDate = (): DateParts => ({ day: '', month: '', year: '' });
export function datePartsOf(d: Date): DateParts {
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

/** What is wrong with a date as typed, in GOV.UK's words; null when it is a real date (or empty and optional). */
export function dateProblem(parts: DateParts, opts: { name: string; required: boolean; pastOrToday?: boolean }, today = new Date()): string | null {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return opts.required ? `Enter ${opts.name.charAt(0).toLowerCase()}${opts.name.slice(1)}` : null;
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean) as string[];
  if (missing.length) return `${opts.name} must include ${missing.join(' and ')}`;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) return `${opts.name} must be a real date`;
  if (year.length !== 4) return 'Year must include 4 numbers';
  const date = toDate(parts);
  if (!date) return `${opts.name} must be a real date`;
  if (opts.pastOrToday) {
    const endOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
    if (date.getTime() >= endOfToday.getTime()) return `${opts.name} must be today or in the past`;
  }
  return null;
}

/** The date typed, at local midnight; null unless it is a real date. */
export function toDate(parts: DateParts): Date | null {
  const [d, m, y] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y)) return null;
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** A GOV.UK date input: three boxes in, a Date (or null when optional and empty) out. */
export const dateField = (opts: { name: string; required: boolean; pastOrToday?: boolean }) =>
  v.pipe(
    v.object({ day: v.optional(v.string(), ''), month: v.optional(v.string(), ''), year: v.optional(v.string(), '') }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const problem = dateProblem(dataset.value, opts);
      if (problem) addIssue({ message: problem });
    }),
    v.transform((parts): Date | null => toDate(parts)),
  );

/**
 * A day the person entered, as the moment to record: today is now; another
 * day is noon, so the day is the same in any time zone.
 */
export function atNoonOrNow(day: Date, now = new Date()): Date {
  if (day.toDateString() === now.toDateString()) return now;
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), 12);
}

/** The policy steps and other checkbox lists: the values ticked. */
export const ticked = <const T extends readonly string[]>(options: T) => v.optional(v.array(v.picklist(options)), []);
