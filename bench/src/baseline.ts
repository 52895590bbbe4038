import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { AUDIT_ACTIONS_OFF_GROUP_TIMELINE, REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT, REFERRAL_STATUSES_HIDDEN_FROM_TEAMS } from '@signpost/policy';
import { describeEvent } from '@signpost/api/dist/modules/audit/audit.service.js';
import type { AuditEvent } from '@signpost/api/dist/modules/audit/audit-event.entity.js';

/**
 * The raw baseline: plain node:http + pg, ONE SQL statement per request (a
 * join, scoped by team as the product's row-level security would, count(*)
 * for totalCount), JSON.stringify. It answers the portal's operations by
 * operationName with the same JSON as the product (same field order, same
 * cursors). It does not authenticate: the header `x-bench-scope` says whose
 * scope to apply (`teams:HR` or `all`), as the product's session would.
 *
 * Started as a child process by the benchmark: PORT, DATABASE_URL, POOL_SIZE.
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
pool.on('error', (err) => console.error('baseline pool error', err));

type Vars = Record<string, any>;
const cursorOf = (values: string[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
const decode = (cursor: string | null | undefined): string[] | null => (cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[]) : null);

function scopeOf(req: IncomingMessage): { all: boolean; teams: string[] } {
  const s = String(req.headers['x-bench-scope'] ?? '');
  if (s === 'all') return { all: true, teams: [] };
  if (s.startsWith('teams:')) return { all: false, teams: s.slice(6).split(',') };
  return { all: false, teams: [] };
}

/** Inbox: `referrals(first, after, filter, sort: OVERDUE_FIRST)` with group and totalCount. */
async function inbox(req: IncomingMessage, v: Vars) {
  const scope = scopeOf(req);
  const after = decode(v.after);
  const params: unknown[] = [REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT, v.first + 1];
  const where: string[] = [];
  if (!scope.all) {
    params.push(REFERRAL_STATUSES_HIDDEN_FROM_TEAMS, scope.teams);
    where.push(`r.status <> ALL($${params.length - 1}) AND r.team = ANY($${params.length})`);
  }
  if (v.filter?.status?.length) {
    params.push(v.filter.status);
    where.push(`r.status = ANY($${params.length})`);
  }
  let keyset = 'TRUE';
  if (after) {
    params.push(after[1], after[2], after[3]);
    const [a, b, c] = [params.length - 2, params.length - 1, params.length];
    keyset = `(k0 > $${a}::int OR (k0 = $${a}::int AND created_at < $${b}::timestamptz) OR (k0 = $${a}::int AND created_at = $${b}::timestamptz AND id < $${c}::uuid))`;
  }
  const sql = `
    WITH scoped AS (
      SELECT r.id, r.status, r.reason, r.team, r.submitted_at, r.acknowledge_by, r.created_at, r.group_id,
             CASE WHEN r.status = ANY($1) AND r.acknowledge_by < now() THEN 0 ELSE 1 END AS k0
        FROM referrals r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    )
    SELECT c.total, p.id, p.status, p.reason, p.team, p.submitted_at, p.acknowledge_by, p.k0, p.created_at::text AS created_text,
           g.id AS group_id, g.name AS group_name, g.platform AS group_platform
      FROM (SELECT count(*)::int AS total FROM scoped) c
      LEFT JOIN LATERAL (SELECT * FROM scoped WHERE ${keyset} ORDER BY k0 ASC, created_at DESC, id DESC LIMIT $2) p ON TRUE
      LEFT JOIN groups g ON g.id = p.group_id
     ORDER BY p.k0 ASC, p.created_at DESC, p.id DESC`;
  const { rows } = await pool.query(sql, params);
  const found = rows.filter((r) => r.id !== null);
  const page = found.slice(0, v.first);
  const edges = page.map((r) => ({
    __typename: 'ReferralEdge',
    node: {
      __typename: 'Referral',
      acknowledgeBy: r.acknowledge_by,
      acknowledgementOverdue: r.k0 === 0,
      group: { __typename: 'Group', id: r.group_id, name: r.group_name, platform: r.group_platform },
      id: r.id,
      reason: r.reason,
      status: r.status,
      submittedAt: r.submitted_at,
      team: r.team,
    },
    cursor: cursorOf(['OVERDUE_FIRST', String(r.k0), r.created_text, r.id]),
  }));
  const endCursor = edges.at(-1)?.cursor ?? null;
  return {
    data: {
      referrals: {
        __typename: 'ReferralConnection',
        edges: edges.map(({ cursor: _c, ...e }) => e),
        pageInfo: { __typename: 'PageInfo', endCursor, hasNextPage: found.length > v.first },
        totalCount: rows[0]?.total ?? 0,
      },
    },
  };
}

