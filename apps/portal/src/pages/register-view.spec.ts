import { describe, expect, it } from 'vitest';
import { filterOfView, isFiltered, queryOfView, registerLink, viewFromQuery } from './register-view.js';

const SORTS = ['review', 'name', 'risk'];
const OFFICER = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

describe('the register view kept in the URL', () => {
  it('reads every filter from the query and writes it back the same, so a link reproduces the view', () => {
    const query = { search: ' memes ', status: 'CONTACTING', platform: 'TIKTOK', risk: 'HIGH', officer: OFFICER, overdue: 'true', unresponsive: 'true', wording: 'true', unverified: 'true', sort: 'name' };
    const view = viewFromQuery(query, SORTS);
    expect(filterOfView(view)).toEqual({
      search: 'memes', status: ['CONTACTING'], platform: ['TIKTOK'], riskLevel: ['HIGH'], assignedOfficerId: OFFICER,
      overdueReview: true, unresponsiveEligible: true, wordingAwaitingApproval: true, placementsUnverified: true,
    });
    expect(queryOfView(view)).toEqual({ ...query, search: 'memes' });
    expect(viewFromQuery(queryOfView(view), SORTS)).toEqual(view);
    expect(isFiltered(view)).toBe(true);
  });

  it('ignores values the URL cannot mean, rather than failing', () => {
    const view = viewFromQuery({ status: 'LOST', platform: 'MYSPACE', risk: 'HUGE', officer: 'not-an-id', overdue: '1', unverified: ['true', 'true'], sort: 'bogus' }, SORTS);
    expect(filterOfView(view)).toEqual({});
    expect(view.sort).toBe('review');
    expect(isFiltered(view)).toBe(false);
    expect(queryOfView(view)).toEqual({});
  });

  it('links Home to the register filtered exactly as each list is; the order alone is no filter', () => {
    expect(registerLink({ overdue: true })).toBe('/register?overdue=true');
    expect(registerLink({ risk: 'CRITICAL' })).toBe('/register?risk=CRITICAL');
    expect(registerLink({ unverified: true })).toBe('/register?unverified=true');
    expect(registerLink({})).toBe('/register');
    expect(isFiltered(viewFromQuery({ sort: 'name' }, SORTS))).toBe(false);
  });
});
