import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GROUP_STATUSES, PLATFORMS, RISK_LEVELS, type GroupStatus, type Platform, type RiskLevel } from '@signpost/policy';
import type { RequestContext } from '../../common/context.js';
import { GroupStatusEnum, PlatformEnum, RiskLevelEnum } from '../../common/graphql-enums.js';
import type { GroupFilter } from './dto/group.inputs.js';
import { filteredGroups, unresponsiveEligibleParameters, unresponsiveEligibleSql } from './group.service.js';

@ObjectType('StatusCount')
export class StatusCount {
  @Field(() => GroupStatusEnum) status: GroupStatus;
  @Field(() => Int) count: number;
}

@ObjectType('PlatformCount')
export class PlatformCount {
  @Field(() => PlatformEnum) platform: Platform;
  @Field(() => Int) count: number;
}

@ObjectType('RiskLevelCount')
export class RiskLevelCount {
  @Field(() => RiskLevelEnum) riskLevel: RiskLevel;
  @Field(() => Int) count: number;
}

@ObjectType('MonthCount', { description: 'Groups discovered in a calendar month (UTC)' })
export class MonthCount {
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Int) count: number;
}

@ObjectType('DaysToCompliance', { description: 'Days from discovery (sighting) to first compliance, over the groups that became compliant' })
export class DaysToCompliance {
  @Field(() => Int, { description: 'Groups that have been compliant at some time' }) groups: number;
  @Field(() => Float, { nullable: true }) median: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile' }) p90: number | null;
}

@ObjectType('RegisterStats', { description: "The register in figures, for the social media team's dashboard" })
export class RegisterStats {
  @Field(() => Int) total: number;
  @Field(() => [StatusCount], { description: 'Every status, in lifecycle order, zeros included' }) byStatus: StatusCount[];
  @Field(() => [PlatformCount], { description: 'Every platform, zeros included' }) byPlatform: PlatformCount[];
  @Field(() => [RiskLevelCount], { description: 'Every risk level, lowest first, zeros included' }) byRiskLevel: RiskLevelCount[];
  @Field(() => Int, { description: 'Groups whose review is past due' }) overdueReviews: number;
  @Field(() => Int, { description: 'Groups that may be marked UNRESPONSIVE now' }) unresponsiveEligible: number;
  @Field(() => DaysToCompliance) daysToCompliance: DaysToCompliance;
  @Field(() => [MonthCount], { description: 'The last twelve months, oldest first, zeros included' }) discoveredPerMonth: MonthCount[];
}

const counts = <K extends string>(keys: readonly K[], rows: Record<string, number> | null): { key: K; count: number }[] =>
  keys.map((key) => ({ key, count: rows?.[key] ?? 0 }));

/** Every figure in one statement over the filtered register: counts, the review and unresponsive queues, percentiles, months. */
export async function registerStatistics(ctx: RequestContext, filter: GroupFilter | undefined): Promise<RegisterStats> {
  const qb = filteredGroups(ctx, filter)
    .select('g.id', 'id')
    .addSelect('g.status', 'status')
    .addSelect('g.platform', 'platform')
    .addSelect('g.risk_level', 'risk_level')
    .addSelect('g.next_review_due', 'next_review_due')
    .addSelect('g.discovered_at', 'discovered_at')
    .addSelect('g.first_compliant_at', 'first_compliant_at')
    .addSelect(unresponsiveEligibleSql('g'), 'eligible')
    .setParameters(unresponsiveEligibleParameters(ctx));
  const [sql, params] = qb.getQueryAndParameters();
  const [row]: {
    total: number; by_status: Record<string, number> | null; by_platform: Record<string, number> | null; by_risk: Record<string, number> | null;
    overdue: number; eligible: number; compliant: number; median: number | null; p90: number | null; months: { month: string; count: number }[];
  }[] = await ctx.manager.query(
    `WITH f AS (${sql}),
          days AS (SELECT extract(epoch FROM f.first_compliant_at - f.discovered_at) / 86400 AS d FROM f WHERE f.first_compliant_at IS NOT NULL)
     SELECT (SELECT count(*)::int FROM f) AS total,
            (SELECT json_object_agg(s, n) FROM (SELECT f.status AS s, count(*)::int AS n FROM f GROUP BY 1) x) AS by_status,
            (SELECT json_object_agg(s, n) FROM (SELECT f.platform AS s, count(*)::int AS n FROM f GROUP BY 1) x) AS by_platform,
            (SELECT json_object_agg(s, n) FROM (SELECT f.risk_level AS s, count(*)::int AS n FROM f GROUP BY 1) x) AS by_risk,
            (SELECT count(*)::int FROM f WHERE f.next_review_due < now()) AS overdue,
            (SELECT count(*)::int FROM f WHERE f.eligible) AS eligible,
            (SELECT count(*)::int FROM days) AS compliant,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM days) AS median,
            (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY d) FROM days) AS p90,
            (SELECT json_agg(json_build_object('month', to_char(m, 'YYYY-MM'), 'count',
                      (SELECT count(*) FROM f WHERE date_trunc('month', f.discovered_at AT TIME ZONE 'UTC') = m)) ORDER BY m)
               FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC') - interval '11 months', date_trunc('month', now() AT TIME ZONE 'UTC'), interval '1 month') m) AS months`,
    params,
  );
  const round = (n: number | null) => (n === null ? null : Math.round(Number(n) * 10) / 10);
  return {
    total: row!.total,
    byStatus: counts(GROUP_STATUSES, row!.by_status).map(({ key, count }) => ({ status: key, count })),
    byPlatform: counts(PLATFORMS, row!.by_platform).map(({ key, count }) => ({ platform: key, count })),
    byRiskLevel: counts(RISK_LEVELS, row!.by_risk).map(({ key, count }) => ({ riskLevel: key, count })),
    overdueReviews: row!.overdue,
    unresponsiveEligible: row!.eligible,
    daysToCompliance: { groups: row!.compliant, median: round(row!.median), p90: round(row!.p90) },
    discoveredPerMonth: row!.months.map((m) => ({ month: m.month, count: Number(m.count) })),
  };
}
