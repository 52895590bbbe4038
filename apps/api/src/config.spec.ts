import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_CONFIG, DEFAULT_WORDING_CONFIG, nextReviewDue } from '@signpost/policy';
import { ConfigError, DEFAULT_PORTAL_DIR, IN_MEMORY, loadConfig } from './config.js';

const DIR = mkdtempSync(path.join(tmpdir(), 'signpost-config-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

let files = 0;
/** Writes `content` (JSON-encoded unless already text) to a fresh file and returns its path. */
function configFile(content: unknown): string {
  const file = path.join(DIR, `config-${++files}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The problems loadConfig reports for this environment; fails the test if it accepts it. */
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

const problemsOfFile = (content: unknown) => {
  const file = configFile(content);
  return { file, problems: problemsOf({ SIGNPOST_CONFIG_FILE: file }) };
};

const withFile = (content: unknown) => loadConfig({ NODE_ENV: 'test', SIGNPOST_CONFIG_FILE: configFile(content) });

describe('the configuration file', () => {
  it('is optional: without it every setting has its default', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.policy).toEqual(DEFAULT_POLICY_CONFIG);
    expect(config.wording).toEqual(DEFAULT_WORDING_CONFIG);
    expect(withFile({})).toMatchObject({ policy: DEFAULT_POLICY_CONFIG, wording: DEFAULT_WORDING_CONFIG });
  });

  it('is documented: the example in docs/operations.md has every key, each with its default', () => {
    const operations = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/operations.md'), 'utf8');
    const example = /## Configuration of the policy[\s\S]*?```json\n([\s\S]*?)```/.exec(operations)?.[1];
    expect(example).toBeDefined();
    expect(JSON.parse(example!)).toEqual({ policy: DEFAULT_POLICY_CONFIG, wording: DEFAULT_WORDING_CONFIG });
    expect(withFile(example)).toMatchObject({ policy: DEFAULT_POLICY_CONFIG, wording: DEFAULT_WORDING_CONFIG });
  });

  it('keeps the defaults of everything a partial file leaves out, inside objects too', () => {
    const config = withFile({ policy: { reviewIntervalDays: { CRITICAL: 3 } } });
    expect(config.policy.reviewIntervalDays).toEqual({ CRITICAL: 3, HIGH: 14, MEDIUM: 30, LOW: 90 });
    expect(config.policy).toEqual({ ...DEFAULT_POLICY_CONFIG, reviewIntervalDays: { CRITICAL: 3, HIGH: 14, MEDIUM: 30, LOW: 90 } });
    expect(config.wording).toEqual(DEFAULT_WORDING_CONFIG);
    // What createGroup does with it: a MEDIUM group is due in 30 days, a CRITICAL one in 3.
    const from = new Date('2025-03-28T09:00:00.000Z');
    expect(nextReviewDue('MEDIUM', from, config.policy).toISOString()).toBe('2025-04-27T09:00:00.000Z');
    expect(nextReviewDue('CRITICAL', from, config.policy).toISOString()).toBe('2025-03-31T09:00:00.000Z');
  });

  it('takes every setting it gives, and a list replaces the default list as a whole', () => {
    const config = withFile({
      policy: {
        unresponsiveAfterAttempts: 2, unresponsiveAfterDays: 10, retentionDays: 365,
        acknowledgementWorkingDays: 3, bankHolidays: ['2025-12-25', '2025-12-26', '2024-02-29'],
      },
      wording: {
        universityName: '  Northfield University ',
        supportLinks: [{ label: 'Wellbeing', url: 'https://www.northfield.example/wellbeing' }],
      },
    });
    expect(config.policy).toEqual({
      unresponsiveAfterAttempts: 2, unresponsiveAfterDays: 10, reviewIntervalDays: DEFAULT_POLICY_CONFIG.reviewIntervalDays,
      retentionDays: 365, acknowledgementWorkingDays: 3, bankHolidays: ['2025-12-25', '2025-12-26', '2024-02-29'],
    });
    expect(config.wording).toEqual({
      universityName: 'Northfield University',
      supportLinks: [{ label: 'Wellbeing', url: 'https://www.northfield.example/wellbeing' }],
      reputableBodies: DEFAULT_WORDING_CONFIG.reputableBodies,
    });
  });

  it('gives each start its own copy of the default lists, so changing one cannot change the defaults', () => {
    const config = withFile({ policy: { retentionDays: 100 } });
    config.policy.bankHolidays.push('2025-01-01');
    config.wording.supportLinks.pop();
    expect(DEFAULT_POLICY_CONFIG.bankHolidays).toEqual([]);
    expect(DEFAULT_WORDING_CONFIG.supportLinks).toHaveLength(3);
    expect(loadConfig({ NODE_ENV: 'test' }).policy.bankHolidays).toEqual([]);
  });

  it('keeps SIGNPOST_DATA_DIR=:memory: as the in-memory embedded database, never a folder of that name', () => {
    expect(loadConfig({ NODE_ENV: 'test', SIGNPOST_DATA_DIR: ':memory:' }).dataDir).toBe(IN_MEMORY);
    expect(loadConfig({ NODE_ENV: 'test', INIT_CWD: DIR, SIGNPOST_DATA_DIR: 'data' }).dataDir).toBe(path.join(DIR, 'data'));
  });

  it('is read relative to where the command was typed, like SIGNPOST_DATA_DIR', () => {
    const from = path.join(DIR, 'typed-here');
    mkdirSync(from, { recursive: true });
    writeFileSync(path.join(from, 'signpost.json'), JSON.stringify({ policy: { retentionDays: 400 } }));
    expect(loadConfig({ NODE_ENV: 'test', INIT_CWD: from, SIGNPOST_CONFIG_FILE: 'signpost.json' }).policy.retentionDays).toBe(400);
  });

  it('stops the start with the key, the rule and the value, e.g. a negative review interval', () => {
    const { file, problems } = problemsOfFile({ policy: { reviewIntervalDays: { CRITICAL: -3 } } });
    expect(problems).toEqual([
      `SIGNPOST_CONFIG_FILE ${file}: policy.reviewIntervalDays.CRITICAL must be a whole number of days from 1 to 3650 (got -3)`,
    ]);
  });

  it.each([
    ['an unknown policy setting', { policy: { reviewIntervalDay: { CRITICAL: 3 } } }, 'policy.reviewIntervalDay is not a policy setting (expected one of: unresponsiveAfterAttempts, unresponsiveAfterDays, reviewIntervalDays, retentionDays, acknowledgementWorkingDays, bankHolidays)'],
    ['an unknown section', { polcy: {} }, 'polcy is not a section (expected one of: policy, wording)'],
    ['an unknown wording setting', { wording: { university: 'Northfield' } }, 'wording.university is not a wording setting'],
    ['a number written as text', { policy: { retentionDays: '730' } }, 'policy.retentionDays must be a whole number of days from 1 to 3650 (got "730")'],
    ['a section that is not an object', { policy: [] }, 'policy must be a JSON object of policy settings (got [])'],
    ['intervals that are not an object', { policy: { reviewIntervalDays: 7 } }, 'policy.reviewIntervalDays must be a JSON object of risk levels (got 7)'],
    ['a fraction of a day', { policy: { reviewIntervalDays: { HIGH: 7.5 } } }, 'policy.reviewIntervalDays.HIGH must be a whole number of days from 1 to 3650 (got 7.5)'],
    ['zero days', { policy: { unresponsiveAfterDays: 0 } }, 'policy.unresponsiveAfterDays must be a whole number of days from 1 to 3650 (got 0)'],
    ['too many days', { policy: { retentionDays: 4000 } }, 'policy.retentionDays must be a whole number of days from 1 to 3650 (got 4000)'],
    ['no number at all', { policy: { reviewIntervalDays: { LOW: null } } }, 'policy.reviewIntervalDays.LOW must be a whole number of days from 1 to 3650 (got null)'],
    ['a risk level that does not exist', { policy: { reviewIntervalDays: { SEVERE: 2 } } }, 'policy.reviewIntervalDays.SEVERE is not a risk level (expected one of: LOW, MEDIUM, HIGH, CRITICAL)'],
    ['a risk level in the wrong case', { policy: { reviewIntervalDays: { critical: 2 } } }, 'policy.reviewIntervalDays.critical is not a risk level'],
    ['no contact attempts', { policy: { unresponsiveAfterAttempts: 0 } }, 'policy.unresponsiveAfterAttempts must be a whole number of contacts from 1 to 100 (got 0)'],
    ['no working days to acknowledge', { policy: { acknowledgementWorkingDays: 0 } }, 'policy.acknowledgementWorkingDays must be a whole number of working days from 1 to 260 (got 0)'],
    ['working days as a fraction', { policy: { acknowledgementWorkingDays: 2.5 } }, 'policy.acknowledgementWorkingDays must be a whole number of working days from 1 to 260 (got 2.5)'],
    ['a bank holiday written another way', { policy: { bankHolidays: ['25/12/2025'] } }, 'policy.bankHolidays[0] must be a date written YYYY-MM-DD, e.g. "2025-12-25" (got "25/12/2025")'],
    ['a bank holiday that is not a date', { policy: { bankHolidays: ['2025-12-25', '2025-02-30'] } }, 'policy.bankHolidays[1] must be a date written YYYY-MM-DD, e.g. "2025-12-25" (got "2025-02-30")'],
    ['a bank holiday as a number', { policy: { bankHolidays: [20251225] } }, 'policy.bankHolidays[0] must be a date written YYYY-MM-DD, e.g. "2025-12-25" (got 20251225)'],
    ['bank holidays that are not a list', { policy: { bankHolidays: '2025-12-25' } }, 'policy.bankHolidays must be a JSON list of dates (got "2025-12-25")'],
    ['an empty university name', { wording: { universityName: '' } }, 'wording.universityName must be the name of the university, not empty'],
    ['a university name of spaces', { wording: { universityName: '   ' } }, 'wording.universityName must be the name of the university, not empty'],
    ['a university name that is not text', { wording: { universityName: 42 } }, 'wording.universityName must be the name of the university (got 42)'],
    ['a support link that is not a web address', { wording: { supportLinks: [{ label: 'Wellbeing', url: 'wellbeing page' }] } }, 'wording.supportLinks[0].url must be a web address starting https:// or http:// (got "wellbeing page")'],
    ['a support link of another scheme', { wording: { supportLinks: [{ label: 'Wellbeing', url: 'https://ok.example' }, { label: 'Files', url: 'ftp://files.example' }] } }, 'wording.supportLinks[1].url must be a web address starting https:// or http:// (got "ftp://files.example")'],
    ['a support link without its address', { wording: { supportLinks: [{ label: 'Wellbeing' }] } }, 'wording.supportLinks[0].url is required'],
    ['a support link without its label', { wording: { supportLinks: [{ url: 'https://ok.example' }] } }, 'wording.supportLinks[0].label is required'],
    ['a support link with an unknown field', { wording: { supportLinks: [{ label: 'Wellbeing', href: 'https://ok.example', url: 'https://ok.example' }] } }, 'wording.supportLinks[0].href is not a support link field (expected one of: label, url)'],
    ['no support links', { wording: { supportLinks: [] } }, 'wording.supportLinks must list at least one of support links'],
    ['a reputable body with a bad address', { wording: { reputableBodies: [{ name: 'Samaritans', url: 'samaritans.org' }] } }, 'wording.reputableBodies[0].url must be a web address starting https:// or http:// (got "samaritans.org")'],
    ['a reputable body with an empty keyword', { wording: { reputableBodies: [{ name: 'Samaritans', keywords: ['116 123', ' '] }] } }, 'wording.reputableBodies[0].keywords[1] must be a keyword, e.g. a helpline number, not empty'],
    ['a file holding a list', [], 'must hold a JSON object with a "policy" section, a "wording" section or both (got [])'],
    ['a file holding a number', 7, 'must hold a JSON object with a "policy" section, a "wording" section or both (got 7)'],
  ])('refuses %s, naming the key', (_case, content, message) => {
    const { file, problems } = problemsOfFile(content);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`SIGNPOST_CONFIG_FILE ${file}: ${message}`);
  });

  it('refuses JSON that does not parse', () => {
    const { file, problems } = problemsOfFile('{"policy": {"retentionDays": 730,}}');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^SIGNPOST_CONFIG_FILE ${file}: is not valid JSON \\(.+\\)$`));
  });

  it('accepts a file saved with a byte order mark', () => {
    expect(withFile('\uFEFF{"policy": {"retentionDays": 100}}').policy.retentionDays).toBe(100);
  });

  it('refuses a file that cannot be read', () => {
    const missing = path.join(DIR, 'missing.json');
    expect(problemsOf({ SIGNPOST_CONFIG_FILE: missing })).toEqual([`SIGNPOST_CONFIG_FILE ${missing}: cannot be read (there is no such file)`]);
    expect(problemsOf({ SIGNPOST_CONFIG_FILE: DIR })).toEqual([`SIGNPOST_CONFIG_FILE ${DIR}: cannot be read (it is a folder)`]);
  });

  it('reports every problem at once, not only the first', () => {
    const { file, problems } = problemsOfFile({
      policy: { reviewIntervalDays: { CRITICAL: -3, SEVERE: 1 }, retentionDays: 'forever', colour: 'blue', size: 2 },
      wording: { universityName: '', supportLinks: [{ label: 'Wellbeing', url: 'nowhere' }] },
      extra: true,
    });
    expect(problems.map((p) => p.replace(`SIGNPOST_CONFIG_FILE ${file}: `, '').split(' ')[0])).toEqual([
      'policy.reviewIntervalDays.CRITICAL',
      'policy.reviewIntervalDays.SEVERE',
      'policy.retentionDays',
      'policy.colour',
      'policy.size',
      'wording.universityName',
      'wording.supportLinks[0].url',
      'extra',
    ]);
  });
});

