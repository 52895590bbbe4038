import { describe, expect, it } from 'vitest';
import { PERMISSION_LABELS, PERMISSIONS, permissionEnumName, permissionRefusal, RECEIVING_TEAM_ACTIONS, ROLE_PERMISSIONS, SCOPE_PERMISSIONS, type Permission } from './permissions.js';
import { accessOf, allows, type Principal } from './principal.js';
import { ROLES, SERVICE_SCOPES, type Role, type ServiceScope } from './vocabulary.js';

const OFFICER: Permission[] = [
  'group.read', 'group.readInternal', 'group.create', 'group.update', 'group.close', 'group.reopen',
  'administrator.read', 'administrator.write',
  'contact.read', 'contact.write',
  'wording.read', 'wording.propose',
  'wordingTemplate.read',
  'placement.record', 'logo.record',
  'concern.read', 'concern.record',
  'review.read', 'review.record',
  'referral.read', 'referral.draft',
  'escalation.read', 'escalation.draft', 'escalation.record',
];
const RECEIVING_TEAM: Permission[] = [
  'referral.read', 'referral.acknowledge', 'referral.progress', 'referral.note', 'referral.transfer', 'referral.close',
];

/** The matrix of DOMAIN.md, written out in full (not derived from the code under test). */
const EXPECTED: Record<Role, Permission[]> = {
  SOCIAL_MEDIA_OFFICER: OFFICER,
  SOCIAL_MEDIA_LEAD: [
    ...OFFICER,
    'wording.approve', 'wordingTemplate.manage', 'referral.submit', 'referral.overrideRouting', 'escalation.approve',
  ],
  DISCIPLINE: RECEIVING_TEAM,
  HR: RECEIVING_TEAM,
  LEGAL: RECEIVING_TEAM,
  DATA_PROTECTION: ['audit.read', 'dataSubject.export', 'dataSubject.erase'],
  ADMIN: ['user.manage', 'serviceClient.manage'],
};

const EXPECTED_SCOPES: Record<ServiceScope, Permission[]> = {
  'groups:read': ['group.read'],
  'groups:report': ['group.report'],
  'referrals:read:DISCIPLINE': ['referral.read'],
  'referrals:read:HR': ['referral.read'],
  'referrals:read:LEGAL': ['referral.read'],
};

const user = (...roles: Role[]): Principal => ({ kind: 'user', id: 'u1', roles, scopes: [] });
const can = (p: Principal, permission: Permission): boolean => allows(accessOf(p), permission);
const service = (...scopes: ServiceScope[]): Principal => ({ kind: 'service', id: 's1', roles: [], scopes });

describe('permissions', () => {
  it('lists the 40 permissions of the contract without duplicates', () => {
    expect(PERMISSIONS).toHaveLength(40);
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
    for (const p of PERMISSIONS) expect(p).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z:]*$/);
  });

  it('grants every (role, permission) pair exactly as the expected matrix says', () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const perm of PERMISSIONS) {
        const expected = EXPECTED[role].includes(perm);
        if (can(user(role), perm) !== expected) wrong.push(`${role} ${expected ? 'lacks' : 'has'} ${perm}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('grants every (scope, permission) pair exactly as the expected matrix says', () => {
    const wrong: string[] = [];
    for (const scope of SERVICE_SCOPES) {
      for (const perm of PERMISSIONS) {
        const expected = EXPECTED_SCOPES[scope].includes(perm);
        if (can(service(scope), perm) !== expected) wrong.push(`${scope} ${expected ? 'lacks' : 'has'} ${perm}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tables have no duplicate entries and only known permissions', () => {
    for (const role of ROLES) {
      expect(new Set(ROLE_PERMISSIONS[role]).size).toBe(ROLE_PERMISSIONS[role].length);
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
    }
    for (const scope of SERVICE_SCOPES) for (const p of SCOPE_PERMISSIONS[scope]) expect(PERMISSIONS).toContain(p);
  });

  it('every permission is granted by some role or scope', () => {
    const granted = new Set<Permission>([...Object.values(ROLE_PERMISSIONS).flat(), ...Object.values(SCOPE_PERMISSIONS).flat()]);
    expect(PERMISSIONS.filter((p) => !granted.has(p))).toEqual([]);
  });

  it('the key refusals of DOMAIN.md hold', () => {
    expect(can(user('SOCIAL_MEDIA_OFFICER'), 'group.report')).toBe(false);
    expect(can(user('SOCIAL_MEDIA_OFFICER'), 'wording.approve')).toBe(false);
    expect(can(user('SOCIAL_MEDIA_OFFICER'), 'referral.submit')).toBe(false);
    expect(can(user('SOCIAL_MEDIA_OFFICER'), 'escalation.approve')).toBe(false);
    expect(can(user('SOCIAL_MEDIA_LEAD'), 'referral.acknowledge')).toBe(false);
    expect(can(user('ADMIN'), 'referral.read')).toBe(false);
    expect(can(user('ADMIN'), 'group.read')).toBe(false);
    expect(can(user('DATA_PROTECTION'), 'referral.read')).toBe(false);
    expect(can(user('HR'), 'group.read')).toBe(false);
    expect(can(user('LEGAL'), 'referral.draft')).toBe(false);
    expect(can(service('groups:read'), 'group.readInternal')).toBe(false);
    expect(can(service('groups:read'), 'administrator.read')).toBe(false);
  });

  it('the receiving-team actions are exactly the team permissions other than read', () => {
    expect([...RECEIVING_TEAM_ACTIONS].sort()).toEqual(RECEIVING_TEAM.filter((p) => p !== 'referral.read').sort());
  });

  it('labels every permission, as words that finish "your role does not allow you to …"', () => {
    expect(Object.keys(PERMISSION_LABELS).sort()).toEqual([...PERMISSIONS].sort());
    for (const p of PERMISSIONS) {
      expect(PERMISSION_LABELS[p], p).toMatch(/^[a-z][^.]{8,}[a-z)]$/);
      expect(permissionRefusal(p)).toBe(`your role does not allow you to ${PERMISSION_LABELS[p]}`);
    }
    expect(new Set(Object.values(PERMISSION_LABELS)).size).toBe(PERMISSIONS.length);
    expect(Object.isFrozen(PERMISSION_LABELS)).toBe(true);
  });

  it('tables cannot be changed at runtime', () => {
    expect(Object.isFrozen(ROLE_PERMISSIONS)).toBe(true);
    expect(Object.isFrozen(ROLE_PERMISSIONS.ADMIN)).toBe(true);
    expect(Object.isFrozen(SCOPE_PERMISSIONS['groups:read'])).toBe(true);
  });
});

describe('permissionEnumName', () => {
  it('spells every permission as a distinct GraphQL enum value', () => {
    const names = PERMISSIONS.map(permissionEnumName);
    expect(new Set(names).size).toBe(PERMISSIONS.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Z_]*$/);
    expect(permissionEnumName('group.readInternal')).toBe('GROUP_READ_INTERNAL');
  });
});
