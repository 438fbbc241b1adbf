import { z } from 'zod';
import { commonConfigShape, kafkaConnection, loadConfig } from '@umg/config';
import { createLogger } from '@umg/logging';
import { applyKafkaAcls, createKafka, ensureTopics, gatewayTopics } from '@umg/messaging';

/**
 * `node dist/tools/dev/kafka-setup.js`: the project's topics and the ACL table (libs/messaging
 * kafka-acls.ts) on a broker, connecting as its super user with the usual KAFKA_* settings. The
 * compose set runs it once before the services; Strimzi (deploy/k8s) does the same from KafkaTopics
 * and KafkaUsers instead.
 */
async function main(): Promise<void> {
  const log = createLogger('kafka-setup', process.env.LOG_LEVEL ?? 'info');
  const config = loadConfig(z.object(commonConfigShape), process.env);
  const kafka = createKafka(kafkaConnection(config), 'umg-setup', log);
  const created = await ensureTopics(kafka, gatewayTopics);
  const acls = await applyKafkaAcls(kafka);
  log.info(
    { topicsCreated: created, aclsCreated: acls.created, aclsDeleted: acls.deleted },
    'Kafka topics and ACLs in place',
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
