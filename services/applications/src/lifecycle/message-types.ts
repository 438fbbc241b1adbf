import { cloudEventTypes } from '@umg/contracts';

/** CloudEvents types of the messages the applications service consumes and produces. */
export const MessageTypes = {
  applicationSubmitted: cloudEventTypes.ApplicationSubmitted,
  applicationWithdrawn: cloudEventTypes.ApplicationWithdrawn,
  lifeEventRequested: cloudEventTypes.LifeEventRequested,
  lifeEventStatusChanged: cloudEventTypes.LifeEventStatusChanged,
  applicationStatusChanged: cloudEventTypes.ApplicationStatusChanged,
  submissionRejected: cloudEventTypes.SubmissionRejected,
  applicationEvent: cloudEventTypes.ApplicationEvent,
  conformanceSandboxOpened: cloudEventTypes.ConformanceSandboxOpened,
  sandboxApplicationStep: cloudEventTypes.SandboxApplicationStep,
} as const;
