/**
 * A referral's life with the receiving team (DOMAIN.md step 6): drafted by the
 * social media team, submitted (routed) by the lead, then acknowledged,
 * progressed and closed with an outcome by the team it was routed to. The
 * actions on a referral — who may take each, and in which statuses — are
 * defined here once: the API enforces them and reports them to clients.
 *
 * @packageDocumentation
 */
import { availability, type ActionAvailability } from './actions.js';
import { referralSubmissionUnmet } from './group-lifecycle.js';
import { permissionRefusal, type Permission } from './permissions.js';
import { actsForTeam, allows, type Access } from './principal.js';
import { checkTransition, defineTransitions, listStates, type Transition } from './state-machine.js';
import { isOneOf, TEAMS, type GroupStatus, type ReferralReason, type ReferralStatus, type Team } from './vocabulary.js';
import { REFERRAL_STATUS_LABELS } from './labels.js';

/** What a referral move is judged on. */
export interface ReferralFacts {
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
    guard: (f) => (f.hasSummary ? [] : ['a summary must be written before the referral is submitted']),
    manual: { permission: 'referral.submit', mutation: 'submitReferral' },
  },
  { name: 'acknowledge', from: ['SUBMITTED'], to: 'ACKNOWLEDGED', manual: { permission: 'referral.acknowledge', mutation: 'acknowledgeReferral' } },
  { name: 'progress', from: ['ACKNOWLEDGED'], to: 'IN_PROGRESS', manual: { permission: 'referral.progress', mutation: 'updateReferralStatus' } },
  { name: 'close', from: ['ACKNOWLEDGED', 'IN_PROGRESS'], to: 'CLOSED', manual: { permission: 'referral.close', mutation: 'closeReferral' } },
  {
    name: 'closeUnacknowledged',
    from: ['SUBMITTED'],
    to: 'CLOSED',
    refused: 'the receiving team must acknowledge the referral first',
  },
], REFERRAL_STATUS_LABELS);

/** Statuses from which a referral may be transferred to another team. */
export const TRANSFERABLE_REFERRAL_STATUSES: readonly ReferralStatus[] = Object.freeze([
  'SUBMITTED',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
] satisfies ReferralStatus[]);

/** Statuses in which the receiving team may add notes: while it works on the referral, not once it is closed. */
export const NOTEABLE_REFERRAL_STATUSES: readonly ReferralStatus[] = Object.freeze([
  'SUBMITTED',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
] satisfies ReferralStatus[]);

/** Statuses in which the receiving team has yet to acknowledge the referral (its deadline runs). */
export const REFERRAL_STATUSES_AWAITING_ACKNOWLEDGEMENT: readonly ReferralStatus[] = Object.freeze(['SUBMITTED'] satisfies ReferralStatus[]);

/** Statuses in which the social media team may still edit a referral: drafts only; a submitted referral is the team's evidence. */
export const EDITABLE_REFERRAL_STATUSES: readonly ReferralStatus[] = Object.freeze(['DRAFT'] satisfies ReferralStatus[]);

/** A transferred referral starts again with the new team, awaiting acknowledgement. */
export const REFERRAL_STATUS_AFTER_TRANSFER: ReferralStatus = 'SUBMITTED';

/** The actions on a referral, in the order a client would offer them. */
export const REFERRAL_ACTIONS = ['updateDraft', 'submit', 'acknowledge', 'startProgress', 'addNote', 'transfer', 'close'] as const;
/** An action on a referral. */
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

interface ReferralActionSpec {
  permission: Permission;
  mutation: string;
  /** Receiving-team actions need the referral's team role as well as the permission. */
  teamAction: boolean;
  /** The lifecycle move it makes, or the statuses it is possible in when it makes none. */
  transition?: string;
  statuses?: readonly ReferralStatus[];
  /** Words for "only the HR team can …". */
  verb: string;
}

