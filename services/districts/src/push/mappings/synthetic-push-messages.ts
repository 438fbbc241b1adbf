import type { BackOfficePushKind, PushedApplication, PushMessage } from '../pushed-application';

/**
 * The gateway messages a mapping is tried on when it is saved, one per push kind: fixed values,
 * so an operator can write the request samples they should produce (see docs/push-mapping.md).
 */
export function syntheticPushMessage(districtCode: string, kind: BackOfficePushKind): PushMessage {
  const application: PushedApplication = {
    applicationId: '00000000-0000-4000-8000-000000000001',
    portalApplicationId: 'SAMPLE-PORTAL-1',
    serviceReferenceNumber: 'SAMPLE-REF-1',
    districtCode,
    serviceNumber: 2079,
    urgency: 'regular',
    status: 'routed',
    previousStatus: 'received',
    sequence: 2,
    occurredAt: '2026-03-12T10:15:00.000Z',
    registrationNumber: null,
    applicant: { identifierType: 'EGN', identifier: '7501010010', name: 'Иван Петров' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: 'sample-profile',
  };
  const base = {
    pushId: `sample-${kind}`,
    kind,
    districtCode,
    callbackUrl: `https://gateway.example/back-office/${districtCode}/decisions`,
  };
  switch (kind) {
    case 'application':
      return { ...base, application };
    case 'status_change':
      return {
        ...base,
        application: {
          ...application,
          status: 'in_progress',
          previousStatus: 'paid',
          sequence: 5,
          registrationNumber: 'SAMPLE-000001/2026',
          reasons: [{ code: 'SAMPLE', message: 'a sample reason' }],
        },
      };
    case 'deadline_alert':
      return {
        ...base,
        application: {
          applicationId: application.applicationId,
          districtCode,
          serviceNumber: application.serviceNumber,
          urgency: application.urgency,
          status: 'in_progress',
          detectedAt: '2026-03-20T08:00:00.000Z',
          deadline: { state: 'due_soon', dueAt: '2026-03-21T08:00:00.000Z' },
        },
      };
  }
}
