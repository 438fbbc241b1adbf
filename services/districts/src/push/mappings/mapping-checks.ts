import type { AdapterStyle } from '@umg/contracts';
import { soapMappingSchema } from '../soap-mapping';
import type { MappingCheck } from './mapping-check';
import { jsonMappingCheck } from './json-mapping-check';

export type { MappingCheck, MappingProblem } from './mapping-check';

/** The SOAP mapping as it is today: its structure is the whole check (samples are not used yet). */
const soapMappingCheck: MappingCheck = {
  schema: soapMappingSchema,
  check: () => Promise.resolve([]),
};

/** The check of each push adapter style's mapping; a style without an entry keeps its mapping unchecked. */
export const mappingChecks: Partial<Record<AdapterStyle, MappingCheck>> = {
  push_json: jsonMappingCheck,
  push_soap: soapMappingCheck,
};