/** Register: `groups(first, after, filter { status platform riskLevel search }, sort: NEXT_REVIEW_DUE ASC)` with the assigned officer and totalCount. */
async function register(_req: IncomingMessage, v: Vars) {
  const f = v.filter ?? {};
  const sort = v.sort ?? { field: 'NEXT_REVIEW_DUE', direction: 'ASC' };
  if (sort.field !== 'NEXT_REVIEW_DUE' || sort.direction !== 'ASC') throw new Error('the baseline answers the register sorted by NEXT_REVIEW_DUE ASC only');
  const params: unknown[] = [v.first + 1];
  const where: string[] = [];
  const add = (col: string, values: unknown) => {
    params.push(values);
    where.push(`${col} = ANY($${params.length})`);
  };
  if (f.status?.length) add('g.status', f.status);
  if (f.platform?.length) add('g.platform', f.platform);
  if (f.riskLevel?.length) add('g.risk_level', f.riskLevel);
  if (f.search?.trim()) {
    params.push(`%${f.search.trim().replace(/[\\%_]/g, (c: string) => `\\${c}`)}%`);
    where.push(`(g.name ILIKE $${params.length} OR g.handle ILIKE $${params.length} OR g.url ILIKE $${params.length})`);
  }
  const after = decode(v.after);
  let keyset = 'TRUE';
  if (after) {
    params.push(after[1], after[2]);
    const [a, b] = [params.length - 1, params.length];
    keyset = `(k0 > $${a}::timestamptz OR (k0 = $${a}::timestamptz AND id > $${b}::uuid))`;
  }
  // NOT MATERIALIZED: the page then reads the (next review due, id) index and stops after first + 1 rows; the count scans.
  const sql = `
    WITH scoped AS NOT MATERIALIZED (
      SELECT g.id, g.name, g.platform, g.status, g.risk_level, g.next_review_due, g.discovered_at, g.assigned_officer_id,
             coalesce(g.next_review_due, 'infinity'::timestamptz) AS k0
        FROM groups g ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    )
    SELECT c.total, p.*, p.k0::text AS k0_text, p.next_review_due < now() AS overdue, u.display_name AS officer_name
      FROM (SELECT count(*)::int AS total FROM scoped) c
      LEFT JOIN LATERAL (SELECT * FROM scoped WHERE ${keyset} ORDER BY k0 ASC, id ASC LIMIT $1) p ON TRUE
      LEFT JOIN users u ON u.id = p.assigned_officer_id
     ORDER BY p.k0 ASC, p.id ASC`;
  const { rows } = await pool.query(sql, params);
  const found = rows.filter((r) => r.id !== null);
  const page = found.slice(0, v.first);
  const edges = page.map((r) => ({
    __typename: 'GroupEdge',
    node: {
      __typename: 'Group',
      assignedOfficer: r.assigned_officer_id ? { __typename: 'User', displayName: r.officer_name, id: r.assigned_officer_id } : null,
      discoveredAt: r.discovered_at,
      id: r.id,
      name: r.name,
      nextReviewDue: r.next_review_due,
      platform: r.platform,
      reviewOverdue: r.overdue === true,
      riskLevel: r.risk_level,
      status: r.status,
    },
  }));
  const last = page.at(-1);
  return {
    data: {
      groups: {
        __typename: 'GroupConnection',
        edges,
        pageInfo: { __typename: 'PageInfo', endCursor: last ? cursorOf(['NEXT_REVIEW_DUE:ASC', last.k0_text, last.id]) : null, hasNextPage: found.length > v.first },
        totalCount: rows[0]?.total ?? 0,
      },
    },
  };
}

