import { describe, expect, it } from 'vitest';
import {
  roleChangeUnmet, roleCombinationUnmet, ROLES_EXCLUSIVE_OF_ADMIN, SCOPES_NEEDING_APPROVAL, serviceClientActive, serviceClientApprovalUnmet,
  serviceClientNeedsApproval,
} from './duties.js';
import { ROLES, SERVICE_SCOPES } from './vocabulary.js';

describe('separation of duties', () => {
  it('ADMIN is never held with a receiving team or DATA_PROTECTION', () => {
    expect(ROLES_EXCLUSIVE_OF_ADMIN).toEqual(['DISCIPLINE', 'HR', 'LEGAL', 'DATA_PROTECTION']);
    for (const role of ROLES) {
      const clash = ROLES_EXCLUSIVE_OF_ADMIN.includes(role);
      expect(roleCombinationUnmet(['ADMIN', role]).length, role).toBe(clash ? 1 : 0);
      expect(roleCombinationUnmet([role])).toEqual([]);
    }
    expect(roleCombinationUnmet(['ADMIN', 'HR', 'DATA_PROTECTION'])).toEqual([
      'ADMIN cannot be held together with HR on one account: give the HR role to someone else',
      'ADMIN cannot be held together with DATA_PROTECTION on one account: give the DATA_PROTECTION role to someone else',
    ]);
    expect(roleCombinationUnmet(['SOCIAL_MEDIA_LEAD', 'HR'])).toEqual([]);
  });

  it('nobody changes their own roles, whatever the roles', () => {
    expect(roleChangeUnmet({ actorId: 'a', targetId: 'a', roles: ['ADMIN'] })).toEqual(['nobody changes their own roles: ask another administrator']);
    expect(roleChangeUnmet({ actorId: 'a', targetId: 'b', roles: ['HR'] })).toEqual([]);
    expect(roleChangeUnmet({ actorId: 'a', targetId: 'a', roles: ['ADMIN', 'HR'] })).toHaveLength(2);
    // The command line (no acting person) is still held to the combination rule.
    expect(roleChangeUnmet({ actorId: null, targetId: 'b', roles: ['ADMIN', 'LEGAL'] })).toHaveLength(1);
  });

  it('service clients that read referrals need a second administrator', () => {
    expect(SCOPES_NEEDING_APPROVAL).toEqual(SERVICE_SCOPES.filter((s) => s.startsWith('referrals:read:')));
    expect(serviceClientNeedsApproval(['groups:read'])).toBe(false);
    expect(serviceClientNeedsApproval(['groups:read', 'referrals:read:HR'])).toBe(true);
    const pending = { scopes: ['referrals:read:HR'], createdBy: 'a1', revokedAt: null, approvedAt: null };
    expect(serviceClientActive(pending)).toBe(false);
    expect(serviceClientActive({ ...pending, approvedAt: new Date() })).toBe(true);
    expect(serviceClientActive({ ...pending, scopes: ['groups:read'] })).toBe(true);
    expect(serviceClientActive({ ...pending, scopes: ['groups:read'], revokedAt: new Date() })).toBe(false);
    expect(serviceClientApprovalUnmet(pending, 'a2')).toEqual([]);
    expect(serviceClientApprovalUnmet(pending, 'a1')).toEqual(['a second administrator must approve it: you created it']);
    expect(serviceClientApprovalUnmet({ ...pending, createdBy: null }, 'a1')).toEqual([]);
    expect(serviceClientApprovalUnmet({ ...pending, approvedAt: new Date(), revokedAt: new Date() }, 'a2')).toHaveLength(2);
    expect(serviceClientApprovalUnmet({ ...pending, scopes: ['groups:read'] }, 'a2')).toHaveLength(1);
  });
});
