import {
  checkTransition, PLACEMENT_LABELS, PLACEMENT_TRANSITIONS, type PlacementFacts, type PlacementState,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { notFound, transitionNotAllowed } from '../../common/errors.js';
import { assertVersion, updateVersioned } from '../../common/versioned.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { PlacementRecord } from './placement-record.entity.js';
import { assertGroupOpen, lockGroup } from '../groups/group-access.js';
import { findAgreedAgreement } from './wording.service.js';
import type { RecordPlacementInput } from './dto/placement.inputs.js';

export interface Evidence {
  evidenceUrl?: string | null;
  evidenceNote?: string | null;
}

/**
 * Moves one placement through the policy's table and writes it: the one path
 * for officers (recordPlacement) and reviews alike. `at` is when it was seen.
 */
export async function movePlacement(
  ctx: RequestContext,
  record: PlacementRecord,
  to: PlacementState,
  evidence: Evidence,
  at: Date,
  details: Record<string, unknown> = {},
): Promise<PlacementRecord> {
  const facts: PlacementFacts = { wordingAgreed: true, ...evidence };
  const move = checkTransition(PLACEMENT_TRANSITIONS, record.state, to, facts);
  if (!move.ok) throw transitionNotAllowed('Placement', record.state, to, move.unmet.map((u) => `${PLACEMENT_LABELS[record.placement]}: ${u}`));
  const patch: Partial<PlacementRecord> = { state: to };
  const url = evidence.evidenceUrl?.trim() || null;
  const note = evidence.evidenceNote?.trim() || null;
  // Each piece of evidence given replaces the one before; what is not given stays (the link usually still points at the placement).
  if (url) patch.evidenceUrl = url;
  if (note) patch.evidenceNote = note;
  if (to === 'PUBLISHED') Object.assign(patch, { publishedAt: at, removedAt: null });
  if (to === 'VERIFIED') Object.assign(patch, { verifiedAt: at, removedAt: null, publishedAt: record.publishedAt ?? at });
  if (to === 'REMOVED') patch.removedAt = at;
  const updated = await updateVersioned(ctx, PlacementRecord, 'Placement', record.id, record.version, patch);
  await audit(ctx, {
    action: 'placement.record',
    entityType: 'PlacementRecord',
    entityId: record.id,
    groupId: record.groupId,
    details: { placement: record.placement, from: record.state, to, transition: move.transition, evidenceUrl: Boolean(url), evidenceNote: Boolean(note), ...details },
  });
  return updated;
}

export async function recordPlacement(ctx: RequestContext, input: RecordPlacementInput): Promise<PlacementRecord> {
  const group = await lockGroup(ctx, input.groupId, 'input.groupId');
  const agreement = await findAgreedAgreement(ctx, group.id);
  const record = agreement
    ? await ctx.manager.findOneBy(PlacementRecord, { agreementId: agreement.id, placement: input.placement })
    : null;
  if (record) assertVersion('Placement', record, input.version);
  assertGroupOpen(group, 'record a placement');
  if (!agreement) throw transitionNotAllowed('Placement', 'NOT_PUBLISHED', input.state, ['wording must be agreed first']);
  // Approval creates both records; their absence would be a fault, not the caller's.
  if (!record) throw notFound('Placement');
  const updated = await movePlacement(ctx, record, input.state, input, new Date());
  await raiseGroupEvents(ctx, group.id, ['PLACEMENT_CHANGED']);
  return updated;
}
