import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RowLevelSecurity1795800000000 implements MigrationInterface {
  name = 'RowLevelSecurity1795800000000';

  public async up(_queryRunner: QueryRunner): Promise<void> {}

  public async down(_queryRunner: QueryRunner): Promise<void> {}
}
