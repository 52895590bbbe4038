import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { REFERRAL_STATUSES_HIDDEN_FROM_TEAMS, type Team } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { auditMany, type AuditInput } from '../../common/audit.js';
import { Referral } from './referral.entity.js';

/**
 * THE rule of who sees which referral, as one WHERE clause on the referral
 * alias. Every referral query goes through it, so an out-of-scope referral
 * never reaches lists, counts or aggregates: it is never fetched at all.
 * Officers and leads see all (drafts included); receiving teams and
 * `referrals:read:<TEAM>` services only non-draft referrals of their teams;
 * everyone else nothing.
 */
export function applyReferralScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, ctx: RequestContext, alias = 'r'): SelectQueryBuilder<T> {
  // The request's access, decided once by the policy: nothing is worked out again here.
  const { referralScope, readTeams } = ctx.access;
  switch (referralScope) {
    case 'all':
      return qb;
    case 'teams':
      return qb.andWhere(`(${alias}.status NOT IN (:...hiddenFromTeams) AND ${alias}.team IN (:...scopeTeams))`, {
        hiddenFromTeams: REFERRAL_STATUSES_HIDDEN_FROM_TEAMS,
        scopeTeams: readTeams,
      });
    case 'none':
      return qb.andWhere('FALSE');
  }
}

/** A query over referrals the caller may see. */
export function scopedReferrals(ctx: RequestContext, alias = 'r'): SelectQueryBuilder<Referral> {
  return applyReferralScope(ctx.manager.createQueryBuilder(Referral, alias), ctx, alias);
}

/**
 * The one way a referral is loaded by id: through the scope. Out of scope
 * answers exactly like an id that does not exist.
 */
export async function requireReferral(ctx: RequestContext, id: string, field = 'id'): Promise<Referral> {
  const referral = await scopedReferrals(ctx).andWhere('r.id = :referralId', { referralId: requireId(id, field) }).getOne();
  if (!referral) throw notFound('Referral');
  return referral;
}

/** The teams whose notes the caller may read: holders of that team's role only (the access's `noteTeams`). */
export function readableNoteTeams(ctx: RequestContext): readonly Team[] {
  return ctx.access.noteTeams;
}

/**
 * Records that the caller read these referrals (`referral.read`), once per
 * request per referral: the per-request DataLoader batches the referrals a
 * request shows and remembers what was already recorded. One referral is one
 * event about it (`entityId`); a list is ONE event naming every referral shown
 * (`details.referralIds`, in the order shown) — the trail keeps every read, and
 * a page costs one audit row, not fifty. The audit trail's entity filter finds
 * a referral in either.
 */
export async function recordReferralReads(ctx: RequestContext, referrals: readonly Referral[]): Promise<void> {
  if (referrals.length === 0) return;
  const loader = ctx.loader<string, true>('referralReadAudit', async (keys) => {
    await auditMany(ctx, [referralReadEvent(keys.map((key) => {
      const [id, team, groupId] = key.split('|');
      return { id: id!, team: (team || null) as Team | null, groupId: groupId || null };
    }))]);
    return keys.map(() => true as const);
  });
  await Promise.all(referrals.map((r) => loader.load(`${r.id}|${r.team ?? ''}|${r.groupId}`)));
}

/** The one event of a read: about the referral when there is one, naming them all when there are several. */
function referralReadEvent(read: readonly { id: string; team: Team | null; groupId: string | null }[]): AuditInput {
  const common = <T>(values: T[]): T | null => (values.every((v) => v === values[0]) ? values[0]! : null);
  const team = common(read.map((r) => r.team));
  const groupId = common(read.map((r) => r.groupId));
  if (read.length === 1) return { action: 'referral.read', entityType: 'Referral', entityId: read[0]!.id, groupId, referralTeam: team };
  return { action: 'referral.read', entityType: 'Referral', entityId: null, groupId, referralTeam: team, details: { referralIds: read.map((r) => r.id) } };
}
