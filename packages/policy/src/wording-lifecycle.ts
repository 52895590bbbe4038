/**
 * Versions of the wording agreed with a group's administrators. A version can
 * be agreed only when the wording check passes; agreeing a new version
 * supersedes the previous one.
 *
 * @packageDocumentation
 */
import { defineTransitions, listStates, type Transition } from './state-machine.js';
import type { WordingStatus } from './vocabulary.js';
import { WORDING_ELEMENT_LABELS, WORDING_ELEMENTS, type WordingElement } from './wording-check.js';

/** What a wording move is judged on. Pass `missing` from `checkWording` for a precise refusal. */
export interface WordingFacts {
  checkPasses: boolean;
  hasText: boolean;
  missing?: readonly WordingElement[];
}

function agreeGuard(f: WordingFacts): string | null {
  if (f.checkPasses) return null;
  const missing = f.missing && f.missing.length > 0 ? f.missing : WORDING_ELEMENTS;
  return `the wording check must pass: it still needs ${listStates(missing.map((e) => WORDING_ELEMENT_LABELS[e]), 'and')}`;
}

/**
 * Wording moves: a draft is edited freely; proposing needs text; each new
 * proposal is a new version; agreeing needs the check to pass; an agreed
 * wording is only ever superseded.
 */
export const WORDING_TRANSITIONS: readonly Transition<WordingStatus, WordingFacts>[] = defineTransitions<
  WordingStatus,
  WordingFacts
>('wording agreement', [
  { name: 'editDraft', from: ['DRAFT'], to: 'DRAFT' },
  {
    name: 'propose',
    from: ['DRAFT'],
    to: 'PROPOSED',
    guard: (f) => (f.hasText ? null : 'the wording must have some text before it is proposed'),
  },
  {
    name: 'proposeNewVersion',
    from: ['PROPOSED'],
    to: 'PROPOSED',
    guard: (f) => (f.hasText ? null : 'a new version of the wording must have some text'),
  },
  { name: 'agree', from: ['DRAFT', 'PROPOSED'], to: 'AGREED', guard: agreeGuard },
  { name: 'supersede', from: ['AGREED'], to: 'SUPERSEDED' },
]);
