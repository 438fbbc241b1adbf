import type { MigrationInterface, QueryRunner } from 'typeorm';
import { catalogueGaps, findCatalogueService } from '@umg/catalogue';

/**
 * A phase per (district, service) instead of an on/off switch, with its history. Every enabled
 * service becomes `live` in a live district (`pilot` elsewhere) — unless the catalogue cannot
 * support it (placeholder number, no urgency, unknown term or fee): those become `not_started`,
 * recorded in the history with the gaps, since applications for them were refused anyway.
 */
export class ServicePhases1769100001000 implements MigrationInterface {
  name = 'ServicePhases1769100001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.service_enablement
      ADD COLUMN phase text NOT NULL DEFAULT 'pilot' CHECK (phase IN ('not_started', 'pilot', 'live', 'suspended')),
      ADD COLUMN phase_changed_at timestamptz NOT NULL DEFAULT now()`);
    await runner.query(`CREATE TABLE districts.service_phase_history (
      id bigserial PRIMARY KEY,
      district_code text NOT NULL REFERENCES districts.district (code),
      service_number integer NOT NULL,
      from_phase text NOT NULL,
      to_phase text NOT NULL,
      actor text NOT NULL,
      reason text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE INDEX service_phase_history_service ON districts.service_phase_history (district_code, service_number, id DESC)`,
    );
    const rows = (await runner.query(
      `SELECT e.district_code, e.service_number, d.phase AS district_phase
       FROM districts.service_enablement e JOIN districts.district d ON d.code = e.district_code`,
    )) as { district_code: string; service_number: number; district_phase: string }[];
    for (const row of rows) {
      const service = findCatalogueService(row.service_number);
      const gaps = service ? catalogueGaps(service) : ['not_in_catalogue'];
      const phase = gaps.length > 0 ? 'not_started' : row.district_phase === 'live' ? 'live' : 'pilot';
      await runner.query(
        `UPDATE districts.service_enablement SET phase = $3 WHERE district_code = $1 AND service_number = $2`,
        [row.district_code, row.service_number, phase],
      );
      await runner.query(
        `INSERT INTO districts.service_phase_history (district_code, service_number, from_phase, to_phase, actor, reason)
         VALUES ($1, $2, 'enabled', $3, 'system:migration', $4)`,
        [
          row.district_code,
          row.service_number,
          phase,
          gaps.length > 0
            ? `was enabled, but the catalogue lacks: ${gaps.join(', ')}`
            : 'was enabled; the phase follows the district’s',
        ],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM districts.service_enablement WHERE phase NOT IN ('pilot', 'live')`);
    await runner.query(`DROP TABLE districts.service_phase_history`);
    await runner.query(`ALTER TABLE districts.service_enablement DROP COLUMN phase, DROP COLUMN phase_changed_at`);
  }
}
