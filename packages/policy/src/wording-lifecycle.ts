/**
 * Versions of the wording agreed with a group's administrators. A version can
 * be agreed only when the wording check passes and the policy's steps came
 * first: a logged contact explained the university's position and asked the
 * administrators for wording. Agreeing a new version supersedes the previous one.
 *
 * @packageDocumentation
 */
import { availability, type ActionAvailability } from './actions.js';
import { GROUP_CLOSED_UNMET } from './group-lifecycle.js';
import { permissionRefusal, type Permission } from './permissions.js';
import { allows, type Access } from './principal.js';
import { checkTransition, defineTransitions, type Transition } from './state-machine.js';
import type { WordingStatus } from './vocabulary.js';
import { WORDING_ELEMENT_LABELS, WORDING_ELEMENTS, type WordingElement } from './wording-check.js';
import { WORDING_STATUS_LABELS } from './labels.js';

/** What a wording move is judged on. Pass `missing` from `checkWording` for a precise refusal. */
export interface WordingFacts {
  checkPasses: boolean;
  hasText: boolean;
  missing?: readonly WordingElement[];
  /** A logged contact covered POSITION_EXPLAINED. */
  positionExplained?: boolean;
  /** A logged contact covered WORDING_REQUESTED. */
  wordingRequested?: boolean;
}

function agreeGuard(f: WordingFacts): string[] {
  const unmet: string[] = [];
  if (!f.checkPasses) {
    const missing = f.missing && f.missing.length > 0 ? f.missing : WORDING_ELEMENTS;
    for (const e of missing) unmet.push(`the wording check must pass: it still needs ${WORDING_ELEMENT_LABELS[e]}`);
  }
  if (!f.positionExplained) unmet.push("a logged contact must first explain the university's position to the administrators (policy step POSITION_EXPLAINED)");
  if (!f.wordingRequested) unmet.push('a logged contact must first ask the administrators for signposting wording (policy step WORDING_REQUESTED)');
  return unmet;
}

/**
 * Wording moves: a draft is edited freely; proposing needs text; each new
 * proposal is a new version; agreeing needs the check to pass and the
 * position explained and wording asked for; an agreed wording is only ever
 * superseded.
 */
export const WORDING_TRANSITIONS: readonly Transition<WordingStatus, WordingFacts>[] = defineTransitions<
  WordingStatus,
  WordingFacts
>('wording agreement', [
  { name: 'editDraft', from: ['DRAFT'], to: 'DRAFT', manual: { permission: 'wording.propose', mutation: 'proposeWording' } },
  {
    name: 'propose',
    from: ['DRAFT'],
    to: 'PROPOSED',
    guard: (f) => (f.hasText ? [] : ['the wording must have some text before it is proposed']),
    manual: { permission: 'wording.propose', mutation: 'proposeWording' },
  },
  {
    name: 'proposeNewVersion',
    from: ['PROPOSED'],
    to: 'PROPOSED',
    guard: (f) => (f.hasText ? [] : ['a new version of the wording must have some text']),
    manual: { permission: 'wording.propose', mutation: 'proposeWording' },
  },
  { name: 'agree', from: ['DRAFT', 'PROPOSED'], to: 'AGREED', guard: agreeGuard, manual: { permission: 'wording.approve', mutation: 'approveWording' } },
  { name: 'supersede', from: ['AGREED'], to: 'SUPERSEDED', on: [], trigger: 'when a later wording of the group is agreed' },
], WORDING_STATUS_LABELS);

/** The actions on a wording agreement. */
export const WORDING_ACTIONS = ['proposeVersion', 'approve'] as const;
/** An action on a wording agreement. */
export type WordingAction = (typeof WORDING_ACTIONS)[number];

const WORDING_ACTION_SPECS: Readonly<Record<WordingAction, { permission: Permission; mutation: string; to: WordingStatus | null }>> = Object.freeze({
  proposeVersion: { permission: 'wording.propose', mutation: 'proposeWording', to: null },
  approve: { permission: 'wording.approve', mutation: 'approveWording', to: 'AGREED' },
});

/** The agreement and what its actions are judged on. */
export interface WordingForActions {
  status: WordingStatus;
  groupClosed: boolean;
  facts: WordingFacts;
}

/** Whether this caller may take this action on the agreement now, and every reason why not. */
export function checkWordingAction(access: Access, action: WordingAction, agreement: WordingForActions): ActionAvailability<WordingAction, WordingStatus> {
  const spec = WORDING_ACTION_SPECS[action];
  const role = allows(access, spec.permission) ? [] : [permissionRefusal(spec.permission)];
  const lifecycle: string[] = agreement.groupClosed ? [GROUP_CLOSED_UNMET] : [];
  if (action === 'approve') {
    const check = checkTransition(WORDING_TRANSITIONS, agreement.status, 'AGREED', agreement.facts);
    if (!check.ok) lifecycle.push(...check.unmet);
  } else if (agreement.status !== 'DRAFT' && agreement.status !== 'PROPOSED') {
    lifecycle.push(`a wording agreement that is ${WORDING_STATUS_LABELS[agreement.status].toLowerCase()} takes no new versions: propose new wording for the group instead`);
  }
  return availability(action, spec.to, spec.mutation, role, lifecycle);
}

/** Every action on a wording agreement for this caller, with the reasons. */
export function wordingActions(access: Access, agreement: WordingForActions): ActionAvailability<WordingAction, WordingStatus>[] {
  return WORDING_ACTIONS.map((action) => checkWordingAction(access, action, agreement));
}
