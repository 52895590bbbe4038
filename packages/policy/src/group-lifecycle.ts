/**
 * The lifecycle of a group (DOMAIN.md, "Group lifecycle"). Each move is
 * guarded by facts the API gathers from the group's records (contact log,
 * wording, placements, logo, referrals, escalations), so a refused move can
 * name exactly what is missing.
 *
 * @packageDocumentation
 */
import { logoInUse } from './logo-lifecycle.js';
import {
  checkManualMove, defineTransitions, listStates, quoted, settle, type ManualMoveCheck, type Move, type Transition,
} from './state-machine.js';
import {
  GROUP_STATUSES,
  PLACEMENTS,
  type ContactDirection,
  type ContactOutcome,
  type GroupStatus,
  type LogoStatus,
  type Placement,
  type PlacementState,
  type ReferralReason,
  type RiskLevel,
} from './vocabulary.js';
import { CONTACT_OUTCOME_LABELS, GROUP_STATUS_LABELS, LOGO_STATUS_LABELS, PLACEMENT_LABELS, PLACEMENT_STATE_LABELS, REFERRAL_REASON_LABELS } from './labels.js';

/** "the pinned message", "the auto-response": a placement as a sentence names it. */
const placementWords = (p: Placement): string => PLACEMENT_LABELS[p].toLowerCase();
/** "content of concern": a referral's reason as a sentence names it. */
const reasonWords = (r: ReferralReason): string => REFERRAL_REASON_LABELS[r].toLowerCase();

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

/**
 * What happens to a group that can move it along its lifecycle by itself.
 * Services raise these; `settleGroup` decides the moves.
 */
export const GROUP_EVENTS = [
  'OUTBOUND_CONTACT',
  'INBOUND_RESPONSE',
  'REFUSAL',
  'WORDING_AGREED',
  'PLACEMENT_CHANGED',
  'LOGO_CHANGED',
  'REFERRAL_SUBMITTED',
  'ESCALATION_REPORTED',
] as const;
/** An event that can move a group by itself. */
export type GroupEvent = (typeof GROUP_EVENTS)[number];

/** Contact outcomes that are a refusal, opening the way to a referral. */
export const REFUSAL_OUTCOMES: readonly ContactOutcome[] = Object.freeze(['REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY'] satisfies ContactOutcome[]);

/** The events a logged contact raises: outbound contact, a response from the administrators, a refusal. */
export function eventsOfContact(contact: { direction: ContactDirection; outcome: ContactOutcome }): GroupEvent[] {
  const events: GroupEvent[] = [];
  if (contact.direction === 'OUTBOUND') events.push('OUTBOUND_CONTACT');
  if (contact.direction === 'INBOUND' && (contact.outcome === 'RESPONDED' || contact.outcome === 'ENGAGED')) events.push('INBOUND_RESPONSE');
  if (REFUSAL_OUTCOMES.includes(contact.outcome)) events.push('REFUSAL');
  return events;
}

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
  /** The reasons of the group's submitted referrals (empty when none was submitted). */
  submittedReferralReasons: readonly ReferralReason[];
  reportedEscalation: boolean;
  /** For reopening: the status the group had when it was closed. */
  statusBeforeClose?: GroupStatus | null;
  config?: PolicyConfig;
}

function placementState(f: GroupFacts, p: Placement): PlacementState {
  return f.placements?.[p] ?? 'NOT_PUBLISHED';
}

const met = (ok: boolean, unmet: string): string[] => (ok ? [] : [unmet]);

function contactGuard(f: GroupFacts): string[] {
  return met(f.outboundContacts >= 1, 'an outbound contact with the administrators must be logged first');
}

function respondedGuard(f: GroupFacts): string[] {
  return met(f.inboundContacts >= 1, 'the administrators must have responded: log an inbound contact from them first');
}

const NEED_AGREED_WORDING = 'wording must be agreed with the administrators (approved by a lead) first';

function removedPlacements(f: GroupFacts): Placement[] {
  return PLACEMENTS.filter((p) => placementState(f, p) === 'REMOVED');
}

function agreedWordingGuard(f: GroupFacts): string[] {
  if (!f.agreedWording) return [NEED_AGREED_WORDING];
  return removedPlacements(f).map((p) => `the ${placementWords(p)} was removed: it must be published again first`);
}

/** What stands between a group with agreed wording and compliance, one condition each. */
export function complianceUnmet(f: Pick<GroupFacts, 'placements' | 'logoStatus'>): string[] {
  const unmet: string[] = [];
  for (const p of PLACEMENTS) {
    const state = f.placements?.[p] ?? 'NOT_PUBLISHED';
    if (state !== 'VERIFIED') unmet.push(`the ${placementWords(p)} must be verified (it is ${PLACEMENT_STATE_LABELS[state].toLowerCase()})`);
  }
  if (logoInUse(f.logoStatus)) unmet.push(`the university logo must no longer be in use (its status is ${quoted(LOGO_STATUS_LABELS[f.logoStatus])})`);
  return unmet;
}

