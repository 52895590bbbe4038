import { registerDecorator, type ValidationOptions, isURL } from 'class-validator';

// C0/C1 controls except tab, newline and carriage return; bidi overrides and isolates,
// which can make a handle or URL display as something it is not.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
// Unicode line and paragraph separators break a line as surely as \n does.
const FORBIDDEN_CHARS_SINGLE_LINE = /[\r\n\t\u2028\u2029]/;

/** Text a person typed: no control or bidirectional-override characters; one line unless `multiline`. */
export function IsCleanText(options: { multiline?: boolean } = {}, validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCleanText',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          value === null || value === undefined ||
          (typeof value === 'string' && !FORBIDDEN_CHARS.test(value) && (options.multiline || !FORBIDDEN_CHARS_SINGLE_LINE.test(value))),
        defaultMessage: () =>
          `${propertyName} contains control or text-direction characters${options.multiline ? '' : ' or line breaks'}; remove them.`,
      },
    });
}

/** Blank after trimming is as good as missing. */
export function IsNotBlank(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
        defaultMessage: () => `${propertyName} must not be blank.`,
      },
    });
}

/** An http(s) link with a real host and no credentials: never javascript:, data: or file:. */
export function IsWebUrl(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isWebUrl',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => value === null || value === undefined || isWebUrl(value),
        defaultMessage: () => `${propertyName} must be an http or https link without a user name or password.`,
      },
    });
}

/**
 * The scheme must be spelled out as `http://` or `https://` at the very start,
 * before any parser gets a say: WHATWG URL parsing trims spaces, drops tabs
 * and newlines inside the scheme (`java\tscript:`) and turns `\` into `/`,
 * so "what new URL() makes of it" is not what a browser or another parser
 * will make of it.
 */
const WEB_SCHEME = /^https?:\/\/[^/\\]/i;

export function isWebUrl(value: unknown): boolean {
  // Whitespace and invisible characters (zero-width, soft hyphen) have no place in a link someone will click.
  if (typeof value !== 'string' || FORBIDDEN_CHARS.test(value) || /[\s\\\u00AD\u200B-\u200D\u2060]/.test(value) || !WEB_SCHEME.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password || !url.hostname) return false;
  return isURL(value, { protocols: ['http', 'https'], require_protocol: true, disallow_auth: true, require_tld: false });
}

/** Nothing Signpost records (a sighting, a contact, a review...) happened before social media did. */
export const EARLIEST_RECORDED_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * A real date of something that happened: not before 2000. DateTimeISO
 * accepts year 0 and other instants no record can have; the database would
 * store them and every list sorted by date would lead with them.
 */
export function IsRecordedDate(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isRecordedDate',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          value === null || value === undefined ||
          (value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() >= EARLIEST_RECORDED_DATE.getTime()),
        defaultMessage: () => `${propertyName} must be a date in or after the year 2000.`,
      },
    });
}
