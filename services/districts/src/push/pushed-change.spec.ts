import type { ApplicationEvent } from '@umg/contracts';
import { changeOf } from './pushed-application';

const event = {
  applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
  districtCode: 'iskar',
  status: 'returned_for_corrections',
  previousStatus: 'routed',
  sequence: 3,
  occurredAt: '2026-03-12T08:15:00.000Z',
  actor: { kind: 'district', id: 'iskar:api-key:1' },
  reasons: [{ message: 'the declaration is not signed' }],
} as ApplicationEvent;

describe('changeOf', () => {
  it('makes the changes feed’s entry of an event: version from its sequence, the district’s own actions included', () => {
    expect(changeOf(event)).toEqual({
      applicationId: event.applicationId,
      version: 3,
      type: 'application.status_changed',
      status: 'returned_for_corrections',
      previousStatus: 'routed',
      occurredAt: event.occurredAt,
      actor: event.actor,
      reasons: event.reasons,
      sandbox: false,
    });
  });

  it('names an application’s first entry application.received', () => {
    expect(changeOf({ ...event, status: 'received', previousStatus: null, sequence: 1, reasons: undefined })).toEqual(
      expect.objectContaining({ type: 'application.received', version: 1 }),
    );
    expect(changeOf({ ...event, previousStatus: null, reasons: undefined })).not.toHaveProperty('reasons');
  });
});
