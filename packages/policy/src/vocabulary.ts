/**
 * The shared vocabulary of Signpost: every enumeration the API, the database
 * and the portal agree on, kept as `as const` arrays so that the same source
 * gives both the runtime list (for validation and pick-lists) and the union type.
 *
 * @packageDocumentation
 */

/** Roles a user may hold (several at once). See DOMAIN.md, "Roles". */
export const ROLES = [
  'SOCIAL_MEDIA_OFFICER',
  'SOCIAL_MEDIA_LEAD',
  'DISCIPLINE',
  'HR',
  'LEGAL',
  'DATA_PROTECTION',
  'ADMIN',
] as const;
/** A role a user may hold. */
export type Role = (typeof ROLES)[number];

/** The receiving teams a referral can be routed to; each is also a role. */
export const TEAMS = ['DISCIPLINE', 'HR', 'LEGAL'] as const;
/** A receiving team. */
export type Team = (typeof TEAMS)[number];

/** Platforms a group can live on. */
export const PLATFORMS = [
  'INSTAGRAM',
  'FACEBOOK',
  'X',
  'TIKTOK',
  'REDDIT',
  'DISCORD',
  'TELEGRAM',
  'SNAPCHAT',
  'WHATSAPP',
  'YIK_YAK',
  'NGL',
  'TUMBLR',
  'OTHER',
] as const;
/** A social media platform. */
export type Platform = (typeof PLATFORMS)[number];

/** What kind of anonymous group a page is. */
export const GROUP_KINDS = ['CONFESSIONS', 'ANONYMOUS_QA', 'MEMES', 'SUPPORT', 'OTHER'] as const;
/** The kind of a group. */
export type GroupKind = (typeof GROUP_KINDS)[number];

/** Risk levels, lowest first; they drive the review schedule. */
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** The risk level of a group. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Statuses of a group; moves between them are governed by `GROUP_TRANSITIONS`. */
export const GROUP_STATUSES = [
  'DISCOVERED',
  'CONTACTING',
  'ENGAGED',
  'WORDING_AGREED',
  'COMPLIANT',
  'UNRESPONSIVE',
  'REFUSED',
  'REFERRED',
  'ESCALATED',
  'CLOSED',
] as const;
/** The status of a group. */
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** In what capacity an administrator is linked to the university; decides routing. */
export const AFFILIATIONS = ['STUDENT', 'STAFF', 'ALUMNI', 'UNAFFILIATED', 'UNKNOWN'] as const;
/** An administrator's affiliation. */
export type Affiliation = (typeof AFFILIATIONS)[number];

/** How a contact with administrators was made. */
export const CONTACT_CHANNELS = ['PLATFORM_MESSAGE', 'EMAIL', 'COMMENT', 'IN_PERSON', 'OTHER'] as const;
/** The channel of a contact log entry. */
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Who started a contact: the team (outbound) or the administrators (inbound). */
export const CONTACT_DIRECTIONS = ['OUTBOUND', 'INBOUND'] as const;
/** The direction of a contact log entry. */
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

/** The steps of the policy a contact can cover (DOMAIN.md steps 2–5). */
export const POLICY_STEPS = [
  'INTRODUCED',
  'AFFILIATION_ASCERTAINED',
  'POSITION_EXPLAINED',
  'WORDING_REQUESTED',
  'LOGO_REMOVAL_REQUESTED',
] as const;
/** A policy step covered by a contact. */
export type PolicyStep = (typeof POLICY_STEPS)[number];

/** The outcome of a contact; the two refusals open the way to a referral. */
export const CONTACT_OUTCOMES = [
  'NO_RESPONSE',
  'RESPONDED',
  'ENGAGED',
  'REFUSED_TO_ENGAGE',
  'REFUSED_ACCOUNTABILITY',
] as const;
/** The outcome of a contact log entry. */
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Statuses of a wording agreement version; see `WORDING_TRANSITIONS`. */
export const WORDING_STATUSES = ['DRAFT', 'PROPOSED', 'AGREED', 'SUPERSEDED'] as const;
/** The status of a wording agreement. */
export type WordingStatus = (typeof WORDING_STATUSES)[number];

