import type { RequestContext } from '../../common/context.js';
import { groupRows } from '../../common/context.js';
import { paginate, type Connection } from '../../common/pagination.js';
import { AuditEvent } from './audit-event.entity.js';
import type { AuditEventFilter } from './dto/audit.inputs.js';
import { verifyAuditChain, type AuditChainStatus } from './audit-chain.js';
import { transactionOf } from '../../common/request-transaction.js';

import {
  AFFILIATION_LABELS, AUDIT_ACTION_LABELS, AUDIT_ACTIONS_OFF_GROUP_TIMELINE, CONCERN_ACTION_LABELS, CONCERN_CATEGORY_LABELS, CONTACT_CHANNEL_LABELS,
  CONTACT_DIRECTION_LABELS, CONTACT_OUTCOME_LABELS, ESCALATION_KIND_LABELS, GROUP_STATUS_LABELS, isAuditAction, LOGO_STATUS_LABELS,
  PLACEMENT_LABELS, PLACEMENT_STATE_LABELS, PLATFORM_LABELS, REFERRAL_OUTCOME_LABELS, REFERRAL_REASON_LABELS, REFERRAL_STATUS_LABELS,
  RISK_LEVEL_LABELS, ROLE_LABELS, SERVICE_SCOPE_LABELS, SEVERITY_LABELS, TEAM_LABELS, WORDING_PARTY_LABELS, WORDING_STATUS_LABELS,
  type AuditAction,
} from '@signpost/policy';

/** Events that belong in the audit trail but not in a group's story (the policy's rule; row-level security holds it too). */
const NOT_ON_TIMELINE = AUDIT_ACTIONS_OFF_GROUP_TIMELINE;

