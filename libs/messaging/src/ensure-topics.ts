import type { Kafka } from 'kafkajs';
import type { TopicSpec } from './topic-spec';

/** Creates the topics that are missing; the broker never creates topics on its own. */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: -1, // the broker's default: 1 locally, the cluster's setting elsewhere
        configEntries: Object.entries(topic.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}
