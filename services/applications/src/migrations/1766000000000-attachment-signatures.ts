import type { MigrationInterface, QueryRunner } from 'typeorm';

/** e-delivery's verdict on the signatures of an attachment, for applications that came through e-delivery. */
export class AttachmentSignatures1766000000000 implements MigrationInterface {
  name = 'AttachmentSignatures1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.attachment ADD COLUMN signatures jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.attachment DROP COLUMN signatures`);
  }
}