/** The audit trail, newest first, for the data protection officer. */
export async function listAuditEvents(ctx: RequestContext, filter: AuditEventFilter | undefined, first: number, after?: string | null): Promise<Connection<AuditEvent>> {
  // The request's own events, still waiting for COMMIT, are part of what it reads.
  await transactionOf(ctx)?.flushAudit();
  const qb = ctx.manager.createQueryBuilder(AuditEvent, 'e');
  if (filter?.action) qb.andWhere('e.action = :action', { action: filter.action });
  if (filter?.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
  // A list of referrals read is one event naming them all (referral-scope.ts): the filter finds a referral there too.
  if (filter?.entityId) {
    qb.andWhere(`(e.entity_id = :entityId OR (e.action = 'referral.read' AND e.details -> 'referralIds' @> jsonb_build_array(CAST(:entityIdText AS text))))`, {
      entityId: filter.entityId,
      entityIdText: filter.entityId.toLowerCase(),
    });
  }
  if (filter?.groupId) qb.andWhere('e.group_id = :groupId', { groupId: filter.groupId });
  if (filter?.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
  if (filter?.from) qb.andWhere('e.at >= :from', { from: filter.from });
  if (filter?.to) qb.andWhere('e.at < :to', { to: filter.to });
  return paginate(qb, { sortKey: 'e.id', sortType: 'bigint', idKey: 'e.id', idType: 'bigint', direction: 'DESC', first, after });
}

/**
 * Recomputes the hash chain for the data protection officer, in the request's
 * transaction (whose role must see the whole trail: the DPO's does).
 */
export async function auditChainStatus(ctx: RequestContext): Promise<AuditChainStatus> {
  await transactionOf(ctx)?.flushAudit();
  return verifyAuditChain(ctx.manager);
}

/** The most recent `first` timeline events of each group asked for in this request, in one statement. */
export function loadTimeline(ctx: RequestContext, groupId: string, first: number): Promise<AuditEvent[]> {
  return ctx
    .loader<string, AuditEvent[]>(`timeline:${first}`, async (groupIds) => {
      await transactionOf(ctx)?.flushAudit();
      // A lateral join takes the newest events of every group in one statement, each from the (group_id, id) index.
      const raw: Record<string, unknown>[] = await ctx.manager.query(
        `SELECT e.id::text AS "id", e.at AS "at", e.actor_id AS "actorId", e.actor_label AS "actorLabel", e.action AS "action",
                e.entity_type AS "entityType", e.entity_id AS "entityId", e.group_id AS "groupId",
                e.referral_team AS "referralTeam", e.request_id AS "requestId", e.details AS "details",
                e.seq::text AS "seq", e.prev_hash AS "prevHash", e.hash AS "hash"
           FROM unnest($1::uuid[]) AS g(id)
           CROSS JOIN LATERAL (
             SELECT * FROM audit_events x WHERE x.group_id = g.id AND NOT (x.action = ANY($2)) ORDER BY x.id DESC LIMIT $3
           ) e
          ORDER BY e.id DESC`,
        [[...groupIds], NOT_ON_TIMELINE, first],
      );
      const rows = raw.map((r) => ctx.manager.create(AuditEvent, r as Partial<AuditEvent>));
      return groupRows(groupIds, rows, (e) => e.groupId!);
    })
    .load(groupId);
}

type Details = Record<string, any>;

/** A value of the vocabulary in its words: the policy's label (an unknown value, e.g. from an older release, as it was written). */
const word = (labels: Readonly<Record<string, string>>, v: unknown): string => (typeof v === 'string' ? (labels[v] ?? v) : String(v ?? ''));

/** A label inside a sentence: its first letter lower case, unless the label starts with a name or an abbreviation ("HR", "TikTok"). */
const inner = (label: string): string => (/^[A-Z][a-z]+\b/.test(label) && !/^[A-Z][a-z]*[A-Z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

/** A field name as words: `riskLevel` → "risk level". */
const fieldWords = (f: unknown): string => String(f).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A list joined for a sentence: "a, b and c". */
const listed = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "A → B", "now B" when there was no A, or null when the event kept no B. */
const move = (labels: Readonly<Record<string, string>>, d: Details): string | null =>
  !d.to ? null : d.from ? `${word(labels, d.from)} → ${word(labels, d.to)}` : `now ${word(labels, d.to)}`;

const dateWords = (iso: unknown): string | null => {
  const at = typeof iso === 'string' ? new Date(iso) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : null;
};

/** The team a referral event concerns, in words. */
const teamOf = (e: AuditEvent): string | null => (e.referralTeam ? word(TEAM_LABELS, e.referralTeam) : null);
const referralTo = (e: AuditEvent): string => (teamOf(e) ? `Referral to ${teamOf(e)}` : 'Referral');

const ROUTING_WORDS: Readonly<Record<string, string>> = { SPLIT: ' (split between teams)', OVERRIDE: ' (routing overridden by the lead)' };

/** Why an OIDC sign-in was refused (the reasons auth/oidc.routes.ts records), in words. */
const SIGN_IN_REFUSAL_WORDS: Readonly<Record<string, string>> = {
  SIGN_IN_EXPIRED: 'the sign-in had expired or was already used',
  PROVIDER_REFUSED: 'the sign-in provider did not sign them in',
  ID_TOKEN_REJECTED: "the provider's answer could not be verified",
  PROVIDER_UNAVAILABLE: 'the sign-in provider could not be reached',
  NO_ROLE: 'no role in Signpost',
  ROLE_CONFLICT: 'roles that may not be held together',
  NOT_PROVISIONED: 'no Signpost account',
  EMAIL_UNVERIFIED: 'no verified email address',
  ACCOUNT_LINKED_ELSEWHERE: 'the account is linked to another sign-in identity',
  ACCOUNT_DISABLED: 'the account is disabled',
};

/** ": the rest", or nothing when there is no rest. */
const then = (...parts: (string | null | undefined | false)[]): string => {
  const rest = parts.filter((p): p is string => Boolean(p));
  return rest.length ? `: ${rest.join(', ')}` : '';
};

const roles = (v: unknown): string => (Array.isArray(v) && v.length ? v.map((r) => word(ROLE_LABELS, r)).join(', ') : 'no roles');
const scopes = (v: unknown): string | null => (Array.isArray(v) && v.length ? v.map((s) => inner(word(SERVICE_SCOPE_LABELS, s))).join('; ') : null);

/**
 * The sentence of each action of the policy's registry, from the event's
 * details (ids, counts and vocabulary values only: never personal data).
 * The record's type makes a new action of the registry fail to compile here until it has its sentence.
 */
const SENTENCES: Readonly<Record<AuditAction, (d: Details, e: AuditEvent) => string>> = {
  'group.create': (d) => `Group recorded${then(d.platform && word(PLATFORM_LABELS, d.platform), d.riskLevel && `${inner(word(RISK_LEVEL_LABELS, d.riskLevel))} risk`)}`,
  'group.update': (d) => {
    const fields: string[] = (Array.isArray(d.fields) ? d.fields : []).filter((f: string) => !(d.riskLevelTo && f === 'riskLevel')).map(fieldWords);
    const risk = d.riskLevelTo ? `risk level ${move(RISK_LEVEL_LABELS, { from: d.riskLevelFrom, to: d.riskLevelTo })!}${d.cause === 'concern' ? ' after a concern' : ''}` : null;
    return `Group details changed${then(fields.length ? listed(fields) : null, risk)}`;
  },
  'group.status': (d) => `${move(GROUP_STATUS_LABELS, d) ? `Status ${move(GROUP_STATUS_LABELS, d)}` : AUDIT_ACTION_LABELS['group.status']}${d.automatic ? ' (automatic)' : ''}`,
  'administrator.add': (d) => `Administrator added${then(d.affiliation && inner(word(AFFILIATION_LABELS, d.affiliation)))}`,
  'administrator.update': (d) => {
    const fields: string[] = (Array.isArray(d.fields) ? d.fields : []).filter((f: string) => !(d.affiliationTo && f === 'affiliation')).map(fieldWords);
    const affiliation = d.affiliationTo ? `affiliation ${move(AFFILIATION_LABELS, { from: d.affiliationFrom, to: d.affiliationTo })!}` : null;
    return `Administrator details changed${then(fields.length ? listed(fields) : null, affiliation)}`;
  },
  'contact.log': (d) => {
    const steps = Array.isArray(d.steps) ? d.steps.length : 0;
    return `Contact logged${then(
      d.channel && inner(word(CONTACT_CHANNEL_LABELS, d.channel)),
      d.direction && inner(word(CONTACT_DIRECTION_LABELS, d.direction)),
      d.outcome && inner(word(CONTACT_OUTCOME_LABELS, d.outcome)),
      steps > 0 && `${plural(steps, 'policy step')} covered`,
    )}`;
  },
  'concern.record': (d) => `Concern recorded${then(
    d.category && word(CONCERN_CATEGORY_LABELS, d.category),
    d.severity && `${inner(word(SEVERITY_LABELS, d.severity))} severity`,
    d.actionTaken && inner(word(CONCERN_ACTION_LABELS, d.actionTaken)),
    d.escalationPrompted && 'escalation prompted',
  )}`,
  'wording.propose': (d) => `Wording proposed${then(
    d.versionNumber && `version ${d.versionNumber}`,
    d.proposedBy && `by ${inner(word(WORDING_PARTY_LABELS, d.proposedBy))}`,
    d.to && `now ${inner(word(WORDING_STATUS_LABELS, d.to))}`,
    d.checkPasses === false && (Array.isArray(d.missing) && d.missing.length ? `the check found ${plural(d.missing.length, 'element')} missing` : 'the check did not pass'),
  )}`,
  'wording.approve': (d) => `Wording approved${then(
    d.versionNumber && `version ${d.versionNumber} agreed`,
    Array.isArray(d.superseded) && d.superseded.length > 0 && `${plural(d.superseded.length, 'earlier agreement')} superseded`,
  )}`,
  'wording.supersede': () => 'Wording superseded by a newly agreed version',
  'placement.record': (d) => `Placement ${d.placement ? `${inner(word(PLACEMENT_LABELS, d.placement))} ` : ''}recorded${d.to ? ` as ${word(PLACEMENT_STATE_LABELS, d.to)}` : ''}`,
  'logo.record': (d) => `Logo use recorded${then(move(LOGO_STATUS_LABELS, d))}${d.reviewId ? ' (at a review)' : ''}`,
  'review.record': (d) => {
    const seen = (v: unknown, what: string) => (v === true ? `${what} present` : v === false ? `${what} missing` : null);
    const due = dateWords(d.nextReviewDue);
    return `Review recorded${then(
      seen(d.pinnedMessagePresent, inner(PLACEMENT_LABELS.PINNED_MESSAGE)),
      seen(d.autoResponsePresent, inner(PLACEMENT_LABELS.AUTO_RESPONSE)),
      d.logoStillUsed === true ? 'logo still used' : d.logoStillUsed === false ? 'logo not used' : null,
      typeof d.placementChanges === 'number' && d.placementChanges > 0 && plural(d.placementChanges, 'placement change'),
      due && `next review due ${due}`,
    )}`;
  },
  'referral.read': (d, e) =>
    Array.isArray(d.referralIds)
      ? `Referrals${teamOf(e) ? ` to ${teamOf(e)}` : ''} read: ${d.referralIds.length} shown in a list`
      : `${referralTo(e)} read`,
  'referral.draft': (d) => `Referral drafted${then(d.reason && inner(word(REFERRAL_REASON_LABELS, d.reason)))}`,
  'referral.update': (d) => `Referral draft changed${then(Array.isArray(d.fields) && d.fields.length > 0 && listed(d.fields.map(fieldWords)))}`,
  'referral.submit': (d, e) => `Referral submitted${teamOf(e) ? ` to ${teamOf(e)}` : ''}${ROUTING_WORDS[d.mode] ?? ''}`,
  'referral.acknowledge': (_d, e) => `${referralTo(e)} acknowledged`,
  'referral.status': (d, e) => (move(REFERRAL_STATUS_LABELS, d) ? `${referralTo(e)}: ${move(REFERRAL_STATUS_LABELS, d)}` : `${referralTo(e)}: status changed`),
  'referral.note': (_d, e) => `Note added to a ${inner(referralTo(e))}`,
  'referral.transfer': (d) => `Referral transferred${d.fromTeam ? ` from ${word(TEAM_LABELS, d.fromTeam)}` : ''}${d.toTeam ? ` to ${word(TEAM_LABELS, d.toTeam)}` : ''}`,
  'referral.close': (d, e) => `${referralTo(e)} closed${then(d.outcome && inner(word(REFERRAL_OUTCOME_LABELS, d.outcome)))}`,
  'escalation.record': (d) => `Escalation drafted${then(d.kind && inner(word(ESCALATION_KIND_LABELS, d.kind)))}`,
  'escalation.approve': (d) => `Escalation approved${then(d.kind && inner(word(ESCALATION_KIND_LABELS, d.kind)))}`,
  'escalation.report': (d) => `Escalation reported${then(d.kind && inner(word(ESCALATION_KIND_LABELS, d.kind)))}${d.transition === 'approveAndReport' ? ' (approved in the same step)' : ''}`,
  'escalation.close': (d) => `Escalation closed${then(d.kind && inner(word(ESCALATION_KIND_LABELS, d.kind)))}`,
  'wordingTemplate.create': (d) => `Wording template created${then(d.version && `version ${d.version}`, typeof d.supportLinks === 'number' && plural(d.supportLinks, 'support link'))}`,
  'wordingTemplate.revise': (d) => `Wording template revised${then(d.version && `version ${d.version}`, typeof d.supportLinks === 'number' && plural(d.supportLinks, 'support link'))}`,
  'user.create': (d) => `User created${then(d.roles && roles(d.roles), d.password === true ? 'with a password' : d.password === false ? 'to sign in with the sign-in provider' : null)}`,
  'user.setRoles': (d) => `User roles changed${d.to ? `: ${roles(d.from)} → ${roles(d.to)}` : ''}`,
  'user.disable': () => 'User disabled',
  'serviceClient.create': (d) => `Service client created${then(scopes(d.scopes))}`,
  'serviceClient.approve': (d) => `Service client approved${then(scopes(d.scopes))}`,
  'serviceClient.revoke': () => 'Service client revoked',
  'auth.login': (d) => `Signed in ${d.method === 'oidc' ? 'with the sign-in provider' : 'with a password'}`,
  'auth.oidcRefused': (d) => `Sign-in refused${then(typeof d.reason === 'string' && (SIGN_IN_REFUSAL_WORDS[d.reason] ?? null))}`,
};

/**
 * A sentence for the portal's timeline and the audit trail, in the policy's
 * words; details never hold personal data, so neither does this. An action the
 * registry does not know (an older release's) reads as its name in words.
 */
export function describeEvent(event: AuditEvent): string {
  if (isAuditAction(event.action)) return SENTENCES[event.action](event.details ?? {}, event);
  const [entity, verb] = event.action.split('.');
  const words = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const sentence = `${words(entity ?? '')} ${words(verb ?? '')}`.trim();
  const team = teamOf(event) ? ` (${teamOf(event)})` : '';
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + team;
}
