import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { aclRulesOf, consumerGroupsOf, consumerLanes, kafkaServices, kafkaUsers, topicAccess } from './kafka-acls';
import { gatewayTopics, Topics } from './gateway-topics';

const repo = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

// kafkaTopics (the contract) and Topics (gateway-topics.ts) name the topics by the same keys, save two.
const topicOfKey = (key: string): string => {
  const renamed: Record<string, string> = { applicationsEvents: 'applicationEvents', paymentsEvents: 'paymentEvents' };
  const topic = (Topics as Record<string, string>)[renamed[key] ?? key];
  if (!topic) throw new Error(`unknown topic key ${key}`);
  return topic;
};

/**
 * What a service's code produces (`topic: Topics.x` in an outbox entry) and consumes
 * (`[Topics.x]: Handler`), and its replay topic (`replayTopic: Topics.x`, both); what libs/platform produces (the exchange-log witness) every service does.
 */
function usage(service: string): { produces: Set<string>; consumes: Set<string> } {
  const produces = new Set<string>();
  const consumes = new Set<string>();
  for (const file of [
    ...sources(join(repo, 'services', service, 'src')),
    ...sources(join(repo, 'libs/platform/src')),
  ]) {
    const text = readFileSync(file, 'utf8');
    for (const [, key] of text.matchAll(/topic: (?:Topics|kafkaTopics)\.(\w+)/g)) produces.add(topicOfKey(key!));
    for (const [, key] of text.matchAll(/deadLetterTopic: Topics\.(\w+)/g)) produces.add(topicOfKey(key!));
    // A consuming service's replays of its own dead letters: written by its outbox, read by its group.
    for (const [, key] of text.matchAll(/replayTopic: Topics\.(\w+)/g)) {
      produces.add(topicOfKey(key!));
      consumes.add(topicOfKey(key!));
    }
    // The topics of its Kafka handlers: `@EventPattern(type, onTopic(Topics.x, …))`.
    for (const [, key] of text.matchAll(/onTopic\(Topics\.(\w+)/g)) consumes.add(topicOfKey(key!));
  }
  return { produces, consumes };
}

describe('the Kafka ACL table', () => {
  it('covers every topic the project creates, once', () => {
    expect(topicAccess.map((access) => access.topic).sort()).toEqual(gatewayTopics.map((topic) => topic.name).sort());
  });

  it.each(kafkaServices)('gives %s exactly the topics its code produces and consumes', (service) => {
    const { produces, consumes } = usage(service);
    const writes = topicAccess.filter((access) => access.producers.includes(service)).map((access) => access.topic);
    const reads = topicAccess.filter((access) => access.consumers.includes(service)).map((access) => access.topic);
    expect(writes.sort()).toEqual([...produces].sort());
    expect(reads.sort()).toEqual([...consumes].sort());
  });

  it('lets one owner write payments, decisions and status updates: nobody else', () => {
    const producersOf = (topic: string) => topicAccess.find((access) => access.topic === topic)!.producers;
    expect(producersOf(Topics.paymentEvents)).toEqual(['payments']);
    expect(producersOf(Topics.backOfficeDecisions)).toEqual(['districts']);
    expect(producersOf(Topics.portalApplicationStatus)).toEqual(['applications']);
    expect(producersOf(Topics.portalApplicationSubmitted)).toEqual(['portal', 'delivery']);
  });

  it('gives the portal its two topics and its own groups, nothing more', () => {
    expect(aclRulesOf('portal')).toEqual([
      {
        principal: 'portal',
        resource: { type: 'topic', name: Topics.portalApplicationSubmitted, patternType: 'literal' },
        operation: 'Write',
      },
      {
        principal: 'portal',
        resource: { type: 'topic', name: Topics.portalApplicationSubmitted, patternType: 'literal' },
        operation: 'Describe',
      },
      {
        principal: 'portal',
        resource: { type: 'topic', name: Topics.portalApplicationStatus, patternType: 'literal' },
        operation: 'Read',
      },
      {
        principal: 'portal',
        resource: { type: 'topic', name: Topics.portalApplicationStatus, patternType: 'literal' },
        operation: 'Describe',
      },
      { principal: 'portal', resource: { type: 'group', name: 'portal-', patternType: 'prefix' }, operation: 'Read' },
      {
        principal: 'portal',
        resource: { type: 'group', name: 'portal-', patternType: 'prefix' },
        operation: 'Describe',
      },
    ]);
    expect(consumerGroupsOf('applications')).toEqual([
      { name: 'umg.applications', prefixed: false },
      { name: 'umg.applications.intake', prefixed: false },
    ]);
  });

  it('lets the gateway, which consumes nothing, write only its exchange log’s witnessed head', () => {
    expect(
      aclRulesOf('gateway').map((rule) => `${rule.operation} ${rule.resource.type} ${rule.resource.name}`),
    ).toEqual([`Write topic ${Topics.exchangeLogHeads}`, `Describe topic ${Topics.exchangeLogHeads}`]);
  });

  it('puts in a lane only topics its service consumes, each in one lane at most', () => {
    for (const [service, lanes] of Object.entries(consumerLanes)) {
      const topics = lanes.flatMap((lane) => lane.topics);
      expect(new Set(topics).size).toBe(topics.length);
      for (const topic of topics) {
        expect([service, topic, topicAccess.find((access) => access.topic === topic)?.consumers]).toEqual([
          service,
          topic,
          expect.arrayContaining([service]),
        ]);
      }
    }
    expect(aclRulesOf('applications').filter((rule) => rule.resource.type === 'group')).toEqual([
      {
        principal: 'applications',
        resource: { type: 'group', name: 'umg.applications', patternType: 'literal' },
        operation: 'Read',
      },
      {
        principal: 'applications',
        resource: { type: 'group', name: 'umg.applications', patternType: 'literal' },
        operation: 'Describe',
      },
      {
        principal: 'applications',
        resource: { type: 'group', name: 'umg.applications.intake', patternType: 'literal' },
        operation: 'Read',
      },
      {
        principal: 'applications',
        resource: { type: 'group', name: 'umg.applications.intake', patternType: 'literal' },
        operation: 'Describe',
      },
    ]);
  });

  it('names the same users as the local broker script', () => {
    const script = readFileSync(join(repo, 'deploy/kafka/kafka.sh'), 'utf8');
    const line = /^KAFKA_USERS=\(([^)]*)\)$/m.exec(script)![1]!;
    expect(line.split(' ')).toEqual([...kafkaUsers]);
  });
});
