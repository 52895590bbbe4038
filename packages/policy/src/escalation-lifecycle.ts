/**
 * Escalations (DOMAIN.md step 7): a report to the platform or the police.
 * They need a lead's approval before they are made, and a critical wellbeing
 * concern prompts one.
 *
 * @packageDocumentation
 */
import { availability, type ActionAvailability } from './actions.js';
import { permissionRefusal, type Permission } from './permissions.js';
import { allows, type Access } from './principal.js';
import { checkTransition, defineTransitions, type Transition } from './state-machine.js';
import type { ConcernCategory, EscalationStatus, Severity } from './vocabulary.js';
import { ESCALATION_STATUS_LABELS } from './labels.js';

/** What an escalation move is judged on. */
export interface EscalationFacts {
  /**
   * Whether a lead is approving the escalation in the same step. Lets a lead
   * approve and record the report at once (DRAFT → REPORTED); for anyone else
   * that move is refused.
   */
  approved?: boolean;
}

const NEEDS_APPROVAL = 'a lead must approve the escalation before it is reported';

/** Escalation moves: drafted, approved by a lead, reported, then closed with the outcome. */
export const ESCALATION_TRANSITIONS: readonly Transition<EscalationStatus, EscalationFacts>[] = defineTransitions<
  EscalationStatus,
  EscalationFacts
>('escalation', [
  { name: 'approve', from: ['DRAFT'], to: 'APPROVED', manual: { permission: 'escalation.approve', mutation: 'approveEscalation' } },
  { name: 'report', from: ['APPROVED'], to: 'REPORTED', manual: { permission: 'escalation.record', mutation: 'reportEscalation' } },
  {
    name: 'approveAndReport',
    from: ['DRAFT'],
    to: 'REPORTED',
    guard: (f) => (f.approved === true ? [] : [NEEDS_APPROVAL]),
    manual: { permission: 'escalation.record', mutation: 'reportEscalation' },
  },
  { name: 'close', from: ['REPORTED'], to: 'CLOSED', manual: { permission: 'escalation.record', mutation: 'closeEscalation' } },
], ESCALATION_STATUS_LABELS);

/** The actions on an escalation. */
export const ESCALATION_ACTIONS = ['approve', 'report', 'close'] as const;
/** An action on an escalation. */
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

const ESCALATION_ACTION_SPECS: Readonly<Record<EscalationAction, { permission: Permission; mutation: string; to: EscalationStatus }>> = Object.freeze({
  approve: { permission: 'escalation.approve', mutation: 'approveEscalation', to: 'APPROVED' },
  report: { permission: 'escalation.record', mutation: 'reportEscalation', to: 'REPORTED' },
  close: { permission: 'escalation.record', mutation: 'closeEscalation', to: 'CLOSED' },
});

/** The permission an action on an escalation needs. */
export function escalationActionPermission(action: EscalationAction): Permission {
  return ESCALATION_ACTION_SPECS[action].permission;
}

/**
 * Whether this caller may take this action on an escalation in this status,
 * and every reason why not. Reporting a draft approves it in the same step,
 * which only a lead may do.
 */
export function checkEscalationAction(
  access: Access,
  action: EscalationAction,
  escalation: { status: EscalationStatus },
): ActionAvailability<EscalationAction, EscalationStatus> & { transition: string | null } {
  const spec = ESCALATION_ACTION_SPECS[action];
  const role = allows(access, spec.permission) ? [] : [permissionRefusal(spec.permission)];
  const check = checkTransition(ESCALATION_TRANSITIONS, escalation.status, spec.to, { approved: allows(access, 'escalation.approve') });
  return { ...availability(action, spec.to, spec.mutation, role, check.ok ? [] : check.unmet), transition: check.ok ? check.transition : null };
}

/** Every action on an escalation for this caller, with the reasons. */
export function escalationActions(access: Access, escalation: { status: EscalationStatus }): ActionAvailability<EscalationAction, EscalationStatus>[] {
  return ESCALATION_ACTIONS.map((action) => {
    const { transition: _transition, ...answer } = checkEscalationAction(access, action, escalation);
    return answer;
  });
}

/**
 * Whether a concern should prompt the team to escalate: critical wellbeing or
 * safety concerns, and critical hate speech.
 */
export function escalationPrompted(concern: { category: ConcernCategory; severity: Severity }): boolean {
  return concern.severity === 'CRITICAL' && (concern.category === 'WELLBEING_SAFETY' || concern.category === 'HATE_SPEECH');
}
