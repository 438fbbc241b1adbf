import type { ApplicationEvent } from '@umg/contracts';

/** What a back office is told about an application: the event without the gateway-internal actor. */
export type PushedApplication = Omit<ApplicationEvent, 'actor'>;

export type DeliveryKind = 'application' | 'status_change';

/** The body of a JSON push; the SOAP adapter maps `application` by the district's mapping. */
export interface PushMessage {
  deliveryId: string;
  kind: DeliveryKind;
  districtCode: string;
  application: PushedApplication;
  /** Where the back office may answer later (asynchronous answers). */
  callbackUrl: string;
}

export function pushedApplication(event: ApplicationEvent): PushedApplication {
  const pushed: PushedApplication & { actor?: ApplicationEvent['actor'] } = { ...event };
  delete pushed.actor;
  return pushed;
}
