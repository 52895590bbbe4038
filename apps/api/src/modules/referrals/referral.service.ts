import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  acknowledgementDue, checkReferralAction, checkTransition, GROUP_CLOSED_UNMET, proposeRouting, resolveRouting, transferUnmet,
  REFERRAL_STATUS_AFTER_TRANSFER, REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT, REFERRAL_TRANSITIONS,
  type ReferralAction, type ReferralActionContext, type ReferralStatus, type RoutingDecision, type Team,
  type AuditAction,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { refusalOf, requirePermission } from '../../common/authorization.js';
import { badInput, conflict, notFound, transitionNotAllowed } from '../../common/errors.js';
import { raisedState } from '../../common/database-errors.js';
import { paginateBy, type SortKey } from '../../common/pagination.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { Administrator } from '../administrators/administrator.entity.js';
import { Concern } from '../concerns/concern.entity.js';
import { ContactLogEntry } from '../contacts/contact-log-entry.entity.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { requireGroup } from '../groups/group.service.js';
import { Group } from '../groups/group.entity.js';
import type {
  AcknowledgeReferralInput, AddReferralNoteInput, CloseReferralInput, DraftReferralInput, ReferralFilter, ReferralSort, SubmitReferralInput,
  TransferReferralInput, UpdateReferralDraftInput, UpdateReferralStatusInput,
} from './dto/referral.inputs.js';
import { ReferralNote } from './referral-note.entity.js';
import { ReferralSnapshot } from './referral-snapshot.entity.js';
import type { SnapshotData } from './referral-snapshot.types.js';
import { ReferralTransfer } from './referral-transfer.entity.js';
import { Referral } from './referral.entity.js';
import { applyReferralScope, readableNoteTeams, recordReferralReads, requireReferral, scopedReferrals } from './referral-scope.js';
import type { ReferralSnapshotType, RoutingProposal, SubmitReferralPayload } from './referral.types.js';

const LABEL = 'Referral';

/**
 * Judges an action on a referral exactly as Referral.availableActions reports
 * it (the policy's `checkReferralAction`): the caller's roles first
 * (FORBIDDEN), then the version they read (CONFLICT), then the lifecycle
 * (TRANSITION_NOT_ALLOWED with every unmet condition).
 */
function judge(ctx: RequestContext, action: ReferralAction, referral: Referral, version: number | null, context: ReferralActionContext = {}) {
  const answer = checkReferralAction(ctx.access, action, referral, context);
  if (answer.refusedBy === 'role') throw refusalOf(LABEL, referral.status, answer);
  if (version !== null) assertVersion(LABEL, referral, version);
  if (!answer.allowed) throw refusalOf(LABEL, referral.status, answer);
  return answer;
}

// ---------------------------------------------------------------- reads

/** `referrals(filter, first, after)`: the caller's scope is in the SQL, so totalCount counts only what they may see. */
/** SQL for "the acknowledgement is overdue": the policy's `acknowledgementOverdue`, over the referral alias. */
const OVERDUE_SQL = '(r.status IN (:...awaitingAcknowledgement) AND r.acknowledge_by < now())';

/** The orderings of referral lists; each ends with the id, so it is total and stable across pages. */
const REFERRAL_ORDERINGS: Record<ReferralSort, SortKey[]> = {
  OVERDUE_FIRST: [
    { sql: `CASE WHEN ${OVERDUE_SQL} THEN 0 ELSE 1 END`, type: 'integer', direction: 'ASC' },
    { sql: 'r.created_at', type: 'timestamptz', direction: 'DESC' },
    { sql: 'r.id', type: 'uuid', direction: 'DESC' },
  ],
  NEWEST: [{ sql: 'r.created_at', type: 'timestamptz', direction: 'DESC' }, { sql: 'r.id', type: 'uuid', direction: 'DESC' }],
  OLDEST: [{ sql: 'r.created_at', type: 'timestamptz', direction: 'ASC' }, { sql: 'r.id', type: 'uuid', direction: 'ASC' }],
  ACKNOWLEDGE_BY: [{ sql: "coalesce(r.acknowledge_by, 'infinity'::timestamptz)", type: 'timestamptz', direction: 'ASC' }, { sql: 'r.id', type: 'uuid', direction: 'ASC' }],
};

