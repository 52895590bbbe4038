import pg from 'pg';
import { POLICY_STEPS, WORDING_EXAMPLE, checkWording } from '@signpost/policy';
import { hashPassword } from '@signpost/api/dist/auth/password.js';

/**
 * The deterministic generator: a realistic large register, filled with
 * set-based SQL (INSERT … SELECT … FROM generate_series) in the schema the
 * product's own migrations created. Every value derives from the row number
 * through md5 (bench.h), and every date from the day of generation (`base`),
 * so the same size gives the same register.
 */

/** Bump when the generated data changes shape: a database with another version is regenerated. */
export const GENERATOR_VERSION = 4;

export interface Size {
  groups: number;
  contacts: number;
  referrals: number;
  concerns: number;
  /** Groups with a long, hand-made audit trail (the group-page scenario reads their timelines). */
  timelineGroups: number;
  /** Audit events per timeline group. */
  timelineEvents: number;
}

export const FULL_SIZE: Size = { groups: 100_000, contacts: 300_000, referrals: 30_000, concerns: 15_000, timelineGroups: 10, timelineEvents: 60 };
export const SMOKE_SIZE: Size = { groups: 400, contacts: 1_200, referrals: 120, concerns: 60, timelineGroups: 4, timelineEvents: 40 };

export const PASSWORD = 'bench-password-signpost';

/** The people who sign in (and the officers groups are assigned to). */
export const USERS = [
  { key: 'officer', email: 'officer@bench.test', displayName: 'Olivia Officer', roles: ['SOCIAL_MEDIA_OFFICER'] },
  { key: 'lead', email: 'lead@bench.test', displayName: 'Leo Lead', roles: ['SOCIAL_MEDIA_LEAD'] },
  { key: 'hr', email: 'hr@bench.test', displayName: 'Harper HR', roles: ['HR'] },
  { key: 'discipline', email: 'discipline@bench.test', displayName: 'Dana Discipline', roles: ['DISCIPLINE'] },
  { key: 'legal', email: 'legal@bench.test', displayName: 'Lee Legal', roles: ['LEGAL'] },
  ...['Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq', 'Uma'].map((n, i) => ({
    key: `officer${i + 2}`, email: `officer${i + 2}@bench.test`, displayName: `${n} Officer`, roles: ['SOCIAL_MEDIA_OFFICER'],
  })),
] as const;

const OFFICER_EMAILS = USERS.filter((u) => u.roles[0] === 'SOCIAL_MEDIA_OFFICER').map((u) => u.email);

/** Every `step`-th group (from the first) has one referral: `step` = groups / referrals. */
export const referralStep = (size: Size) => Math.max(1, Math.floor(size.groups / size.referrals));

/** Timeline groups: the last ones, which are never referred. */
export const timelineGroupIndexes = (size: Size) => Array.from({ length: size.timelineGroups }, (_, k) => size.groups - k);

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: readonly string[]) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;
/** A weighted choice: each value repeated by its weight. */
const weighted = (xs: Record<string, number>) => arr(Object.entries(xs).flatMap(([v, w]) => Array<string>(w).fill(v)));

const HELPERS = `
CREATE SCHEMA IF NOT EXISTS bench;
CREATE OR REPLACE FUNCTION bench.h(s text, i bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS
  $$ SELECT ('x' || substr(md5(s || ':' || i), 1, 12))::bit(48)::bigint $$;
-- A version-4-shaped UUID from md5 (version and variant bits set, so it validates as a UUID everywhere).
CREATE OR REPLACE FUNCTION bench.uid(s text, i bigint) RETURNS uuid IMMUTABLE LANGUAGE sql AS
  $$ SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || substr('89ab', 1 + ('x' || substr(h, 17, 1))::bit(4)::int % 4, 1) || substr(h, 18))::uuid
       FROM md5('bench:' || s || ':' || i) h $$;
CREATE OR REPLACE FUNCTION bench.pick(a text[], s text, i bigint) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT a[1 + (bench.h(s, i) % array_length(a, 1))::int] $$;
CREATE TABLE IF NOT EXISTS bench.generator (version integer NOT NULL, size jsonb NOT NULL, base timestamptz NOT NULL, generated_at timestamptz NOT NULL DEFAULT now(), seconds numeric);
`;