const REFERRAL_ACTION_SPECS: Readonly<Record<ReferralAction, ReferralActionSpec>> = Object.freeze({
  updateDraft: { permission: 'referral.draft', mutation: 'updateReferralDraft', teamAction: false, statuses: EDITABLE_REFERRAL_STATUSES, verb: 'edit' },
  submit: { permission: 'referral.submit', mutation: 'submitReferral', teamAction: false, transition: 'submit', verb: 'submit' },
  acknowledge: { permission: 'referral.acknowledge', mutation: 'acknowledgeReferral', teamAction: true, transition: 'acknowledge', verb: 'acknowledge' },
  startProgress: { permission: 'referral.progress', mutation: 'updateReferralStatus', teamAction: true, transition: 'progress', verb: 'progress' },
  addNote: { permission: 'referral.note', mutation: 'addReferralNote', teamAction: true, statuses: NOTEABLE_REFERRAL_STATUSES, verb: 'add notes to' },
  transfer: { permission: 'referral.transfer', mutation: 'transferReferral', teamAction: true, statuses: TRANSFERABLE_REFERRAL_STATUSES, verb: 'transfer' },
  close: { permission: 'referral.close', mutation: 'closeReferral', teamAction: true, transition: 'close', verb: 'close' },
});

/** The permission an action on a referral needs. */
export function referralActionPermission(action: ReferralAction): Permission {
  return REFERRAL_ACTION_SPECS[action].permission;
}

/** The referral as the actions are judged on it. */
export interface ReferralForActions {
  status: ReferralStatus;
  team: Team | null;
  reason: ReferralReason;
  summary?: string | null;
}

/** What else an action may depend on: the group's status, for submitting. */
export interface ReferralActionContext {
  groupStatus?: GroupStatus | null;
}

const STATUS_WORDS: Readonly<Record<ReferralStatus, string>> = Object.freeze({
  DRAFT: 'a draft',
  SUBMITTED: 'submitted',
  ACKNOWLEDGED: 'acknowledged',
  IN_PROGRESS: 'in progress',
  CLOSED: 'closed',
});

/** Whether this caller may take this action on this referral now, and every reason why not. */
export function checkReferralAction(
  access: Access,
  action: ReferralAction,
  referral: ReferralForActions,
  context: ReferralActionContext = {},
): ActionAvailability<ReferralAction, ReferralStatus> {
  const spec = REFERRAL_ACTION_SPECS[action];
  const role: string[] = [];
  if (!allows(access, spec.permission)) role.push(permissionRefusal(spec.permission));
  else if (spec.teamAction && !actsForTeam(access, referral.team)) {
    role.push(referral.team ? `only the ${referral.team} team can ${spec.verb} this referral` : `only the receiving team can ${spec.verb} this referral, once it is submitted`);
  }
  const lifecycle: string[] = [];
  let to: ReferralStatus | null = null;
  if (spec.transition) {
    const move = REFERRAL_TRANSITIONS.find((t) => t.name === spec.transition)!;
    to = move.to;
    const check = checkTransition(REFERRAL_TRANSITIONS, referral.status, move.to, { hasSummary: Boolean(referral.summary?.trim()) });
    if (!check.ok) lifecycle.push(...check.unmet);
    if (action === 'submit' && check.ok && context.groupStatus) lifecycle.push(...referralSubmissionUnmet(context.groupStatus, referral.reason));
  } else if (spec.statuses && !spec.statuses.includes(referral.status)) {
    lifecycle.push(`a referral that is ${STATUS_WORDS[referral.status]} cannot be changed this way: only one that is ${listStates(spec.statuses.map((s) => STATUS_WORDS[s]))}`);
  }
  return availability(action, to, spec.mutation, role, lifecycle);
}

/** Every action on a referral for this caller, allowed or not, with the reasons. */
export function referralActions(access: Access, referral: ReferralForActions, context: ReferralActionContext = {}): ActionAvailability<ReferralAction, ReferralStatus>[] {
  return REFERRAL_ACTIONS.map((action) => checkReferralAction(access, action, referral, context));
}

/**
 * What stops a transfer to this team with this reason, beyond the action
 * itself (see `checkReferralAction(…, 'transfer', …)`): the new team must
 * differ and a reason must be given. Empty when nothing does; after a
 * transfer the status is `REFERRAL_STATUS_AFTER_TRANSFER`.
 */
export function transferUnmet(referral: { team: Team | null }, toTeam: Team, reason: string): string[] {
  const unmet: string[] = [];
  if (!isOneOf(TEAMS, toTeam)) unmet.push(`a referral can only be transferred to ${TEAMS.join(', ')}`);
  else if (referral.team === toTeam) unmet.push(`the referral is already with ${toTeam}; choose a different team`);
  if (typeof reason !== 'string' || reason.trim() === '') unmet.push('a reason for the transfer must be given');
  return unmet;
}
