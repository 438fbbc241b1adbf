import { createHash } from 'node:crypto';
import { jsonMappingCheck } from '../services/districts/src/push/mappings/json-mapping-check';
import {
  jsonPushMappingSchema,
  mappedAnswer,
  mappedRequest,
} from '../services/districts/src/push/mappings/json-push-mapping';
import { syntheticPushMessage } from '../services/districts/src/push/mappings/synthetic-push-messages';
import {
  nestedJsonOfficeMapping,
  nestedJsonOfficeSamples,
} from '../tools/simulators/district-back-office/nested-json-office.profile';

/** The nested JSON office's mapping (configuration, not code) against the gateway's JSONata push mapping. */
describe('JSON push mapping', () => {
  const mapping = jsonPushMappingSchema.parse(nestedJsonOfficeMapping);

  it('fits the samples the operator supplies with it', async () => {
    expect(await jsonMappingCheck.check('lozenets', mapping, nestedJsonOfficeSamples)).toEqual([]);
  });

  it('maps a new application into the office’s own nested shape, codes and date format', async () => {
    const body = await mappedRequest(mapping, syntheticPushMessage('lozenets', 'application'));
    expect(body).toEqual({
      zaiavlenie: {
        nomer: '00000000-0000-4000-8000-000000000001',
        vid: 'NOVO',
        status: 'NOVO',
        usluga: { kod: 'ADR-PA' },
        zaiavitel: { ime: 'Иван Петров', egn: '7501010010' },
        dati: { podadeno: '12.03.2026' },
        vhNomer: null,
        prichini: [],
        obratenAdres: 'https://gateway.example/back-office/lozenets/decisions',
      },
    });
    const change = (await mappedRequest(mapping, syntheticPushMessage('lozenets', 'status_change'))) as {
      zaiavlenie: { prichini: unknown[]; status: string };
    };
    expect(change.zaiavlenie.prichini).toEqual([{ kod: 'SAMPLE', tekst: 'a sample reason' }]);
    expect(change.zaiavlenie.status).toBe('DRUGO');
  });

  it('maps the office’s answer with a document back to a decision and the result', async () => {
    const document = Buffer.from('%PDF-1.4 result');
    const answer = await mappedAnswer(
      mapping,
      {
        otgovor: {
          status: 'GOTOVO',
          data: '06.12.2026 14:03:05',
          referentsia: 'LZ-9',
          dokument: {
            ime: 'u.pdf',
            tip: 'PDF',
            sadarjanie: document.toString('base64'),
            kontrolnaSuma: createHash('sha256').update(document).digest('hex'),
          },
        },
      },
      syntheticPushMessage('lozenets', 'status_change'),
    );
    expect(answer).toMatchObject({
      decision: 'start_processing',
      decidedAt: '2026-12-06T14:03:05.000Z',
      backOfficeReference: 'LZ-9',
      result: { kind: 'result', fileName: 'u.pdf', mediaType: 'application/pdf', document: { content: document } },
    });
  });

  it('names the expression and the sample when the mapping does not fit', async () => {
    const broken = {
      ...nestedJsonOfficeMapping,
      answer: '{ "decision": $lookup($codes.reshenia, otgovor.sastoianie) }',
    };
    const problems = await jsonMappingCheck.check(
      'lozenets',
      jsonPushMappingSchema.parse(broken),
      nestedJsonOfficeSamples,
    );
    expect(problems[0]).toMatchObject({ field: 'mappingSamples.answers[0]', code: 'answer_does_not_map' });
    expect(problems[0]!.message).toContain('backOfficeReference');
    const uncompilable = { ...nestedJsonOfficeMapping, answer: 'otgovor.(' };
    expect(
      await jsonMappingCheck.check('lozenets', jsonPushMappingSchema.parse(uncompilable), nestedJsonOfficeSamples),
    ).toEqual([expect.objectContaining({ field: 'mapping.answer', code: 'does_not_compile' })]);
  });

  it('stops an expression that would run for ever', async () => {
    const endless = jsonPushMappingSchema.parse({
      ...nestedJsonOfficeMapping,
      request: { default: '($f := function($n) { $f($n + 1) }; $f(0))' },
    });
    await expect(mappedRequest(endless, syntheticPushMessage('lozenets', 'application'))).rejects.toThrow(
      /mapping.request.default: fails/,
    );
  });
});
