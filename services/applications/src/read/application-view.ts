import { Injectable } from '@nestjs/common';
import { types } from 'pg';
import type { EntityManager } from 'typeorm';
import type { Application } from '@umg/contracts';
import { applicationColumns, applicationFromRow, type ApplicationRow } from '../application/application-row';
import { isUuid } from '../application/application.repository';
import type { DistrictScope } from '../application/district-scope';
import { type DecreeDayRow, decreeDaysInForce, WorkingCalendar } from '../calendar/working-calendar';
import type { PauseRecord } from '../deadlines/deadline-clock';
import { deadlineWindow } from '../deadlines/deadline-state';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import {
  type ApplicationDocument,
  type ApplicationFile,
  type TimelineEntry,
  toApplication,
} from './application.mapper';

// Timestamps inside the JSON come as PostgreSQL's text, parsed as node-postgres parses a timestamptz column.
const timestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;
const timestampOrNull = (text: string | null): Date | null => (text === null ? null : timestamp(text));

/** The life-event bundle of a part's application (docs/life-events.md); null for any other application. */
const bundleOfApplication = `(SELECT json_build_object('id', b.id, 'lifeEvent', b.life_event, 'part', p.part_key,
      'waitsFor', array(SELECT w.part_key FROM applications.bundle_part w
                         WHERE w.bundle_id = p.bundle_id AND w.part_key = ANY (p.depends_on) AND w.state <> 'done'
                         ORDER BY w.position),
      'awaitedBy', array(SELECT w.part_key FROM applications.bundle_part w
                          WHERE w.bundle_id = p.bundle_id AND p.part_key = ANY (w.depends_on) ORDER BY w.position))
     FROM applications.bundle_part p JOIN applications.bundle b ON b.id = p.bundle_id WHERE p.application_id = a.id)`;

/**
 * The application with its timeline, attachments, documents, the pauses of its clock and the
 * calendar's decree days: one statement (one round trip) for the whole view.
 */
const viewQuery = (condition: string) => `SELECT ${applicationColumns},
  (SELECT coalesce(json_agg(json_build_object('sequence', e.sequence, 'fromStatus', e.from_status,
      'toStatus', e.to_status, 'occurredAt', e.occurred_at::text, 'actorKind', e.actor_kind, 'actorId', e.actor_id,
      'reasons', e.reasons, 'details', e.details) ORDER BY e.sequence), '[]'::json)
     FROM applications.application_event e WHERE e.application_id = a.id) AS timeline,
  (SELECT coalesce(json_agg(json_build_object('id', f.id, 'fileName', f.file_name, 'mediaType', f.media_type,
      'size', f.size, 'sha256', f.sha256, 'signatures', f.signatures) ORDER BY f.file_name), '[]'::json)
     FROM applications.attachment f WHERE f.application_id = a.id) AS attachments,
  (SELECT coalesce(json_agg(json_build_object('id', d.id, 'kind', d.kind, 'fileName', d.file_name,
      'mediaType', d.media_type, 'size', d.size, 'sha256', d.sha256, 'createdAt', d.created_at::text,
      'supersededAt', d.superseded_at::text, 'supersededBy', d.superseded_by) ORDER BY d.created_at), '[]'::json)
     FROM applications.document d WHERE d.application_id = a.id) AS documents,
  (SELECT coalesce(json_agg(json_build_object('pausedAt', p.paused_at::text, 'resumedAt', p.resumed_at::text,
      'workingMs', p.working_ms) ORDER BY p.id), '[]'::json)
     FROM applications.deadline_pause p WHERE p.application_id = a.id) AS pauses,
  ${bundleOfApplication} AS bundle,
  ${decreeDaysInForce} AS decree_days
FROM applications.application a WHERE ${condition}`;

interface ViewRow extends ApplicationRow {
  timeline: (Omit<TimelineEntry, 'occurredAt'> & { occurredAt: string })[];
  attachments: ApplicationFile[];
  documents: (Omit<ApplicationDocument, 'createdAt' | 'supersededAt'> & {
    createdAt: string;
    supersededAt: string | null;
  })[];
  pauses: { pausedAt: string; resumedAt: string | null; workingMs: number | null }[];
  decree_days: DecreeDayRow[];
  bundle: Application['bundle'] | null;
}

/** Builds the contract view of one application: the entity with its timeline, files and deadline. */
@Injectable()
export class ApplicationView {
  constructor(private readonly calendars: WorkingCalendar) {}

  /** The scope's application; another district's reads like a missing one. */
  ofDistrict(manager: EntityManager, scope: DistrictScope, id: string): Promise<Application> {
    return this.read(manager, id, `a.id = $1 AND a.district_code = $2`, [id, scope.districtCode]);
  }

  /** Any district's application, for an operator (the operator claim was checked); never for a district's request. */
  forOperator(manager: EntityManager, id: string): Promise<Application> {
    return this.read(manager, id, `a.id = $1`, [id]);
  }

  private async read(manager: EntityManager, id: string, condition: string, values: unknown[]): Promise<Application> {
    const [row] = isUuid(id) ? ((await manager.query(viewQuery(condition), values)) as ViewRow[]) : [];
    if (!row) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${id}`);
    const pauses: PauseRecord[] = row.pauses.map((pause) => ({
      pausedAt: timestamp(pause.pausedAt),
      resumedAt: timestampOrNull(pause.resumedAt),
      workingMs: pause.workingMs,
    }));
    const application = toApplication(
      applicationFromRow(row),
      row.timeline.map((entry) => ({ ...entry, occurredAt: timestamp(entry.occurredAt) })),
      row.attachments,
      row.documents.map((document) => ({
        ...document,
        createdAt: timestamp(document.createdAt),
        supersededAt: timestampOrNull(document.supersededAt),
      })),
      deadlineWindow(this.calendars.of(row.decree_days)),
      pauses,
    );
    return row.bundle ? { ...application, bundle: row.bundle } : application;
  }
}
