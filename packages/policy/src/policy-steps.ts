/**
 * The seven steps of the policy (DOMAIN.md) as a checklist for one group:
 * which are done, when, and which record covered each — so the portal can
 * show a group's progress and offer the next step.
 *
 * @packageDocumentation
 */
import { escalationPrompted } from './escalation-lifecycle.js';
import type {
  ConcernCategory, ContactDirection, EscalationStatus, GroupStatus, LogoStatus, Placement, PlacementState, PolicyStep, ReferralStatus, Severity,
} from './vocabulary.js';

/** The steps, in the policy's order. */
export const POLICY_CHECKLIST_STEPS = [
  'RECORDED',
  'CONTACTED',
  'POSITION_EXPLAINED',
  'WORDING_AGREED',
  'PLACEMENTS_VERIFIED',
  'LOGO_STOPPED',
  'REFERRED_OR_ESCALATED',
] as const;
/** A step of the policy's checklist. */
export type PolicyChecklistStep = (typeof POLICY_CHECKLIST_STEPS)[number];

/** What each step is, in words. */
export const POLICY_CHECKLIST_LABELS: Readonly<Record<PolicyChecklistStep, string>> = Object.freeze({
  RECORDED: 'Group recorded',
  CONTACTED: 'Administrators contacted and their affiliation ascertained',
  POSITION_EXPLAINED: "University's position explained",
  WORDING_AGREED: 'Signposting wording agreed',
  PLACEMENTS_VERIFIED: 'Wording published and verified as a pinned message and an auto-response',
  LOGO_STOPPED: 'Use of the university logo stopped',
  REFERRED_OR_ESCALATED: 'Referred, or reported to the platform or police',
});

/** The kinds of record a step can be covered by. */
export type CoveringRecordType = 'Group' | 'ContactLogEntry' | 'WordingAgreement' | 'PlacementRecord' | 'Referral' | 'Escalation';

/** One step for one group. `applicable` is false for steps the group does not need (no logo; nothing to refer). */
export interface PolicyStepProgress {
  step: PolicyChecklistStep;
  label: string;
  applicable: boolean;
  done: boolean;
  at: Date | null;
  coveredBy: { type: CoveringRecordType; id: string } | null;
}

/** What the checklist is worked out from: the group and its records. */
export interface PolicyStepInput {
  group: { id: string; createdAt: Date; status: GroupStatus; logoStatus: LogoStatus; logoStatusChangedAt: Date | null };
  contacts: readonly { id: string; occurredAt: Date; direction: ContactDirection; steps: readonly PolicyStep[] }[];
  agreedWording: { id: string; approvedAt: Date | null } | null;
  /** The placements of the agreed wording. */
  placements: readonly { id: string; placement: Placement; state: PlacementState; verifiedAt: Date | null }[];
  referrals: readonly { id: string; status: ReferralStatus; submittedAt: Date | null }[];
  escalations: readonly { id: string; status: EscalationStatus; reportedAt: Date | null }[];
  concerns: readonly { category: ConcernCategory; severity: Severity }[];
}

/** Statuses in which a referral (or an escalation) is what the policy asks for next. */
const REFERRAL_DUE_STATUSES: readonly GroupStatus[] = ['UNRESPONSIVE', 'REFUSED', 'REFERRED', 'ESCALATED'];

const byTime = <T extends { at: Date }>(a: T, b: T) => a.at.getTime() - b.at.getTime();

/** The first contact (in time) covering a step. */
function firstCovering(input: PolicyStepInput, step: PolicyStep) {
  return [...input.contacts].filter((c) => c.steps.includes(step)).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())[0] ?? null;
}

/** The group's progress through the seven steps. */
export function policySteps(input: PolicyStepInput): PolicyStepProgress[] {
  const step = (s: PolicyChecklistStep, applicable: boolean, done: { at: Date | null; type: CoveringRecordType; id: string } | null): PolicyStepProgress => ({
    step: s,
    label: POLICY_CHECKLIST_LABELS[s],
    applicable,
    done: done !== null,
    at: done?.at ?? null,
    coveredBy: done ? { type: done.type, id: done.id } : null,
  });

  // Step 2 is done when the team has reached out and both introduced itself and ascertained the affiliation.
  const contacted = input.contacts.some((c) => c.direction === 'OUTBOUND');
  const introduced = firstCovering(input, 'INTRODUCED');
  const ascertained = firstCovering(input, 'AFFILIATION_ASCERTAINED');
  const contactStep = contacted && introduced && ascertained ? (introduced.occurredAt > ascertained.occurredAt ? introduced : ascertained) : null;
  const explained = firstCovering(input, 'POSITION_EXPLAINED');

  const verified = input.placements.filter((p) => p.state === 'VERIFIED');
  const lastVerified = verified.length === 2 ? [...verified].sort((a, b) => (a.verifiedAt?.getTime() ?? 0) - (b.verifiedAt?.getTime() ?? 0))[1]! : null;

  const logoApplicable = input.group.logoStatus !== 'NOT_USED';
  const logoDone = input.group.logoStatus === 'REMOVAL_VERIFIED';

  const outcomes = [
    ...input.referrals.filter((r) => r.status !== 'DRAFT' && r.submittedAt).map((r) => ({ at: r.submittedAt!, type: 'Referral' as const, id: r.id })),
    ...input.escalations.filter((e) => (e.status === 'REPORTED' || e.status === 'CLOSED') && e.reportedAt).map((e) => ({ at: e.reportedAt!, type: 'Escalation' as const, id: e.id })),
  ].sort(byTime);
  const referralApplicable =
    REFERRAL_DUE_STATUSES.includes(input.group.status) || outcomes.length > 0 || input.concerns.some((c) => escalationPrompted(c));

  return [
    step('RECORDED', true, { at: input.group.createdAt, type: 'Group', id: input.group.id }),
    step('CONTACTED', true, contactStep ? { at: contactStep.occurredAt, type: 'ContactLogEntry', id: contactStep.id } : null),
    step('POSITION_EXPLAINED', true, explained ? { at: explained.occurredAt, type: 'ContactLogEntry', id: explained.id } : null),
    step('WORDING_AGREED', true, input.agreedWording ? { at: input.agreedWording.approvedAt, type: 'WordingAgreement', id: input.agreedWording.id } : null),
    step('PLACEMENTS_VERIFIED', true, lastVerified ? { at: lastVerified.verifiedAt, type: 'PlacementRecord', id: lastVerified.id } : null),
    step('LOGO_STOPPED', logoApplicable, logoApplicable && logoDone ? { at: input.group.logoStatusChangedAt, type: 'Group', id: input.group.id } : null),
    step('REFERRED_OR_ESCALATED', referralApplicable, outcomes[0] ?? null),
  ];
}