function placementRemovedGuard(f: GroupFacts): string[] {
  return met(removedPlacements(f).length > 0, `a review must have found a placement (${listStates(PLACEMENTS.map(placementWords))}) removed`);
}

/**
 * A compliant group stops being compliant without anything being removed when
 * the logo is seen in use again or new wording is agreed (its placements start
 * unpublished): it goes back to WORDING_AGREED until both are put right.
 */
function complianceLapsedGuard(f: GroupFacts): string[] {
  if (!f.agreedWording) return [NEED_AGREED_WORDING];
  if (removedPlacements(f).length > 0) return [`a placement was removed, so the group goes back to ${quoted(GROUP_STATUS_LABELS.ENGAGED)} instead`];
  return met(complianceUnmet(f).length > 0, 'the group is still compliant: both placements are verified and the logo is not in use');
}

function unresponsiveGuard(f: GroupFacts): string[] {
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
  if (f.inboundSinceLastOutbound ?? false) unmet.push('the administrators have responded since the last outbound contact');
  return unmet;
}

function refusedGuard(f: GroupFacts): string[] {
  return met(f.refusalRecorded, `a contact with the outcome ${quoted(CONTACT_OUTCOME_LABELS.REFUSED_TO_ENGAGE)} or ${quoted(CONTACT_OUTCOME_LABELS.REFUSED_ACCOUNTABILITY)} must be logged first`);
}

function referredGuard(f: GroupFacts): string[] {
  return met(f.submittedReferralReasons.length > 0, 'a referral must be submitted first');
}

function referredForConcernGuard(f: GroupFacts): string[] {
  if (f.submittedReferralReasons.length === 0) {
    return [`a referral for ${reasonWords('CONTENT_OF_CONCERN')} must be submitted first (before the group is unresponsive or refused, only content of concern is referred)`];
  }
  return met(
    f.submittedReferralReasons.includes('CONTENT_OF_CONCERN'),
    `only a referral for ${reasonWords('CONTENT_OF_CONCERN')} moves this group to ${quoted(GROUP_STATUS_LABELS.REFERRED)} (its referrals are for ${listStates([...new Set(f.submittedReferralReasons)].map(reasonWords), 'and')}); a refusal must be recorded first`,
  );
}

function escalatedGuard(f: GroupFacts): string[] {
  return met(f.reportedEscalation, 'an escalation must be approved by a lead and recorded as reported first');
}

function reopenGuard(to: GroupStatus): (f: GroupFacts) => string[] {
  return (f) => {
    const before = f.statusBeforeClose ?? null;
    if (before === null || before === 'CLOSED') {
      return ['the status the group had before it was closed is not recorded, so it cannot be reopened'];
    }
    return met(before === to, `a reopened group returns to the status it had before it was closed (${quoted(GROUP_STATUS_LABELS[before])}), not ${quoted(GROUP_STATUS_LABELS[to])}`);
  };
}

/** Every status but CLOSED: those a group can be closed from or reopened to. */
const OPEN_STATUSES: readonly GroupStatus[] = GROUP_STATUSES.filter((s) => s !== 'CLOSED');

/**
 * The group lifecycle as a guarded transition table (see DOMAIN.md). Every
 * move either happens by itself on an event (`on`) or is only ever made by a
 * person (`manual`): close, reopen, mark unresponsive.
 */
export const GROUP_TRANSITIONS: readonly Transition<GroupStatus, GroupFacts, GroupEvent>[] = defineTransitions<
  GroupStatus,
  GroupFacts,
  GroupEvent
