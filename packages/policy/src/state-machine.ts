/**
 * Generic, typed transition tables (in the style of Vendure's state machines).
 * Each lifecycle is a list of named transitions with guards over plain
 * "facts". A transition either happens by itself when one of its events is
 * raised (`on`) or is only ever made by a person (`manual`, with the
 * permission and the mutation that make it). Guards answer with the list of
 * unmet conditions, so the API can refuse a move naming every one of them and
 * a client can show a disabled button with the reasons in words.
 *
 * @packageDocumentation
 */
import type { Permission } from './permissions.js';

/** A move made by a person: the permission it needs and the mutation that makes it. */
export interface ManualMove {
  permission: Permission;
  mutation: string;
}

/**
 * One move of a lifecycle: from any of `from` to `to`.
 *
 * `guard` returns the unmet conditions as sentences (empty when the move may
 * happen). `refused`, when set, marks a move people are likely to attempt that
 * the policy forbids outright; it is answered with that sentence and never
 * offered. `on` lists the events on which the move happens by itself;
 * `manual` marks a move only a person makes.
 */
export interface Transition<S extends string, F, E extends string = never> {
  name: string;
  from: readonly S[];
  to: S;
  guard?: (facts: F) => readonly string[];
  refused?: string;
  on?: readonly E[];
  manual?: ManualMove;
  /** For automatic moves: when it happens, in words ("when the administrators respond"). */
  trigger?: string;
}

/** The answer to "may this record move from one state to another?". */
export type TransitionCheck = { ok: true; transition: string } | { ok: false; unmet: string[] };

/** Subject nouns of registered tables ("group", "referral"…), for error sentences. */
const SUBJECTS = new WeakMap<object, string>();
/** The words people read for each state of a registered table (labels.ts), for error sentences. */
const STATE_LABELS = new WeakMap<object, Readonly<Record<string, string>>>();

/** A status as people read it in a sentence: its label in single quotes, as GOV.UK's style has it for a named thing (‘Wording agreed’), as the status tags show it. */
export function quoted(label: string): string {
  return `\u2018${label}\u2019`;
}

/**
 * Freeze a transition table and remember what it is about, so that a refusal
 * reads "A group cannot go from …" rather than naming an anonymous record.
 */
