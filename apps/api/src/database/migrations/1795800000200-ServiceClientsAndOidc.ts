import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceClientsAndOidc1795800000200 implements MigrationInterface {
  name = 'ServiceClientsAndOidc1795800000200';

  public async up(_queryRunner: QueryRunner): Promise<void> {}

  public async down(_queryRunner: QueryRunner): Promise<void> {}
}
