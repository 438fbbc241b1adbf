import type { BackOfficePushKind } from '../pushed-application';
import {
  compileAll,
  type JsonPushMapping,
  jsonPushMappingSchema,
  MappingFailure,
  mappedAnswer,
  mappedRequest,
} from './json-push-mapping';
import type { MappingCheck, MappingProblem } from './mapping-check';
import type { MappingSamples } from './mapping-samples';
import { syntheticPushMessage } from './synthetic-push-messages';

const pushKinds: BackOfficePushKind[] = ['application', 'status_change', 'deadline_alert'];

/**
 * A push_json mapping fits when every expression compiles, the request of every push kind maps
 * from a synthetic gateway message (and has the fields of the operator's request sample, if any),
 * and every answer sample maps to a valid answer in the gateway's terms.
 */
export const jsonMappingCheck: MappingCheck = {
  schema: jsonPushMappingSchema as unknown as MappingCheck['schema'],
  async check(districtCode, raw, samples) {
    const mapping = jsonPushMappingSchema.parse(raw);
    const problems: MappingProblem[] = compileAll(mapping).map((failure) => ({
      field: failure.expression,
      code: 'does_not_compile',
      message: failure.message,
    }));
    if (problems.length > 0) return problems;
    if (!samples) {
      return [
        {
          field: 'mappingSamples',
          code: 'samples_required',
          message: 'a JSON mapping is saved with samples of the district’s answers to check it against',
        },
      ];
    }
    for (const kind of pushKinds) problems.push(...(await requestProblems(districtCode, mapping, kind, samples)));
    for (const [index, sample] of samples.answers.entries()) {
      const kind = sample.kind ?? 'application';
      try {
        await mappedAnswer(mapping, sample.body, syntheticPushMessage(districtCode, kind));
      } catch (error) {
        if (!(error instanceof MappingFailure)) throw error;
        problems.push({
          field: `mappingSamples.answers[${index}]`,
          code: 'answer_does_not_map',
          message: `sample "${sample.name}": ${error.message}`,
        });
      }
    }
    return problems;
  },
};

async function requestProblems(
  districtCode: string,
  mapping: JsonPushMapping,
  kind: BackOfficePushKind,
  samples: MappingSamples,
): Promise<MappingProblem[]> {
  let body: unknown;
  try {
    body = await mappedRequest(mapping, syntheticPushMessage(districtCode, kind));
  } catch (error) {
    if (!(error instanceof MappingFailure)) throw error;
    return [{ field: error.expression, code: 'request_does_not_map', message: `for a ${kind} push: ${error.message}` }];
  }
  const problems: MappingProblem[] = [];
  for (const [index, sample] of (samples.requests ?? []).entries()) {
    if (sample.kind !== kind) continue;
    for (const missing of missingFields(sample.body, body, '')) {
      problems.push({
        field: `mappingSamples.requests[${index}]`,
        code: 'request_does_not_match_sample',
        message: `the mapped ${kind} request ${missing}`,
      });
    }
  }
  return problems.slice(0, 20);
}

/** Fields of the sample the mapped request lacks or has with another JSON type (values may differ). */
function missingFields(sample: unknown, actual: unknown, path: string): string[] {
  const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  if (typeOf(sample) !== typeOf(actual)) {
    return [`has ${path || 'its body'} as ${typeOf(actual)}, the sample as ${typeOf(sample)}`];
  }
  if (Array.isArray(sample) && Array.isArray(actual)) {
    return sample.length > 0 && actual.length > 0 ? missingFields(sample[0], actual[0], `${path}[0]`) : [];
  }
  if (sample && typeof sample === 'object') {
    const own = actual as Record<string, unknown>;
    return Object.entries(sample as Record<string, unknown>).flatMap(([key, value]) => {
      const at = path ? `${path}.${key}` : key;
      return Object.hasOwn(own, key) ? missingFields(value, own[key], at) : [`lacks ${at}`];
    });
  }
  return [];
}
