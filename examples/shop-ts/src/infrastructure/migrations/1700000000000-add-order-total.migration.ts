import { MigrationInterface, QueryRunner } from "typeorm";

export class AddOrderTotal1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orders" ADD "total" integer NOT NULL DEFAULT 0`);
  }

  // seeded: IL601
  async down(queryRunner: QueryRunner): Promise<void> {}
}
