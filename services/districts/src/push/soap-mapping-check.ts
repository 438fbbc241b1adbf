import { PushFailure } from './back-office-answer';
import type { PushMessage } from './pushed-application';
import { parseSoapAnswer, SoapFaultFailure } from './soap-answer';
import { parseSoapMapping, treeMappingOf } from './soap-mapping';
import { buildSoapRequest } from './soap-request';

/** Where a mapping does not fit, and why. */
export interface MappingProblem {
  path: string;
  message: string;
}

/** What an operator gives to check a SOAP mapping against: pushed applications, and answers of the office. */
export interface SoapMappingSamples {
  /** Pushed applications (or deadline alerts) as the gateway sends them; each is built as every operation. */
  events?: unknown[];
  /** The office's answers: `body` is the XML (or the multipart body, with its `contentType`). */
  answers?: { kind: PushMessage['kind']; contentType?: string; body: string }[];
}

/**
 * The problems of a SOAP mapping against the operator's samples, for the check on save: the
 * mapping's own rules, every sample event built into each operation's request, every sample answer
 * read back (a fault is fine when a rule maps it; only an answer the mapping cannot read is a problem).
 */
export async function checkSoapMapping(mapping: unknown, samples: SoapMappingSamples): Promise<MappingProblem[]> {
  const parsed = parseSoapMapping(mapping);
  if (!parsed.success) {
    return parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  }
  const tree = treeMappingOf(parsed.data);
  const problems: MappingProblem[] = [];
  const kinds: PushMessage['kind'][] = ['application', 'status_change', 'deadline_alert'];
  for (const [index, event] of (samples.events ?? []).entries()) {
    for (const kind of kinds) {
      if (kind === 'deadline_alert' && !(event as { deadline?: unknown }).deadline) continue;
      const message: PushMessage = {
        pushId: `sample-${index}`,
        kind,
        districtCode: String((event as { districtCode?: unknown }).districtCode ?? 'sample'),
        application: event as PushMessage['application'],
        callbackUrl: 'https://umg.example/back-office/sample/decisions',
      };
      try {
        await buildSoapRequest(tree, message);
      } catch (error) {
        problems.push({ path: `samples.events.${index}`, message: `${kind}: ${(error as Error).message}` });
      }
    }
  }
  for (const [index, answer] of (samples.answers ?? []).entries()) {
    try {
      await parseSoapAnswer(
        tree,
        { kind: answer.kind, pushId: `sample-${index}` },
        { contentType: answer.contentType ?? 'text/xml', body: Buffer.from(answer.body, 'utf8') },
      );
    } catch (error) {
      if (error instanceof SoapFaultFailure) continue;
      problems.push({
        path: `samples.answers.${index}`,
        message: error instanceof PushFailure ? error.message : String(error),
      });
    }
  }
  return problems;
}
