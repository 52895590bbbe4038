/**
 * The lifecycle of a group (DOMAIN.md, "Group lifecycle"). Each move is
 * guarded by facts the API gathers from the group's records (contact log,
 * wording, placements, logo, referrals, escalations), so a refused move can
 * name exactly what is missing.
 *
 * @packageDocumentation
 */
import { logoInUse } from './logo-lifecycle.js';
import { defineTransitions, listStates, type Transition } from './state-machine.js';
import {
  GROUP_STATUSES,
  PLACEMENTS,
  type GroupStatus,
  type LogoStatus,
  type Placement,
  type PlacementState,
  type ReferralReason,
  type RiskLevel,
} from './vocabulary.js';

/** Settings of the policy that a university may tune. */
export interface PolicyConfig {
  /** Outbound contacts without reply before a group may be marked unresponsive. */
  unresponsiveAfterAttempts: number;
  /** Days since the first outbound contact before a group may be marked unresponsive. */
  unresponsiveAfterDays: number;
  /** Days between reviews, by risk level. */
  reviewIntervalDays: Record<RiskLevel, number>;
  /** Days personal data is kept after a group or referral is closed. */
  retentionDays: number;
  /** Working days a receiving team has to acknowledge a referral routed to it. */
  acknowledgementWorkingDays: number;
  /** Bank holidays: dates (ISO `YYYY-MM-DD`) that do not count as working days. */
  bankHolidays: string[];
}

/** The defaults named in DOMAIN.md. */
export const DEFAULT_POLICY_CONFIG: PolicyConfig = Object.freeze({
  unresponsiveAfterAttempts: 3,
  unresponsiveAfterDays: 14,
  reviewIntervalDays: Object.freeze({ CRITICAL: 7, HIGH: 14, MEDIUM: 30, LOW: 90 }),
  retentionDays: 730,
  acknowledgementWorkingDays: 5,
  // Frozen like the rest, so no caller can add a holiday for everyone by accident.
  bankHolidays: Object.freeze([] as string[]) as string[],
}) as PolicyConfig;

/** What the API knows about a group when it checks a move. */
export interface GroupFacts {
  outboundContacts: number;
  inboundContacts: number;
  /** `null` when the administrators were never contacted. */
  daysSinceFirstOutbound: number | null;
  /** Whether the administrators replied after the latest outbound contact (default false). */
  inboundSinceLastOutbound?: boolean;
  /** A contact outcome REFUSED_TO_ENGAGE or REFUSED_ACCOUNTABILITY was logged. */
  refusalRecorded: boolean;
  agreedWording: boolean;
  placements: Record<Placement, PlacementState>;
  logoStatus: LogoStatus;
  submittedReferral: boolean;
  referralReason?: ReferralReason | null;
  reportedEscalation: boolean;
  /** For CLOSED. */
  closeReason?: string | null;
  /** For reopening: the status the group had when it was closed. */
  statusBeforeClose?: GroupStatus | null;
  config?: PolicyConfig;
}

function placementState(f: GroupFacts, p: Placement): PlacementState {
  return f.placements?.[p] ?? 'NOT_PUBLISHED';
}

function contactGuard(f: GroupFacts): string | null {
  return f.outboundContacts >= 1 ? null : 'an outbound contact with the administrators must be logged first';
}

function respondedGuard(f: GroupFacts): string | null {
  return f.inboundContacts >= 1
    ? null
    : 'the administrators must have responded: log an inbound contact from them first';
}

function agreedWordingGuard(f: GroupFacts): string | null {
  return f.agreedWording ? null : 'wording must be agreed with the administrators (approved by a lead) first';
}

function compliantGuard(f: GroupFacts): string | null {
  const unmet: string[] = [];
  for (const p of PLACEMENTS) {
    const state = placementState(f, p);
    if (state !== 'VERIFIED') unmet.push(`the ${p} placement must be VERIFIED (it is ${state})`);
  }
  if (logoInUse(f.logoStatus)) {
    unmet.push(`the university logo must no longer be in use (logo status is ${f.logoStatus})`);
  }
  return unmet.length === 0 ? null : `the group is not yet compliant: ${unmet.join('; ')}`;
}

function placementRemovedGuard(f: GroupFacts): string | null {
  return PLACEMENTS.some((p) => placementState(f, p) === 'REMOVED')
    ? null
    : `a review must have found a placement (${PLACEMENTS.join(' or ')}) REMOVED`;
}

/**
 * A compliant group stops being compliant without anything being removed when
 * the logo is seen in use again or new wording is agreed (its placements start
 * unpublished): it goes back to WORDING_AGREED until both are put right.
 */
function complianceLapsedGuard(f: GroupFacts): string | null {
  if (!f.agreedWording) return 'wording must be agreed with the administrators (approved by a lead) first';
  if (PLACEMENTS.some((p) => placementState(f, p) === 'REMOVED')) {
    return 'a placement was REMOVED, so the group goes back to ENGAGED instead';
  }
  return compliantGuard(f) === null ? 'the group is still compliant: both placements are VERIFIED and the logo is not in use' : null;
}