>('group', [
  {
    name: 'startContact', from: ['DISCOVERED'], to: 'CONTACTING', guard: contactGuard,
    on: ['OUTBOUND_CONTACT'], trigger: 'when the first outbound contact is logged',
  },
  {
    name: 'engage', from: ['CONTACTING', 'UNRESPONSIVE', 'REFUSED'], to: 'ENGAGED', guard: respondedGuard,
    on: ['INBOUND_RESPONSE'], trigger: 'when the administrators respond (an inbound contact is logged)',
  },
  {
    name: 'agreeWording', from: ['ENGAGED'], to: 'WORDING_AGREED', guard: agreedWordingGuard,
    on: ['WORDING_AGREED', 'PLACEMENT_CHANGED'], trigger: 'when a lead approves the wording (or a removed placement is published again)',
  },
  {
    name: 'comply', from: ['WORDING_AGREED'], to: 'COMPLIANT', guard: (f) => complianceUnmet(f),
    on: ['PLACEMENT_CHANGED', 'LOGO_CHANGED'], trigger: 'when both placements are verified and the logo is not in use',
  },
  {
    name: 'placementRemoved', from: ['WORDING_AGREED', 'COMPLIANT'], to: 'ENGAGED', guard: placementRemovedGuard,
    on: ['PLACEMENT_CHANGED'], trigger: 'when a placement is found removed',
  },
  {
    name: 'complianceLapsed', from: ['COMPLIANT'], to: 'WORDING_AGREED', guard: complianceLapsedGuard,
    on: ['WORDING_AGREED', 'LOGO_CHANGED'], trigger: 'when new wording is agreed or the logo is seen in use again',
  },
  {
    name: 'markUnresponsive', from: ['CONTACTING', 'ENGAGED'], to: 'UNRESPONSIVE', guard: unresponsiveGuard,
    manual: { permission: 'group.update', mutation: 'markGroupUnresponsive' },
  },
  {
    name: 'markRefused', from: ['CONTACTING', 'ENGAGED'], to: 'REFUSED', guard: refusedGuard,
    on: ['REFUSAL'], trigger: 'when a contact records that the administrators refused to engage or to take accountability',
  },
  {
    name: 'refer', from: ['UNRESPONSIVE', 'REFUSED'], to: 'REFERRED', guard: referredGuard,
    on: ['REFERRAL_SUBMITTED'], trigger: 'when a lead submits a referral',
  },
  {
    name: 'referForConcern', from: ['CONTACTING', 'ENGAGED', 'WORDING_AGREED', 'COMPLIANT'], to: 'REFERRED', guard: referredForConcernGuard,
    on: ['REFERRAL_SUBMITTED'], trigger: 'when a lead submits a referral for content of concern',
  },
  {
    name: 'escalate', from: GROUP_STATUSES.filter((s) => s !== 'CLOSED' && s !== 'ESCALATED'), to: 'ESCALATED', guard: escalatedGuard,
    on: ['ESCALATION_REPORTED'], trigger: 'when an approved escalation is recorded as reported',
  },
  { name: 'close', from: OPEN_STATUSES, to: 'CLOSED', manual: { permission: 'group.close', mutation: 'closeGroup' } },
  ...OPEN_STATUSES.map((to): Transition<GroupStatus, GroupFacts, GroupEvent> => ({
    name: 'reopen',
    from: ['CLOSED'],
    to,
    guard: reopenGuard(to),
    manual: { permission: 'group.reopen', mutation: 'reopenGroup' },
  })),
], GROUP_STATUS_LABELS);

/** Where a group settles after events: the automatic moves the policy makes, in order. */
export function settleGroup(status: GroupStatus, facts: GroupFacts, events: readonly GroupEvent[]): Move<GroupStatus>[] {
  return settle(GROUP_TRANSITIONS, status, facts, events);
}

/** The names of the moves a person makes on a group. */
export const GROUP_MANUAL_TRANSITIONS = ['close', 'reopen', 'markUnresponsive'] as const;
/** A move a person makes on a group. */
export type GroupManualTransition = (typeof GROUP_MANUAL_TRANSITIONS)[number];

/** A person's move of a group by name: where it goes, or every unmet condition. */
export function checkGroupMove(status: GroupStatus, name: GroupManualTransition, facts: GroupFacts): ManualMoveCheck<GroupStatus> {
  return checkManualMove(GROUP_TRANSITIONS, status, name, facts);
}

/**
 * Whether a group may be marked unresponsive now: its status allows it and
 * the configured attempts and days are met with no reply since.
 */
export function unresponsiveEligible(status: GroupStatus, facts: GroupFacts): boolean {
  return checkGroupMove(status, 'markUnresponsive', facts).ok;
}

/** The statuses from which a group may be marked unresponsive (for SQL filters that mirror `unresponsiveEligible`). */
export const UNRESPONSIVE_FROM: readonly GroupStatus[] = Object.freeze(
  [...new Set(GROUP_TRANSITIONS.filter((t) => t.name === 'markUnresponsive').flatMap((t) => t.from))],
);

/** Group statuses in which a refusal referral may be submitted. */
const REFUSAL_REFERRAL_STATUSES: readonly GroupStatus[] = ['UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'];

/** The refusal for any change to a closed group's work, wherever it applies. */
export const GROUP_CLOSED_UNMET = 'the group is closed; reopen it first';

/**
 * What stops a referral with this reason being submitted for a group in this
 * status (empty when nothing does). A refusal needs the group to be
 * unresponsive or refused (or already referred or escalated); content of
 * concern may be referred at any time except when the group is closed.
 */
export function referralSubmissionUnmet(groupStatus: GroupStatus, reason: ReferralReason): string[] {
  if (groupStatus === 'CLOSED') return ['a referral cannot be submitted for a closed group; reopen it first'];
  if (reason === 'CONTENT_OF_CONCERN') return [];
  if (REFUSAL_REFERRAL_STATUSES.includes(groupStatus)) return [];
  return [`a referral for ${reasonWords(reason)} needs the group to be ${listStates(REFUSAL_REFERRAL_STATUSES.map((s) => quoted(GROUP_STATUS_LABELS[s])))} (it is ${quoted(GROUP_STATUS_LABELS[groupStatus])}); mark it unresponsive or refused first`];
}
