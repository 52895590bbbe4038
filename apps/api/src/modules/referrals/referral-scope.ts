import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { REFERRAL_STATUSES_HIDDEN_FROM_TEAMS, type Team } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { notFound } from '../../common/errors.js';
import { requireId } from '../../common/ids.js';
import { auditMany } from '../../common/audit.js';
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
 * request per referral: the per-request DataLoader both batches (a listed
 * page is one INSERT) and remembers what was already recorded.
 */
export async function recordReferralReads(ctx: RequestContext, referrals: readonly Referral[]): Promise<void> {
  if (referrals.length === 0) return;
  const loader = ctx.loader<string, true>('referralReadAudit', async (keys) => {
    // One INSERT for the whole page; ids and the team only.
    await auditMany(
      ctx,
      keys.map((key) => {
        const [id, team, groupId] = key.split('|');
        return { action: 'referral.read', entityType: 'Referral', entityId: id!, groupId: groupId || null, referralTeam: (team || null) as Team | null };
      }),
    );
    return keys.map(() => true as const);
  });
  await Promise.all(referrals.map((r) => loader.load(`${r.id}|${r.team ?? ''}|${r.groupId}`)));
}
