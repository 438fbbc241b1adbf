import type { ApplicationsInternal } from '@umg/contracts';

export type DecreeDay = ApplicationsInternal.components['schemas']['DecreeDay'];
export type DecreeDayChange = ApplicationsInternal.components['schemas']['DecreeDayChange'];
export type DecreeDayEntry = ApplicationsInternal.components['schemas']['DecreeDayEntry'];

export interface DecreeDayRow {
  id: string;
  day: string;
  kind: DecreeDay['kind'];
  decree_reference: string;
  note: string | null;
  entered_by: string;
  entered_at: Date;
  deleted_by: string | null;
  deleted_at: Date | null;
  deletion_reason: string | null;
}

export const decreeDayColumns = `id, to_char(day, 'YYYY-MM-DD') AS day, kind, decree_reference, note, entered_by,
  entered_at, deleted_by, deleted_at, deletion_reason`;

/** Whitelists what of a decree day leaves the service. */
export function toDecreeDay(row: DecreeDayRow): DecreeDay {
  return {
    id: Number(row.id),
    date: row.day,
    kind: row.kind,
    decreeReference: row.decree_reference,
    note: row.note,
    enteredBy: row.entered_by,
    enteredAt: new Date(row.entered_at).toISOString(),
    deletedBy: row.deleted_by,
    deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
    deletionReason: row.deletion_reason,
  };
}
