import type { ApplicationChange, ApplicationDueSoon, ApplicationEvent, ApplicationOverdue } from '@umg/contracts';

/** What a back office is told about an application: the event without the gateway-internal actor. */
export type PushedApplication = Omit<ApplicationEvent, 'actor'>;

/**
 * A deadline alert as a back office gets it: the application (id, service, status) and where it
 * stands against its due time. The SOAP adapter sends it as a status change.
 */
export type PushedDeadlineAlert = Omit<ApplicationOverdue, 'dueAt'> & {
  deadline: { state: 'due_soon' | 'overdue'; dueAt: string };
};

/** `change`: an entry of a pull district's changes feed, for its webhook. */
export type PushKind = 'application' | 'status_change' | 'deadline_alert' | 'change';

/** What a push back office is sent; `change` goes only to a pull district's changes webhook. */
export type BackOfficePushKind = Exclude<PushKind, 'change'>;

/**
 * The outgoing queue keeps one push per application and sequence; an alert is not an event
 * of the application's timeline, so each threshold takes a sequence no timeline entry has: the
 * push goes out once per application and threshold, as the alert is raised.
 */
export const deadlineAlertSequence = { due_soon: -1, overdue: -2 } as const;

/** The body of a JSON push; the SOAP adapter maps `application` by the district's mapping. */
export interface PushMessage {
  pushId: string;
  kind: PushKind;
  districtCode: string;
  application: PushedApplication | PushedDeadlineAlert | ApplicationChange;
  /** Where the back office may answer later (asynchronous answers). */
  callbackUrl: string;
}

export function pushedApplication(event: ApplicationEvent): PushedApplication {
  const pushed: PushedApplication & { actor?: ApplicationEvent['actor'] } = { ...event };
  delete pushed.actor;
  return pushed;
}

export function pushedDeadlineAlert(
  alert: ApplicationOverdue | ApplicationDueSoon,
  state: 'due_soon' | 'overdue',
): PushedDeadlineAlert {
  const { dueAt, ...rest } = alert;
  return { ...rest, deadline: { state, dueAt } };
}

/**
 * The changes feed's entry for an application event, as `GET /v1/applications/changes` gives it
 * (sandbox applications publish no events, so a webhook never carries them).
 */
export function changeOf(event: ApplicationEvent): ApplicationChange {
  return {
    applicationId: event.applicationId,
    version: event.sequence,
    type: event.previousStatus === null ? 'application.received' : 'application.status_changed',
    status: event.status,
    previousStatus: event.previousStatus,
    occurredAt: event.occurredAt,
    actor: event.actor,
    ...(event.reasons ? { reasons: event.reasons } : {}),
    sandbox: false,
  };
}
