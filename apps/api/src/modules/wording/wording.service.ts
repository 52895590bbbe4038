import { In } from 'typeorm';
import {
  checkTransition, checkWording, checkWordingAction, LIMITS, PLACEMENTS, WORDING_TRANSITIONS,
  type WordingCheck, type WordingFacts, type WordingStatus,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows, indexRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, conflict, notFound, transitionNotAllowed } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { requireAvailable } from '../../common/authorization.js';
import { WordingAgreement } from './wording-agreement.entity.js';
import { WordingVersion } from './wording-version.entity.js';
import { WordingTemplate } from './wording-template.entity.js';
import { PlacementRecord } from './placement-record.entity.js';
import { assertGroupOpen, lockGroup } from '../groups/group-access.js';
import type { ApproveWordingInput, ProposeWordingInput } from './dto/wording.inputs.js';

const OPEN_STATUSES: WordingStatus[] = ['DRAFT', 'PROPOSED'];

/** The check portal users see as they type. The text is bounded like a proposal's. */
export function checkText(ctx: RequestContext, text: string): WordingCheck {
  if (text.length > LIMITS.longText) throw badInput('text', `text must be at most ${LIMITS.longText} characters.`);
  return checkWording(text, ctx.config.wording);
}

/** Re-run on every read, so a change to the configured links or bodies shows at once. */
export function checkVersion(ctx: RequestContext, version: WordingVersion): WordingCheck {
  return checkWording(version.text, ctx.config.wording);
}

function factsFor(text: string | null, check: WordingCheck | null): WordingFacts {
  return { checkPasses: check?.passes ?? false, hasText: Boolean(text?.trim()), missing: check?.missing ?? [] };
}

/** Which of the steps the policy puts before agreeing wording the group's contact log covers, batched across groups. */
function stepsBeforeWording(ctx: RequestContext, groupId: string): Promise<{ positionExplained: boolean; wordingRequested: boolean }> {
  return ctx
    .loader<string, { positionExplained: boolean; wordingRequested: boolean }>('wording.stepsBefore', async (ids) => {
      const rows: { group_id: string; explained: boolean; requested: boolean }[] = await ctx.manager.query(
        `SELECT c.group_id, bool_or('POSITION_EXPLAINED' = ANY(c.steps)) AS explained, bool_or('WORDING_REQUESTED' = ANY(c.steps)) AS requested
           FROM contact_log_entries c WHERE c.group_id = ANY($1::uuid[]) GROUP BY c.group_id`,
        [[...ids]],
      );
      const byId = new Map(rows.map((r) => [r.group_id, { positionExplained: r.explained, wordingRequested: r.requested }]));
      return ids.map((id) => byId.get(id) ?? { positionExplained: false, wordingRequested: false });
    })
    .load(groupId);
}

/** What the agreement's actions are judged on: its latest text, the wording check, the steps before it, whether the group is closed. */
export async function wordingFacts(ctx: RequestContext, agreement: WordingAgreement, groupStatus: string): Promise<{ status: WordingStatus; groupClosed: boolean; facts: WordingFacts }> {
  const latest = (await versionsOfAgreement(ctx, agreement.id)).at(-1) ?? null;
  const check = latest ? checkWording(latest.text, ctx.config.wording) : null;
  const steps = await stepsBeforeWording(ctx, agreement.groupId);
  return { status: agreement.status, groupClosed: groupStatus === 'CLOSED', facts: { ...factsFor(latest?.text ?? null, check), ...steps } };
}

export async function proposeWording(ctx: RequestContext, input: ProposeWordingInput): Promise<WordingAgreement> {
  const group = await lockGroup(ctx, input.groupId, 'input.groupId');
  const templateId = input.templateId ? requireId(input.templateId, 'input.templateId') : null;
  if (templateId && !(await ctx.manager.existsBy(WordingTemplate, { id: templateId }))) throw notFound('Wording template');
  const open = await ctx.manager.findOne(WordingAgreement, {
    where: { groupId: group.id, status: In(OPEN_STATUSES) },
    order: { createdAt: 'DESC', id: 'DESC' },
  });
  if (input.agreementVersion != null) {
    // The caller meant to add to an agreement that has since been approved (or never was open).
    if (!open) throw conflict('Wording agreement', null);
    assertVersion('Wording agreement', open, input.agreementVersion);
  }
  assertGroupOpen(group, 'propose wording for it');

  const text = input.text.trim();
  const check = checkWording(text, ctx.config.wording);
  const facts = factsFor(text, check);
  const to: WordingStatus = input.asDraft ? 'DRAFT' : 'PROPOSED';
  // A new agreement is born a draft and, unless kept as one, proposed at once.
  const from: WordingStatus = open?.status ?? 'DRAFT';
  const move = checkTransition(WORDING_TRANSITIONS, from, to, facts);
  if (!move.ok) throw transitionNotAllowed('Wording agreement', from, to, move.unmet, 'proposeVersion');

  let agreement: WordingAgreement;
  let number = 1;
  if (open) {
    const [row] = await ctx.manager.query('SELECT coalesce(max(number), 0)::int AS n FROM wording_versions WHERE agreement_id = $1', [open.id]);
    number = row.n + 1;
    await insertVersion(ctx, open.id, number, text, input, check);
    agreement = await updateVersioned(ctx, WordingAgreement, 'Wording agreement', open.id, open.version, {
      status: to,
      ...(templateId ? { templateId } : {}),
    });
  } else {
    agreement = await ctx.manager.save(ctx.manager.create(WordingAgreement, { groupId: group.id, status: to, templateId, version: 1 }));
    await insertVersion(ctx, agreement.id, number, text, input, check);
  }
  await audit(ctx, {
    action: 'wording.propose',
    entityType: 'WordingAgreement',
    entityId: agreement.id,
    groupId: group.id,
    details: {
      from: open ? from : null,
      to,
      transition: move.transition,
      versionNumber: number,
      proposedBy: input.proposedBy,
      checkPasses: check.passes,
      missing: check.missing,
    },
  });
  return agreement;
}

