import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProfilesFile } from '../seed-registry/profiles-file';
import type { PushMessage } from './pushed-application';
import { parseSoapAnswer } from './soap-answer';
import { parseSoapMapping, soapTreeMappingSchema, treeMappingOf } from './soap-mapping';
import { buildSoapRequest, soapActionHeaders } from './soap-request';

const root = join(__dirname, '../../../..');
const flat = parseSoapMapping(
  readProfilesFile(join(root, 'tools/dev/district-profiles.yaml'), {
    BACK_OFFICE_JSON_URL: 'http://x',
    BACK_OFFICE_SOAP_URL: 'http://y',
  }).oborishte!.mapping,
);
const oborishte = treeMappingOf(flat.data!);
const izgrevProfile = JSON.parse(readFileSync(join(root, 'docs/examples/izgrev-soap-profile.json'), 'utf8')) as {
  mapping: unknown;
};
const izgrev = soapTreeMappingSchema.parse(izgrevProfile.mapping);

const sampleMessage: PushMessage = {
  pushId: '7',
  kind: 'application',
  districtCode: 'oborishte',
  callbackUrl: 'http://cb',
  application: {
    applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
    portalApplicationId: 'EGOV-1',
    serviceReferenceNumber: 'R-1',
    districtCode: 'oborishte',
    serviceNumber: 2079,
    urgency: 'regular',
    status: 'routed',
    previousStatus: 'received',
    sequence: 2,
    occurredAt: '2026-03-12T10:00:00Z',
    registrationNumber: null,
    applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван <Петров> & син' },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: null,
  },
};

const answer = (content: string) => ({
  contentType: 'text/xml; charset=utf-8',
  body: Buffer.from(
    `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:d="urn:x"><s:Body>${content}</s:Body></s:Envelope>`,
  ),
});

describe('SOAP mapping, flat legacy form (Oborishte)', () => {
  it('is read as the legacy variant and builds the district’s request in its own codes, escaping text', async () => {
    expect(flat.success).toBe(true);
    const xml = await buildSoapRequest(oborishte, sampleMessage);
    expect(xml).toContain(
      '<soap:Envelope xmlns:d="urn:oborishte:delovodstvo:v1" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
    );
    expect(xml).toContain('<d:VpishiVhodyasht>');
    expect(xml).toContain('<d:UslugaKod>ADR-PA</d:UslugaKod>');
    expect(xml).toContain('<d:Speshnost>OBIKN</d:Speshnost>');
    expect(xml).toContain('<d:StatusKod>NOV</d:StatusKod>');
    expect(xml).toContain('<d:Zayavitel>Иван &lt;Петров&gt; &amp; син</d:Zayavitel>');
    expect(soapActionHeaders(oborishte, 'application')).toEqual({
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: '"urn:oborishte:delovodstvo#VpishiVhodyasht"',
    });
  });

  it('falls back to the default code of a value map', async () => {
    const xml = await buildSoapRequest(oborishte, {
      ...sampleMessage,
      application: { ...sampleMessage.application, serviceNumber: 2016 + 1 },
    });
    expect(xml).toContain('<d:UslugaKod>IISDA-2017</d:UslugaKod>');
  });

  it('maps the answer back: decision code, registration number, reference', async () => {
    const parsed = await parseSoapAnswer(
      oborishte,
      sampleMessage,
      answer(
        '<d:R><d:Rezultat>VP</d:Rezultat><d:VhNomer>ОБ-94-00-1/2026</d:VhNomer><d:DokumentId>DMS-1</d:DokumentId></d:R>',
      ),
    );
    expect(parsed).toEqual({
      decision: 'register',
      registrationNumber: 'ОБ-94-00-1/2026',
      backOfficeReference: 'DMS-1',
    });
  });

  it('treats a fault, an unknown code and a registration without number as refusals that retrying cannot fix', async () => {
    const fault = answer('<s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault>');
    await expect(parseSoapAnswer(oborishte, sampleMessage, fault)).rejects.toMatchObject({
      permanent: true,
      message: 'SOAP fault Client: no',
    });
    const unknown = answer('<d:R><d:Rezultat>??</d:Rezultat><d:DokumentId>D</d:DokumentId></d:R>');
    await expect(parseSoapAnswer(oborishte, sampleMessage, unknown)).rejects.toThrow('not a known code');
    const noNumber = answer('<d:R><d:Rezultat>VP</d:Rezultat><d:DokumentId>D</d:DokumentId></d:R>');
    await expect(parseSoapAnswer(oborishte, sampleMessage, noNumber)).rejects.toThrow('without a registration number');
  });
});

