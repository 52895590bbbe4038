import { PLACEMENTS, type Placement, type PlacementState } from '@signpost/policy';

/** A placement as the address names it: PINNED_MESSAGE is /placements/pinned-message. */
export const placementSlug = (p: Placement): string => p.toLowerCase().replace(/_/g, '-');

/** The placement an address names, or null when it names none. */
export function placementOfSlug(slug: string): Placement | null {
  return PLACEMENTS.find((p) => placementSlug(p) === slug) ?? null;
}

type Tone = 'grey' | 'green' | 'blue' | 'red';

/** The colours repeat what the words say; nothing is told by colour alone. */
export const PLACEMENT_STATE_TONE: Record<PlacementState, Tone> = { NOT_PUBLISHED: 'grey', PUBLISHED: 'blue', VERIFIED: 'green', REMOVED: 'red' };
