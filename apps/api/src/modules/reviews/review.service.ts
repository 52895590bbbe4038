import { In } from 'typeorm';
import {
  checkTransition, GROUP_STATUS_LABELS, LOGO_TRANSITIONS, logoInUse, nextReviewDue, PLACEMENT_LABELS, PLACEMENT_STATE_LABELS, PLACEMENTS, quoted,
  type LogoStatus, type Placement, type PlacementState,
} from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { audit } from '../../common/audit.js';
import { badInput, transitionNotAllowed } from '../../common/errors.js';
import { updateVersioned } from '../../common/versioned.js';
import { raiseGroupEvents } from '../groups/group-lifecycle.service.js';
import { Group } from '../groups/group.entity.js';
import { PlacementRecord } from '../wording/placement-record.entity.js';
import { assertGroupOpen, lockGroup } from '../groups/group-access.js';
import { movePlacement, type Evidence } from '../wording/placement.service.js';
import { findAgreedAgreement } from '../wording/wording.service.js';
import { Review } from './review.entity.js';
import type { RecordReviewInput } from './dto/review.inputs.js';

/** Clocks differ a little between the officer's device and the server. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** "pinned message": a placement as a sentence names it. */
const LABEL = Object.fromEntries(PLACEMENTS.map((p) => [p, PLACEMENT_LABELS[p].toLowerCase()])) as Record<Placement, string>;
const state = (s: PlacementState): string => quoted(PLACEMENT_STATE_LABELS[s]);

export interface RecordReviewResult {
  review: Review;
  group: Group;
  findings: string[];
}

interface PlannedMove {
  record: PlacementRecord;
  to: PlacementState;
  evidence: Evidence;
}

export async function recordReview(ctx: RequestContext, input: RecordReviewInput): Promise<RecordReviewResult> {
  const now = new Date();
  const reviewedAt = input.reviewedAt ?? now;
  if (reviewedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw badInput('input.reviewedAt', 'reviewedAt cannot be in the future.');
  const group = await lockGroup(ctx, input.groupId, 'input.groupId');
  assertGroupOpen(group, 'review it');

  const agreement = await findAgreedAgreement(ctx, group.id);
  const records = agreement ? await ctx.manager.findBy(PlacementRecord, { agreementId: agreement.id }) : [];
  const present: Record<Placement, boolean> = { PINNED_MESSAGE: input.pinnedMessagePresent, AUTO_RESPONSE: input.autoResponsePresent };
  const day = reviewedAt.toISOString().slice(0, 10);
  const moves: PlannedMove[] = [];
  // What the review saw but could not record by itself: kept in the review's notes.
  const mentions: string[] = [];
  for (const placement of PLACEMENTS) {
    const record = records.find((r) => r.placement === placement);
    const seen = present[placement];
    if (!record) continue;
    const live = record.state === 'PUBLISHED' || record.state === 'VERIFIED';
    // The review is the evidence; the link to the placement, if any, stays.
    if (seen && live) {
      moves.push({ record, to: 'VERIFIED', evidence: { evidenceUrl: record.evidenceUrl, evidenceNote: `Seen on the page at the review of ${day}.` } });
    } else if (!seen && live) {
      moves.push({ record, to: 'REMOVED', evidence: { evidenceUrl: record.evidenceUrl, evidenceNote: `Not found on the page at the review of ${day}.` } });
    } else if (seen) {
      mentions.push(
        `The ${LABEL[placement]} was seen on the page but is recorded as ${state(record.state)}: record its publication with evidence for it to count.`,
      );
    }
  }
  if (!agreement && (input.pinnedMessagePresent || input.autoResponsePresent)) {
    mentions.push('No wording has been agreed with this group yet, so the wording seen on the page was not recorded as a placement.');
  }

  let logoTo: LogoStatus | null = null;
  if (input.logoStillUsed && (group.logoStatus === 'NOT_USED' || group.logoStatus === 'REMOVAL_VERIFIED')) logoTo = 'IN_USE';
  if (!input.logoStillUsed && logoInUse(group.logoStatus)) logoTo = 'REMOVAL_VERIFIED';
  // The review itself is the evidence of what was (or was not) on the page.
  const logoMove = logoTo ? checkTransition(LOGO_TRANSITIONS, group.logoStatus, logoTo, { evidence: true }) : null;
  if (logoMove && !logoMove.ok) throw transitionNotAllowed('Logo', group.logoStatus, logoTo!, logoMove.unmet);

  const due = nextReviewDue(group.riskLevel, reviewedAt, ctx.config.policy);
  const notes = [input.notes?.trim(), ...mentions.map((m) => `Noted by Signpost: ${m}`)].filter(Boolean).join('\n\n') || null;
  const review = await ctx.manager.save(
    ctx.manager.create(Review, {
      groupId: group.id,
      reviewedAt,
      pinnedMessagePresent: input.pinnedMessagePresent,
      autoResponsePresent: input.autoResponsePresent,
      logoStillUsed: input.logoStillUsed,
      notes,
      nextReviewDue: due,
      createdById: ctx.user?.id ?? null,
    }),
  );

  const findings: string[] = [];
  for (const move of moves) {
    await movePlacement(ctx, move.record, move.to, move.evidence, reviewedAt, { reviewId: review.id });
    findings.push(
      move.to === 'REMOVED'
        ? `The ${LABEL[move.record.placement]} is missing: recorded as ${state('REMOVED')} (it was ${state(move.record.state)}).`
        : `The ${LABEL[move.record.placement]} is in place: recorded as ${state('VERIFIED')}${move.record.state === 'VERIFIED' ? ' again' : ''}.`,
    );
  }
  findings.push(...mentions);

  await updateVersioned(ctx, Group, 'Group', group.id, group.version, {
    nextReviewDue: due,
    ...(logoTo ? { logoStatus: logoTo, logoStatusChangedAt: reviewedAt } : {}),
  });
  if (logoTo && logoMove?.ok) {
    await audit(ctx, {
      action: 'logo.record',
      entityType: 'Group',
      entityId: group.id,
      groupId: group.id,
      details: { from: group.logoStatus, to: logoTo, transition: logoMove.transition, reviewId: review.id },
    });
    findings.push(logoTo === 'IN_USE' ? 'The university logo is in use on the page.' : 'The university logo is no longer used: its removal is verified.');
  }
  await audit(ctx, {
    action: 'review.record',
    entityType: 'Review',
    entityId: review.id,
    groupId: group.id,
    details: {
      pinnedMessagePresent: input.pinnedMessagePresent,
      autoResponsePresent: input.autoResponsePresent,
      logoStillUsed: input.logoStillUsed,
      placementChanges: moves.length,
      nextReviewDue: due.toISOString(),
    },
  });
  const updated = await raiseGroupEvents(ctx, group.id, ['PLACEMENT_CHANGED', 'LOGO_CHANGED']);
  if (updated.status !== group.status) findings.push(`The group moved from ${quoted(GROUP_STATUS_LABELS[group.status])} to ${quoted(GROUP_STATUS_LABELS[updated.status])}.`);
  return { review, group: updated, findings };
}

/** A group's reviews, newest first. */
export function reviewsOfGroup(ctx: RequestContext, groupId: string): Promise<Review[]> {
  return ctx
    .loader<string, Review[]>('reviews.byGroup', async (ids) =>
      groupRows(
        ids,
        await ctx.manager.find(Review, { where: { groupId: In([...ids]) }, order: { reviewedAt: 'DESC', createdAt: 'DESC', id: 'DESC' } }),
        (r) => r.groupId,
      ),
    )
    .load(groupId);
}