/** GroupTimeline: the group's newest `first` audit events (those an officer's timeline shows), each as a sentence. */
async function groupTimeline(_req: IncomingMessage, v: Vars) {
  const { rows } = await pool.query(
    `SELECT g.id AS group_id, e.id::text AS id, e.at, e.actor_label, e.action, e.entity_type, e.entity_id, e.referral_team, e.details
       FROM groups g
       LEFT JOIN LATERAL (SELECT * FROM audit_events x WHERE x.group_id = g.id AND NOT (x.action = ANY($2)) ORDER BY x.id DESC LIMIT $3) e ON TRUE
      WHERE g.id = $1
      ORDER BY e.id DESC`,
    [v.id, AUDIT_ACTIONS_OFF_GROUP_TIMELINE, v.first],
  );
  if (rows.length === 0) return { data: { group: null } };
  return {
    data: {
      group: {
        __typename: 'Group',
        id: rows[0].group_id,
        timeline: rows
          .filter((r) => r.id !== null)
          .map((r) => ({
            __typename: 'AuditEvent',
            action: r.action,
            actorLabel: r.actor_label,
            at: r.at,
            id: r.id,
            summary: describeEvent({ action: r.action, details: r.details, entityType: r.entity_type, entityId: r.entity_id, referralTeam: r.referral_team } as AuditEvent),
          })),
      },
    },
  };
}

/**
 * LogContact: one INSERT of the contact log entry, returning the entry's id and
 * its group's id, status and version. Not the same JSON as the product's: the
 * product also moves the group through its lifecycle and answers its policy
 * steps (`policySteps`), which the baseline does not compute.
 */
async function logContact(_req: IncomingMessage, v: Vars) {
  const i = v.input;
  const { rows } = await pool.query(
    `WITH e AS (
       INSERT INTO contact_log_entries (group_id, administrator_id, occurred_at, channel, direction, with_whom, summary, steps, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, group_id)
     SELECT e.id, g.id AS group_id, g.status, g.version FROM e JOIN groups g ON g.id = e.group_id`,
    [i.groupId, i.administratorId ?? null, i.occurredAt, i.channel, i.direction, i.withWhom ?? null, i.summary, i.steps ?? [], i.outcome],
  );
  const r = rows[0];
  return { data: { logContact: { __typename: 'ContactLogEntry', group: { __typename: 'Group', id: r.group_id, status: r.status, version: r.version }, id: r.id } } };
}

const OPERATIONS: Record<string, (req: IncomingMessage, v: Vars) => Promise<unknown>> = {
  Inbox: inbox,
  Register: register,
  GroupTimeline: groupTimeline,
  LogContact: logContact,
};

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') return send(res, 200, { status: 'ready' });
  if (req.method !== 'POST' || req.url !== '/graphql') return send(res, 404, { errors: [{ message: 'not found' }] });
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: { operationName?: string; variables?: Vars };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { errors: [{ message: 'bad JSON' }] });
    }
    const op = OPERATIONS[body.operationName ?? ''];
    if (!op) return send(res, 400, { errors: [{ message: `the baseline does not answer ${body.operationName}` }] });
    op(req, body.variables ?? {}).then(
      (data) => send(res, 200, data),
      (err: Error) => send(res, 500, { errors: [{ message: err.message }] }),
    );
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
