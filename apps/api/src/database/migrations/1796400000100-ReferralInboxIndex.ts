import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A team's inbox counts and sorts its referrals by team and status (row-level
 * security adds the same two): with this index the count is an index-only scan
 * (1 ms instead of 7 for 10,000 referrals a team) and the page reads only the
 * team's open referrals (docs/performance.md).
 */
export class ReferralInboxIndex1796400000100 implements MigrationInterface {
  name = 'ReferralInboxIndex1796400000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "referrals_team_status_idx" ON "referrals" ("team", "status", "acknowledge_by", "created_at", "id") `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."referrals_team_status_idx"`);
  }
}
