import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Kafka,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';
import { type AclRule, allAclRules, kafkaUsers } from './kafka-acls';

const operationTypes = {
  Write: AclOperationTypes.WRITE,
  Read: AclOperationTypes.READ,
  Describe: AclOperationTypes.DESCRIBE,
} as const;

function entryOf(rule: AclRule): AclEntry {
  return {
    principal: `User:${rule.principal}`,
    host: '*',
    resourceType: rule.resource.type === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: rule.resource.name,
    resourcePatternType:
      rule.resource.patternType === 'prefix' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    operation: operationTypes[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

const keyOf = (entry: AclEntry) =>
  [
    entry.principal,
    entry.host,
    entry.resourceType,
    entry.resourceName,
    entry.resourcePatternType,
    entry.operation,
    entry.permissionType,
  ].join('|');

/**
 * Makes the broker's ACLs those of the table (kafka-acls.ts): creates what is missing and deletes
 * the rules of our users the table no longer gives. Needs a super user's connection (the harness's admin).
 */
export async function applyKafkaAcls(kafka: Kafka): Promise<{ created: number; deleted: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = new Map(allAclRules().map((rule) => [keyOf(entryOf(rule)), entryOf(rule)]));
    const ours = new Set(kafkaUsers.map((user) => `User:${user}`));
    const differences = async () => {
      const { resources } = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const existing: AclEntry[] = resources.flatMap((resource) =>
        resource.acls.map((acl) => ({
          ...acl,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          resourcePatternType: resource.resourcePatternType,
        })),
      );
      const have = new Set(existing.map(keyOf));
      return {
        missing: [...wanted].filter(([key]) => !have.has(key)).map(([, entry]) => entry),
        stale: existing.filter((entry) => ours.has(entry.principal) && !wanted.has(keyOf(entry))),
      };
    };
    const { missing, stale } = await differences();
    if (missing.length > 0) await admin.createAcls({ acl: missing });
    if (stale.length > 0) await admin.deleteAcls({ filters: stale });
    // The broker applies ACLs once the metadata log has them, a moment after the answer: wait for
    // that, so no service starts against rules that are not there yet.
    for (let attempt = 0; missing.length + stale.length > 0; attempt++) {
      const now = await differences();
      if (now.missing.length + now.stale.length === 0) break;
      if (attempt >= 100)
        throw new Error(`Kafka ACLs not applied after 10 s: ${now.missing.length} missing, ${now.stale.length} stale`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { created: missing.length, deleted: stale.length };
  } finally {
    await admin.disconnect();
  }
}
