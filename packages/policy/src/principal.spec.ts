import { describe, expect, it } from 'vitest';
import {
  accessOf, actsForTeam, allows, allowsAny, ANONYMOUS, mayBeAssignedGroups, mayReadReferral, NO_ACCESS,
  type Access, type Principal, type ReferralScopeKind,
} from './principal.js';
import { REFERRAL_STATUSES, ROLES, TEAMS, type ReferralStatus, type Role, type ServiceScope, type Team } from './vocabulary.js';

const user = (...roles: Role[]): Principal => ({ kind: 'user', id: 'u1', roles, scopes: [] });
const service = (...scopes: ServiceScope[]): Principal => ({ kind: 'service', id: 's1', roles: [], scopes });
const referral = (team: Team | null, status: ReferralStatus) => ({ team, status });

describe('accessOf', () => {
  describe('permissions', () => {
    it('an anonymous caller may do nothing', () => {
      expect(accessOf(ANONYMOUS).permissions.size).toBe(0);
      expect(allows(NO_ACCESS, 'group.read')).toBe(false);
      expect(allowsAny(NO_ACCESS, ['group.read', 'referral.read'])).toBe(false);
    });

    it('an anonymous principal carrying roles or scopes still gets nothing', () => {
      const forged = accessOf({ kind: 'anonymous', id: 'x', roles: ['SOCIAL_MEDIA_LEAD', 'HR'], scopes: ['groups:read'] });
      expect(forged.permissions.size).toBe(0);
      expect(forged).toMatchObject({ principalId: null, roles: [], referralScope: 'none', readTeams: [], actTeams: [], noteTeams: [] });
    });

    it('roles count only for users and scopes only for services', () => {
      expect(allows(accessOf({ kind: 'service', id: 's', roles: ['SOCIAL_MEDIA_LEAD'], scopes: [] }), 'wording.approve')).toBe(false);
      expect(allows(accessOf({ kind: 'user', id: 'u', roles: [], scopes: ['groups:read'] }), 'group.read')).toBe(false);
      expect(accessOf({ kind: 'service', id: 's', roles: ['HR'], scopes: [] }).actTeams).toEqual([]);
    });

    it('a user holding several roles gets the union', () => {
      const a = accessOf(user('DATA_PROTECTION', 'ADMIN'));
      expect(allows(a, 'audit.read')).toBe(true);
      expect(allows(a, 'user.manage')).toBe(true);
      expect(allows(a, 'group.read')).toBe(false);
      expect(a.permissions.size).toBe(5);
    });

    it('a service with several scopes gets the union', () => {
      expect([...accessOf(service('groups:read', 'groups:report')).permissions].sort()).toEqual(['group.read', 'group.report']);
    });

    it('unknown roles or scopes grant nothing', () => {
      expect(accessOf({ kind: 'user', id: 'u', roles: ['ROOT' as Role], scopes: [] }).permissions.size).toBe(0);
      const s = accessOf({ kind: 'service', id: 's', roles: [], scopes: ['referrals:read:ALL' as ServiceScope] });
      expect(s.permissions.size).toBe(0);
      expect(s.readTeams).toEqual([]);
    });

    it('allowsAny is true when any one permission is held', () => {
      const a = accessOf(user('HR'));
      expect(allowsAny(a, ['group.read', 'referral.read'])).toBe(true);
      expect(allowsAny(a, ['group.read', 'audit.read'])).toBe(false);
      expect(allowsAny(a, [])).toBe(false);
    });
  });

  describe('referral scope and teams', () => {
    const cases: [string, Principal, ReferralScopeKind, Team[], Team[]][] = [
      // name, principal, scope, readTeams, actTeams (= noteTeams)
      ['officer', user('SOCIAL_MEDIA_OFFICER'), 'all', [...TEAMS], []],
      ['lead', user('SOCIAL_MEDIA_LEAD'), 'all', [...TEAMS], []],
      ['discipline', user('DISCIPLINE'), 'teams', ['DISCIPLINE'], ['DISCIPLINE']],
      ['hr', user('HR'), 'teams', ['HR'], ['HR']],
      ['legal', user('LEGAL'), 'teams', ['LEGAL'], ['LEGAL']],
      ['hr and legal, in TEAMS order without duplicates', user('LEGAL', 'HR', 'LEGAL'), 'teams', ['HR', 'LEGAL'], ['HR', 'LEGAL']],
      ['officer who is also HR (all wins; acts for HR only)', user('HR', 'SOCIAL_MEDIA_OFFICER'), 'all', [...TEAMS], ['HR']],
      ['data protection', user('DATA_PROTECTION'), 'none', [], []],
      ['admin', user('ADMIN'), 'none', [], []],
      ['user with no roles', user(), 'none', [], []],
      ['anonymous', ANONYMOUS, 'none', [], []],
      ['groups:read service', service('groups:read'), 'none', [], []],
      ['groups:report service', service('groups:report'), 'none', [], []],
      ['referrals:read:HR service (reads, never acts)', service('referrals:read:HR'), 'teams', ['HR'], []],
      ['two referral scopes', service('referrals:read:LEGAL', 'referrals:read:DISCIPLINE'), 'teams', ['DISCIPLINE', 'LEGAL'], []],
    ];
    it.each(cases)('%s', (_name, p, scope, readTeams, actTeams) => {
      const a = accessOf(p);
      expect(a.referralScope).toBe(scope);
      expect(a.readTeams).toEqual(readTeams);
      expect(a.actTeams).toEqual(actTeams);
      expect(a.noteTeams).toEqual(actTeams);
    });
  });

  describe('mayReadReferral', () => {
    it('the social media team sees every referral, drafts included', () => {
      for (const status of REFERRAL_STATUSES) {
        expect(mayReadReferral(accessOf(user('SOCIAL_MEDIA_OFFICER')), referral(null, status))).toBe(true);
        expect(mayReadReferral(accessOf(user('SOCIAL_MEDIA_LEAD')), referral('HR', status))).toBe(true);
      }
    });

    it('nobody else outside the teams sees any', () => {
      for (const a of [NO_ACCESS, accessOf(user('ADMIN')), accessOf(user('DATA_PROTECTION')), accessOf(service('groups:read'))]) {
        for (const status of REFERRAL_STATUSES) for (const team of [...TEAMS, null]) expect(mayReadReferral(a, referral(team, status))).toBe(false);
      }
    });

    it("a team sees only its own referrals, and never a draft", () => {
      for (const a of [accessOf(user('HR')), accessOf(service('referrals:read:HR'))]) {
        for (const status of REFERRAL_STATUSES) {
          expect(mayReadReferral(a, referral('HR', status))).toBe(status !== 'DRAFT');
          expect(mayReadReferral(a, referral('LEGAL', status))).toBe(false);
          expect(mayReadReferral(a, referral(null, status))).toBe(false);
        }
      }
    });
  });

  it('actsForTeam: only holders of the team role, never a service or the social media team', () => {
    for (const team of TEAMS) {
      for (const other of TEAMS) expect(actsForTeam(accessOf(user(other)), team)).toBe(team === other);
      expect(actsForTeam(accessOf(user('SOCIAL_MEDIA_LEAD')), team)).toBe(false);
      expect(actsForTeam(accessOf(service(`referrals:read:${team}`)), team)).toBe(false);
      expect(actsForTeam(accessOf(user(team)), null)).toBe(false);
    }
  });

  it('mayBeAssignedGroups: members of the social media team only', () => {
    const expected = new Set<Role>(['SOCIAL_MEDIA_OFFICER', 'SOCIAL_MEDIA_LEAD']);
    for (const role of ROLES) expect(mayBeAssignedGroups([role]), role).toBe(expected.has(role));
    expect(mayBeAssignedGroups([])).toBe(false);
  });

  it('is frozen, and so is ANONYMOUS', () => {
    const a: Access = accessOf(user('HR'));
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.readTeams)).toBe(true);
    expect(Object.isFrozen(ANONYMOUS)).toBe(true);
    expect(ANONYMOUS).toEqual({ kind: 'anonymous', id: null, roles: [], scopes: [] });
  });
});