function unresponsiveGuard(f: GroupFacts): string | null {
  const c = f.config ?? DEFAULT_POLICY_CONFIG;
  const unmet: string[] = [];
  if (f.outboundContacts < c.unresponsiveAfterAttempts) {
    unmet.push(`${f.outboundContacts} of ${c.unresponsiveAfterAttempts} outbound contact attempts made`);
  }
  if (f.daysSinceFirstOutbound === null) {
    unmet.push('the administrators have never been contacted');
  } else if (f.daysSinceFirstOutbound < c.unresponsiveAfterDays) {
    unmet.push(`${f.daysSinceFirstOutbound} of ${c.unresponsiveAfterDays} days since the first outbound contact`);
  }
  if (f.inboundSinceLastOutbound ?? false) {
    unmet.push('the administrators have responded since the last outbound contact');
  }
  return unmet.length === 0 ? null : `the group is not yet unresponsive: ${unmet.join('; ')}`;
}

function refusedGuard(f: GroupFacts): string | null {
  return f.refusalRecorded
    ? null
    : 'a contact with the outcome REFUSED_TO_ENGAGE or REFUSED_ACCOUNTABILITY must be logged first';
}

function referredGuard(f: GroupFacts): string | null {
  return f.submittedReferral ? null : 'a referral must be submitted first';
}

function referredForConcernGuard(f: GroupFacts): string | null {
  if (!f.submittedReferral) {
    return 'a referral for CONTENT_OF_CONCERN must be submitted first (before the group is unresponsive or refused, only content of concern is referred)';
  }
  if (f.referralReason !== 'CONTENT_OF_CONCERN') {
    return `only a referral for CONTENT_OF_CONCERN moves this group to REFERRED (the referral is for ${f.referralReason ?? 'an unknown reason'}); a refusal must be recorded first`;
  }
  return null;
}

function escalatedGuard(f: GroupFacts): string | null {
  return f.reportedEscalation ? null : 'an escalation must be approved by a lead and recorded as reported first';
}

function closeGuard(f: GroupFacts): string | null {
  return f.closeReason?.trim() ? null : 'a reason for closing the group must be given';
}

function reopenGuard(to: GroupStatus): (f: GroupFacts) => string | null {
  return (f) => {
    const before = f.statusBeforeClose ?? null;
    if (before === null || before === 'CLOSED') {
      return 'the status the group had before it was closed is not recorded, so it cannot be reopened';
    }
    return before === to
      ? null
      : `a reopened group returns to the status it had before it was closed (${before}), not ${to}`;
  };
}

/** Every status but CLOSED: those a group can be closed from or reopened to. */
const OPEN_STATUSES: readonly GroupStatus[] = GROUP_STATUSES.filter((s) => s !== 'CLOSED');

/** The group lifecycle as a guarded transition table (see DOMAIN.md). */
export const GROUP_TRANSITIONS: readonly Transition<GroupStatus, GroupFacts>[] = defineTransitions<
  GroupStatus,
  GroupFacts
>('group', [
  { name: 'startContact', from: ['DISCOVERED'], to: 'CONTACTING', guard: contactGuard },
  { name: 'engage', from: ['CONTACTING', 'UNRESPONSIVE', 'REFUSED'], to: 'ENGAGED', guard: respondedGuard },
  { name: 'agreeWording', from: ['ENGAGED'], to: 'WORDING_AGREED', guard: agreedWordingGuard },
  { name: 'comply', from: ['WORDING_AGREED'], to: 'COMPLIANT', guard: compliantGuard },
  { name: 'placementRemoved', from: ['WORDING_AGREED', 'COMPLIANT'], to: 'ENGAGED', guard: placementRemovedGuard },
  { name: 'complianceLapsed', from: ['COMPLIANT'], to: 'WORDING_AGREED', guard: complianceLapsedGuard },
  { name: 'markUnresponsive', from: ['CONTACTING', 'ENGAGED'], to: 'UNRESPONSIVE', guard: unresponsiveGuard },
  { name: 'markRefused', from: ['CONTACTING', 'ENGAGED'], to: 'REFUSED', guard: refusedGuard },
  { name: 'refer', from: ['UNRESPONSIVE', 'REFUSED'], to: 'REFERRED', guard: referredGuard },
  {
    name: 'referForConcern',
    from: ['CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'],
    to: 'REFERRED',
    guard: referredForConcernGuard,
  },
  {
    name: 'escalate',
    from: GROUP_STATUSES.filter((s) => s !== 'CLOSED' && s !== 'ESCALATED'),
    to: 'ESCALATED',
    guard: escalatedGuard,
  },
  { name: 'close', from: OPEN_STATUSES, to: 'CLOSED', guard: closeGuard },
  ...OPEN_STATUSES.map((to): Transition<GroupStatus, GroupFacts> => ({
    name: 'reopen',
    from: ['CLOSED'],
    to,
    guard: reopenGuard(to),
  })),
]);

/** Group statuses in which a refusal referral may be submitted. */
const REFUSAL_REFERRAL_STATUSES: readonly GroupStatus[] = ['UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'];

/**
 * Whether a referral with this reason may be submitted for a group in this
 * status. A refusal needs the group to be unresponsive or refused (or already
 * referred or escalated); content of concern may be referred at any time
 * except when the group is closed. Returns the unmet condition or `null`.
 */
export function canSubmitReferral(groupStatus: GroupStatus, reason: ReferralReason): string | null {
  if (groupStatus === 'CLOSED') return 'a referral cannot be submitted for a CLOSED group; reopen it first';
  if (reason === 'CONTENT_OF_CONCERN') return null;
  if (REFUSAL_REFERRAL_STATUSES.includes(groupStatus)) return null;
  return `a referral for ${reason} needs the group to be ${listStates(REFUSAL_REFERRAL_STATUSES)} (it is ${groupStatus}); mark it UNRESPONSIVE or REFUSED first`;
}
