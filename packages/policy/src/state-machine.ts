/**
 * Generic, typed transition tables (in the style of Vendure's state machines).
 * Each lifecycle is a list of named transitions with optional guards over
 * plain "facts", so the API can refuse a move with a sentence naming the unmet
 * condition, and the portal can offer only the moves that would succeed.
 *
 * @packageDocumentation
 */

/**
 * One allowed move of a lifecycle: from any of `from` to `to`.
 *
 * `guard` returns `null` when its condition is met, otherwise a sentence naming
 * the unmet condition (shown to the user as the reason). `refused`, when set,
 * marks a move people are likely to attempt that the policy forbids outright;
 * it is answered with that sentence and never offered.
 */
export interface Transition<S extends string, F> {
  name: string;
  from: readonly S[];
  to: S;
  guard?: (facts: F) => string | null;
  refused?: string;
}

/** The answer to "may this record move from one state to another?". */
export type TransitionCheck = { ok: true; transition: string } | { ok: false; unmet: string };

/** Subject nouns of registered tables ("group", "referral"…), for error sentences. */
const SUBJECTS = new WeakMap<object, string>();

/**
 * Freeze a transition table and remember what it is about, so that a refusal
 * reads "A group cannot go from …" rather than naming an anonymous record.
 */
export function defineTransitions<S extends string, F>(
  subject: string,
  transitions: readonly Transition<S, F>[],
): readonly Transition<S, F>[] {
  const table = Object.freeze(transitions.map((t) => Object.freeze({ ...t, from: Object.freeze([...t.from]) })));
  SUBJECTS.set(table, subject);
  return table;
}

/** "A" or "An", by the subject's first letter (good enough for our nouns). */
function article(subject: string): string {
  return /^[aeiou]/i.test(subject) ? 'An' : 'A';
}

/** Join states as readable English: "A", "A or B", "A, B or C". */
export function listStates(states: readonly string[], conjunction = 'or'): string {
  if (states.length <= 1) return states.join('');
  return `${states.slice(0, -1).join(', ')} ${conjunction} ${states[states.length - 1]}`;
}

/** Distinct targets in table order, optionally filtered. */
function targets<S extends string, F>(table: readonly Transition<S, F>[], from: S, keep: (t: Transition<S, F>) => boolean): S[] {
  const out: S[] = [];
  for (const t of table) if (t.from.includes(from) && !out.includes(t.to) && keep(t)) out.push(t.to);
  return out;
}

/**
 * The states a table can ever lead to from `from`, whatever the facts
 * (moves marked `refused` excluded) — the shape of the lifecycle.
 */
export function reachableTargets<S extends string, F>(table: readonly Transition<S, F>[], from: S): S[] {
  return targets(table, from, (t) => t.refused === undefined);
}

/**
 * Check a move against a table. A move the table does not list is refused
 * with a sentence saying where the record can go instead; a listed move is
 * allowed when its guard passes, else refused with the guard's sentence.
 * `subject` overrides the noun registered with `defineTransitions`.
 */
export function checkTransition<S extends string, F>(
  table: readonly Transition<S, F>[],
  from: S,
  to: S,
  facts: F,
  subject?: string,
): TransitionCheck {
  const candidates = table.filter((t) => t.from.includes(from) && t.to === to);
  if (candidates.length === 0) {
    const noun = subject ?? SUBJECTS.get(table) ?? 'record';
    const reachable = reachableTargets(table, from);
    const where =
      reachable.length > 0 ? `from ${from} it can go to ${listStates(reachable)}` : `${from} is a final status`;
    return { ok: false, unmet: `${article(noun)} ${noun} cannot go from ${from} to ${to}; ${where}` };
  }
  let firstUnmet: string | null = null;
  for (const t of candidates) {
    const unmet = t.refused ?? t.guard?.(facts) ?? null;
    if (unmet === null) return { ok: true, transition: t.name };
    firstUnmet ??= unmet;
  }
  return { ok: false, unmet: firstUnmet ?? `${to} is not allowed` };
}

/**
 * The states the record can move to now, given the facts: the targets whose
 * guard passes. The portal offers only these.
 */
export function allowedTargets<S extends string, F>(table: readonly Transition<S, F>[], from: S, facts: F): S[] {
  return targets(table, from, (t) => t.refused === undefined && (t.guard?.(facts) ?? null) === null);
}
