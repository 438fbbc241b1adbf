import { deadLetterTopic, kafkaPartitions, kafkaTopicParameters, kafkaTopics, replayTopic } from '@umg/contracts';
import type { TopicSpec } from './topic-spec';

/** Topic names as described in contracts/asyncapi; keys are application ids, keeping order per application. */
export const Topics = {
  portalApplicationSubmitted: kafkaTopics.portalApplicationSubmitted,
  portalApplicationStatus: kafkaTopics.portalApplicationStatus,
  applicationEvents: kafkaTopics.applicationsEvents,
  paymentEvents: kafkaTopics.paymentsEvents,
  deliveryEvents: kafkaTopics.deliveryEvents,
  districtServiceOfferings: kafkaTopics.districtsServiceOfferings,
  districtPayees: kafkaTopics.districtsPayees,
  backOfficeDecisions: kafkaTopics.districtsBackOfficeDecisions,
  conformanceSandboxes: kafkaTopics.districtsConformanceSandboxes,
  sandboxSteps: kafkaTopics.applicationsSandboxSteps,
  exchangeLogHeads: kafkaTopics.exchangeLogHeads,
  applicationsDeadLetter: deadLetterTopic('applications'),
  paymentsDeadLetter: deadLetterTopic('payments'),
  deliveryDeadLetter: deadLetterTopic('delivery'),
  districtsDeadLetter: deadLetterTopic('districts'),
  applicationsReplay: replayTopic('applications'),
  paymentsReplay: replayTopic('payments'),
  deliveryReplay: replayTopic('delivery'),
  districtsReplay: replayTopic('districts'),
} as const;

const MiB = 1024 * 1024;

/** Every topic the project owns, with the partitions the contract gives it. */
export const gatewayTopics: TopicSpec[] = [
  {
    name: Topics.portalApplicationSubmitted,
    partitions: kafkaPartitions.portalApplicationSubmitted,
    // Attachments travel inline (up to 10 × 512 KiB, base64).
    config: { 'max.message.bytes': String(8 * MiB) },
  },
  { name: Topics.portalApplicationStatus, partitions: kafkaPartitions.portalApplicationStatus },
  { name: Topics.applicationEvents, partitions: kafkaPartitions.applicationsEvents },
  { name: Topics.paymentEvents, partitions: kafkaPartitions.paymentsEvents },
  { name: Topics.deliveryEvents, partitions: kafkaPartitions.deliveryEvents },
  {
    name: Topics.districtServiceOfferings,
    partitions: kafkaPartitions.districtsServiceOfferings,
    // The latest snapshot per district is all anyone needs, kept for ever.
    config: { 'cleanup.policy': 'compact' },
  },
  {
    name: Topics.districtPayees,
    partitions: kafkaPartitions.districtsPayees,
    // The latest payee per district is all anyone needs, kept for ever.
    config: { 'cleanup.policy': 'compact' },
  },
  { name: Topics.backOfficeDecisions, partitions: kafkaPartitions.districtsBackOfficeDecisions },
  { name: Topics.conformanceSandboxes, partitions: kafkaPartitions.districtsConformanceSandboxes },
  { name: Topics.sandboxSteps, partitions: kafkaPartitions.applicationsSandboxSteps },
  {
    name: Topics.exchangeLogHeads,
    partitions: kafkaPartitions.exchangeLogHeads,
    // The latest signed head per service, kept for ever (auditors copy them out as they come).
    config: { 'cleanup.policy': 'compact' },
  },
  ...kafkaTopicParameters.deadLetter.service.map((service) => ({
    name: deadLetterTopic(service),
    partitions: kafkaPartitions.deadLetter,
    // Kept a month for operators; large enough for a dead-lettered submission with its attachments.
    config: { 'retention.ms': String(30 * 24 * 3600 * 1000), 'max.message.bytes': String(16 * MiB) },
  })),
  // Replay orders are small (the message stays in the service's dead_letter table).
  ...kafkaTopicParameters.replay.service.map((service) => ({
    name: replayTopic(service),
    partitions: kafkaPartitions.replay,
  })),
];

/** Kafka's default `max.message.bytes`: the limit of every topic that sets none. */
const defaultMaxMessageBytes = MiB;
const maxMessageBytesByTopic = new Map(
  gatewayTopics.map((topic) => [topic.name, Number(topic.config?.['max.message.bytes'] ?? defaultMaxMessageBytes)]),
);

/** The largest message value a consumer of the topic parses. */
export function maxMessageBytes(topic: string): number {
  return maxMessageBytesByTopic.get(topic) ?? defaultMaxMessageBytes;
}
