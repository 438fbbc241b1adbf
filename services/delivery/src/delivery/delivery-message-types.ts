import { cloudEventTypes } from '@umg/contracts';

/** CloudEvents types of the messages the delivery service consumes and produces. */
export const DeliveryMessageTypes = {
  applicationEvent: cloudEventTypes.ApplicationEvent,
  applicationOverdue: cloudEventTypes.ApplicationOverdue,
  applicationDueSoon: cloudEventTypes.ApplicationDueSoon,
  deliveryStatusChanged: cloudEventTypes.DeliveryStatusChanged,
} as const;
