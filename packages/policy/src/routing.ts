/**
 * Routing of referrals to receiving teams (DOMAIN.md, "Routing"): the
 * administrators' affiliation decides the team. When administrators of one
 * group differ, the referral is split one per team, or the lead overrides the
 * routing with a written reason. The proposal is shown before submitting.
 *
 * @packageDocumentation
 */
import { allows, type Access } from './principal.js';
import { listStates } from './state-machine.js';
import { isOneOf, LIMITS, TEAMS, type Affiliation, type Team } from './vocabulary.js';
import { TEAM_LABELS } from './labels.js';

/** Which team deals with an administrator of this affiliation. */
export function teamForAffiliation(a: Affiliation): Team {
  switch (a) {
    case 'STUDENT':
      return 'DISCIPLINE';
    case 'STAFF':
      return 'HR';
    case 'ALUMNI':
    case 'UNAFFILIATED':
    case 'UNKNOWN':
      return 'LEGAL';
    default:
      // Anything unrecognised is an administrator we cannot place: the legal team.
      return 'LEGAL';
  }
}

/** The least routing needs to know about an administrator. */
export interface RoutingAdministrator {
  id: string;
  affiliation: Affiliation;
}

/** The routing proposed from the administrators' affiliations, shown before submitting. */
export interface RoutingProposal {
  /** Teams involved, in `TEAMS` order. */
  teams: Team[];
  byTeam: { team: Team; administratorIds: string[] }[];
  /** True when the administrators belong to more than one team: split or override. */
  needsDecision: boolean;
  explanation: string;
}

/** Shortest override reason accepted, counted in non-blank characters. */
export const MIN_OVERRIDE_REASON_LENGTH = 10;

const AFFILIATION_WORDS: Readonly<Record<Affiliation, [string, string]>> = {
  STUDENT: ['student', 'students'],
  STAFF: ['member of staff', 'members of staff'],
  ALUMNI: ['alumnus', 'alumni'],
  UNAFFILIATED: ['unaffiliated administrator', 'unaffiliated administrators'],
  UNKNOWN: ['administrator of unknown affiliation', 'administrators of unknown affiliation'],
};

function describeAffiliations(admins: readonly RoutingAdministrator[]): string {
  const counts = new Map<Affiliation, number>();
  for (const a of admins) counts.set(a.affiliation, (counts.get(a.affiliation) ?? 0) + 1);
  return [...counts]
    .map(([aff, n]) => {
      const [one, many] = AFFILIATION_WORDS[aff] ?? ['administrator', 'administrators'];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(', ');
}

/**
 * Propose routing for a group's administrators. With no administrators known,
 * their identity is unknown and the referral goes to LEGAL.
 */
export function proposeRouting(admins: readonly RoutingAdministrator[]): RoutingProposal {
  if (admins.length === 0) {
    return {
      teams: ['LEGAL'],
      byTeam: [{ team: 'LEGAL', administratorIds: [] }],
      needsDecision: false,
      explanation: `No administrators are known, so their identity is unknown: the referral goes to ${TEAM_LABELS.LEGAL}.`,
    };
  }
  const byTeam = TEAMS.map((team) => ({
    team,
    administratorIds: admins.filter((a) => teamForAffiliation(a.affiliation) === team).map((a) => a.id),
  })).filter((r) => r.administratorIds.length > 0);
  const teams = byTeam.map((r) => r.team);
  const needsDecision = teams.length > 1;
  const parts = byTeam.map((r) => {
    const inTeam = admins.filter((a) => r.administratorIds.includes(a.id));
    return `${describeAffiliations(inTeam)} → ${TEAM_LABELS[r.team]}`;
  });
  const explanation = needsDecision
    ? `The administrators' affiliations differ (${parts.join('; ')}): split the referral, one per team, or override the routing with a reason.`
    : `The referral goes to ${TEAM_LABELS[teams[0]!]}: ${parts[0]}.`;
  return { teams, byTeam, needsDecision, explanation };
}

/** How the lead settles routing: as proposed, split per team, or overridden to one team. */
export type RoutingDecision = { mode: 'AUTO' } | { mode: 'SPLIT' } | { mode: 'OVERRIDE'; team: Team; reason: string };

/** The routes to create (one referral each), or the unmet condition and the input field at fault. */
export type RoutingResult =
  | { ok: true; routes: { team: Team; administratorIds: string[] }[]; overrideReason: string | null }
  | { ok: false; unmet: string; field: string };

function copyRoutes(proposal: RoutingProposal): { team: Team; administratorIds: string[] }[] {
  return proposal.byTeam.map((r) => ({ team: r.team, administratorIds: [...r.administratorIds] }));
}

/**
 * Turn a proposal and the lead's decision into the referrals to submit.
 * AUTO needs a single team; SPLIT gives one route per team; OVERRIDE needs
 * the `referral.overrideRouting` permission and a written reason, and sends
 * every administrator to the chosen team.
 */
export function resolveRouting(proposal: RoutingProposal, decision: RoutingDecision, access: Access): RoutingResult {
  switch (decision.mode) {
    case 'AUTO':
      if (proposal.teams.length === 1) return { ok: true, routes: copyRoutes(proposal), overrideReason: null };
      return {
        ok: false,
        unmet: `the administrators belong to ${listStates(proposal.teams.map((t) => TEAM_LABELS[t]), 'and')}: split the referral, one per team, or override the routing with a reason`,
        field: 'routing.mode',
      };
    case 'SPLIT':
      if (proposal.byTeam.length === 0) {
        return { ok: false, unmet: 'there is no team to route the referral to', field: 'routing.mode' };
      }
      return { ok: true, routes: copyRoutes(proposal), overrideReason: null };
    case 'OVERRIDE': {
      if (!allows(access, 'referral.overrideRouting')) {
        return { ok: false, unmet: 'only a social media lead may override the routing', field: 'routing.mode' };
      }
      if (!isOneOf(TEAMS, decision.team)) {
        return { ok: false, unmet: `choose the team to route to: ${listStates(TEAMS.map((t) => TEAM_LABELS[t]))}`, field: 'routing.team' };
      }
      const reason = typeof decision.reason === 'string' ? decision.reason.trim() : '';
      if (reason.replace(/\s/g, '').length < MIN_OVERRIDE_REASON_LENGTH) {
        return {
          ok: false,
          unmet: `give a reason for overriding the routing of at least ${MIN_OVERRIDE_REASON_LENGTH} characters`,
          field: 'routing.reason',
        };
      }
      if (reason.length > LIMITS.reason) {
        return {
          ok: false,
          unmet: `the reason for overriding the routing must be at most ${LIMITS.reason} characters`,
          field: 'routing.reason',
        };
      }
      return {
        ok: true,
        routes: [{ team: decision.team, administratorIds: proposal.byTeam.flatMap((r) => r.administratorIds) }],
        overrideReason: reason,
      };
    }
    default:
      return { ok: false, unmet: 'choose how to route the referral: AUTO, SPLIT or OVERRIDE', field: 'routing.mode' };
  }
}