describe('SOAP mapping, tree form (Izgrev, SOAP 1.2)', () => {
  it('builds a nested request with namespaces, attributes, code tables, dates and repeated elements', async () => {
    const xml = await buildSoapRequest(izgrev, {
      ...sampleMessage,
      application: { ...sampleMessage.application, documentIds: ['d-1', 'd-2'] } as never,
    });
    expect(xml).toContain(
      '<soap:Envelope xmlns:iz="urn:izgrev:deloproizvodstvo:2024" xmlns:t="urn:izgrev:tipove:2024" xmlns:soap="http://www.w3.org/2003/05/soap-envelope">',
    );
    expect(xml).toContain('<soap:Header></soap:Header>');
    expect(xml).toContain('<iz:Zayavlenie nomerVPortala="EGOV-1" t:versiya="1">');
    expect(xml).toContain(
      '<t:Usluga kod="IZ-ADR-01"><t:RNU>R-1</t:RNU><t:Srochnost>OBIKNOVENA</t:Srochnost></t:Usluga>',
    );
    expect(xml).toContain('<t:Identifikator vid="EGN">7501020018</t:Identifikator>');
    expect(xml).toContain('<t:Podadeno>12.03.2026 12:00</t:Podadeno>');
    expect(xml).toContain('<t:Dokumenti><t:Dokument id="d-1"/><t:Dokument id="d-2"/></t:Dokumenti>');
    expect(soapActionHeaders(izgrev, 'application')).toEqual({
      'Content-Type':
        'application/soap+xml; charset=utf-8; action="urn:izgrev:deloproizvodstvo:2024/PodavaneNaZayavlenie"',
    });
  });

  it('leaves out what `when` rules out and repeats reasons', async () => {
    const xml = await buildSoapRequest(izgrev, {
      ...sampleMessage,
      kind: 'status_change',
      application: {
        ...sampleMessage.application,
        status: 'returned_for_corrections',
        reasons: [{ code: 'R1', message: 'липсва подпис' }, { message: 'друго' }],
      } as never,
    });
    expect(xml).toContain('<iz:PromyanaNaSastoyanie>');
    expect(xml).not.toContain('VhodyashtNomer');
    expect(xml).not.toContain('t:Srok');
    expect(xml).toContain('<t:Sastoyanie>DRUGO</t:Sastoyanie>');
    expect(xml).toContain(
      '<t:Prichini><t:Prichina kod="R1">липсва подпис</t:Prichina><t:Prichina>друго</t:Prichina></t:Prichini>',
    );
  });

  it('parks a push whose value has no code and no default in its table', async () => {
    const strict = { ...izgrev, tables: { ...izgrev.tables, srochnosti: { regular: 'OB' } } };
    await expect(
      buildSoapRequest(strict, { ...sampleMessage, application: { ...sampleMessage.application, urgency: 'express' } }),
    ).rejects.toMatchObject({ permanent: true, message: 'table "srochnosti" has no code for "express"' });
  });

  it('refuses on save what cannot work: bad JSONata, bad XPath, an undeclared prefix', () => {
    interface Node {
      element: string;
      value?: string;
      children: Node[];
    }
    const broken = structuredClone(izgrevProfile.mapping) as {
      operations: { application: { body: Node }; status_change: { body: Node } };
      answer: { reference: string };
    };
    broken.operations.application.body.children[0]!.children[0]!.value = 'applicationId +';
    broken.answer.reference = '*/t:Delo/@';
    broken.operations.status_change.body.element = 'x:Op';
    const result = parseSoapMapping(broken);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^operations\.application\.body\.children\.0\.children\.0\.value: not a JSONata expression/,
        ),
        expect.stringMatching(/^answer\.reference: not an XPath expression/),
        'operations.status_change.body: prefix "x" is not in namespaces',
      ]),
    );
  });
});
