// Types and runtime helpers generated from contracts/ (scripts/contracts.mjs). Import from '@umg/contracts'.
import type * as Common from './generated/common';
import type * as DistrictApi from './generated/district-api';
import type * as Events from './generated/events';

export type * as DistrictApi from './generated/district-api';
export type * as ApplicationsInternal from './generated/applications-internal';
export type * as PaymentsInternal from './generated/payments-internal';
export type * as DeliveryInternal from './generated/delivery-internal';
export type * as DistrictsInternal from './generated/districts-internal';
export type * as Events from './generated/events';
export type * as OperatorApi from './generated/operator-api';
export type * as OpenData from './generated/open-data';
export type * as Feedback from './generated/feedback';

// Paths and operations, for typed HTTP clients (openapi-fetch) and controllers.
export type { paths as DistrictApiPaths, operations as DistrictApiOperations } from './generated/district-api';
export type {
  paths as ApplicationsInternalPaths,
  operations as ApplicationsInternalOperations,
} from './generated/applications-internal';
export type {
  paths as PaymentsInternalPaths,
  components as PaymentsInternalComponents,
} from './generated/payments-internal';
export type { paths as DeliveryInternalPaths } from './generated/delivery-internal';
export type { paths as DistrictsInternalPaths } from './generated/districts-internal';

type DistrictApiSchemas = DistrictApi.components['schemas'];
type EventSchemas = Events.components['schemas'];
type CommonSchemas = Common.components['schemas'];

// District API (the public REST API) — also the domain vocabulary shared by every contract.
export type Application = DistrictApiSchemas['Application'];
export type ApplicationSummary = DistrictApiSchemas['ApplicationSummary'];
export type ApplicationPage = DistrictApiSchemas['ApplicationPage'];
export type ApplicationChange = DistrictApiSchemas['ApplicationChange'];
export type ApplicationChangePage = DistrictApiSchemas['ApplicationChangePage'];
export type ApplicationStatus = DistrictApiSchemas['ApplicationStatus'];
export type Urgency = DistrictApiSchemas['Urgency'];
export type PersonIdentifierType = DistrictApiSchemas['PersonIdentifierType'];
export type DeliveryChannel = DistrictApiSchemas['DeliveryChannel'];
export type ActorKind = DistrictApiSchemas['ActorKind'];
export type Actor = DistrictApiSchemas['Actor'];
export type Applicant = DistrictApiSchemas['Applicant'];
export type Representative = DistrictApiSchemas['Representative'];
export type Reason = DistrictApiSchemas['Reason'];
export type Attachment = DistrictApiSchemas['Attachment'];
export type Document = DistrictApiSchemas['Document'];
export type DocumentKind = DistrictApiSchemas['DocumentKind'];
export type TimelineEntry = DistrictApiSchemas['TimelineEntry'];
export type RegisterApplicationRequest = DistrictApiSchemas['RegisterApplicationRequest'];
export type ReturnForCorrectionsRequest = DistrictApiSchemas['ReturnForCorrectionsRequest'];
export type RefuseApplicationRequest = DistrictApiSchemas['RefuseApplicationRequest'];
export type StartProcessingRequest = DistrictApiSchemas['StartProcessingRequest'];
export type RequestPaymentAgainRequest = DistrictApiSchemas['RequestPaymentAgainRequest'];
export type DeskPaymentRequest = DistrictApiSchemas['DeskPaymentRequest'];
export type HandOverRequest = DistrictApiSchemas['HandOverRequest'];
export type Handover = DistrictApiSchemas['Handover'];
export type ResultMetadata = DistrictApiSchemas['ResultMetadata'];
export type SubmitResultRequest = DistrictApiSchemas['SubmitResultRequest'];
export type Problem = DistrictApiSchemas['Problem'];
export type FieldError = DistrictApiSchemas['FieldError'];

// Kafka payloads.
export type ApplicationSubmitted = EventSchemas['ApplicationSubmitted'];
export type SubmittedAttachment = EventSchemas['SubmittedAttachment'];
export type ApplicationWithdrawn = EventSchemas['ApplicationWithdrawn'];
export type LifeEventRequested = EventSchemas['LifeEventRequested'];
export type LifeEventStatusChanged = EventSchemas['LifeEventStatusChanged'];
export type BundlePart = EventSchemas['BundlePart'];
export type ApplicationStatusChanged = EventSchemas['ApplicationStatusChanged'];
export type SubmissionRejected = EventSchemas['SubmissionRejected'];
export type RejectionReason = EventSchemas['RejectionReason'];
export type ApplicationEvent = EventSchemas['ApplicationEvent'];
export type ApplicationOverdue = EventSchemas['ApplicationOverdue'];
export type ApplicationDueSoon = EventSchemas['ApplicationDueSoon'];
export type DeadLetterEntry = EventSchemas['DeadLetterEntry'];
export type DeadLetterReplay = EventSchemas['DeadLetterReplay'];
export type PaymentStatus = EventSchemas['PaymentStatus'];
export type PaymentStatusChanged = EventSchemas['PaymentStatusChanged'];
export type DeliveryStatusChanged = EventSchemas['DeliveryStatusChanged'];
export type DeliveryStatus = EventSchemas['DeliveryStatus'];
export type DeliveryNoticeKind = EventSchemas['DeliveryNoticeKind'];
export type DistrictPhase = EventSchemas['DistrictPhase'];
export type AdapterStyle = EventSchemas['AdapterStyle'];
export type OfferedService = EventSchemas['OfferedService'];
export type DistrictServiceOfferings = EventSchemas['DistrictServiceOfferings'];
export type DistrictPayeeChanged = EventSchemas['DistrictPayeeChanged'];
export type BackOfficeDecisionKind = EventSchemas['BackOfficeDecisionKind'];
export type BackOfficeDecision = EventSchemas['BackOfficeDecision'];
export type ConformanceSandboxOpened = EventSchemas['ConformanceSandboxOpened'];
export type SandboxApplicationStep = EventSchemas['SandboxApplicationStep'];

// Health endpoints of every service.
export type HealthReport = CommonSchemas['HealthReport'];
export type HealthCheck = CommonSchemas['HealthCheck'];
export type HealthStatus = CommonSchemas['HealthStatus'];

export { SchemaValidator, type FieldValidationError, type ValidationResult } from './schema-validator';
export { contractOperations, schemaNames, type ContractOperation, type SchemaName } from './generated/schema-names';
export { canTransition, findTransition, isFinalStatus, transitionsFrom } from './application-state-machine';
export {
  applicationStateMachine,
  applicationStatuses,
  type ApplicationStateMachineDefinition,
  type ApplicationTransitionDefinition,
} from './generated/state-machine';
export { cloudEventTypes, kafkaPartitions, kafkaTopicParameters, kafkaTopics } from './generated/kafka';
export { deadLetterTopic, replayTopic, type DeadLetterService } from './dead-letter-topic';
export { exceedsJsonStructures, maxJsonDepth, maxJsonMembers, maxJsonStructures } from './json-structure-limit';
export * from './result-document-rules';
export { feedbackToken, feedbackTokenHash, feedbackTokenPattern } from './feedback-token';
