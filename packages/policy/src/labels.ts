import type {
  Affiliation, ConcernAction, ConcernCategory, ContactChannel, ContactDirection, ContactOutcome, EscalationKind, EscalationStatus,
  GroupKind, GroupStatus, LogoStatus, Placement, PlacementState, Platform, PolicyStep, ReferralOutcome, ReferralReason,
  ReferralStatus, RiskLevel, Role, Severity, Team, WordingParty, WordingStatus,
} from './vocabulary.js';

/**
 * The words people read for each value of the vocabulary: the portal's labels,
 * and the wording of mail and exports. One source, so a status reads the same
 * on every page. Written in plain British English, sentence case.
 */
export const ROLE_LABELS: Readonly<Record<Role, string>> = Object.freeze({
  SOCIAL_MEDIA_OFFICER: 'Social media officer',
  SOCIAL_MEDIA_LEAD: 'Social media lead',
  DISCIPLINE: 'Student discipline team',
  HR: 'HR',
  LEGAL: 'Legal',
  DATA_PROTECTION: 'Data protection officer',
  ADMIN: 'System administrator',
});

export const TEAM_LABELS: Readonly<Record<Team, string>> = Object.freeze({
  DISCIPLINE: 'Student discipline',
  HR: 'HR',
  LEGAL: 'Legal',
});

export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = Object.freeze({
  INSTAGRAM: 'Instagram',
  FACEBOOK: 'Facebook',
  X: 'X (Twitter)',
  TIKTOK: 'TikTok',
  REDDIT: 'Reddit',
  DISCORD: 'Discord',
  TELEGRAM: 'Telegram',
  SNAPCHAT: 'Snapchat',
  WHATSAPP: 'WhatsApp',
  YIK_YAK: 'Yik Yak',
  NGL: 'NGL',
  TUMBLR: 'Tumblr',
  OTHER: 'Other platform',
});

export const GROUP_KIND_LABELS: Readonly<Record<GroupKind, string>> = Object.freeze({
  CONFESSIONS: 'Confessions page',
  ANONYMOUS_QA: 'Anonymous Q&A',
  MEMES: 'Memes',
  SUPPORT: 'Support group',
  OTHER: 'Other',
});

export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = Object.freeze({
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
});

export const GROUP_STATUS_LABELS: Readonly<Record<GroupStatus, string>> = Object.freeze({
  DISCOVERED: 'Discovered',
  CONTACTING: 'Contacting',
  ENGAGED: 'Engaged',
  WORDING_AGREED: 'Wording agreed',
  COMPLIANT: 'Compliant',
  UNRESPONSIVE: 'Unresponsive',
  REFUSED: 'Refused',
  REFERRED: 'Referred',
  ESCALATED: 'Escalated',
  CLOSED: 'Closed',
});

export const AFFILIATION_LABELS: Readonly<Record<Affiliation, string>> = Object.freeze({
  STUDENT: 'Student',
  STAFF: 'Member of staff',
  ALUMNI: 'Alumni',
  UNAFFILIATED: 'Not affiliated',
  UNKNOWN: 'Not known yet',
});

export const CONTACT_CHANNEL_LABELS: Readonly<Record<ContactChannel, string>> = Object.freeze({
  PLATFORM_MESSAGE: 'Message on the platform',
  EMAIL: 'Email',
  COMMENT: 'Public comment',
  IN_PERSON: 'In person',
  OTHER: 'Other',
});

export const CONTACT_DIRECTION_LABELS: Readonly<Record<ContactDirection, string>> = Object.freeze({
  OUTBOUND: 'We contacted them',
  INBOUND: 'They contacted us',
});

export const POLICY_STEP_LABELS: Readonly<Record<PolicyStep, string>> = Object.freeze({
  INTRODUCED: 'Introduced the team',
  AFFILIATION_ASCERTAINED: 'Asked about their affiliation',
  POSITION_EXPLAINED: "Explained the university's position",
  WORDING_REQUESTED: 'Asked for signposting wording',
  LOGO_REMOVAL_REQUESTED: 'Asked them to stop using the logo',
});

export const CONTACT_OUTCOME_LABELS: Readonly<Record<ContactOutcome, string>> = Object.freeze({
  NO_RESPONSE: 'No response',
  RESPONDED: 'Responded',
  ENGAGED: 'Engaged',
  REFUSED_TO_ENGAGE: 'Refused to engage',
  REFUSED_ACCOUNTABILITY: 'Refused accountability',
});

