import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  canActOnReferral, canSubmitReferral, canTransferReferral, checkTransition, proposeRouting, resolveRouting,
  REFERRAL_STATUS_AFTER_TRANSFER, REFERRAL_TRANSITIONS,
  type Permission, type ReferralFacts, type ReferralStatus, type RoutingDecision, type Team,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { requirePermission } from '../../common/authorization.js';
import { AppError, badInput, conflict, forbidden, notFound, transitionNotAllowed } from '../../common/errors.js';
import { paginate } from '../../common/pagination.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { Administrator } from '../administrators/administrator.entity.js';
import { Concern } from '../concerns/concern.entity.js';
import { ContactLogEntry } from '../contacts/contact-log-entry.entity.js';
import { advanceGroup } from '../groups/group-lifecycle.service.js';
import { requireGroup } from '../groups/group.service.js';
import { Group } from '../groups/group.entity.js';
import type {
  AcknowledgeReferralInput, AddReferralNoteInput, CloseReferralInput, DraftReferralInput, ReferralFilter, SubmitReferralInput,
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

/** A refusal that is about the record's state, not a move between two statuses. */
function notAllowed(message: string, extensions: { entity: string; from: string | null; to: string | null; unmet: string }): AppError {
  return new AppError('TRANSITION_NOT_ALLOWED', message, extensions);
}

/** Receiving-team actions: only the holder of the referral's team role (officers and leads are refused). */
function requireTeamAction(ctx: RequestContext, permission: Permission, referral: Referral): void {
  if (!canActOnReferral(ctx.principal, permission, referral)) {
    throw forbidden(`act on this referral: only the ${referral.team ?? 'receiving'} team can`);
  }
}

// ---------------------------------------------------------------- reads

/** `referrals(filter, first, after)`: the caller's scope is in the SQL, so totalCount counts only what they may see. */
export async function listReferrals(ctx: RequestContext, filter: ReferralFilter | undefined, first: number, after?: string | null) {
  const qb = scopedReferrals(ctx);
  if (filter?.status?.length) qb.andWhere('r.status IN (:...status)', { status: filter.status });
  if (filter?.team?.length) qb.andWhere('r.team IN (:...team)', { team: filter.team });
  if (filter?.reason?.length) qb.andWhere('r.reason IN (:...reason)', { reason: filter.reason });
  if (filter?.groupId) qb.andWhere('r.group_id = :groupId', { groupId: filter.groupId });
  const page = await paginate(qb, { sortKey: 'r.created_at', sortType: 'timestamptz', idKey: 'r.id', idType: 'uuid', direction: 'DESC', first, after });
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
  if (group.status === 'CLOSED') {
    const unmet = 'the group is CLOSED; reopen it first';
    throw notAllowed(`A referral cannot be drafted for this group: ${unmet}.`, { entity: LABEL, from: null, to: 'DRAFT', unmet });
  }
  const { identifiers } = await ctx.manager.insert(Referral, {
    groupId: group.id,
    reason: input.reason,
    summary: input.summary.trim(),
    status: 'DRAFT',
    team: null,
    createdById: ctx.principal.id,
  });
  const id = identifiers[0]!.id as string;
  await audit(ctx, { action: 'referral.draft', entityType: LABEL, entityId: id, groupId: group.id, details: { reason: input.reason } });
  return ctx.manager.findOneByOrFail(Referral, { id });
}

export async function updateReferralDraft(ctx: RequestContext, input: UpdateReferralDraftInput): Promise<Referral> {
  if (input.reason === null) throw badInput('input.reason', 'reason cannot be cleared.');
  if (input.summary === null) throw badInput('input.summary', 'summary cannot be cleared.');
  const referral = await requireReferral(ctx, input.id, 'input.id');
  assertVersion(LABEL, referral, input.version);
  if (referral.status !== 'DRAFT') {
    const unmet = `only a DRAFT referral can be edited (this one is ${referral.status})`;
    throw notAllowed(`The referral cannot be edited: ${unmet}.`, { entity: LABEL, from: referral.status, to: referral.status, unmet });
  }
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
function snapshotData(group: Group, admins: Administrator[], contacts: ContactLogEntry[], concerns: Concern[], takenAt: Date): SnapshotData {
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
  assertVersion(LABEL, referral, input.version);
  if (referral.status !== 'DRAFT') {
    throw transitionNotAllowed('The referral', referral.status, 'SUBMITTED', `only a DRAFT referral can be submitted (this one is ${referral.status})`);
  }
  const group = await requireGroup(ctx, referral.groupId);
  const groupUnmet = canSubmitReferral(group.status, referral.reason);
  if (groupUnmet) throw transitionNotAllowed('The referral', referral.status, 'SUBMITTED', groupUnmet);
  const check = checkTransition(REFERRAL_TRANSITIONS, referral.status, 'SUBMITTED', { hasSummary: referral.summary.trim().length > 0 });
  if (!check.ok) throw transitionNotAllowed('The referral', referral.status, 'SUBMITTED', check.unmet);

  if (input.routing.mode === 'OVERRIDE') requirePermission(ctx, 'referral.overrideRouting');
  const admins = await ctx.manager.find(Administrator, { where: { groupId: group.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const routing = resolveRouting(proposeRouting(admins), toDecision(input.routing), ctx.principal);
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
      submittedById: ctx.principal.id,
      submittedAt: now,
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
    await ctx.manager.insert(ReferralSnapshot, {
      referralId: saved.id,
      team: route.team,
      data: snapshotData(group, routed, contacts, concerns, now) as never,
    });
    await audit(ctx, {
      action: 'referral.submit',
      entityType: LABEL,
      entityId: saved.id,
      groupId: group.id,
      referralTeam: route.team,
      details: {
        mode: input.routing.mode,
        transition: check.transition,
        splitKey,
        splitFrom: i === 0 ? null : referral.id,
        administrators: routed.length,
        contacts: contacts.length,
        concerns: concerns.length,
      },
    });
    submitted.push(saved);
  }
  const updatedGroup = await advanceGroup(ctx, group.id, ['REFERRED'], { referralReason: referral.reason });
  return { referrals: submitted, group: updatedGroup };
}

// ---------------------------------------------------------------- the receiving team

async function moveReferral(
  ctx: RequestContext,
  referral: Referral,
  version: number,
  to: ReferralStatus,
  facts: ReferralFacts,
  patch: Partial<Referral>,
  action: string,
  details: Record<string, unknown> = {},
): Promise<Referral> {
  assertVersion(LABEL, referral, version);
  const check = checkTransition(REFERRAL_TRANSITIONS, referral.status, to, facts);
  if (!check.ok) throw transitionNotAllowed('The referral', referral.status, to, check.unmet);
  const updated = await updateVersioned(ctx, Referral, LABEL, referral.id, version, { ...patch, status: to });
  await audit(ctx, {
    action,
    entityType: LABEL,
    entityId: referral.id,
    groupId: referral.groupId,
    referralTeam: referral.team,
    details: { from: referral.status, to, transition: check.transition, ...details },
  });
  return updated;
}

export async function acknowledgeReferral(ctx: RequestContext, input: AcknowledgeReferralInput): Promise<Referral> {
  const referral = await requireReferral(ctx, input.id, 'input.id');
  requireTeamAction(ctx, 'referral.acknowledge', referral);
  return moveReferral(ctx, referral, input.version, 'ACKNOWLEDGED', {}, { acknowledgedAt: new Date() }, 'referral.acknowledge');
}

export async function updateReferralStatus(ctx: RequestContext, input: UpdateReferralStatusInput): Promise<Referral> {
  if (input.status === 'CLOSED') {
    throw badInput('input.status', 'A referral is closed with closeReferral, which records the outcome.');
  }
  const referral = await requireReferral(ctx, input.id, 'input.id');
  requireTeamAction(ctx, 'referral.progress', referral);
  const patch: Partial<Referral> = input.status === 'ACKNOWLEDGED' ? { acknowledgedAt: new Date() } : {};
  return moveReferral(ctx, referral, input.version, input.status, {}, patch, 'referral.status');
}

export async function addReferralNote(ctx: RequestContext, input: AddReferralNoteInput): Promise<ReferralNote> {
  const referral = await requireReferral(ctx, input.referralId, 'input.referralId');
  requireTeamAction(ctx, 'referral.note', referral);
  const { identifiers } = await ctx.manager.insert(ReferralNote, {
    referralId: referral.id,
    // The note belongs to the team that holds the referral now; it stays with that team after a transfer.
    team: referral.team!,
    body: input.body.trim(),
    authorId: ctx.principal.id,
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
  requireTeamAction(ctx, 'referral.transfer', referral);
  assertVersion(LABEL, referral, input.version);
  const fromTeam = referral.team!;
  const unmet = canTransferReferral(referral, input.toTeam, input.reason);
  if (unmet) throw transitionNotAllowed('The referral', fromTeam, input.toTeam, unmet);
  // Row-level security forbids a team to move a row out of its own scope; the guarded
  // database function does it after checking the caller itself (RowLevelSecurity migration).
  let version: number;
  try {
    const [row] = await ctx.manager.query('SELECT transfer_referral($1, $2, $3, $4) AS version', [referral.id, input.version, input.toTeam, input.reason]);
    version = row.version;
  } catch (err) {
    const code = (err as { driverError?: { code?: string } }).driverError?.code;
    if (code === 'SPNFD') throw notFound(LABEL);
    if (code === 'SPCON') throw conflict(LABEL);
    if (code === 'SPTRN') throw transitionNotAllowed('The referral', fromTeam, input.toTeam, 'the transfer is not allowed');
    throw err;
  }
  // After the transfer the caller's team no longer sees the referral, so the answer is built here.
  const updated: Referral = Object.assign(new Referral(), referral, {
    team: input.toTeam,
    status: REFERRAL_STATUS_AFTER_TRANSFER,
    acknowledgedAt: null,
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
  requireTeamAction(ctx, 'referral.close', referral);
  return moveReferral(
    ctx,
    referral,
    input.version,
    'CLOSED',
    { outcome: input.outcome },
    { closedAt: new Date(), outcome: input.outcome, outcomeNote: input.outcomeNote?.trim() || null },
    'referral.close',
    { outcome: input.outcome },
  );
}
