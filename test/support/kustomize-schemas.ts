import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The vendored CustomResourceDefinitions (deploy/k8s/crds/README.md says where each comes from). */
export const crdDir = join(__dirname, '../../deploy/k8s/crds');

interface CustomResourceDefinition {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

type Schema = { [keyword: string]: unknown };

/**
 * A CRD's openAPIV3Schema as JSON Schema with the API server's rules for structural schemas: an
 * object with declared properties takes no other field (the server would prune it silently, so a
 * misspelt or removed field is a defect here) unless it says `x-kubernetes-preserve-unknown-fields`;
 * `x-kubernetes-int-or-string` takes either. CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
function structural(node: Schema): Schema {
  const schema: Schema = { ...node };
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    schema.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.properties) {
    schema.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Schema>).map(([key, value]) => [key, structural(value)]),
    );
    if (
      schema.type === 'object' &&
      schema.additionalProperties === undefined &&
      schema['x-kubernetes-preserve-unknown-fields'] !== true
    ) {
      schema.additionalProperties = false;
    }
  }
  if (schema.items && typeof schema.items === 'object') schema.items = structural(schema.items as Schema);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    schema.additionalProperties = structural(schema.additionalProperties as Schema);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(schema[keyword])) {
      schema[keyword] = (schema[keyword] as Schema[]).map(structural);
    }
  }
  return schema;
}

/** A validator per served `apiVersion` and kind of the vendored CRDs, e.g. `kafka.strimzi.io/v1 Kafka`. */
export function crdValidators(): Map<string, ValidateFunction> {
  // Formats such as int32 and date-time are OpenAPI's, not JSON Schema's: types and patterns are checked.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(crdDir).filter((name) => name.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(crdDir, file), 'utf8')) as CustomResourceDefinition;
    if (crd.kind !== 'CustomResourceDefinition') throw new Error(`${file} is not a CustomResourceDefinition`);
    for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
      validators.set(
        `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`,
        ajv.compile(structural(version.schema.openAPIV3Schema)),
      );
    }
  }
  return validators;
}
