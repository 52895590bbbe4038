import type { LocationQuery } from 'vue-router';
import { GROUP_STATUSES, PLATFORMS, RISK_LEVELS, type GroupStatus, type Platform, type RiskLevel } from '@signpost/policy';
import type { GroupFilter } from '../generated/graphql.js';

/**
 * The register's view as it is kept in the URL, so a link reproduces it: the
 * one place that reads a view from the query and writes it back (the register
 * page and Home's "see all" links). A value the URL cannot mean is ignored.
 */
export interface RegisterView {
  search: string;
  status: GroupStatus | '';
  platform: Platform | '';
  risk: RiskLevel | '';
  /** The assigned officer's id (only an officer the team has is kept, once they are known). */
  officer: string;
  overdue: boolean;
  unresponsive: boolean;
  wording: boolean;
  unverified: boolean;
  sort: string;
}

/** The "show only" conditions, in the order the register offers them, with their words. */
export const REGISTER_FLAGS = [
  { key: 'overdue', label: 'Overdue reviews', filter: 'overdueReview' },
  { key: 'unresponsive', label: 'Groups that can be marked unresponsive', filter: 'unresponsiveEligible' },
  { key: 'wording', label: 'Wording awaiting approval', filter: 'wordingAwaitingApproval' },
  { key: 'unverified', label: 'Placements not yet verified', filter: 'placementsUnverified' },
] as const satisfies readonly { key: keyof RegisterView; label: string; filter: keyof GroupFilter }[];

export const DEFAULT_SORT = 'review';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = <T extends string>(values: readonly T[], v: string): T | '' => ((values as readonly string[]).includes(v) ? (v as T) : '');

export function viewFromQuery(query: LocationQuery, sorts: readonly string[]): RegisterView {
  const q = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : '');
  const sort = q('sort');
  return {
    search: q('search').trim(),
    status: oneOf(GROUP_STATUSES, q('status')),
    platform: oneOf(PLATFORMS, q('platform')),
    risk: oneOf(RISK_LEVELS, q('risk')),
    officer: UUID.test(q('officer')) ? q('officer').toLowerCase() : '',
    overdue: q('overdue') === 'true',
    unresponsive: q('unresponsive') === 'true',
    wording: q('wording') === 'true',
    unverified: q('unverified') === 'true',
    sort: sorts.includes(sort) ? sort : DEFAULT_SORT,
  };
}

/** The query string of a view: only what differs from the whole register, in a fixed order. */
export function queryOfView(view: Partial<RegisterView>): Record<string, string> {
  const out: Record<string, string> = {};
  if (view.search?.trim()) out.search = view.search.trim();
  if (view.status) out.status = view.status;
  if (view.platform) out.platform = view.platform;
  if (view.risk) out.risk = view.risk;
  if (view.officer) out.officer = view.officer;
  for (const f of REGISTER_FLAGS) if (view[f.key]) out[f.key] = 'true';
  if (view.sort && view.sort !== DEFAULT_SORT) out.sort = view.sort;
  return out;
}

/** The API's filter for a view. */
export function filterOfView(view: RegisterView): GroupFilter {
  return {
    ...(view.search ? { search: view.search } : {}),
    ...(view.status ? { status: [view.status] } : {}),
    ...(view.platform ? { platform: [view.platform] } : {}),
    ...(view.risk ? { riskLevel: [view.risk] } : {}),
    ...(view.officer ? { assignedOfficerId: view.officer } : {}),
    ...Object.fromEntries(REGISTER_FLAGS.filter((f) => view[f.key]).map((f) => [f.filter, true])),
  };
}

/** Whether the view narrows the register at all (the sort alone does not). */
export function isFiltered(view: RegisterView): boolean {
  return Object.keys(queryOfView({ ...view, sort: DEFAULT_SORT })).length > 0;
}

/** A link to the register showing this view. */
export function registerLink(view: Partial<RegisterView>): string {
  const query = new URLSearchParams(queryOfView(view)).toString();
  return query ? `/register?${query}` : '/register';
}
