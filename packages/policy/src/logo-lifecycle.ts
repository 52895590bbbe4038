/**
 * The group's use of the university logo (DOMAIN.md step 5). Moves have no
 * guards: each records what the team observed or asked for.
 *
 * @packageDocumentation
 */
import { defineTransitions, type Transition } from './state-machine.js';
import type { LogoStatus } from './vocabulary.js';

/** Facts for logo moves: none are needed. */
export type LogoFacts = Record<string, never>;

/**
 * Logo moves. Once the logo has been seen in use it is never "not used"
 * again: it is either removed (verified) or still in use in some form.
 */
export const LOGO_TRANSITIONS: readonly Transition<LogoStatus, LogoFacts>[] = defineTransitions<LogoStatus, LogoFacts>(
  'logo',
  [
    { name: 'logoSeen', from: ['NOT_USED'], to: 'IN_USE' },
    { name: 'requestRemoval', from: ['IN_USE', 'REFUSED'], to: 'REMOVAL_REQUESTED' },
    { name: 'verifyRemoval', from: ['IN_USE', 'REMOVAL_REQUESTED', 'REFUSED'], to: 'REMOVAL_VERIFIED' },
    { name: 'refuseRemoval', from: ['REMOVAL_REQUESTED'], to: 'REFUSED' },
    { name: 'logoBackInUse', from: ['REMOVAL_VERIFIED'], to: 'IN_USE' },
  ],
);

/**
 * Whether the logo is (still) in use: in use, asked to be removed but not yet
 * removed, or removal refused. A group is compliant only when this is false.
 */
export function logoInUse(s: LogoStatus): boolean {
  return s === 'IN_USE' || s === 'REMOVAL_REQUESTED' || s === 'REFUSED';
}