async function insertVersion(
  ctx: RequestContext, agreementId: string, number: number, text: string, input: ProposeWordingInput, check: WordingCheck,
): Promise<void> {
  await ctx.manager.insert(WordingVersion, {
    agreementId,
    number,
    text,
    proposedBy: input.proposedBy,
    check: check as never,
    createdById: ctx.user?.id ?? null,
  });
}

export async function approveWording(ctx: RequestContext, input: ApproveWordingInput): Promise<WordingAgreement> {
  const id = requireId(input.agreementId, 'input.agreementId');
  const seen = await ctx.manager.findOne(WordingAgreement, { select: { id: true, groupId: true }, where: { id } });
  if (!seen) throw notFound('Wording agreement');
  const group = await lockGroup(ctx, seen.groupId, 'input.agreementId');
  // Read again under the group's lock: what we decide on cannot change underneath us.
  const agreement = await ctx.manager.findOneByOrFail(WordingAgreement, { id });
  assertVersion('Wording agreement', agreement, input.version);

  const latest = await ctx.manager.findOne(WordingVersion, { where: { agreementId: id }, order: { number: 'DESC' } });
  const judged = await wordingFacts(ctx, agreement, group.status);
  // The same answer as WordingAgreement.availableActions, every reason at once: the group closed, the check, the policy's steps before agreeing.
  requireAvailable('Wording agreement', agreement.status, checkWordingAction(ctx.access, 'approve', judged));
  const facts = judged.facts;
  const move = checkTransition(WORDING_TRANSITIONS, agreement.status, 'AGREED', facts);
  if (!move.ok) throw transitionNotAllowed('Wording agreement', agreement.status, 'AGREED', move.unmet, 'approve');

  const now = new Date();
  const previous = await ctx.manager.find(WordingAgreement, { where: { groupId: group.id, status: 'AGREED' } });
  for (const old of previous) {
    const supersede = checkTransition(WORDING_TRANSITIONS, old.status, 'SUPERSEDED', facts);
    if (!supersede.ok) throw transitionNotAllowed('Wording agreement', old.status, 'SUPERSEDED', supersede.unmet);
    await updateVersioned(ctx, WordingAgreement, 'Wording agreement', old.id, old.version, { status: 'SUPERSEDED', supersededAt: now });
    await audit(ctx, {
      action: 'wording.supersede',
      entityType: 'WordingAgreement',
      entityId: old.id,
      groupId: group.id,
      details: { from: old.status, to: 'SUPERSEDED', supersededBy: agreement.id },
    });
  }
  const approved = await updateVersioned(ctx, WordingAgreement, 'Wording agreement', agreement.id, agreement.version, {
    status: 'AGREED',
    approvedById: ctx.user?.id ?? null,
    approvedAt: now,
  });
  // The agreed text now has to be published in both places; each is tracked on its own.
  await ctx.manager.insert(
    PlacementRecord,
    PLACEMENTS.map((placement) => ({ agreementId: agreement.id, groupId: group.id, placement, state: 'NOT_PUBLISHED' as const })),
  );
  await audit(ctx, {
    action: 'wording.approve',
    entityType: 'WordingAgreement',
    entityId: agreement.id,
    groupId: group.id,
    details: { from: agreement.status, to: 'AGREED', transition: move.transition, versionNumber: latest?.number ?? null, superseded: previous.map((p) => p.id) },
  });
  await raiseGroupEvents(ctx, group.id, ['WORDING_AGREED']);
  return approved;
}

/** The group's agreed wording (the latest approved, should there ever be two), or null. */
export function findAgreedAgreement(ctx: RequestContext, groupId: string): Promise<WordingAgreement | null> {
  return ctx.manager.findOne(WordingAgreement, { where: { groupId, status: 'AGREED' }, order: { approvedAt: { direction: 'DESC', nulls: 'LAST' } } });
}