export function defineTransitions<S extends string, F, E extends string = never>(
  subject: string,
  transitions: readonly Transition<S, F, E>[],
  labels?: Readonly<Record<S, string>>,
): readonly Transition<S, F, E>[] {
  const table = Object.freeze(
    transitions.map((t) =>
      Object.freeze({
        ...t,
        from: Object.freeze([...t.from]),
        ...(t.on ? { on: Object.freeze([...t.on]) } : {}),
        ...(t.manual ? { manual: Object.freeze({ ...t.manual }) } : {}),
      }),
    ),
  );
  SUBJECTS.set(table, subject);
  if (labels) STATE_LABELS.set(table, labels);
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

/** The guard's unmet conditions, or the refusal; empty when the move may happen. */
export function unmetOf<S extends string, F, E extends string>(t: Transition<S, F, E>, facts: F): string[] {
  if (t.refused !== undefined) return [t.refused];
  return [...(t.guard?.(facts) ?? [])];
}

/** Distinct targets in table order, optionally filtered. */
function targets<S extends string, F, E extends string>(
  table: readonly Transition<S, F, E>[],
  from: S,
  keep: (t: Transition<S, F, E>) => boolean,
): S[] {
  const out: S[] = [];
  for (const t of table) if (t.from.includes(from) && !out.includes(t.to) && keep(t)) out.push(t.to);
  return out;
}

/**
 * The states a table can ever lead to from `from`, whatever the facts
 * (moves marked `refused` excluded) — the shape of the lifecycle.
 */
export function reachableTargets<S extends string, F, E extends string>(table: readonly Transition<S, F, E>[], from: S): S[] {
  return targets(table, from, (t) => t.refused === undefined);
}

function unlisted<S extends string, F, E extends string>(table: readonly Transition<S, F, E>[], from: S, to: string, subject?: string): string {
  const noun = subject ?? SUBJECTS.get(table) ?? 'record';
  const labels = STATE_LABELS.get(table);
  const say = (state: string): string => (labels?.[state] !== undefined ? quoted(labels[state]!) : state);
  const reachable = reachableTargets(table, from);
  const where = reachable.length > 0 ? `from ${say(from)} it can go to ${listStates(reachable.map(say))}` : `${say(from)} is a final status`;
  return `${article(noun)} ${noun} cannot go from ${say(from)} to ${say(to)}; ${where}`;
}

/**
 * Check a move against a table. A move the table does not list is refused
 * with a sentence saying where the record can go instead; a listed move is
 * allowed when its guard passes, else refused with the guard's conditions
 * (of the first candidate, when several transitions join the same states).
 * `subject` overrides the noun registered with `defineTransitions`.
 */
export function checkTransition<S extends string, F, E extends string>(
  table: readonly Transition<S, F, E>[],
  from: S,
  to: S,
  facts: F,
  subject?: string,
): TransitionCheck {
  const candidates = table.filter((t) => t.from.includes(from) && t.to === to);
  if (candidates.length === 0) return { ok: false, unmet: [unlisted(table, from, to, subject)] };
  let firstUnmet: string[] | null = null;
  for (const t of candidates) {
    const unmet = unmetOf(t, facts);
    if (unmet.length === 0) return { ok: true, transition: t.name };
    firstUnmet ??= unmet;
  }
  return { ok: false, unmet: firstUnmet ?? [`${to} is not allowed`] };
}

/**
 * The states the record can move to now, given the facts: the targets whose
 * guard passes.
 */
export function allowedTargets<S extends string, F, E extends string>(table: readonly Transition<S, F, E>[], from: S, facts: F): S[] {
  return targets(table, from, (t) => t.refused === undefined && unmetOf(t, facts).length === 0);
}

/** A move one transition makes. */
export interface Move<S extends string> {
  transition: string;
  from: S;
  to: S;
}

/** The outcome of a person's move by name: where it goes, or every unmet condition. */
export type ManualMoveCheck<S extends string> = { ok: true; move: Move<S> } | { ok: false; to: S | null; unmet: string[] };

/**
 * A manual move by its transition name (`close`, `reopen` …). Several
 * transitions may share a name (reopen has one per status it returns to): the
 * first whose guard passes is taken; when none does, the first candidate's
 * conditions are the answer. Automatic moves cannot be made by name.
 */
export function checkManualMove<S extends string, F, E extends string>(
  table: readonly Transition<S, F, E>[],
  from: S,
  name: string,
  facts: F,
): ManualMoveCheck<S> {
  const named = table.filter((t) => t.name === name && t.manual);
  const candidates = named.filter((t) => t.from.includes(from));
  if (candidates.length === 0) {
    const noun = SUBJECTS.get(table) ?? 'record';
    const reachable = reachableTargets(table, from);
    const where = reachable.length > 0 ? `from ${from} it can go to ${listStates(reachable)}` : `${from} is a final status`;
    const targetsOf = [...new Set(named.map((t) => t.to))];
    return { ok: false, to: targetsOf.length === 1 ? targetsOf[0]! : null, unmet: [`${article(noun)} ${noun} in ${from} cannot be moved by ${name}; ${where}`] };
  }
  for (const t of candidates) {
    if (unmetOf(t, facts).length === 0) return { ok: true, move: { transition: t.name, from, to: t.to } };
  }
  return { ok: false, to: candidates[0]!.to, unmet: unmetOf(candidates[0]!, facts) };
}

/**
 * Where a record settles after `events`: from `from`, repeatedly take the
 * first automatic transition (in table order) that listens to one of the
 * events and whose guard passes, until none does. A state is never entered
 * twice, so a table cannot make this loop.
 */
export function settle<S extends string, F, E extends string>(
  table: readonly Transition<S, F, E>[],
  from: S,
  facts: F,
  events: readonly E[],
): Move<S>[] {
  const moves: Move<S>[] = [];
  const visited = new Set<S>([from]);
  let at = from;
  for (;;) {
    const next = table.find(
      (t) =>
        t.from.includes(at) &&
        !visited.has(t.to) &&
        t.refused === undefined &&
        (t.on ?? []).some((e) => events.includes(e)) &&
        unmetOf(t, facts).length === 0,
    );
    if (!next) return moves;
    moves.push({ transition: next.name, from: at, to: next.to });
    visited.add(next.to);
    at = next.to;
  }
}