const PLATFORMS = { INSTAGRAM: 30, TIKTOK: 14, X: 10, FACEBOOK: 8, REDDIT: 8, DISCORD: 6, TELEGRAM: 4, SNAPCHAT: 5, WHATSAPP: 4, YIK_YAK: 4, NGL: 4, TUMBLR: 2, OTHER: 1 };
const KINDS = { CONFESSIONS: 40, ANONYMOUS_QA: 20, MEMES: 20, SUPPORT: 12, OTHER: 8 };
const STATUSES = { DISCOVERED: 14, CONTACTING: 22, ENGAGED: 14, WORDING_AGREED: 10, COMPLIANT: 20, UNRESPONSIVE: 8, REFUSED: 4, ESCALATED: 2, CLOSED: 6 };
const RISKS = { LOW: 30, MEDIUM: 40, HIGH: 20, CRITICAL: 10 };
const PLACES = ['Northgate', 'Riverside', 'Old Quad', 'Westfield Hall', 'Library', 'Medics', 'Engineering', 'Law School', 'Halls', 'Students Union', 'Campus', 'Freshers', 'Chemistry', 'History', 'Business School', 'Sports', 'Drama', 'Music', 'Eastside', 'Harbour'];
const FIRST = ['alex', 'sam', 'jo', 'kai', 'mo', 'ria', 'tom', 'ellie', 'zed', 'noor', 'finn', 'lea', 'ravi', 'ida', 'ben', 'cat'];
const SUMMARIES_OUT = [
  'Introduced the social media team and asked who runs the page.',
  'Explained the university position on anonymous pages and asked for signposting.',
  'Sent the proposed signposting wording for the pinned message.',
  'Asked the administrators to stop using the university logo.',
  'Followed up on the earlier message; no reply yet.',
];
const SUMMARIES_IN = [
  'Administrator replied and agreed to talk.',
  'Administrators asked for changes to the wording.',
  'Administrator confirmed they are a current student.',
  'Reply: they will pin the message this week.',
  'Administrators declined to take part.',
];

export interface Generated {
  seconds: number;
  base: string;
}

