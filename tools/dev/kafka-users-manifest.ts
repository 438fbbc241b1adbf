import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { aclRulesOf, type KafkaPrincipal, kafkaServices } from '@umg/messaging';

/** The Strimzi cluster the users belong to (deploy/k8s/base/kafka.yaml). */
export const strimziCluster = 'umg-kafka';

/** A principal's KafkaUser (and so its SCRAM user name and the Secret with its password). */
export const kafkaUserName = (principal: KafkaPrincipal) => `umg-${principal}`;

type StrimziOperation = 'Read' | 'Write' | 'Describe';

interface StrimziAcl {
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operations: StrimziOperation[];
}

/** A principal's rules of the ACL table (libs/messaging kafka-acls.ts) as Strimzi `acls`: one entry per resource. */
export function strimziAcls(principal: KafkaPrincipal): StrimziAcl[] {
  const byResource = new Map<string, StrimziAcl>();
  for (const rule of aclRulesOf(principal)) {
    const key = `${rule.resource.type}:${rule.resource.patternType}:${rule.resource.name}`;
    const entry = byResource.get(key) ?? { resource: { ...rule.resource }, operations: [] };
    entry.operations.push(rule.operation);
    byResource.set(key, entry);
  }
  return [...byResource.values()];
}

/** Every KafkaUser: one per service and one for the state portal, SCRAM-SHA-512, with the table's ACLs. */
export function strimziKafkaUsers() {
  return [...kafkaServices, 'portal' as const].map((principal) => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: { name: kafkaUserName(principal), labels: { 'strimzi.io/cluster': strimziCluster } },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: strimziAcls(principal) },
    },
  }));
}

// `node dist/tools/dev/kafka-users-manifest.js` rewrites deploy/k8s/base/kafka-users.yaml from the table.
if (require.main === module) {
  const header = [
    '# GENERATED from the ACL table (libs/messaging/src/kafka-acls.ts) by tools/dev/kafka-users-manifest.ts:',
    '# do not edit; test/k8s-manifests.spec.ts checks it. Strimzi’s User Operator makes each user a SCRAM',
    '# password in a Secret of the same name, which only that service’s Deployment mounts.',
  ].join('\n');
  const documents = strimziKafkaUsers().map((user) => stringify(user, { lineWidth: 0 }));
  const file = process.argv[2] ?? join(__dirname, '../../..', 'deploy/k8s/base/kafka-users.yaml');
  writeFileSync(file, `${header}\n${documents.join('---\n')}`);
  console.log(`wrote ${file}`);
}
