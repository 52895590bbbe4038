import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction } from '@signpost/policy';
import { AuditEvent } from './audit-event.entity.js';
import { describeEvent } from './audit.service.js';

const event = (action: string, details: Record<string, unknown> = {}, referralTeam: string | null = null): AuditEvent =>
  Object.assign(new AuditEvent(), { action, details, referralTeam });

/** An event of every action of the registry, with the details the API writes for it, and its sentence. */
const SAMPLES: Record<AuditAction, [Record<string, unknown>, string | null, string]> = {
  'group.create': [{ platform: 'TIKTOK', riskLevel: 'HIGH' }, null, 'Group recorded: TikTok, high risk'],
  'group.update': [{ fields: ['name', 'usesLogo'] }, null, 'Group details changed: name and uses logo'],
  'group.status': [{ from: 'DISCOVERED', to: 'CONTACTING', transition: 'startContact', automatic: true }, null, 'Status Discovered → Contacting (automatic)'],
  'administrator.add': [{ affiliation: 'STUDENT' }, null, 'Administrator added: student'],
  'administrator.update': [{ fields: ['handle', 'affiliation'], affiliationFrom: 'UNKNOWN', affiliationTo: 'STAFF' }, null, 'Administrator details changed: handle, affiliation Not known yet → Member of staff'],
  'contact.log': [{ direction: 'OUTBOUND', channel: 'PLATFORM_MESSAGE', outcome: 'NO_RESPONSE', steps: [] }, null, 'Contact logged: message on the platform, we contacted them, no response'],
  'concern.record': [{ category: 'HATE_SPEECH', severity: 'HIGH', actionTaken: 'SIGNPOSTED', escalationPrompted: true }, null, 'Concern recorded: Hate speech, high severity, signposted to support, escalation prompted'],
  'wording.propose': [{ from: null, to: 'PROPOSED', versionNumber: 2, proposedBy: 'ADMINISTRATORS', checkPasses: false, missing: ['a', 'b'] }, null, 'Wording proposed: version 2, by the administrators, now awaiting approval, the check found 2 elements missing'],
  'wording.approve': [{ from: 'PROPOSED', to: 'AGREED', versionNumber: 3, superseded: ['x'] }, null, 'Wording approved: version 3 agreed, 1 earlier agreement superseded'],
  'wording.supersede': [{ from: 'AGREED', to: 'SUPERSEDED', supersededBy: 'x' }, null, 'Wording superseded by a newly agreed version'],
  'placement.record': [{ placement: 'PINNED_MESSAGE', from: 'PUBLISHED', to: 'VERIFIED' }, null, 'Placement pinned message recorded as Verified'],
  'logo.record': [{ from: 'IN_USE', to: 'REMOVAL_REQUESTED', withNote: false }, null, 'Logo use recorded: In use → Removal requested'],
  'review.record': [
    { pinnedMessagePresent: true, autoResponsePresent: false, logoStillUsed: false, placementChanges: 1, nextReviewDue: '2027-03-03T09:00:00.000Z' }, null,
    'Review recorded: pinned message present, auto-response missing, logo not used, 1 placement change, next review due 3 March 2027',
  ],
  'referral.read': [{}, 'HR', 'Referral to HR read'],
  'referral.draft': [{ reason: 'REFUSED_TO_ENGAGE' }, null, 'Referral drafted: refused to engage'],
  'referral.update': [{ fields: ['summary'] }, null, 'Referral draft changed: summary'],
  'referral.submit': [{ mode: 'AUTO', transition: 'submit', administrators: 1 }, 'HR', 'Referral submitted to HR'],
  'referral.acknowledge': [{ from: 'SUBMITTED', to: 'ACKNOWLEDGED' }, 'LEGAL', 'Referral to Legal acknowledged'],
  'referral.status': [{ from: 'ACKNOWLEDGED', to: 'IN_PROGRESS' }, 'DISCIPLINE', 'Referral to Student discipline: Acknowledged → In progress'],
  'referral.note': [{ noteId: 'x' }, 'HR', 'Note added to a referral to HR'],
  'referral.transfer': [{ fromTeam: 'HR', toTeam: 'LEGAL', from: 'ACKNOWLEDGED', to: 'SUBMITTED' }, 'HR', 'Referral transferred from HR to Legal'],
  'referral.close': [{ from: 'IN_PROGRESS', to: 'CLOSED', outcome: 'NO_FURTHER_ACTION' }, 'HR', 'Referral to HR closed: no further action'],
  'escalation.record': [{ kind: 'POLICE_REPORT' }, null, 'Escalation drafted: report to the police'],
  'escalation.approve': [{ kind: 'POLICE_REPORT', from: 'DRAFT', to: 'APPROVED' }, null, 'Escalation approved: report to the police'],
  'escalation.report': [{ kind: 'PLATFORM_REPORT', transition: 'approveAndReport' }, null, 'Escalation reported: report to the platform (approved in the same step)'],
  'escalation.close': [{ kind: 'PLATFORM_REPORT' }, null, 'Escalation closed: report to the platform'],
  'wordingTemplate.create': [{ version: 1, supportLinks: 3 }, null, 'Wording template created: version 1, 3 support links'],
  'wordingTemplate.revise': [{ previousId: 'x', version: 2, supportLinks: 1 }, null, 'Wording template revised: version 2, 1 support link'],
  'user.create': [{ roles: ['SOCIAL_MEDIA_OFFICER'], password: true }, null, 'User created: Social media officer, with a password'],
  'user.setRoles': [{ from: ['HR'], to: ['HR', 'LEGAL'] }, null, 'User roles changed: HR → HR, Legal'],
  'user.disable': [{}, null, 'User disabled'],
  'serviceClient.create': [{ scopes: ['groups:read', 'referrals:read:HR'] }, null, 'Service client created: read the register of groups; read HR’s referrals'],
  'serviceClient.approve': [{ scopes: ['groups:read'] }, null, 'Service client approved: read the register of groups'],
  'serviceClient.revoke': [{}, null, 'Service client revoked'],
  'auth.login': [{}, null, 'Signed in with a password'],
  'auth.oidcRefused': [{ reason: 'NO_ROLE' }, null, 'Sign-in refused: no role in Signpost'],
};