export async function listReferrals(
  ctx: RequestContext,
  filter: ReferralFilter | undefined,
  sort: ReferralSort,
  first: number,
  after?: string | null,
  options: { withTotal?: boolean } = {},
) {
  const qb = scopedReferrals(ctx).setParameter('awaitingAcknowledgement', REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT);
  if (filter?.status?.length) qb.andWhere('r.status IN (:...status)', { status: filter.status });
  if (filter?.team?.length) qb.andWhere('r.team IN (:...team)', { team: filter.team });
  if (filter?.reason?.length) qb.andWhere('r.reason IN (:...reason)', { reason: filter.reason });
  if (filter?.groupId) qb.andWhere('r.group_id = :groupId', { groupId: filter.groupId });
  if (filter?.overdue === true) qb.andWhere(OVERDUE_SQL);
  if (filter?.overdue === false) qb.andWhere(`NOT ${OVERDUE_SQL}`);
  // The page and (when asked) the count in one statement. Not the groups: a join between the LIMIT and
  // the sort keeps PostgreSQL from a bounded (top-N) sort of the team's referrals — their groups come
  // in one more statement, by primary key, from the loader.
  const page = await paginateBy(qb, { ordering: sort, keys: REFERRAL_ORDERINGS[sort], first, after, countWithPage: options.withTotal });
  let shown: Promise<typeof page.edges> | undefined;
  // The read is recorded only when rows are actually returned (a totalCount alone shows no referral).
  return {
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
    get edges() {
      return (shown ??= recordReferralReads(ctx, page.edges.map((e) => e.node)).then(() => page.edges));
    },
  };
}

/** `referral(id)`: NOT_FOUND for an id out of scope, exactly as for one that does not exist. */
export async function readReferral(ctx: RequestContext, id: string): Promise<Referral> {
  const referral = await requireReferral(ctx, id);
  await recordReferralReads(ctx, [referral]);
  return referral;
}