export const WORDING_STATUS_LABELS: Readonly<Record<WordingStatus, string>> = Object.freeze({
  DRAFT: 'Draft',
  PROPOSED: 'Awaiting approval',
  AGREED: 'Agreed',
  SUPERSEDED: 'Superseded',
});

export const WORDING_PARTY_LABELS: Readonly<Record<WordingParty, string>> = Object.freeze({
  UNIVERSITY: 'The university',
  ADMINISTRATORS: 'The administrators',
});

export const PLACEMENT_LABELS: Readonly<Record<Placement, string>> = Object.freeze({
  PINNED_MESSAGE: 'Pinned message',
  AUTO_RESPONSE: 'Auto-response',
});

export const PLACEMENT_STATE_LABELS: Readonly<Record<PlacementState, string>> = Object.freeze({
  NOT_PUBLISHED: 'Not published',
  PUBLISHED: 'Published, not verified',
  VERIFIED: 'Verified',
  REMOVED: 'Removed',
});

export const LOGO_STATUS_LABELS: Readonly<Record<LogoStatus, string>> = Object.freeze({
  NOT_USED: 'Not used',
  IN_USE: 'In use',
  REMOVAL_REQUESTED: 'Removal requested',
  REMOVAL_VERIFIED: 'Removal verified',
  REFUSED: 'Refused to remove',
});

export const CONCERN_CATEGORY_LABELS: Readonly<Record<ConcernCategory, string>> = Object.freeze({
  WELLBEING_SAFETY: 'Wellbeing or safety',
  PREJUDICE: 'Prejudice',
  DIGNITY_POLICY: 'Dignity at work and study',
  HATE_SPEECH: 'Hate speech',
  DATA_SECURITY: 'Data security',
  OTHER: 'Other',
});

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = Object.freeze({
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  CRITICAL: 'Critical',
});

export const CONCERN_ACTION_LABELS: Readonly<Record<ConcernAction, string>> = Object.freeze({
  SIGNPOSTED: 'Signposted to support',
  PASSED_TO_WELLBEING: 'Passed to wellbeing',
  ESCALATED: 'Escalated',
  NONE: 'No action',
});

export const REFERRAL_REASON_LABELS: Readonly<Record<ReferralReason, string>> = Object.freeze({
  REFUSED_TO_ENGAGE: 'Refused to engage',
  REFUSED_ACCOUNTABILITY: 'Refused accountability',
  CONTENT_OF_CONCERN: 'Content of concern',
});

export const REFERRAL_STATUS_LABELS: Readonly<Record<ReferralStatus, string>> = Object.freeze({
  DRAFT: 'Draft',
  SUBMITTED: 'New',
  ACKNOWLEDGED: 'Acknowledged',
  IN_PROGRESS: 'In progress',
  CLOSED: 'Closed',
});

export const REFERRAL_OUTCOME_LABELS: Readonly<Record<ReferralOutcome, string>> = Object.freeze({
  ACTION_TAKEN: 'Action taken',
  NO_FURTHER_ACTION: 'No further action',
  NOT_IN_REMIT: 'Not in our remit',
  ADMINISTRATORS_COMPLIED: 'The administrators complied',
});

export const ESCALATION_KIND_LABELS: Readonly<Record<EscalationKind, string>> = Object.freeze({
  PLATFORM_REPORT: 'Report to the platform',
  POLICE_REPORT: 'Report to the police',
});

export const ESCALATION_STATUS_LABELS: Readonly<Record<EscalationStatus, string>> = Object.freeze({
  DRAFT: 'Draft',
  APPROVED: 'Approved',
  REPORTED: 'Reported',
  CLOSED: 'Closed',
});

export const SERVICE_SCOPE_LABELS: Readonly<Record<import('./vocabulary.js').ServiceScope, string>> = Object.freeze({
  'groups:read': 'Read the register of groups',
  'groups:report': 'Read reports on the register',
  'referrals:read:DISCIPLINE': 'Read the student discipline team’s referrals',
  'referrals:read:HR': 'Read HR’s referrals',
  'referrals:read:LEGAL': 'Read Legal’s referrals',
});
