import { deadLetterTopic, kafkaTopicParameters, replayTopic } from '@umg/contracts';
import { Topics } from './gateway-topics';

/**
 * Who may do what on Kafka: THE one table. The local broker's ACLs (applied by the dev/test
 * harness), the Strimzi KafkaUsers in deploy/k8s (checked against it by test/k8s-manifests.spec.ts)
 * and the docs derive from it. A topic is written only by the producers named here (its owner, and
 * for the portal's submissions also delivery, which turns e-delivery messages into submissions);
 * read only by its consumers; each service consumes in its own group (and its lanes' groups).
 */
export const kafkaServices = ['gateway', 'applications', 'payments', 'delivery', 'districts'] as const;
export type KafkaService = (typeof kafkaServices)[number];

/** The simulated (and the real) state portal: writes submissions, reads status updates. */
export type KafkaPrincipal = KafkaService | 'portal';

/** Every SCRAM user of a broker: the principals and the harness's super user (topics, ACLs). */
export const kafkaUsers = ['admin', ...kafkaServices, 'portal'] as const;
export type KafkaUser = (typeof kafkaUsers)[number];

export interface TopicAccess {
  topic: string;
  /** Who may write; the first is the owner. */
  producers: KafkaPrincipal[];
  consumers: KafkaPrincipal[];
}

export const topicAccess: TopicAccess[] = [
  { topic: Topics.portalApplicationSubmitted, producers: ['portal', 'delivery'], consumers: ['applications'] },
  { topic: Topics.portalApplicationStatus, producers: ['applications'], consumers: ['portal'] },
  // Applications reads its own events too: the life-event bundles' saga steps on them.
  {
    topic: Topics.applicationEvents,
    producers: ['applications'],
    consumers: ['payments', 'delivery', 'districts', 'applications'],
  },
  { topic: Topics.paymentEvents, producers: ['payments'], consumers: ['applications', 'delivery'] },
  { topic: Topics.deliveryEvents, producers: ['delivery'], consumers: ['applications'] },
  { topic: Topics.districtServiceOfferings, producers: ['districts'], consumers: ['applications'] },
  { topic: Topics.districtPayees, producers: ['districts'], consumers: ['payments'] },
  { topic: Topics.backOfficeDecisions, producers: ['districts'], consumers: ['applications'] },
  { topic: Topics.conformanceSandboxes, producers: ['districts'], consumers: ['applications'] },
  { topic: Topics.sandboxSteps, producers: ['applications'], consumers: ['districts'] },
  // Every service publishes its own exchange log's signed head (keyed by the service); a head
  // written under another service's name does not verify against that service's key.
  { topic: Topics.exchangeLogHeads, producers: [...kafkaServices], consumers: [] },
  // Each consuming service dead-letters to its own topic; operators read them with the admin identity.
  ...kafkaTopicParameters.deadLetter.service.map((service): TopicAccess => ({
    topic: deadLetterTopic(service),
    producers: [service],
    consumers: [],
  })),
  // Each consuming service orders replays of its own dead letters to itself (its outbox writes,
  // its consumer group reads): no service needs to write a topic it only consumes.
  ...kafkaTopicParameters.replay.service.map((service): TopicAccess => ({
    topic: replayTopic(service),
    producers: [service],
    consumers: [service],
  })),
];

/** Topics a service consumes in a consumer group of their own, so they never wait behind its other topics. */
export interface ConsumerLane {
  /** The group is `umg.<service>.<name>`. */
  name: string;
  topics: string[];
}

/** The services' lanes; every other topic a service consumes is read by its main group, `umg.<service>`. */
export const consumerLanes: Partial<Record<KafkaService, ConsumerLane[]>> = {
  // Portal submissions must not queue behind the ~10 payment and delivery events of each lifecycle.
  applications: [{ name: 'intake', topics: [Topics.portalApplicationSubmitted] }],
};

/** A service's main consumer group. */
export const mainConsumerGroup = (service: string) => `umg.${service}`;

/** The consumer group of one of a service's lanes. */
export const laneConsumerGroup = (service: string, lane: string) => `umg.${service}.${lane}`;

/** The consumer groups of a service (its main group, then one per lane), or the prefix of the portal's groups. */
export function consumerGroupsOf(principal: KafkaPrincipal): { name: string; prefixed: boolean }[] {
  if (principal === 'portal') return [{ name: 'portal-', prefixed: true }];
  return [
    { name: mainConsumerGroup(principal), prefixed: false },
    ...(consumerLanes[principal] ?? []).map((lane) => ({
      name: laneConsumerGroup(principal, lane.name),
      prefixed: false,
    })),
  ];
}

export type AclOperation = 'Write' | 'Read' | 'Describe';

/** One allow rule, in Kafka's terms (a Strimzi `acls` entry and a kafkajs `createAcls` entry alike). */
export interface AclRule {
  principal: KafkaPrincipal;
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operation: AclOperation;
}

/** The allow rules the table gives one principal; everything else is denied. */
export function aclRulesOf(principal: KafkaPrincipal): AclRule[] {
  const rules: AclRule[] = [];
  const topic = (name: string) => ({ type: 'topic' as const, name, patternType: 'literal' as const });
  for (const access of topicAccess) {
    if (access.producers.includes(principal)) {
      rules.push({ principal, resource: topic(access.topic), operation: 'Write' });
      rules.push({ principal, resource: topic(access.topic), operation: 'Describe' });
    }
    if (access.consumers.includes(principal)) {
      rules.push({ principal, resource: topic(access.topic), operation: 'Read' });
      if (!access.producers.includes(principal)) {
        rules.push({ principal, resource: topic(access.topic), operation: 'Describe' });
      }
    }
  }
  if (topicAccess.some((access) => access.consumers.includes(principal))) {
    for (const group of consumerGroupsOf(principal)) {
      const resource = {
        type: 'group' as const,
        name: group.name,
        patternType: group.prefixed ? 'prefix' : 'literal',
      } as const;
      rules.push({ principal, resource, operation: 'Read' });
      rules.push({ principal, resource, operation: 'Describe' });
    }
  }
  return rules;
}

/** Every allow rule of the table. */
export function allAclRules(): AclRule[] {
  return [...kafkaServices, 'portal' as const].flatMap(aclRulesOf);
}