/** Group.referrals, batched over the groups of a request and scoped like every other referral query. */
export async function referralsOfGroup(ctx: RequestContext, groupId: string): Promise<Referral[]> {
  const referrals = await ctx
    .loader<string, Referral[]>('referralsByGroup', async (groupIds) => {
      const rows = await scopedReferrals(ctx)
        .andWhere('r.group_id IN (:...groupIds)', { groupIds: [...groupIds] })
        .orderBy('r.created_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .getMany();
      return groupRows(groupIds, rows, (r) => r.groupId);
    })
    .load(groupId);
  await recordReferralReads(ctx, referrals);
  return referrals;
}

/** Referral.snapshot: null for drafts; loaded through the same scope, and only where the snapshot is held for a team in scope. */
export async function snapshotOf(ctx: RequestContext, referral: Referral): Promise<ReferralSnapshotType | null> {
  if (referral.status === 'DRAFT') return null;
  const row = await ctx
    .loader<string, ReferralSnapshot | null>('referralSnapshot', async (ids) => {
      const qb = ctx.manager
        .createQueryBuilder(ReferralSnapshot, 's')
        .innerJoin(Referral, 'r', 'r.id = s.referral_id')
        .where('s.referral_id IN (:...ids)', { ids: [...ids] })
        // The snapshot moves with the referral on transfer; a team sees only those held for it.
        .andWhere('s.team = r.team');
      applyReferralScope(qb, ctx, 'r');
      return indexRows(ids, await qb.getMany(), (s) => s.referralId);
    })
    .load(referral.id);
  if (!row) return null;
  await recordReferralReads(ctx, [referral]);
  const d = row.data;
  return {
    takenAt: new Date(d.takenAt),
    team: row.team,
    group: d.group,
    administrators: d.administrators,
    contacts: d.contacts.map((c) => ({ ...c, occurredAt: new Date(c.occurredAt) })),
    concerns: d.concerns.map((c) => ({ ...c, seenAt: new Date(c.seenAt) })),
  };
}

/** Referral.notes: only the notes of teams whose role the caller holds, filtered in SQL; none for officers and leads. */
export async function notesOf(ctx: RequestContext, referralId: string): Promise<ReferralNote[]> {
  const teams = readableNoteTeams(ctx);
  if (teams.length === 0) return [];
  return ctx
    .loader<string, ReferralNote[]>('referralNotes', async (ids) => {
      const rows = await ctx.manager
        .createQueryBuilder(ReferralNote, 'n')
        .where('n.referral_id IN (:...ids)', { ids: [...ids] })
        .andWhere('n.team IN (:...noteTeams)', { noteTeams: teams })
        .orderBy('n.created_at', 'ASC')
        .addOrderBy('n.id', 'ASC')
        .getMany();
      return groupRows(ids, rows, (n) => n.referralId);
    })
    .load(referralId);
}

export function transfersOf(ctx: RequestContext, referralId: string): Promise<ReferralTransfer[]> {
  return ctx
    .loader<string, ReferralTransfer[]>('referralTransfers', async (ids) => {
      const rows = await ctx.manager.find(ReferralTransfer, { where: { referralId: In([...ids]) }, order: { createdAt: 'ASC', id: 'ASC' } });
      return groupRows(ids, rows, (t) => t.referralId);
    })
    .load(referralId);
}

/**
 * When the group's referrals were submitted, for its policy checklist: ids,
 * statuses and dates only, no content, so this is not a read of a referral
 * (nothing is audited as one) — and still within the caller's scope.
 */
export function submittedReferralDatesOfGroup(ctx: RequestContext, groupId: string): Promise<{ id: string; status: ReferralStatus; submittedAt: Date | null }[]> {
  return ctx
    .loader<string, { id: string; status: ReferralStatus; submittedAt: Date | null; groupId: string }[]>('referralDatesByGroup', async (groupIds) => {
      const rows = await scopedReferrals(ctx)
        .select(['r.id', 'r.status', 'r.submittedAt', 'r.groupId'])
        .andWhere('r.group_id IN (:...groupIds)', { groupIds: [...groupIds] })
        .andWhere('r.submitted_at IS NOT NULL')
        .getMany();
      return groupRows(groupIds, rows, (r) => r.groupId);
    })
    .load(groupId);
}

// ---------------------------------------------------------------- routing

/** A group's administrators, batched over the groups of a request (routing needs them for every draft shown). */
function administratorsOf(ctx: RequestContext, groupId: string): Promise<Administrator[]> {
  return ctx
    .loader<string, Administrator[]>('routingAdministrators', async (groupIds) => {
      const rows = await ctx.manager.find(Administrator, { where: { groupId: In([...groupIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
      return groupRows(groupIds, rows, (a) => a.groupId);
    })
    .load(groupId);
}

function toRoutingProposal(admins: Administrator[]): RoutingProposal {
  const proposal = proposeRouting(admins);
  const byId = new Map(admins.map((a) => [a.id, a]));
  return {
    teams: proposal.teams,
    needsDecision: proposal.needsDecision,
    explanation: proposal.explanation,
    byTeam: proposal.byTeam.map((r) => ({ team: r.team, administrators: r.administratorIds.map((id) => byId.get(id)!) })),
  };
}

/** `referralRouting(groupId)`: the proposal shown before submitting. */
export async function routingForGroup(ctx: RequestContext, groupId: string): Promise<RoutingProposal> {
  const group = await requireGroup(ctx, groupId, 'groupId');
  return toRoutingProposal(await administratorsOf(ctx, group.id));
}

/** Referral.routing: the live proposal for a draft; null once submitted (the routing is then settled). */
export async function routingOfDraft(ctx: RequestContext, referral: Referral): Promise<RoutingProposal | null> {
  if (referral.status !== 'DRAFT') return null;
  return toRoutingProposal(await administratorsOf(ctx, referral.groupId));
}

// ---------------------------------------------------------------- drafting

export async function draftReferral(ctx: RequestContext, input: DraftReferralInput): Promise<Referral> {
  const group = await requireGroup(ctx, input.groupId, 'input.groupId');
  if (group.status === 'CLOSED') throw transitionNotAllowed(LABEL, null, 'DRAFT', [GROUP_CLOSED_UNMET], 'draftReferral');
  const { identifiers } = await ctx.manager.insert(Referral, {
    groupId: group.id,
    reason: input.reason,
    summary: input.summary.trim(),
    status: 'DRAFT',
    team: null,
    createdById: ctx.access.principalId,
  });
  const id = identifiers[0]!.id as string;
  await audit(ctx, { action: 'referral.draft', entityType: LABEL, entityId: id, groupId: group.id, details: { reason: input.reason } });
  return ctx.manager.findOneByOrFail(Referral, { id });
}

export async function updateReferralDraft(ctx: RequestContext, input: UpdateReferralDraftInput): Promise<Referral> {
  if (input.reason === null) throw badInput('input.reason', 'reason cannot be cleared.');
  if (input.summary === null) throw badInput('input.summary', 'summary cannot be cleared.');
  const referral = await requireReferral(ctx, input.id, 'input.id');
  judge(ctx, 'updateDraft', referral, input.version);
  const patch: Partial<Referral> = {};
  if (input.reason !== undefined) patch.reason = input.reason;
  if (input.summary !== undefined) patch.summary = input.summary.trim();
  const updated = await updateVersioned(ctx, Referral, LABEL, referral.id, input.version, patch);
  await audit(ctx, { action: 'referral.update', entityType: LABEL, entityId: referral.id, groupId: referral.groupId, details: { fields: Object.keys(patch) } });
  return updated;
}

// ---------------------------------------------------------------- submitting

function toDecision(input: SubmitReferralInput['routing']): RoutingDecision {
  if (input.mode === 'OVERRIDE') return { mode: 'OVERRIDE', team: input.team as Team, reason: input.reason ?? '' };
  return { mode: input.mode };
}

/** Freezes what is known now: group basics, only the administrators routed to `team`, the contact log and concerns. */
function snapshotData(group: Group, admins: Administrator[], allContacts: ContactLogEntry[], allConcerns: Concern[], takenAt: Date): SnapshotData {
  // Each team's snapshot holds only what concerns its own administrators, plus what concerns the group as a whole.
  const own = new Set(admins.map((a) => a.id));
  const contacts = allContacts.filter((c) => c.administratorId === null || own.has(c.administratorId));
  const concerns = allConcerns.filter((c) => c.administratorId === null || own.has(c.administratorId));
  return {
    takenAt: takenAt.toISOString(),
    group: { id: group.id, name: group.name, platform: group.platform, handle: group.handle, url: group.url },
    administrators: admins.map((a) => ({
      id: a.id, handle: a.handle, name: a.name, affiliation: a.affiliation, affiliationMethod: a.affiliationMethod,
      universityId: a.universityId, contactDetails: a.contactDetails, notes: a.notes,
    })),
    contacts: contacts.map((c) => ({
      id: c.id, occurredAt: c.occurredAt.toISOString(), channel: c.channel, direction: c.direction, withWhom: c.withWhom,
      summary: c.summary, steps: c.steps, outcome: c.outcome,
    })),
    concerns: concerns.map((c) => ({
      id: c.id, category: c.category, severity: c.severity, link: c.link, description: c.description,
      seenAt: c.seenAt.toISOString(), actionTaken: c.actionTaken,
    })),
  };
}

/**
 * Submits (routes) a draft, in the request's one transaction: one referral per
 * route (the draft itself, plus one per further team when split), each with
 * its own snapshot, then the group moves to REFERRED where the policy allows.
 */
export async function submitReferral(ctx: RequestContext, input: SubmitReferralInput): Promise<SubmitReferralPayload> {
  const referral = await requireReferral(ctx, input.id, 'input.id');
  const group = await requireGroup(ctx, referral.groupId);
  judge(ctx, 'submit', referral, input.version, { groupStatus: group.status });

  if (input.routing.mode === 'OVERRIDE') requirePermission(ctx, 'referral.overrideRouting');
  const admins = await ctx.manager.find(Administrator, { where: { groupId: group.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const routing = resolveRouting(proposeRouting(admins), toDecision(input.routing), ctx.access);
  if (!routing.ok) {
    const sentence = routing.unmet.charAt(0).toUpperCase() + routing.unmet.slice(1);
    throw badInput(`input.${routing.field}`, `${sentence}.`);
  }

  const contacts = await ctx.manager.find(ContactLogEntry, { where: { groupId: group.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
  const concerns = await ctx.manager.find(Concern, { where: { groupId: group.id }, order: { seenAt: 'ASC', id: 'ASC' } });
  const now = new Date();
  const splitKey = routing.routes.length > 1 ? randomUUID() : null;
  const adminById = new Map(admins.map((a) => [a.id, a]));
  const submitted: Referral[] = [];
  for (const [i, route] of routing.routes.entries()) {
    const fields = {
      team: route.team,
      status: 'SUBMITTED' as ReferralStatus,
      submittedById: ctx.access.principalId,
      submittedAt: now,
      acknowledgeBy: acknowledgementDue(now, ctx.config.policy),
      routingOverrideReason: routing.overrideReason,
      splitKey,
    };
    let saved: Referral;
    if (i === 0) {
      saved = await updateVersioned(ctx, Referral, LABEL, referral.id, input.version, fields);
    } else {
      const { identifiers } = await ctx.manager.insert(Referral, {
        ...fields,
        groupId: referral.groupId,
        reason: referral.reason,
        summary: referral.summary,
        createdById: referral.createdById,
      });
      saved = await ctx.manager.findOneByOrFail(Referral, { id: identifiers[0]!.id as string });
    }
    const routed = route.administratorIds.map((id) => adminById.get(id)!);
    const data = snapshotData(group, routed, contacts, concerns, now);
    await ctx.manager.insert(ReferralSnapshot, { referralId: saved.id, team: route.team, data: data as never });
    await audit(ctx, {
      action: 'referral.submit',
      entityType: LABEL,
      entityId: saved.id,
      groupId: group.id,
      referralTeam: route.team,
      details: {
        mode: input.routing.mode,
        transition: 'submit',
        splitKey,
        splitFrom: i === 0 ? null : referral.id,
        administrators: routed.length,
        contacts: data.contacts.length,
        concerns: data.concerns.length,
      },
    });
    submitted.push(saved);
  }
  const updatedGroup = await raiseGroupEvents(ctx, group.id, ['REFERRAL_SUBMITTED']);
  return { referrals: submitted, group: updatedGroup };
}

// ---------------------------------------------------------------- the receiving team

/** A receiving team's move of a referral, judged as availableActions reports it, written with its audit event. */
async function moveReferral(
  ctx: RequestContext,
  referral: Referral,
  version: number,
  action: ReferralAction,
  patch: Partial<Referral>,
  auditAction: AuditAction,
  details: Record<string, unknown> = {},
): Promise<Referral> {
  const answer = judge(ctx, action, referral, version);
  const to = answer.to!;
  const updated = await updateVersioned(ctx, Referral, LABEL, referral.id, version, { ...patch, status: to });
  await audit(ctx, {
    action: auditAction,
    entityType: LABEL,
    entityId: referral.id,
    groupId: referral.groupId,
    referralTeam: referral.team,
    details: { from: referral.status, to, transition: action, ...details },
  });
  return updated;
}

export async function acknowledgeReferral(ctx: RequestContext, input: AcknowledgeReferralInput): Promise<Referral> {
  const referral = await requireReferral(ctx, input.id, 'input.id');
  return moveReferral(ctx, referral, input.version, 'acknowledge', { acknowledgedAt: new Date() }, 'referral.acknowledge');
}

/** The lifecycle moves updateReferralStatus makes, by target status; closing has its own mutation (it records the outcome). */
const STATUS_ACTIONS: Partial<Record<ReferralStatus, ReferralAction>> = { ACKNOWLEDGED: 'acknowledge', IN_PROGRESS: 'startProgress' };

export async function updateReferralStatus(ctx: RequestContext, input: UpdateReferralStatusInput): Promise<Referral> {
  if (input.status === 'CLOSED') {
    throw badInput('input.status', 'A referral is closed with closeReferral, which records the outcome.');
  }
  const referral = await requireReferral(ctx, input.id, 'input.id');
  const action = STATUS_ACTIONS[input.status];
  if (!action) {
    const answer = checkReferralAction(ctx.access, 'startProgress', referral);
    if (answer.refusedBy === 'role') throw refusalOf(LABEL, referral.status, answer);
    assertVersion(LABEL, referral, input.version);
    const check = checkTransition(REFERRAL_TRANSITIONS, referral.status, input.status, {});
    throw transitionNotAllowed(LABEL, referral.status, input.status, check.ok ? [`use the action that moves a referral to ${input.status}`] : check.unmet);
  }
  const patch: Partial<Referral> = input.status === 'ACKNOWLEDGED' ? { acknowledgedAt: new Date() } : {};
  return moveReferral(ctx, referral, input.version, action, patch, 'referral.status');
}

export async function addReferralNote(ctx: RequestContext, input: AddReferralNoteInput): Promise<ReferralNote> {
  const referral = await requireReferral(ctx, input.referralId, 'input.referralId');
  judge(ctx, 'addNote', referral, null);
  const { identifiers } = await ctx.manager.insert(ReferralNote, {
    referralId: referral.id,
    // The note belongs to the team that holds the referral now; it stays with that team after a transfer.
    team: referral.team!,
    body: input.body.trim(),
    authorId: ctx.access.principalId,
  });
  const id = identifiers[0]!.id as string;
  await audit(ctx, {
    action: 'referral.note',
    entityType: LABEL,
    entityId: referral.id,
    groupId: referral.groupId,
    referralTeam: referral.team,
    details: { noteId: id },
  });
  return ctx.manager.findOneByOrFail(ReferralNote, { id });
}

export async function transferReferral(ctx: RequestContext, input: TransferReferralInput): Promise<Referral> {
  const referral = await requireReferral(ctx, input.id, 'input.id');
  judge(ctx, 'transfer', referral, input.version);
  const fromTeam = referral.team!;
  const unmet = transferUnmet(referral, input.toTeam, input.reason);
  if (unmet.length > 0) throw transitionNotAllowed(LABEL, referral.status, REFERRAL_STATUS_AFTER_TRANSFER, unmet, 'transfer');
  // The new team's deadline starts now.
  const acknowledgeBy = acknowledgementDue(new Date(), ctx.config.policy);
  // Row-level security forbids a team to move a row out of its own scope; the guarded
  // database function does it after checking the caller itself (OneSourceOfRules migration).
  let version: number;
  try {
    const [row] = await ctx.manager.query('SELECT transfer_referral($1, $2, $3, $4, $5) AS version', [referral.id, input.version, input.toTeam, input.reason, acknowledgeBy]);
    version = row.version;
  } catch (err) {
    const state = raisedState(err);
    if (state === 'SPNFD') throw notFound(LABEL);
    if (state === 'SPCON') throw conflict(LABEL, null);
    if (state === 'SPTRN') throw transitionNotAllowed(LABEL, referral.status, REFERRAL_STATUS_AFTER_TRANSFER, ['the transfer is not allowed'], 'transfer');
    throw err;
  }
  // After the transfer the caller's team no longer sees the referral, so the answer is built here.
  const updated: Referral = Object.assign(new Referral(), referral, {
    team: input.toTeam,
    status: REFERRAL_STATUS_AFTER_TRANSFER,
    acknowledgedAt: null,
    acknowledgeBy,
    version,
    updatedAt: new Date(),
  });
  await audit(ctx, {
    action: 'referral.transfer',
    entityType: LABEL,
    entityId: referral.id,
    groupId: referral.groupId,
    referralTeam: fromTeam,
    details: { fromTeam, toTeam: input.toTeam, from: referral.status, to: REFERRAL_STATUS_AFTER_TRANSFER },
  });
  return updated;
}

export async function closeReferral(ctx: RequestContext, input: CloseReferralInput): Promise<Referral> {
  const referral = await requireReferral(ctx, input.id, 'input.id');
  return moveReferral(
    ctx,
    referral,
    input.version,
    'close',
    { closedAt: new Date(), outcome: input.outcome, outcomeNote: input.outcomeNote?.trim() || null },
    'referral.close',
    { outcome: input.outcome },
  );
}