/** Who proposed a version of the wording. */
export const WORDING_PARTIES = ['UNIVERSITY', 'ADMINISTRATORS'] as const;
/** The party that proposed a wording version. */
export type WordingParty = (typeof WORDING_PARTIES)[number];

/** The two places the agreed wording must be published. */
export const PLACEMENTS = ['PINNED_MESSAGE', 'AUTO_RESPONSE'] as const;
/** A placement of the agreed wording. */
export type Placement = (typeof PLACEMENTS)[number];

/** Publication states of a placement; see `PLACEMENT_TRANSITIONS`. */
export const PLACEMENT_STATES = ['NOT_PUBLISHED', 'PUBLISHED', 'VERIFIED', 'REMOVED'] as const;
/** The publication state of a placement. */
export type PlacementState = (typeof PLACEMENT_STATES)[number];

/** Statuses of a group's use of the university logo; see `LOGO_TRANSITIONS`. */
export const LOGO_STATUSES = ['NOT_USED', 'IN_USE', 'REMOVAL_REQUESTED', 'REMOVAL_VERIFIED', 'REFUSED'] as const;
/** The logo status of a group. */
export type LogoStatus = (typeof LOGO_STATUSES)[number];

/** Categories of content of concern seen on a group. */
export const CONCERN_CATEGORIES = [
  'WELLBEING_SAFETY',
  'PREJUDICE',
  'DIGNITY_POLICY',
  'HATE_SPEECH',
  'DATA_SECURITY',
  'OTHER',
] as const;
/** The category of a concern. */
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

/** Severities of a concern, lowest first. */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** The severity of a concern. */
export type Severity = (typeof SEVERITIES)[number];

/** What was done about a concern. */
export const CONCERN_ACTIONS = ['SIGNPOSTED', 'PASSED_TO_WELLBEING', 'ESCALATED', 'NONE'] as const;
/** The action taken on a concern. */
export type ConcernAction = (typeof CONCERN_ACTIONS)[number];

/** Why a referral is made (DOMAIN.md step 6). */
export const REFERRAL_REASONS = ['REFUSED_TO_ENGAGE', 'REFUSED_ACCOUNTABILITY', 'CONTENT_OF_CONCERN'] as const;
/** The reason for a referral. */
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

/** Statuses of a referral; see `REFERRAL_TRANSITIONS`. */
export const REFERRAL_STATUSES = ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'CLOSED'] as const;
/** The status of a referral. */
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Outcomes a receiving team closes a referral with. */
export const REFERRAL_OUTCOMES = ['ACTION_TAKEN', 'NO_FURTHER_ACTION', 'NOT_IN_REMIT', 'ADMINISTRATORS_COMPLIED'] as const;
/** The outcome of a closed referral. */
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** Kinds of escalation (DOMAIN.md step 7). */
export const ESCALATION_KINDS = ['PLATFORM_REPORT', 'POLICE_REPORT'] as const;
/** The kind of an escalation. */
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

/** Statuses of an escalation; see `ESCALATION_TRANSITIONS`. */
export const ESCALATION_STATUSES = ['DRAFT', 'APPROVED', 'REPORTED', 'CLOSED'] as const;
/** The status of an escalation. */
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** Scopes a service client's bearer token may carry; see `SCOPE_PERMISSIONS`. */
export const SERVICE_SCOPES = [
  'groups:read',
  'groups:report',
  'referrals:read:DISCIPLINE',
  'referrals:read:HR',
  'referrals:read:LEGAL',
] as const;
/** A service client scope. */
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/**
 * Maximum lengths of free-text inputs, shared so the API validates and the
 * portal's form limits agree.
 */
export const LIMITS = {
  name: 200,
  handle: 100,
  shortText: 500,
  longText: 10000,
  url: 2048,
  reason: 2000,
} as const;

/**
 * Narrow an unknown value to one of an `as const` list — for validating input
 * from the wire, the database or the URL without casts.
 */
export function isOneOf<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

/**
 * Mark a switch as exhaustive: the compiler rejects the call when a case is
 * missing, and at runtime an unexpected value fails loudly instead of silently.
 */
export function assertUnreachable(x: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(x)}`);
}