describe('environment variables', () => {
  it('take their defaults when unset or empty', () => {
    for (const value of [undefined, '', '  ']) {
      const config = loadConfig({
        NODE_ENV: 'test', PORT: value, SIGNPOST_SESSION_TTL_HOURS: value, SIGNPOST_LOGIN_MAX_FAILURES: value,
        SIGNPOST_SHUTDOWN_GRACE_MS: value, SIGNPOST_COOKIE_SECURE: value, LOG_LEVEL: value, SIGNPOST_PORTAL_DIR: value,
      });
      expect(config).toMatchObject({
        port: 4000, sessionTtlHours: 12, loginMaxFailures: 10, shutdownGraceMs: 0, cookieSecure: false, logLevel: 'silent', portalDir: DEFAULT_PORTAL_DIR,
      });
    }
  });

  it('are read when valid', () => {
    const config = loadConfig({
      NODE_ENV: 'production', PORT: '0', SIGNPOST_SESSION_TTL_HOURS: '0.5', SIGNPOST_LOGIN_MAX_FAILURES: ' 5 ',
      SIGNPOST_SHUTDOWN_GRACE_MS: '5000', SIGNPOST_COOKIE_SECURE: 'OFF', SIGNPOST_SEED_DEMO: 'yes', LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({ port: 0, sessionTtlHours: 0.5, loginMaxFailures: 5, shutdownGraceMs: 5000, cookieSecure: false, seedDemo: true, logLevel: 'warn' });
  });

  it('registers no manifest besides the portal\'s from the environment', () => {
    // Trusted documents come from the portal folder only (persisted-documents.json there); tests add the specs' in code.
    expect(loadConfig({ NODE_ENV: 'production' }).trustedDocumentFiles).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'test', SIGNPOST_TRUSTED_DOCUMENTS: '/tmp/mine.json', SIGNPOST_TRUSTED_DOCUMENT_FILES: '/tmp/mine.json' }).trustedDocumentFiles).toEqual([]);
  });

  it("find the portal's build beside the API by default, and a given folder relative to where the command was typed", () => {
    // This spec is apps/api/src/config.spec.ts, as config.ts is (and dist/config.js is one folder over): apps/portal/dist.
    const portalDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../portal/dist');
    expect(DEFAULT_PORTAL_DIR).toBe(portalDist);
    expect(JSON.parse(readFileSync(path.join(DEFAULT_PORTAL_DIR, '../package.json'), 'utf8')).name).toBe('@signpost/portal');
    expect(loadConfig({ NODE_ENV: 'test', INIT_CWD: DIR, SIGNPOST_PORTAL_DIR: ' web/dist ' }).portalDir).toBe(path.join(DIR, 'web', 'dist'));
    expect(loadConfig({ NODE_ENV: 'test', INIT_CWD: DIR, SIGNPOST_PORTAL_DIR: '/srv/portal/' }).portalDir).toBe(path.resolve('/srv/portal'));
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535 (got "abc")'],
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['PORT', '80.5', 'PORT must be an integer from 0 to 65535 (got "80.5")'],
    ['PORT', '-1', 'PORT must be an integer from 0 to 65535 (got "-1")'],
    ['SIGNPOST_SESSION_TTL_HOURS', '0', 'SIGNPOST_SESSION_TTL_HOURS must be a number of hours above 0 and at most 8760 (got "0")'],
    ['SIGNPOST_SESSION_TTL_HOURS', '12h', 'SIGNPOST_SESSION_TTL_HOURS must be a number of hours above 0 and at most 8760 (got "12h")'],
    ['SIGNPOST_LOGIN_MAX_FAILURES', '0', 'SIGNPOST_LOGIN_MAX_FAILURES must be an integer from 1 to 1000 (got "0")'],
    ['SIGNPOST_LOGIN_MAX_FAILURES', 'ten', 'SIGNPOST_LOGIN_MAX_FAILURES must be an integer from 1 to 1000 (got "ten")'],
    ['SIGNPOST_SHUTDOWN_GRACE_MS', '5s', 'SIGNPOST_SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 0 to 600000 (got "5s")'],
    ['SIGNPOST_SHUTDOWN_GRACE_MS', '-100', 'SIGNPOST_SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 0 to 600000 (got "-100")'],
    ['SIGNPOST_COOKIE_SECURE', 'ture', 'SIGNPOST_COOKIE_SECURE must be true or false (or 1/0, yes/no, on/off) (got "ture")'],
    ['SIGNPOST_SEED_DEMO', 'maybe', 'SIGNPOST_SEED_DEMO must be true or false (or 1/0, yes/no, on/off) (got "maybe")'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(problemsOf({ [name]: value })).toEqual([message]);
  });

  it('are reported together with the problems of the file and of OIDC', () => {
    const file = configFile({ policy: { reviewIntervalDays: { CRITICAL: -3 } } });
    const problems = problemsOf({ PORT: 'abc', SIGNPOST_LOGIN_MAX_FAILURES: '0', SIGNPOST_CONFIG_FILE: file, SIGNPOST_OIDC_ISSUER: 'https://login.uni.example' });
    expect(problems).toEqual([
      'PORT must be an integer from 0 to 65535 (got "abc")',
      'SIGNPOST_LOGIN_MAX_FAILURES must be an integer from 1 to 1000 (got "0")',
      `SIGNPOST_CONFIG_FILE ${file}: policy.reviewIntervalDays.CRITICAL must be a whole number of days from 1 to 3650 (got -3)`,
      'SIGNPOST_OIDC_CLIENT_ID is required when SIGNPOST_OIDC_ISSUER is set.',
    ]);
  });
});

describe('ConfigError', () => {
  it('says how many problems, then one line for each', () => {
    expect(new ConfigError(['PORT must be ...', 'LOG_LEVEL must be ...']).message).toBe('2 problems in the configuration:\n  PORT must be ...\n  LOG_LEVEL must be ...');
    expect(new ConfigError(['PORT must be ...']).summary).toBe('1 problem in the configuration');
  });
});
