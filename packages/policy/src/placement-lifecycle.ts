/**
 * Publication of the agreed wording in each placement (pinned message,
 * auto-response). Publication and verification need evidence so that a review
 * or an audit can see what was checked.
 *
 * @packageDocumentation
 */
import { defineTransitions, type Transition } from './state-machine.js';
import type { PlacementState } from './vocabulary.js';
import { PLACEMENT_STATE_LABELS } from './labels.js';

/** What a placement move is judged on. */
export interface PlacementFacts {
  /** Whether the group has an AGREED wording. */
  wordingAgreed: boolean;
  evidenceUrl?: string | null;
  evidenceNote?: string | null;
}

/** Whether a URL or a note of evidence was given. */
export function hasEvidence(f: PlacementFacts): boolean {
  return Boolean(f.evidenceUrl?.trim() || f.evidenceNote?.trim());
}

const NEED_EVIDENCE = 'evidence must be given: a link to the placement (evidence URL) or a note of what was seen';
const NEED_AGREED_WORDING = 'the wording must be agreed before it is published';

function evidenceGuard(f: PlacementFacts): string[] {
  return hasEvidence(f) ? [] : [NEED_EVIDENCE];
}

function publishGuard(f: PlacementFacts): string[] {
  const unmet: string[] = [];
  if (!f.wordingAgreed) unmet.push(NEED_AGREED_WORDING);
  if (!hasEvidence(f)) unmet.push(NEED_EVIDENCE);
  return unmet;
}

const RECORD = { permission: 'placement.record', mutation: 'recordPlacement' } as const;

/** Placement moves: published and verified states need evidence; removal is simply recorded. */
export const PLACEMENT_TRANSITIONS: readonly Transition<PlacementState, PlacementFacts>[] = defineTransitions<
  PlacementState,
  PlacementFacts
>('placement', [
  { name: 'publish', from: ['NOT_PUBLISHED', 'REMOVED'], to: 'PUBLISHED', guard: publishGuard, manual: RECORD },
  { name: 'verify', from: ['PUBLISHED', 'REMOVED'], to: 'VERIFIED', guard: evidenceGuard, manual: RECORD },
  { name: 'reverify', from: ['VERIFIED'], to: 'VERIFIED', guard: evidenceGuard, manual: RECORD },
  { name: 'remove', from: ['PUBLISHED', 'VERIFIED'], to: 'REMOVED', manual: RECORD },
], PLACEMENT_STATE_LABELS);
