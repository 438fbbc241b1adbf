import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSoapMapping } from './soap-mapping-check';

const { mapping } = JSON.parse(
  readFileSync(join(__dirname, '../../../../docs/examples/izgrev-soap-profile.json'), 'utf8'),
) as { mapping: Record<string, unknown> };
const event = {
  applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
  portalApplicationId: 'EGOV-1',
  serviceReferenceNumber: 'R-1',
  districtCode: 'izgrev',
  serviceNumber: 2079,
  urgency: 'regular',
  status: 'routed',
  sequence: 2,
  occurredAt: '2026-03-12T10:00:00Z',
  applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров' },
};
const envelope = (body: string) =>
  `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:a="urn:izgrev:deloproizvodstvo:2024" xmlns:b="urn:izgrev:tipove:2024"><e:Body>${body}</e:Body></e:Envelope>`;

describe('checking a SOAP mapping against the operator’s samples', () => {
  it('finds nothing wrong when the samples fit', async () => {
    const problems = await checkSoapMapping(mapping, {
      events: [event],
      answers: [
        {
          kind: 'application',
          body: envelope(
            '<a:R><a:Reshenie kod="PRIETO"/><b:VhodyashtNomer>1</b:VhodyashtNomer><b:Delo nomer="D"/></a:R>',
          ),
        },
      ],
    });
    expect(problems).toEqual([]);
  });

  it('names the sample that does not fit and why', async () => {
    const strict = { ...mapping, tables: { ...(mapping.tables as object), srochnosti: { fast: 'B' } } };
    const problems = await checkSoapMapping(strict, {
      events: [event],
      answers: [{ kind: 'application', body: envelope('<a:R><a:Reshenie kod="DA"/><b:Delo nomer="D"/></a:R>') }],
    });
    expect(problems).toEqual([
      { path: 'samples.events.0', message: 'application: table "srochnosti" has no code for "regular"' },
      { path: 'samples.answers.0', message: 'answer\'s decision "DA" at */iz:Reshenie/@kod is not a known code' },
    ]);
  });

  it('gives the mapping’s own problems first', async () => {
    expect(await checkSoapMapping({ ...mapping, soapVersion: '2' }, {})).toEqual([
      { path: 'soapVersion', message: expect.stringContaining('1.1') },
    ]);
  });
});
