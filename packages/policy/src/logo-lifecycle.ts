/**
 * The group's use of the university logo (DOMAIN.md step 5). Moves record
 * what the team observed or asked for; a removal counts as verified only with
 * evidence of what was checked (a link, a note, or the review that saw it).
 *
 * @packageDocumentation
 */
import { defineTransitions, type Transition } from './state-machine.js';
import type { LogoStatus } from './vocabulary.js';
import { LOGO_STATUS_LABELS } from './labels.js';

/** What a logo move is judged on. */
export interface LogoFacts {
  /** A link or a note of what was seen (a review's own observation counts). */
  evidence?: boolean;
}

const NEED_EVIDENCE = 'evidence must be given that the logo was removed: a link to the page or a note of what was checked';

/**
 * Logo moves. Once the logo has been seen in use it is never "not used"
 * again: it is either removed (verified, with evidence) or still in use in
 * some form.
 */
export const LOGO_TRANSITIONS: readonly Transition<LogoStatus, LogoFacts>[] = defineTransitions<LogoStatus, LogoFacts>('logo', [
  { name: 'logoSeen', from: ['NOT_USED'], to: 'IN_USE', manual: { permission: 'logo.record', mutation: 'recordLogoStatus' } },
  { name: 'requestRemoval', from: ['IN_USE', 'REFUSED'], to: 'REMOVAL_REQUESTED', manual: { permission: 'logo.record', mutation: 'recordLogoStatus' } },
  {
    name: 'verifyRemoval',
    from: ['IN_USE', 'REMOVAL_REQUESTED', 'REFUSED'],
    to: 'REMOVAL_VERIFIED',
    guard: (f) => (f.evidence ? [] : [NEED_EVIDENCE]),
    manual: { permission: 'logo.record', mutation: 'recordLogoStatus' },
  },
  { name: 'refuseRemoval', from: ['REMOVAL_REQUESTED'], to: 'REFUSED', manual: { permission: 'logo.record', mutation: 'recordLogoStatus' } },
  { name: 'logoBackInUse', from: ['REMOVAL_VERIFIED'], to: 'IN_USE', manual: { permission: 'logo.record', mutation: 'recordLogoStatus' } },
], LOGO_STATUS_LABELS);

/**
 * Whether the logo is (still) in use: in use, asked to be removed but not yet
 * removed, or removal refused. A group is compliant only when this is false.
 */
export function logoInUse(s: LogoStatus): boolean {
  return s === 'IN_USE' || s === 'REMOVAL_REQUESTED' || s === 'REFUSED';
}
