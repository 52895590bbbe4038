/**
 * Escalations (DOMAIN.md step 7): a report to the platform or the police.
 * They need a lead's approval before they are made, and a critical wellbeing
 * concern prompts one.
 *
 * @packageDocumentation
 */
import { defineTransitions, type Transition } from './state-machine.js';
import type { ConcernCategory, EscalationStatus, Severity } from './vocabulary.js';

/** What an escalation move is judged on. */
export interface EscalationFacts {
  /**
   * Whether a lead is approving the escalation in the same step. Lets a lead
   * approve and record the report at once (DRAFT → REPORTED); for anyone else
   * that move is refused.
   */
  approved?: boolean;
  externalReference?: string | null;
  outcome?: string | null;
}

const NEEDS_APPROVAL = 'a lead must approve the escalation before it is reported';

/** Escalation moves: drafted, approved by a lead, reported, then closed with the outcome. */
export const ESCALATION_TRANSITIONS: readonly Transition<EscalationStatus, EscalationFacts>[] = defineTransitions<
  EscalationStatus,
  EscalationFacts
>('escalation', [
  { name: 'approve', from: ['DRAFT'], to: 'APPROVED' },
  { name: 'report', from: ['APPROVED'], to: 'REPORTED' },
  { name: 'approveAndReport', from: ['DRAFT'], to: 'REPORTED', guard: (f) => (f.approved === true ? null : NEEDS_APPROVAL) },
  {
    name: 'close',
    from: ['REPORTED'],
    to: 'CLOSED',
    guard: (f) =>
      f.outcome?.trim() ? null : 'the outcome of the report must be recorded before the escalation is closed',
  },
]);

/**
 * Whether a concern should prompt the team to escalate: critical wellbeing or
 * safety concerns, and critical hate speech.
 */
export function escalationPrompted(concern: { category: ConcernCategory; severity: Severity }): boolean {
  return concern.severity === 'CRITICAL' && (concern.category === 'WELLBEING_SAFETY' || concern.category === 'HATE_SPEECH');
}
