/**
 * A group's possible moves for one caller: every transition from where the
 * group is, whether it happens by itself (and on what) or is made by a person
 * (and whether this person may, now), with every unmet condition in words.
 *
 * @packageDocumentation
 */
import { availability, type ActionAvailability } from './actions.js';
import { GROUP_TRANSITIONS, type GroupFacts } from './group-lifecycle.js';
import { permissionRefusal } from './permissions.js';
import { allows, type Access } from './principal.js';
import { unmetOf } from './state-machine.js';
import type { GroupStatus } from './vocabulary.js';

/** One of a group's possible moves. Automatic moves have no mutation: they happen on `trigger`. */
export interface GroupTransitionAvailability extends Omit<ActionAvailability<string, GroupStatus>, 'mutation' | 'to'> {
  to: GroupStatus;
  automatic: boolean;
  trigger: string | null;
  mutation: string | null;
}

/**
 * The moves from the group's status, in table order. A manual move is
 * `allowed` when the caller holds its permission and its conditions hold;
 * an automatic one when its conditions hold (it then happens on its trigger).
 * Moves sharing a name (reopen) are shown once: the one that would be taken.
 */
export function groupTransitions(access: Access, status: GroupStatus, facts: GroupFacts): GroupTransitionAvailability[] {
  const out: GroupTransitionAvailability[] = [];
  const seen = new Set<string>();
  const candidates = GROUP_TRANSITIONS.filter((t) => t.from.includes(status) && t.refused === undefined);
  for (const t of candidates) {
    const key = t.manual ? t.name : `${t.name}>${t.to}`;
    if (seen.has(key)) continue;
    const sameName = t.manual ? candidates.filter((c) => c.name === t.name) : [t];
    const chosen = sameName.find((c) => unmetOf(c, facts).length === 0) ?? t;
    seen.add(key);
    const role = chosen.manual && !allows(access, chosen.manual.permission) ? [permissionRefusal(chosen.manual.permission)] : [];
    const answer = availability(chosen.name, chosen.to, chosen.manual?.mutation ?? '', role, unmetOf(chosen, facts));
    out.push({ ...answer, to: chosen.to, automatic: !chosen.manual, trigger: chosen.trigger ?? null, mutation: chosen.manual?.mutation ?? null });
  }
  return out;
}
