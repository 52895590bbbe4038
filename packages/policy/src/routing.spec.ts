import { describe, expect, it } from 'vitest';
import { accessOf, NO_ACCESS, type Access } from './principal.js';
import {
  proposeRouting,
  resolveRouting,
  teamForAffiliation,
  type RoutingAdministrator,
  type RoutingDecision,
} from './routing.js';
import { AFFILIATIONS, type Affiliation, type Role, type Team } from './vocabulary.js';

const user = (...roles: Role[]): Access => accessOf({ kind: 'user', id: 'u1', roles, scopes: [] });
const LEAD = user('SOCIAL_MEDIA_LEAD');
const OFFICER = user('SOCIAL_MEDIA_OFFICER');
const admin = (id: string, affiliation: Affiliation): RoutingAdministrator => ({ id, affiliation });

describe('teamForAffiliation', () => {
  it('routes by affiliation as DOMAIN.md says', () => {
    const expected: Record<Affiliation, Team> = {
      STUDENT: 'DISCIPLINE',
      STAFF: 'HR',
      ALUMNI: 'LEGAL',
      UNAFFILIATED: 'LEGAL',
      UNKNOWN: 'LEGAL',
    };
    for (const a of AFFILIATIONS) expect(teamForAffiliation(a), a).toBe(expected[a]);
  });

  it('sends anything unrecognised to LEGAL', () => {
    expect(teamForAffiliation('ALIEN' as Affiliation)).toBe('LEGAL');
  });
});

describe('proposeRouting', () => {
  it('sends a referral with no known administrators to LEGAL, explaining why', () => {
    const p = proposeRouting([]);
    expect(p).toMatchObject({ teams: ['LEGAL'], byTeam: [{ team: 'LEGAL', administratorIds: [] }], needsDecision: false });
    expect(p.explanation).toMatch(/no administrators are known/i);
    expect(p.explanation).toBe('No administrators are known, so their identity is unknown: the referral goes to Legal.');
  });

  it('needs no decision when all administrators belong to one team', () => {
    const p = proposeRouting([admin('a', 'STUDENT'), admin('b', 'STUDENT')]);
    expect(p).toEqual({
      teams: ['DISCIPLINE'],
      byTeam: [{ team: 'DISCIPLINE', administratorIds: ['a', 'b'] }],
      needsDecision: false,
      explanation: 'The referral goes to Student discipline: 2 students → Student discipline.',
    });
  });

  it('groups ALUMNI, UNAFFILIATED and UNKNOWN together under LEGAL', () => {
    const p = proposeRouting([admin('a', 'ALUMNI'), admin('b', 'UNKNOWN'), admin('c', 'UNAFFILIATED')]);
    expect(p.teams).toEqual(['LEGAL']);
    expect(p.byTeam).toEqual([{ team: 'LEGAL', administratorIds: ['a', 'b', 'c'] }]);
    expect(p.needsDecision).toBe(false);
    expect(p.explanation).toContain('1 alumnus');
  });

  it('with mixed affiliations lists every team in TEAMS order and asks for a decision', () => {
    const p = proposeRouting([
      admin('u', 'UNKNOWN'),
      admin('s1', 'STUDENT'),
      admin('h', 'STAFF'),
      admin('s2', 'STUDENT'),
    ]);
    expect(p.teams).toEqual(['DISCIPLINE', 'HR', 'LEGAL']);
    expect(p.byTeam).toEqual([
      { team: 'DISCIPLINE', administratorIds: ['s1', 's2'] },
      { team: 'HR', administratorIds: ['h'] },
      { team: 'LEGAL', administratorIds: ['u'] },
    ]);
    expect(p.needsDecision).toBe(true);
    expect(p.explanation).toContain('2 students → Student discipline');
    expect(p.explanation).toContain('1 member of staff → HR');
    expect(p.explanation).toContain('1 administrator of unknown affiliation → Legal');
    expect(p.explanation).toMatch(/split the referral.*or override/);
  });
});