export async function requireAgreement(ctx: RequestContext, id: string): Promise<WordingAgreement> {
  const agreement = await ctx.loader<string, WordingAgreement | null>('wording.agreementById', async (ids) =>
    indexRows(ids, await ctx.manager.findBy(WordingAgreement, { id: In([...ids]) }), (a) => a.id),
  ).load(requireId(id, 'id'));
  if (!agreement) throw notFound('Wording agreement');
  return agreement;
}

// ---------------------------------------------------------------------------
// Batched reads for nested fields: one query per field per request, whatever the number of parents.

/** A group's agreements, newest first. */
export function agreementsOfGroup(ctx: RequestContext, groupId: string): Promise<WordingAgreement[]> {
  return ctx
    .loader<string, WordingAgreement[]>('wording.agreementsByGroup', async (ids) =>
      groupRows(ids, await ctx.manager.find(WordingAgreement, { where: { groupId: In([...ids]) }, order: { createdAt: 'DESC', id: 'DESC' } }), (a) => a.groupId),
    )
    .load(groupId);
}

/** The agreed wording, else the open one, else null. */
export async function currentWordingOfGroup(ctx: RequestContext, groupId: string): Promise<WordingAgreement | null> {
  const agreements = await agreementsOfGroup(ctx, groupId);
  const agreed = agreements
    .filter((a) => a.status === 'AGREED')
    .sort((a, b) => (b.approvedAt?.getTime() ?? 0) - (a.approvedAt?.getTime() ?? 0))[0];
  return agreed ?? agreements.find((a) => OPEN_STATUSES.includes(a.status)) ?? null;
}

export function loadTemplate(ctx: RequestContext, id: string): Promise<WordingTemplate | null> {
  return ctx
    .loader<string, WordingTemplate | null>('wording.templateById', async (ids) =>
      indexRows(ids, await ctx.manager.findBy(WordingTemplate, { id: In([...ids]) }), (t) => t.id),
    )
    .load(id);
}

/** Versions in order, without the stored check (it is re-run on read; the JSON would only cost parsing). */
export function versionsOfAgreement(ctx: RequestContext, agreementId: string): Promise<WordingVersion[]> {
  return ctx
    .loader<string, WordingVersion[]>('wording.versionsByAgreement', async (ids) =>
      groupRows(
        ids,
        await ctx.manager.find(WordingVersion, {
          select: { id: true, agreementId: true, number: true, text: true, proposedBy: true, createdById: true, createdAt: true },
          where: { agreementId: In([...ids]) },
          order: { number: 'ASC' },
        }),
        (v) => v.agreementId,
      ),
    )
    .load(agreementId);
}

/** Every version of a group's wording, across agreements, oldest first; batched across groups. */
export function versionsOfGroup(ctx: RequestContext, groupId: string): Promise<WordingVersion[]> {
  return ctx
    .loader<string, (WordingVersion & { groupId: string })[]>('wording.versionsByGroup', async (ids) => {
      const rows = await ctx.manager
        .createQueryBuilder(WordingVersion, 'v')
        .innerJoin(WordingAgreement, 'a', 'a.id = v.agreement_id')
        .select(['v.id', 'v.agreementId', 'v.number', 'v.text', 'v.proposedBy', 'v.createdById', 'v.createdAt'])
        .addSelect('a.group_id', 'group_id')
        .where('a.group_id IN (:...ids)', { ids: [...ids] })
        .orderBy('v.created_at', 'ASC')
        .addOrderBy('v.number', 'ASC')
        .getRawAndEntities();
      const withGroup = rows.entities.map((v, i) => Object.assign(v, { groupId: rows.raw[i].group_id as string }));
      return groupRows(ids, withGroup, (v) => v.groupId);
    })
    .load(groupId);
}

const byPlacement = (a: PlacementRecord, b: PlacementRecord) => PLACEMENTS.indexOf(a.placement) - PLACEMENTS.indexOf(b.placement);

export async function placementsOfAgreement(ctx: RequestContext, agreementId: string): Promise<PlacementRecord[]> {
  const rows = await ctx
    .loader<string, PlacementRecord[]>('wording.placementsByAgreement', async (ids) =>
      groupRows(ids, await ctx.manager.findBy(PlacementRecord, { agreementId: In([...ids]) }), (p) => p.agreementId),
    )
    .load(agreementId);
  return [...rows].sort(byPlacement);
}

/** The placements of each group's agreed wording. */
export async function placementsOfGroup(ctx: RequestContext, groupId: string): Promise<PlacementRecord[]> {
  const rows = await ctx
    .loader<string, PlacementRecord[]>('wording.agreedPlacementsByGroup', async (ids) =>
      groupRows(
        ids,
        await ctx.manager
          .createQueryBuilder(PlacementRecord, 'p')
          .innerJoin(WordingAgreement, 'a', 'a.id = p.agreement_id')
          .where("a.status = 'AGREED'")
          .andWhere('p.group_id IN (:...ids)', { ids: [...ids] })
          .getMany(),
        (p) => p.groupId,
      ),
    )
    .load(groupId);
  return [...rows].sort(byPlacement);
}
