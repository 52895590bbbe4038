/**
 * A referral's life with the receiving team (DOMAIN.md step 6): drafted by the
 * social media team, submitted (routed) by the lead, then acknowledged,
 * progressed and closed with an outcome by the team it was routed to.
 *
 * @packageDocumentation
 */
import { defineTransitions, type Transition } from './state-machine.js';
import { isOneOf, REFERRAL_OUTCOMES, TEAMS, type ReferralOutcome, type ReferralStatus, type Team } from './vocabulary.js';

/** What a referral move is judged on. */
export interface ReferralFacts {
  outcome?: ReferralOutcome | null;
  hasSummary?: boolean;
}

/**
 * Referral moves. Closing straight from SUBMITTED is refused: the receiving
 * team must first acknowledge that it has the referral.
 */
export const REFERRAL_TRANSITIONS: readonly Transition<ReferralStatus, ReferralFacts>[] = defineTransitions<
  ReferralStatus,
  ReferralFacts
>('referral', [
  {
    name: 'submit',
    from: ['DRAFT'],
    to: 'SUBMITTED',
    guard: (f) => (f.hasSummary ? null : 'a summary must be written before the referral is submitted'),
  },
  { name: 'acknowledge', from: ['SUBMITTED'], to: 'ACKNOWLEDGED' },
  { name: 'progress', from: ['ACKNOWLEDGED'], to: 'IN_PROGRESS' },
  {
    name: 'close',
    from: ['ACKNOWLEDGED', 'IN_PROGRESS'],
    to: 'CLOSED',
    guard: (f) =>
      isOneOf(REFERRAL_OUTCOMES, f.outcome)
        ? null
        : `an outcome must be given to close the referral (${REFERRAL_OUTCOMES.join(', ')})`,
  },
  {
    name: 'closeUnacknowledged',
    from: ['SUBMITTED'],
    to: 'CLOSED',
    refused: 'the receiving team must acknowledge the referral first',
  },
]);

/** Statuses from which a referral may be transferred to another team. */
export const TRANSFERABLE_REFERRAL_STATUSES: readonly ReferralStatus[] = Object.freeze([
  'SUBMITTED',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
] satisfies ReferralStatus[]);

/** A transferred referral starts again with the new team, awaiting acknowledgement. */
export const REFERRAL_STATUS_AFTER_TRANSFER: ReferralStatus = 'SUBMITTED';

/**
 * Whether a referral may be transferred to another team: it must be with a
 * team and not closed, the new team must differ, and a reason must be given.
 * Returns the unmet condition, or `null` when the transfer may go ahead
 * (after which its status is `REFERRAL_STATUS_AFTER_TRANSFER`).
 */
export function canTransferReferral(
  referral: { status: ReferralStatus; team: Team | null },
  toTeam: Team,
  reason: string,
): string | null {
  if (!TRANSFERABLE_REFERRAL_STATUSES.includes(referral.status)) {
    return `only a submitted, acknowledged or in-progress referral can be transferred (this one is ${referral.status})`;
  }
  if (!isOneOf(TEAMS, toTeam)) return `a referral can only be transferred to ${TEAMS.join(', ')}`;
  if (referral.team === toTeam) return `the referral is already with ${toTeam}; choose a different team`;
  if (typeof reason !== 'string' || reason.trim() === '') return 'a reason for the transfer must be given';
  return null;
}