describe('describeEvent', () => {
  it.each(AUDIT_ACTIONS.map((a) => [a, ...SAMPLES[a]] as const))('tells %s in words', (action, details, team, sentence) => {
    expect(describeEvent(event(action, details, team))).toBe(sentence);
  });

  it('never shows a vocabulary value or an action by its code name', () => {
    for (const action of AUDIT_ACTIONS) {
      const [details, team] = SAMPLES[action];
      const sentence = describeEvent(event(action, details, team));
      expect(sentence, action).not.toMatch(/\b[A-Z]+_[A-Z_]+\b|\b[a-z]+\.[a-z]+|\b[a-z]+[A-Z][a-z]+|[a-z]:[a-z]|\bnull\b|\bundefined\b/);
      // And reads sensibly with no details at all (an event written before details were kept).
      expect(describeEvent(event(action, {}, team)), action).toMatch(/^[A-Z][a-z-]+ .*[A-Za-z)]$/);
      expect(describeEvent(event(action, {}, team)), action).not.toMatch(/\bundefined\b|\bnull\b|: $|→ $/);
    }
  });

  it('reads an OIDC sign-in and an automatic move without a from', () => {
    expect(describeEvent(event('auth.login', { method: 'oidc', roles: ['HR'] }))).toBe('Signed in with the sign-in provider');
    expect(describeEvent(event('group.status', { to: 'CLOSED' }))).toBe('Status now Closed');
    expect(describeEvent(event('group.update', { fields: ['riskLevel'], riskLevelFrom: 'LOW', riskLevelTo: 'HIGH', cause: 'concern' }))).toBe(
      'Group details changed: risk level Low → High after a concern',
    );
  });

  it('reads a list of referrals read as one event naming how many', () => {
    expect(describeEvent(event('referral.read', { referralIds: ['a', 'b', 'c'] }, 'HR'))).toBe('Referrals to HR read: 3 shown in a list');
    expect(describeEvent(event('referral.read', { referralIds: ['a', 'b'] }))).toBe('Referrals read: 2 shown in a list');
  });

  it('reads an action from an older release as its name in words', () => {
    expect(describeEvent(event('group.archive', {}, 'HR'))).toBe('Group archive (HR)');
  });
});
