import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TamperEvidentAuditAndIdempotency1795800000100 implements MigrationInterface {
  name = 'TamperEvidentAuditAndIdempotency1795800000100';

  public async up(_queryRunner: QueryRunner): Promise<void> {}

  public async down(_queryRunner: QueryRunner): Promise<void> {}
}
