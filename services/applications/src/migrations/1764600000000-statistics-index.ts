import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The statistics' timeline reads the transitions into a status within the last hours. */
export class StatisticsIndex1764600000000 implements MigrationInterface {
  name = 'StatisticsIndex1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX application_event_status_time ON applications.application_event (to_status, occurred_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX applications.application_event_status_time`);
  }
}
