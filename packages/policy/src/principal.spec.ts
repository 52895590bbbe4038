import { describe, expect, it } from 'vitest';
import type { Permission } from './permissions.js';
import {
  ANONYMOUS,
  can,
  canActOnReferral,
  canAny,
  canReadReferralNotes,
  permissionsOf,
  referralScope,
  referralVisible,
  teamsOf,
  type Principal,
  type ReferralScope,
} from './principal.js';
import { REFERRAL_STATUSES, TEAMS, type ReferralStatus, type Role, type ServiceScope, type Team } from './vocabulary.js';

const user = (...roles: Role[]): Principal => ({ kind: 'user', id: 'u1', roles, scopes: [] });
const service = (...scopes: ServiceScope[]): Principal => ({ kind: 'service', id: 's1', roles: [], scopes });
const referral = (team: Team | null, status: ReferralStatus) => ({ team, status });

describe('principal', () => {
  describe('permissionsOf / can / canAny', () => {
    it('an anonymous caller may do nothing', () => {
      expect(permissionsOf(ANONYMOUS).size).toBe(0);
      expect(can(ANONYMOUS, 'group.read')).toBe(false);
      expect(canAny(ANONYMOUS, ['group.read', 'referral.read'])).toBe(false);
    });

    it('an anonymous principal carrying roles or scopes still gets nothing', () => {
      const forged: Principal = { kind: 'anonymous', id: null, roles: ['SOCIAL_MEDIA_LEAD'], scopes: ['groups:read'] };
      expect(permissionsOf(forged).size).toBe(0);
      expect(teamsOf(forged)).toEqual([]);
      expect(referralScope(forged)).toEqual({ kind: 'none' });
    });

    it('roles count only for users and scopes only for services', () => {
      const serviceWithRole: Principal = { kind: 'service', id: 's', roles: ['SOCIAL_MEDIA_LEAD'], scopes: [] };
      const userWithScope: Principal = { kind: 'user', id: 'u', roles: [], scopes: ['groups:read'] };
      expect(can(serviceWithRole, 'wording.approve')).toBe(false);
      expect(can(userWithScope, 'group.read')).toBe(false);
    });

    it('a user holding several roles gets the union', () => {
      const p = user('DATA_PROTECTION', 'ADMIN');
      expect(can(p, 'audit.read')).toBe(true);
      expect(can(p, 'user.manage')).toBe(true);
      expect(can(p, 'group.read')).toBe(false);
      expect(permissionsOf(p).size).toBe(5);
    });

    it('a service with several scopes gets the union', () => {
      const p = service('groups:read', 'groups:report');
      expect([...permissionsOf(p)].sort()).toEqual(['group.read', 'group.report']);
    });

    it('unknown roles or scopes grant nothing', () => {
      const p: Principal = { kind: 'user', id: 'u', roles: ['ROOT' as Role], scopes: [] };
      expect(permissionsOf(p).size).toBe(0);
      const s: Principal = { kind: 'service', id: 's', roles: [], scopes: ['referrals:read:ALL' as ServiceScope] };
      expect(permissionsOf(s).size).toBe(0);
      expect(teamsOf(s)).toEqual([]);
    });

    it('canAny is true when any one permission is held', () => {
      const p = user('HR');
      expect(canAny(p, ['group.read', 'referral.read'])).toBe(true);
      expect(canAny(p, ['group.read', 'audit.read'])).toBe(false);
      expect(canAny(p, [])).toBe(false);
    });
  });

  describe('teamsOf', () => {
    it('returns team roles of a user in TEAMS order, without duplicates', () => {
      expect(teamsOf(user('LEGAL', 'SOCIAL_MEDIA_OFFICER', 'DISCIPLINE', 'LEGAL'))).toEqual(['DISCIPLINE', 'LEGAL']);
      expect(teamsOf(user('SOCIAL_MEDIA_LEAD', 'ADMIN'))).toEqual([]);
    });

    it('returns teams of referrals:read scopes of a service', () => {
      expect(teamsOf(service('referrals:read:LEGAL', 'groups:read', 'referrals:read:HR'))).toEqual(['HR', 'LEGAL']);
      expect(teamsOf(service('groups:read'))).toEqual([]);
    });

    it('is empty for anonymous callers', () => {
      expect(teamsOf(ANONYMOUS)).toEqual([]);
    });
  });

  describe('referralScope', () => {
    const cases: [string, Principal, ReferralScope][] = [
      ['officer', user('SOCIAL_MEDIA_OFFICER'), { kind: 'all' }],
      ['lead', user('SOCIAL_MEDIA_LEAD'), { kind: 'all' }],
      ['discipline', user('DISCIPLINE'), { kind: 'teams', teams: ['DISCIPLINE'] }],
      ['hr', user('HR'), { kind: 'teams', teams: ['HR'] }],
      ['legal', user('LEGAL'), { kind: 'teams', teams: ['LEGAL'] }],
      ['hr and legal', user('LEGAL', 'HR'), { kind: 'teams', teams: ['HR', 'LEGAL'] }],
      ['officer who is also HR (all wins)', user('HR', 'SOCIAL_MEDIA_OFFICER'), { kind: 'all' }],
      ['data protection', user('DATA_PROTECTION'), { kind: 'none' }],
      ['admin', user('ADMIN'), { kind: 'none' }],
      ['user with no roles', user(), { kind: 'none' }],
      ['anonymous', ANONYMOUS, { kind: 'none' }],
      ['groups:read service', service('groups:read'), { kind: 'none' }],
      ['groups:report service', service('groups:report'), { kind: 'none' }],
      ['referrals:read:HR service', service('referrals:read:HR'), { kind: 'teams', teams: ['HR'] }],
      [
        'two referral scopes',
        service('referrals:read:LEGAL', 'referrals:read:DISCIPLINE'),
        { kind: 'teams', teams: ['DISCIPLINE', 'LEGAL'] },
      ],
    ];
    it.each(cases)('%s', (_name, p, expected) => {
      expect(referralScope(p)).toEqual(expected);
    });
  });

  describe('referralVisible', () => {
    it("'all' sees every referral, drafts included", () => {
      for (const status of REFERRAL_STATUSES) {
        expect(referralVisible({ kind: 'all' }, referral(null, status))).toBe(true);
        expect(referralVisible({ kind: 'all' }, referral('HR', status))).toBe(true);
      }
    });

    it("'none' sees nothing", () => {
      for (const status of REFERRAL_STATUSES) {
        for (const team of [...TEAMS, null]) expect(referralVisible({ kind: 'none' }, referral(team, status))).toBe(false);
      }
    });

    it("'teams' sees only its teams' referrals and never a draft", () => {
      const scope: ReferralScope = { kind: 'teams', teams: ['HR'] };
      for (const status of REFERRAL_STATUSES) {
        expect(referralVisible(scope, referral('HR', status))).toBe(status !== 'DRAFT');
        expect(referralVisible(scope, referral('LEGAL', status))).toBe(false);
        expect(referralVisible(scope, referral('DISCIPLINE', status))).toBe(false);
        expect(referralVisible(scope, referral(null, status))).toBe(false);
      }
    });
  });

  describe('canActOnReferral', () => {
    const TEAM_ACTIONS: Permission[] = [
      'referral.acknowledge', 'referral.progress', 'referral.note', 'referral.transfer', 'referral.close',
    ];

    it('a team member may act on a submitted referral of their own team only', () => {
      for (const action of TEAM_ACTIONS) {
        expect(canActOnReferral(user('HR'), action, referral('HR', 'SUBMITTED'))).toBe(true);
        expect(canActOnReferral(user('HR'), action, referral('LEGAL', 'SUBMITTED'))).toBe(false);
        expect(canActOnReferral(user('HR'), action, referral('HR', 'DRAFT'))).toBe(false);
        expect(canActOnReferral(user('HR'), action, referral(null, 'DRAFT'))).toBe(false);
      }
    });

    it('officers and leads may not act as a receiving team', () => {
      for (const action of TEAM_ACTIONS) {
        expect(canActOnReferral(user('SOCIAL_MEDIA_LEAD'), action, referral('HR', 'SUBMITTED'))).toBe(false);
        expect(canActOnReferral(user('SOCIAL_MEDIA_OFFICER'), action, referral('HR', 'ACKNOWLEDGED'))).toBe(false);
      }
    });

    it('a lead who also holds a team role may act for that team only', () => {
      const p = user('SOCIAL_MEDIA_LEAD', 'DISCIPLINE');
      expect(canActOnReferral(p, 'referral.acknowledge', referral('DISCIPLINE', 'SUBMITTED'))).toBe(true);
      expect(canActOnReferral(p, 'referral.acknowledge', referral('HR', 'SUBMITTED'))).toBe(false);
    });

    it('a service with a team scope may read but not act', () => {
      const p = service('referrals:read:HR');
      expect(canActOnReferral(p, 'referral.read', referral('HR', 'IN_PROGRESS'))).toBe(true);
      expect(canActOnReferral(p, 'referral.read', referral('HR', 'DRAFT'))).toBe(false);
      expect(canActOnReferral(p, 'referral.read', referral('LEGAL', 'IN_PROGRESS'))).toBe(false);
      for (const action of TEAM_ACTIONS) expect(canActOnReferral(p, action, referral('HR', 'SUBMITTED'))).toBe(false);
    });

    it('reading follows the referral scope', () => {
      expect(canActOnReferral(user('SOCIAL_MEDIA_OFFICER'), 'referral.read', referral(null, 'DRAFT'))).toBe(true);
      expect(canActOnReferral(user('LEGAL'), 'referral.read', referral('LEGAL', 'CLOSED'))).toBe(true);
      expect(canActOnReferral(user('LEGAL'), 'referral.read', referral('HR', 'CLOSED'))).toBe(false);
      expect(canActOnReferral(user('ADMIN'), 'referral.read', referral('HR', 'SUBMITTED'))).toBe(false);
      expect(canActOnReferral(user('DATA_PROTECTION'), 'referral.read', referral('HR', 'SUBMITTED'))).toBe(false);
      expect(canActOnReferral(ANONYMOUS, 'referral.read', referral('HR', 'SUBMITTED'))).toBe(false);
    });

    it('other referral permissions need the permission itself', () => {
      expect(canActOnReferral(user('SOCIAL_MEDIA_LEAD'), 'referral.submit', referral(null, 'DRAFT'))).toBe(true);
      expect(canActOnReferral(user('SOCIAL_MEDIA_OFFICER'), 'referral.submit', referral(null, 'DRAFT'))).toBe(false);
      expect(canActOnReferral(user('HR'), 'referral.submit', referral('HR', 'SUBMITTED'))).toBe(false);
    });
  });

  describe('canReadReferralNotes', () => {
    it('only holders of that team role read its notes', () => {
      for (const team of TEAMS) {
        for (const other of TEAMS) expect(canReadReferralNotes(user(other), team)).toBe(team === other);
        expect(canReadReferralNotes(user('SOCIAL_MEDIA_LEAD'), team)).toBe(false);
        expect(canReadReferralNotes(user('SOCIAL_MEDIA_OFFICER'), team)).toBe(false);
        expect(canReadReferralNotes(user('ADMIN'), team)).toBe(false);
        expect(canReadReferralNotes(user('DATA_PROTECTION'), team)).toBe(false);
        expect(canReadReferralNotes(ANONYMOUS, team)).toBe(false);
      }
    });

    it('a service with the team scope does not read team notes', () => {
      expect(canReadReferralNotes(service('referrals:read:HR'), 'HR')).toBe(false);
    });
  });

  it('ANONYMOUS is frozen', () => {
    expect(Object.isFrozen(ANONYMOUS)).toBe(true);
    expect(ANONYMOUS).toEqual({ kind: 'anonymous', id: null, roles: [], scopes: [] });
  });
});
