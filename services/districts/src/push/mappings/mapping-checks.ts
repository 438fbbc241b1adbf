import type { AdapterStyle } from '@umg/contracts';
import { z } from 'zod';
import { checkSoapMapping } from '../soap-mapping-check';
import { parseSoapMapping } from '../soap-mapping';
import type { MappingCheck } from './mapping-check';
import { jsonMappingCheck } from './json-mapping-check';
import { syntheticPushMessage } from './synthetic-push-messages';

export type { MappingCheck, MappingProblem } from './mapping-check';

/** A SOAP mapping parsed by its form (tree or legacy flat), so the problems named are those of the form meant. */
const soapMappingShape = z.record(z.string(), z.unknown()).superRefine((value, context) => {
  const parsed = parseSoapMapping(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues.slice(0, 20)) {
    context.addIssue({ code: 'custom', path: issue.path as (string | number)[], message: issue.message });
  }
});

/**
 * A push_soap mapping fits when every operation builds from a synthetic gateway message of each push
 * kind and every answer sample (XML, or a multipart/related MTOM body with its content type) is read
 * into an answer or a fault its rules map. Samples are optional: the structure is checked either way.
 */
const soapMappingCheck: MappingCheck = {
  schema: soapMappingShape,
  async check(districtCode, mapping, samples) {
    const problems = await checkSoapMapping(mapping, {
      events: [syntheticPushMessage(districtCode, 'application').application],
      answers: (samples?.answers ?? []).map((answer) => ({
        kind: answer.kind ?? 'application',
        ...(answer.contentType ? { contentType: answer.contentType } : {}),
        body: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
      })),
    });
    return problems.map((problem) => ({
      field: problem.path.replace(/^samples\.answers\.(\d+)/, 'mappingSamples.answers[$1]'),
      code: problem.path.startsWith('samples.answers') ? 'answer_does_not_map' : 'request_does_not_map',
      message: problem.message,
    }));
  },
};

/** The check of each push adapter style's mapping; a style without an entry keeps its mapping unchecked. */
export const mappingChecks: Partial<Record<AdapterStyle, MappingCheck>> = {
  push_json: jsonMappingCheck,
  push_soap: soapMappingCheck,
};
