/**
 * What Signpost accepts as configuration, checked once at start: the
 * `SIGNPOST_CONFIG_FILE` JSON file and the environment variables that are
 * numbers, switches or names from a list. Each message says what the value
 * must be and what it was; `describeIssues` puts the key in front.
 *
 * The file may leave anything out: every object is filled from the defaults
 * of `@signpost/policy`, key by key and at every level, while an array
 * replaces the default list as a whole.
 */
import * as v from 'valibot';
import {
  DEFAULT_POLICY_CONFIG, DEFAULT_WORDING_CONFIG, RISK_LEVELS, type PolicyConfig, type WordingConfig,
} from '@signpost/policy';

/** A value as it was written, short enough for a one-line message. */
function shown(input: unknown): string {
  const text = input === undefined ? 'nothing' : JSON.stringify(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const got = (issue: v.BaseIssue<unknown>): string => `(got ${shown(issue.input)})`;

const isPlainObject = (input: unknown): input is object =>
  !!input && typeof input === 'object' && !Array.isArray(input);

/**
 * An object of named settings. A key it does not know is refused (a typo
 * would otherwise be ignored, leaving the default in force unnoticed), and
 * every such key is reported, not only the first.
 */
function settings<const TEntries extends v.ObjectEntries>(entries: TEntries, kind: string, notObject = `must be a JSON object of ${kind}s`) {
  const known = Object.keys(entries);
  return v.pipe(
    v.custom<object>(isPlainObject, (issue) => `${notObject} ${got(issue)}`),
    // Only a key that has no default can be missing.
    v.looseObject(entries, 'is required'),
    v.rawCheck(({ dataset, addIssue }) => {
      const value = dataset.value as Record<string, unknown>;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        addIssue({
          message: `is not a ${kind} (expected one of: ${known.join(', ')})`,
          path: [{ type: 'object', origin: 'key', input: value, key, value: value[key] }],
        });
      }
    }),
    // Reached only without problems, so without unknown keys: the result has exactly the known ones.
    v.transform((value) => value as v.InferOutput<v.ObjectSchema<TEntries, undefined>>),
  );
}

/** A whole number in a range; `what` names the unit, e.g. "a whole number of days". */
function wholeNumber(what: string, min: number, max: number) {
  const message = (issue: v.BaseIssue<unknown>) => `must be ${what} from ${min} to ${max} ${got(issue)}`;
  return v.pipe(v.number(message), v.check((n) => Number.isInteger(n) && n >= min && n <= max, message));
}

const days = () => wholeNumber('a whole number of days', 1, 3650);

/** Text a person will read in the wording check's explanations: something other than spaces. */
const text = (what: string) =>
  v.pipe(
    v.string((issue) => `must be ${what} ${got(issue)}`),
    v.trim(),
    v.nonEmpty(`must be ${what}, not empty`),
  );

/** An absolute http(s) address, as the wording check compares links by host and path. */
const webAddress = () =>
  v.pipe(
    v.string((issue) => `must be a web address starting https:// or http:// ${got(issue)}`),
    v.trim(),
    v.check((s) => {
      try {
        const url = new URL(s);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, (issue) => `must be a web address starting https:// or http:// ${got(issue)}`),
  );

/** A real calendar date written `YYYY-MM-DD` (so not 2025-02-30). */
const isoDate = () => {
  const message = (issue: v.BaseIssue<unknown>) => `must be a date written YYYY-MM-DD, e.g. "2025-12-25" ${got(issue)}`;
  return v.pipe(
    v.string(message),
    v.check((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), message),
  );
};

/** A list; `atLeastOne` refuses an empty one where the wording check could then never pass. */
function list<TItem extends v.GenericSchema>(item: TItem, what: string, atLeastOne: boolean) {
  const array = v.array(item, (issue) => `must be a JSON list of ${what} ${got(issue)}`);
  return atLeastOne ? v.pipe(array, v.minLength(1, `must list at least one of ${what}`)) : array;
}

// Defaults are copies: the policy package freezes its own, and a caller may change its configuration.
const copy = <T>(value: T) => (): T => structuredClone(value);

const P = DEFAULT_POLICY_CONFIG;
const W = DEFAULT_WORDING_CONFIG;

export const PolicyConfigSchema = settings({
  unresponsiveAfterAttempts: v.optional(wholeNumber('a whole number of contacts', 1, 100), P.unresponsiveAfterAttempts),
  unresponsiveAfterDays: v.optional(days(), P.unresponsiveAfterDays),
  reviewIntervalDays: v.optional(
    settings(
      Object.fromEntries(RISK_LEVELS.map((risk) => [risk, v.optional(days(), P.reviewIntervalDays[risk])])) as {
        [R in (typeof RISK_LEVELS)[number]]: v.OptionalSchema<ReturnType<typeof days>, number>;
      },
      'risk level',
    ),
    {},
  ),
  retentionDays: v.optional(days(), P.retentionDays),
  acknowledgementWorkingDays: v.optional(wholeNumber('a whole number of working days', 1, 260), P.acknowledgementWorkingDays),
  bankHolidays: v.optional(list(isoDate(), 'dates', false), copy(P.bankHolidays)),
}, 'policy setting');

export const WordingConfigSchema = settings({
  universityName: v.optional(text('the name of the university'), W.universityName),
  supportLinks: v.optional(
    list(settings({ label: text('a label'), url: webAddress() }, 'support link field'), 'support links ({"label", "url"})', true),
    copy(W.supportLinks),
  ),
  reputableBodies: v.optional(
    list(
      settings({
        name: text('the name of the body'),
        url: v.optional(webAddress()),
        keywords: v.optional(list(text('a keyword, e.g. a helpline number'), 'keywords', false)),
      }, 'reputable body field'),
      'reputable bodies ({"name", "url", "keywords"})',
      true,
    ),
    copy(W.reputableBodies),
  ),
}, 'wording setting');

/** The whole file. Both sections are optional: `{}` means every default. */
export const ConfigFileSchema = settings({
  policy: v.optional(PolicyConfigSchema, {}),
  wording: v.optional(WordingConfigSchema, {}),
}, 'section', 'must hold a JSON object with a "policy" section, a "wording" section or both');

// The schemas must produce exactly the policy package's types: a setting added there and not here fails to compile.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const policyMatches: Exactly<v.InferOutput<typeof PolicyConfigSchema>, PolicyConfig> = true;
const wordingMatches: Exactly<v.InferOutput<typeof WordingConfigSchema>, WordingConfig> = true;
void policyMatches;
void wordingMatches;

// ---------------------------------------------------------------------------
// Environment variables

/** An integer in a range, written in decimal digits. */
function integerVariable(what: string, min: number, max: number) {
  return v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => /^-?\d+$/.test(s) && Number(s) >= min && Number(s) <= max, (issue) => `must be ${what} from ${min} to ${max} ${got(issue)}`),
    v.transform(Number),
  );
}

const SWITCH_WORDS = ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'];
const switchVariable = () =>
  v.pipe(
    v.string(),
    v.check((s) => SWITCH_WORDS.includes(s.trim().toLowerCase()), (issue) => `must be true or false (or 1/0, yes/no, on/off) ${got(issue)}`),
  );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The environment variables with a shape to check. An unset or empty
 * variable is left out before this runs, so it takes its default.
 */
export const EnvironmentSchema = v.object({
  PORT: v.optional(integerVariable('an integer', 0, 65535)),
  SIGNPOST_SESSION_TTL_HOURS: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check((s) => /^\d+(\.\d+)?$/.test(s) && Number(s) > 0 && Number(s) <= 8760, (issue) => `must be a number of hours above 0 and at most 8760 ${got(issue)}`),
      v.transform(Number),
    ),
  ),
  SIGNPOST_LOGIN_MAX_FAILURES: v.optional(integerVariable('an integer', 1, 1000)),
  SIGNPOST_SHUTDOWN_GRACE_MS: v.optional(integerVariable('a whole number of milliseconds', 0, 600_000)),
  SIGNPOST_SEED_DEMO: v.optional(switchVariable()),
  SIGNPOST_COOKIE_SECURE: v.optional(switchVariable()),
  SIGNPOST_OIDC_CREATE_USERS: v.optional(switchVariable()),
  SIGNPOST_OIDC_ALLOW_HTTP: v.optional(switchVariable()),
  LOG_LEVEL: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.picklist(LOG_LEVELS, (issue) => `must be one of ${LOG_LEVELS.join(', ')} ${got(issue)}`),
    ),
  ),
});

/** Where a problem is: `policy.reviewIntervalDays.CRITICAL`, `wording.supportLinks[0].url`. */
function keyOf(issue: v.BaseIssue<unknown>): string {
  let key = '';
  for (const item of issue.path ?? []) {
    if (typeof item.key === 'number') key += `[${item.key}]`;
    else key += key ? `.${String(item.key)}` : String(item.key);
  }
  return key;
}

/** One line per problem, the key first: `policy.retentionDays must be ... (got 0)`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const key = keyOf(issue);
    return key ? `${key} ${issue.message}` : issue.message;
  });
}