describe('resolveRouting', () => {
  const mixed = proposeRouting([admin('s', 'STUDENT'), admin('h', 'STAFF')]);
  const single = proposeRouting([admin('s', 'STUDENT')]);

  it('AUTO follows a single-team proposal', () => {
    expect(resolveRouting(single, { mode: 'AUTO' }, OFFICER)).toEqual({
      ok: true,
      routes: [{ team: 'DISCIPLINE', administratorIds: ['s'] }],
      overrideReason: null,
    });
    expect(resolveRouting(proposeRouting([]), { mode: 'AUTO' }, LEAD)).toEqual({
      ok: true,
      routes: [{ team: 'LEGAL', administratorIds: [] }],
      overrideReason: null,
    });
  });

  it('AUTO is refused when the administrators belong to several teams, naming them', () => {
    expect(resolveRouting(mixed, { mode: 'AUTO' }, LEAD)).toEqual({
      ok: false,
      unmet: 'the administrators belong to Student discipline and HR: split the referral, one per team, or override the routing with a reason',
      field: 'routing.mode',
    });
  });

  it('SPLIT gives one route per team', () => {
    expect(resolveRouting(mixed, { mode: 'SPLIT' }, LEAD)).toEqual({
      ok: true,
      routes: [
        { team: 'DISCIPLINE', administratorIds: ['s'] },
        { team: 'HR', administratorIds: ['h'] },
      ],
      overrideReason: null,
    });
    expect(resolveRouting(single, { mode: 'SPLIT' }, LEAD)).toMatchObject({ ok: true, routes: [{ team: 'DISCIPLINE' }] });
  });

  it('routes are copies: changing them does not change the proposal', () => {
    const r = resolveRouting(single, { mode: 'SPLIT' }, LEAD);
    if (!r.ok) throw new Error('expected ok');
    r.routes[0]!.administratorIds.push('x');
    expect(single.byTeam[0]!.administratorIds).toEqual(['s']);
  });

  it('OVERRIDE by a lead with a reason sends every administrator to the chosen team', () => {
    const d: RoutingDecision = { mode: 'OVERRIDE', team: 'LEGAL', reason: '  Both administrators act for an external company.  ' };
    expect(resolveRouting(mixed, d, LEAD)).toEqual({
      ok: true,
      routes: [{ team: 'LEGAL', administratorIds: ['s', 'h'] }],
      overrideReason: 'Both administrators act for an external company.',
    });
  });

  it('OVERRIDE also works for a single-team proposal', () => {
    const d: RoutingDecision = { mode: 'OVERRIDE', team: 'HR', reason: 'Student is also employed as staff' };
    expect(resolveRouting(single, d, LEAD)).toMatchObject({ ok: true, routes: [{ team: 'HR', administratorIds: ['s'] }] });
  });

  it.each([
    ['an officer', OFFICER],
    ['a receiving team', user('HR')],
    ['an admin', user('ADMIN')],
    ['an anonymous caller', NO_ACCESS],
  ])('OVERRIDE by %s is refused on routing.mode', (_who, p) => {
    const d: RoutingDecision = { mode: 'OVERRIDE', team: 'LEGAL', reason: 'A perfectly good reason' };
    expect(resolveRouting(mixed, d, p)).toEqual({
      ok: false,
      unmet: 'only a social media lead may override the routing',
      field: 'routing.mode',
    });
  });

  it.each(['', 'too short', '          ', 'a b c d e f g h i', '\n\t  123456789  '])(
    'OVERRIDE with a reason of fewer than 10 non-blank characters (%j) is refused on routing.reason',
    (reason) => {
      const r = resolveRouting(mixed, { mode: 'OVERRIDE', team: 'LEGAL', reason }, LEAD);
      expect(r).toEqual({
        ok: false,
        unmet: 'give a reason for overriding the routing of at least 10 characters',
        field: 'routing.reason',
      });
    },
  );

  it('OVERRIDE with exactly 10 non-blank characters is accepted', () => {
    expect(resolveRouting(mixed, { mode: 'OVERRIDE', team: 'HR', reason: ' 1234567890 ' }, LEAD)).toMatchObject({
      ok: true,
      overrideReason: '1234567890',
    });
  });

  it('OVERRIDE with an over-long reason is refused on routing.reason', () => {
    const r = resolveRouting(mixed, { mode: 'OVERRIDE', team: 'HR', reason: 'x'.repeat(2001) }, LEAD);
    expect(r).toMatchObject({ ok: false, field: 'routing.reason', unmet: expect.stringContaining('2000') });
  });

  it('OVERRIDE to an unknown team is refused on routing.team', () => {
    const r = resolveRouting(mixed, { mode: 'OVERRIDE', team: 'FINANCE' as Team, reason: 'A perfectly good reason' }, LEAD);
    expect(r).toMatchObject({ ok: false, field: 'routing.team' });
  });

  it('an unknown mode is refused on routing.mode', () => {
    const r = resolveRouting(mixed, { mode: 'GUESS' } as unknown as RoutingDecision, LEAD);
    expect(r).toMatchObject({ ok: false, field: 'routing.mode' });
  });
});