/** Whether `db` holds a register of this generator version and size. */
export async function markerMatches(client: pg.Client, size: Size): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'bench' AND table_name = 'generator') AS ok`,
  );
  if (!rows[0]?.ok) return false;
  // Compared as jsonb: jsonb keeps its keys in its own order, not the order they were written in.
  const m = await client.query<{ ok: boolean }>('SELECT version = $1 AND size = $2::jsonb AS ok FROM bench.generator ORDER BY generated_at DESC LIMIT 1', [
    GENERATOR_VERSION,
    JSON.stringify(size),
  ]);
  return m.rows[0]?.ok === true;
}

/** Fills a database the product has just migrated (and that is otherwise empty). */
export async function generate(client: pg.Client, size: Size, log: (s: string) => void): Promise<Generated> {
  const started = Date.now();
  const step = referralStep(size);
  const N = size.groups;
  const timeline = timelineGroupIndexes(size);
  await client.query(HELPERS);
  const base = (await client.query<{ base: string }>(`SELECT date_trunc('day', now())::text AS base`)).rows[0]!.base;
  const B = `${lit(base)}::timestamptz`;
  const timed = async (what: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    const r = await client.query(sql, params);
    log(`  ${what}: ${r.rowCount ?? 0} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  // People: the same hash for all (argon2id through the product's own module; each sign-in verifies it).
  const hash = await hashPassword(PASSWORD);
  for (const u of USERS) {
    await client.query(
      `INSERT INTO users (id, email, display_name, password_hash, roles, created_at) VALUES (bench.uid('user', $1), $2, $3, $4, $5, ${B} - interval '400 days')`,
      [USERS.indexOf(u) + 1, u.email, u.displayName, hash, u.roles],
    );
  }
  const officers = `ARRAY(SELECT id FROM users WHERE email = ANY(${arr(OFFICER_EMAILS)}) ORDER BY email)`;
  const leadId = `(SELECT id FROM users WHERE email = 'lead@bench.test')`;
  const officerId = `(SELECT id FROM users WHERE email = 'officer@bench.test')`;

  await client.query('BEGIN');
  await timed(
    'groups',
    `WITH o AS (SELECT ${officers} AS ids),
     v AS (
       SELECT i,
         bench.pick(${weighted(PLATFORMS)}, 'platform', i) AS platform,
         bench.pick(${weighted(KINDS)}, 'kind', i) AS kind,
         bench.pick(${arr(PLACES)}, 'place', i) AS place,
         CASE WHEN (i - 1) % $1 = 0 AND (i - 1) / $1 < $2 THEN 'REFERRED'
              WHEN i > $3 - $4 THEN 'ENGAGED'
              ELSE bench.pick(${weighted(STATUSES)}, 'status', i) END AS status,
         bench.pick(${weighted(RISKS)}, 'risk', i) AS risk,
         ${B} - make_interval(mins => (bench.h('disc', i) % (730 * 24 * 60))::int) AS discovered
       FROM generate_series(1, $3::int) i
     )
     INSERT INTO groups (id, name, platform, handle, url, kind, markets_to_university, logo_status, audience_size, discovery_method,
                         discovered_at, risk_level, assigned_officer_id, status, status_before_close, close_reason, next_review_due, notes,
                         version, created_by_id, created_at, updated_at, logo_status_changed_at, first_compliant_at)
     SELECT bench.uid('group', i),
       place || ' ' || CASE kind WHEN 'CONFESSIONS' THEN 'Confessions' WHEN 'ANONYMOUS_QA' THEN 'Anonymous Q&A' WHEN 'MEMES' THEN 'Memes'
                                 WHEN 'SUPPORT' THEN 'Support' ELSE 'Chat' END || ' ' || (i % 997),
       platform,
       '@' || lower(replace(place, ' ', '')) || '_' || lower(kind) || i,
       'https://' || lower(platform) || '.example/' || lower(replace(place, ' ', '')) || '_' || lower(kind) || i,
       kind,
       bench.h('mkt', i) % 5 = 0,
       CASE WHEN bench.h('logo', i) % 4 = 0 THEN bench.pick(ARRAY['IN_USE','REMOVAL_REQUESTED','REMOVAL_VERIFIED','REFUSED'], 'logos', i) ELSE 'NOT_USED' END,
       CASE WHEN bench.h('aud', i) % 6 = 0 THEN NULL ELSE (50 + bench.h('aud', i) % 20000)::int END,
       bench.pick(ARRAY['Reported by a student','Found in routine search','Reported by staff','Mentioned in the news','Platform search'], 'dm', i),
       discovered, risk,
       CASE WHEN bench.h('off', i) % 10 = 0 THEN NULL ELSE (SELECT ids[1 + (bench.h('off', i) % array_length(ids, 1))::int] FROM o) END,
       status,
       CASE WHEN status = 'CLOSED' THEN 'CONTACTING' END,
       CASE WHEN status = 'CLOSED' THEN 'The page was deleted by its administrators.' END,
       CASE WHEN status IN ('DISCOVERED', 'CLOSED') THEN NULL
            ELSE ${B} + make_interval(days => (bench.h('rev', i) % 120)::int - 40) END,
       CASE WHEN bench.h('notes', i) % 3 = 0 THEN 'Posts mostly about ' || lower(place) || ' life; check the pinned post.' END,
       1 + (bench.h('ver', i) % 6)::int,
       ${officerId}, discovered, discovered + make_interval(days => (bench.h('upd', i) % 60)::int),
       CASE WHEN bench.h('logo', i) % 4 = 0 THEN discovered + interval '3 days' END,
       CASE WHEN status = 'COMPLIANT' THEN discovered + make_interval(days => 5 + (bench.h('comp', i) % 40)::int) END
     FROM v`,
    [step, size.referrals, N, size.timelineGroups],
  );
  await timed(
    'administrators',
    `INSERT INTO administrators (id, group_id, handle, name, affiliation, affiliation_method, university_id, contact_details, notes, version, created_by_id, created_at, updated_at)
     SELECT bench.uid('admin', i * 2 + k), bench.uid('group', i),
       '@' || bench.pick(${arr(FIRST)}, 'fn', i * 2 + k) || '_' || (bench.h('ah', i * 2 + k) % 10000),
       CASE WHEN bench.h('an', i * 2 + k) % 3 = 0 THEN NULL ELSE initcap(bench.pick(${arr(FIRST)}, 'fn', i * 2 + k)) || ' ' || chr(65 + (bench.h('ln', i * 2 + k) % 26)::int) || '.' END,
       a.aff,
       CASE WHEN a.aff IN ('STUDENT', 'STAFF') THEN 'Matched in the student record' WHEN a.aff = 'UNKNOWN' THEN NULL ELSE 'They told us' END,
       CASE WHEN a.aff IN ('STUDENT', 'STAFF') THEN lpad((bench.h('uni', i * 2 + k) % 10000000)::text, 7, '0') END,
       CASE WHEN bench.h('cd', i * 2 + k) % 2 = 0 THEN 'Direct message on the platform' END,
       NULL, 1, ${officerId}, g.discovered_at + interval '1 day', g.discovered_at + interval '1 day'
     FROM generate_series(1, $1::int) i CROSS JOIN generate_series(1, 2) k
     JOIN groups g ON g.id = bench.uid('group', i)
     CROSS JOIN LATERAL (SELECT bench.pick(${weighted({ STUDENT: 45, STAFF: 8, ALUMNI: 10, UNAFFILIATED: 12, UNKNOWN: 25 })}, 'aff', i * 2 + k) AS aff) a`,
    [N],
  );
  await timed(
    'contact log entries',
    `INSERT INTO contact_log_entries (id, group_id, administrator_id, occurred_at, channel, direction, with_whom, summary, steps, outcome, created_by_id, created_at)
     SELECT bench.uid('contact', j), g.id,
       CASE WHEN bench.h('cwho', j) % 5 = 0 THEN NULL ELSE bench.uid('admin', gi * 2 + 1 + bench.h('cadm', j) % 2) END,
       t.at, bench.pick(${weighted({ PLATFORM_MESSAGE: 60, EMAIL: 20, COMMENT: 10, IN_PERSON: 5, OTHER: 5 })}, 'ch', j), d.dir,
       CASE WHEN bench.h('cwho', j) % 5 = 0 THEN 'Page moderator' END,
       CASE WHEN d.dir = 'OUTBOUND' THEN bench.pick(${arr(SUMMARIES_OUT)}, 'sum', j) ELSE bench.pick(${arr(SUMMARIES_IN)}, 'sum', j) END,
       ARRAY(SELECT s FROM unnest(${arr(POLICY_STEPS)}) WITH ORDINALITY u(s, n) WHERE bench.h('step' || n, j) % 4 = 0 ORDER BY n),
       CASE WHEN d.dir = 'OUTBOUND' THEN bench.pick(ARRAY['NO_RESPONSE','NO_RESPONSE','RESPONDED','ENGAGED'], 'out', j)
            ELSE bench.pick(ARRAY['RESPONDED','ENGAGED','ENGAGED','REFUSED_TO_ENGAGE','REFUSED_ACCOUNTABILITY'], 'out', j) END,
       ${officerId}, t.at
     FROM generate_series(1, $1::int) j
     CROSS JOIN LATERAL (SELECT (1 + bench.h('cg', j) % $2)::int AS gi) x
     JOIN groups g ON g.id = bench.uid('group', x.gi)
     CROSS JOIN LATERAL (SELECT CASE WHEN bench.h('dir', j) % 3 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END AS dir) d
     CROSS JOIN LATERAL (SELECT g.discovered_at + make_interval(mins => (bench.h('cat', j) % greatest(1, extract(epoch FROM ${B} - g.discovered_at)::bigint / 60))::int) AS at) t`,
    [size.contacts, N],
  );
  await timed(
    'concerns',
    `INSERT INTO concerns (id, group_id, category, severity, link, description, seen_at, action_taken, created_by_id, created_at, administrator_id)
     SELECT bench.uid('concern', j), g.id,
       bench.pick(${weighted({ WELLBEING_SAFETY: 25, PREJUDICE: 15, DIGNITY_POLICY: 25, HATE_SPEECH: 10, DATA_SECURITY: 10, OTHER: 15 })}, 'ccat', j),
       bench.pick(${weighted({ LOW: 30, MEDIUM: 40, HIGH: 22, CRITICAL: 8 })}, 'csev', j),
       'https://' || lower(g.platform) || '.example/p/' || (bench.h('clink', j) % 1000000),
       'A post that names a student and mocks them.',
       g.discovered_at + make_interval(days => (bench.h('cseen', j) % 30)::int),
       bench.pick(ARRAY['SIGNPOSTED','PASSED_TO_WELLBEING','ESCALATED','NONE','NONE'], 'cact', j),
       ${officerId}, g.discovered_at + make_interval(days => (bench.h('cseen', j) % 30)::int),
       CASE WHEN bench.h('cadm', j) % 2 = 0 THEN bench.uid('admin', x.gi * 2 + 1) END
     FROM generate_series(1, $1::int) j
     CROSS JOIN LATERAL (SELECT (1 + bench.h('ccg', j) % $2)::int AS gi) x
     JOIN groups g ON g.id = bench.uid('group', x.gi)`,
    [size.concerns, N],
  );
  await timed(
    'referrals',
    `INSERT INTO referrals (id, group_id, team, status, reason, summary, routing_override_reason, created_by_id, submitted_by_id, submitted_at,
                           acknowledged_at, closed_at, outcome, outcome_note, version, created_at, updated_at, acknowledge_by)
     SELECT bench.uid('referral', r), bench.uid('group', 1 + (r - 1) * $2), CASE WHEN st = 'DRAFT' THEN NULL ELSE team END, st,
       bench.pick(${weighted({ REFUSED_TO_ENGAGE: 45, REFUSED_ACCOUNTABILITY: 35, CONTENT_OF_CONCERN: 20 })}, 'rreason', r),
       'The administrators were contacted several times and would not agree to signpost support.',
       CASE WHEN bench.h('rovr', r) % 10 = 0 AND st <> 'DRAFT' THEN 'Routed to the team already handling a related case.' END,
       ${officerId}, CASE WHEN st <> 'DRAFT' THEN ${leadId} END,
       CASE WHEN st <> 'DRAFT' THEN sub END,
       CASE WHEN st IN ('ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED') THEN sub + interval '2 days' END,
       CASE WHEN st = 'CLOSED' THEN sub + make_interval(days => 10 + (bench.h('rclose', r) % 60)::int) END,
       CASE WHEN st = 'CLOSED' THEN bench.pick(ARRAY['ACTION_TAKEN','NO_FURTHER_ACTION','NOT_IN_REMIT','ADMINISTRATORS_COMPLIED'], 'rout', r) END,
       CASE WHEN st = 'CLOSED' THEN 'Closed after the team''s review.' END,
       1 + (bench.h('rver', r) % 4)::int, sub - interval '1 day', sub + interval '2 days',
       CASE WHEN st <> 'DRAFT' THEN sub + interval '7 days' END
     FROM generate_series(1, $1::int) r
     CROSS JOIN LATERAL (SELECT bench.pick(${weighted({ DRAFT: 5, SUBMITTED: 25, ACKNOWLEDGED: 20, IN_PROGRESS: 20, CLOSED: 30 })}, 'rst', r) AS st,
                                bench.pick(${weighted({ DISCIPLINE: 50, HR: 30, LEGAL: 20 })}, 'rteam', r) AS team) p
     CROSS JOIN LATERAL (SELECT ${B} - make_interval(mins => (CASE WHEN p.st = 'SUBMITTED' THEN bench.h('rsub', r) % (20 * 24 * 60)
                                                                 ELSE bench.h('rsub', r) % (400 * 24 * 60) END)::int) AS sub) s`,
    [size.referrals, step],
  );
  await timed(
    'referral snapshots',
    `INSERT INTO referral_snapshots (referral_id, team, data, taken_at)
     SELECT r.id, r.team, jsonb_build_object(
       'takenAt', to_jsonb(r.submitted_at),
       'group', jsonb_build_object('id', g.id, 'name', g.name, 'platform', g.platform, 'handle', g.handle, 'url', g.url),
       'administrators', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'handle', a.handle, 'name', a.name, 'affiliation', a.affiliation,
                            'affiliationMethod', a.affiliation_method, 'universityId', a.university_id, 'contactDetails', a.contact_details, 'notes', a.notes)
                            ORDER BY a.created_at, a.id), '[]') FROM administrators a WHERE a.group_id = g.id),
       'contacts', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'occurredAt', c.occurred_at, 'channel', c.channel, 'direction', c.direction,
                            'withWhom', c.with_whom, 'summary', c.summary, 'steps', to_jsonb(c.steps), 'outcome', c.outcome) ORDER BY c.occurred_at), '[]')
                    FROM contact_log_entries c WHERE c.group_id = g.id),
       'concerns', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'category', c.category, 'severity', c.severity, 'link', c.link,
                            'description', c.description, 'seenAt', c.seen_at, 'actionTaken', c.action_taken) ORDER BY c.seen_at), '[]')
                    FROM concerns c WHERE c.group_id = g.id)), r.submitted_at
     FROM referrals r JOIN groups g ON g.id = r.group_id WHERE r.status <> 'DRAFT'`,
  );
  await timed(
    'referral transfers',
    `INSERT INTO referral_transfers (id, referral_id, from_team, to_team, reason, by_id, created_at)
     SELECT bench.uid('transfer', n), r.id, CASE r.team WHEN 'HR' THEN 'DISCIPLINE' WHEN 'DISCIPLINE' THEN 'LEGAL' ELSE 'HR' END, r.team,
            'The administrator is a member of staff, not a student.', ${leadId}, r.submitted_at + interval '1 day'
     FROM (SELECT r.*, row_number() OVER (ORDER BY r.id) AS n FROM referrals r WHERE r.status <> 'DRAFT') r WHERE bench.h('rtr', r.n) % 12 = 0`,
  );
  await timed(
    'referral notes',
    `INSERT INTO referral_notes (id, referral_id, team, body, author_id, created_at)
     SELECT bench.uid('note', n), r.id, r.team, 'Spoke to the student''s tutor; a meeting is arranged.',
            (SELECT id FROM users WHERE roles[1] = r.team LIMIT 1), r.acknowledged_at + interval '1 day'
     FROM (SELECT r.*, row_number() OVER (ORDER BY r.id) AS n FROM referrals r WHERE r.status IN ('IN_PROGRESS', 'CLOSED')) r WHERE bench.h('rn', r.n) % 2 = 0`,
  );
  const check = JSON.stringify(checkWording(WORDING_EXAMPLE));
  await timed(
    'wording agreements',
    `INSERT INTO wording_agreements (id, group_id, status, approved_by_id, approved_at, version, created_at, updated_at)
     SELECT bench.uid('agreement', n), g.id,
       CASE WHEN g.status = 'ENGAGED' THEN 'PROPOSED' ELSE 'AGREED' END,
       CASE WHEN g.status <> 'ENGAGED' THEN ${leadId} END,
       CASE WHEN g.status <> 'ENGAGED' THEN g.discovered_at + interval '4 days' END,
       CASE WHEN g.status = 'ENGAGED' THEN 1 ELSE 2 END, g.discovered_at + interval '3 days', g.discovered_at + interval '4 days'
     FROM (SELECT g.*, row_number() OVER (ORDER BY g.id) AS n FROM groups g WHERE g.status IN ('ENGAGED', 'WORDING_AGREED', 'COMPLIANT')) g`,
  );
  await timed(
    'wording versions',
    `INSERT INTO wording_versions (id, agreement_id, number, text, proposed_by, "check", created_by_id, created_at)
     SELECT bench.uid('wversion', n * 2 + k), a.id, k, $1, CASE k WHEN 1 THEN 'UNIVERSITY' ELSE 'ADMINISTRATORS' END, $2::jsonb,
            CASE k WHEN 1 THEN ${officerId} END, a.created_at + make_interval(hours => k)
     FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS n FROM wording_agreements a) a
     CROSS JOIN generate_series(1, 2) k WHERE k = 1 OR bench.h('wv2', a.n) % 2 = 0`,
    [WORDING_EXAMPLE, check],
  );
  await timed(
    'placements',
    `INSERT INTO placements (id, agreement_id, group_id, placement, state, evidence_url, published_at, verified_at, version, updated_at)
     SELECT bench.uid('placement', n * 2 + k), a.id, a.group_id, (ARRAY['PINNED_MESSAGE','AUTO_RESPONSE'])[k],
       CASE WHEN g.status = 'COMPLIANT' THEN 'VERIFIED' ELSE 'PUBLISHED' END,
       'https://evidence.example/' || a.id || '/' || k, a.approved_at + interval '1 day',
       CASE WHEN g.status = 'COMPLIANT' THEN a.approved_at + interval '2 days' END, 2, a.approved_at + interval '2 days'
     FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS n FROM wording_agreements a WHERE a.status = 'AGREED') a
     JOIN groups g ON g.id = a.group_id CROSS JOIN generate_series(1, 2) k`,
  );
  await timed(
    'reviews',
    `INSERT INTO reviews (id, group_id, reviewed_at, pinned_message_present, auto_response_present, logo_still_used, notes, next_review_due, created_by_id, created_at)
     SELECT bench.uid('review', n * 3 + k), g.id, g.first_compliant_at + make_interval(days => 30 * k),
       bench.h('rvp', n * 3 + k) % 8 <> 0, bench.h('rva', n * 3 + k) % 6 <> 0, bench.h('rvl', n * 3 + k) % 10 = 0,
       CASE WHEN k = 1 THEN 'All in place.' END, g.first_compliant_at + make_interval(days => 30 * (k + 1)), ${officerId},
       g.first_compliant_at + make_interval(days => 30 * k)
     FROM (SELECT g.*, row_number() OVER (ORDER BY g.id) AS n FROM groups g WHERE g.status = 'COMPLIANT') g
     CROSS JOIN generate_series(1, 3) k WHERE k <= 1 + bench.h('nrv', g.n) % 3`,
  );
  await timed(
    'escalations',
    `INSERT INTO escalations (id, group_id, kind, status, reason, approved_by_id, approved_at, reported_at, external_reference, version, created_by_id, created_at, updated_at)
     SELECT bench.uid('escalation', n), g.id, CASE WHEN n % 4 = 0 THEN 'POLICE_REPORT' ELSE 'PLATFORM_REPORT' END, 'REPORTED',
            'Posts identify a student and threaten them.', ${leadId}, g.discovered_at + interval '2 days', g.discovered_at + interval '3 days',
            'REF-' || n, 3, ${officerId}, g.discovered_at + interval '1 day', g.discovered_at + interval '3 days'
     FROM (SELECT g.*, row_number() OVER (ORDER BY g.id) AS n FROM groups g WHERE g.status = 'ESCALATED') g`,
  );
  await client.query('COMMIT');

  // A plausible audit trail for the timeline groups only: plain INSERTs, the database's trigger chains them (few rows).
  const actions = `ARRAY['group.update','contact.log','contact.log','contact.log','concern.record','review.record','administrator.update']`;
  await timed(
    'audit events (timeline groups)',
    `INSERT INTO audit_events (at, actor_id, actor_label, action, entity_type, entity_id, group_id, request_id, details)
     SELECT g.discovered_at + make_interval(hours => 6 * e), ${officerId}, 'Olivia Officer (officer@bench.test)', x.action,
       CASE split_part(x.action, '.', 1) WHEN 'group' THEN 'Group' WHEN 'contact' THEN 'ContactLogEntry' WHEN 'concern' THEN 'Concern'
                                         WHEN 'review' THEN 'Review' ELSE 'Administrator' END,
       CASE WHEN x.action LIKE 'group.%' THEN g.id ELSE bench.uid('audit-entity', gi * 1000 + e) END, g.id, 'bench-' || gi || '-' || e,
       CASE x.action
         WHEN 'group.create' THEN jsonb_build_object('platform', g.platform, 'riskLevel', g.risk_level)
         WHEN 'group.update' THEN jsonb_build_object('fields', jsonb_build_array('notes', 'audienceSize'))
         WHEN 'contact.log' THEN jsonb_build_object('direction', CASE WHEN e % 3 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END, 'channel', 'PLATFORM_MESSAGE',
                                                    'outcome', CASE WHEN e % 3 = 0 THEN 'RESPONDED' ELSE 'NO_RESPONSE' END, 'steps', jsonb_build_array('INTRODUCED'))
         WHEN 'concern.record' THEN jsonb_build_object('category', 'DIGNITY_POLICY', 'severity', 'MEDIUM', 'actionTaken', 'SIGNPOSTED')
         WHEN 'review.record' THEN jsonb_build_object('pinnedMessagePresent', true, 'autoResponsePresent', e % 2 = 0, 'logoStillUsed', false)
         ELSE jsonb_build_object('fields', jsonb_build_array('notes'))
       END
     FROM unnest($1::int[]) gi JOIN groups g ON g.id = bench.uid('group', gi)
     CROSS JOIN generate_series(1, $2::int) e
     CROSS JOIN LATERAL (SELECT CASE WHEN e = 1 THEN 'group.create' WHEN e = 2 THEN 'administrator.add'
                                     ELSE (${actions})[1 + (bench.h('aa', gi * 1000 + e) % 7)::int] END AS action) x
     ORDER BY gi, e`,
    [timeline, size.timelineEvents],
  );
  await timed('vacuum analyze', 'VACUUM (ANALYZE)');
  const seconds = (Date.now() - started) / 1000;
  await client.query('INSERT INTO bench.generator (version, size, base, seconds) VALUES ($1, $2, $3, $4)', [GENERATOR_VERSION, JSON.stringify(size), base, seconds]);
  return { seconds, base };
}
