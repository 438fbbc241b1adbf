import { join } from 'node:path';
import { readProfilesFile } from '../registry/profiles-file';
import type { PushMessage } from './pushed-application';
import { buildSoapRequest, parseSoapAnswer, soapMappingSchema } from './soap-mapping';

const mapping = soapMappingSchema.parse(
  readProfilesFile(join(__dirname, '../../../../tools/dev/district-profiles.yaml'), {
    BACK_OFFICE_JSON_URL: 'http://x',
    BACK_OFFICE_SOAP_URL: 'http://y',
  }).oborishte!.mapping,
);

const message: PushMessage = {
  deliveryId: '7',
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

const answer = (content: string) =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:d="urn:x"><s:Body>${content}</s:Body></s:Envelope>`;

describe('SOAP mapping', () => {
  it('builds the district’s request in its own codes, escaping text', () => {
    const xml = buildSoapRequest(mapping, message);
    expect(xml).toContain('<d:VpishiVhodyasht>');
    expect(xml).toContain('<d:UslugaKod>ADR-PA</d:UslugaKod>');
    expect(xml).toContain('<d:Speshnost>OBIKN</d:Speshnost>');
    expect(xml).toContain('<d:StatusKod>NOV</d:StatusKod>');
    expect(xml).toContain('<d:Zayavitel>Иван &lt;Петров&gt; &amp; син</d:Zayavitel>');
  });

  it('falls back to the default code of a value map', () => {
    const xml = buildSoapRequest(mapping, {
      ...message,
      application: { ...message.application, serviceNumber: 2016 + 1 },
    });
    expect(xml).toContain('<d:UslugaKod>IISDA-2017</d:UslugaKod>');
  });

  it('maps the answer back: decision code, registration number, reference', () => {
    const parsed = parseSoapAnswer(
      mapping,
      'application',
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

  it('acknowledges a status change, or takes the decision its answer carries', () => {
    const acknowledged = answer('<d:S><d:DokumentId>DMS-2</d:DokumentId></d:S>');
    expect(parseSoapAnswer(mapping, 'status_change', acknowledged)).toEqual({ backOfficeReference: 'DMS-2' });
    const started = answer('<d:S><d:Rezultat>OB</d:Rezultat><d:DokumentId>DMS-2</d:DokumentId></d:S>');
    expect(parseSoapAnswer(mapping, 'status_change', started)).toEqual({
      decision: 'start_processing',
      backOfficeReference: 'DMS-2',
    });
  });

  it('treats a fault, an unknown code and a registration without number as refusals that retrying cannot fix', () => {
    const fault = answer('<s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault>');
    expect(() => parseSoapAnswer(mapping, 'application', fault)).toThrow(expect.objectContaining({ permanent: true }));
    const unknown = answer('<d:R><d:Rezultat>??</d:Rezultat><d:DokumentId>D</d:DokumentId></d:R>');
    expect(() => parseSoapAnswer(mapping, 'application', unknown)).toThrow('not a known code');
    const noNumber = answer('<d:R><d:Rezultat>VP</d:Rezultat><d:DokumentId>D</d:DokumentId></d:R>');
    expect(() => parseSoapAnswer(mapping, 'application', noNumber)).toThrow('without VhNomer');
  });
});

describe('hostile SOAP answers (security review F7, F14)', () => {
  it('refuses an answer with a DOCTYPE before parsing it (entity expansion)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol2;</soapenv:Body></soapenv:Envelope>';
    expect(() => parseSoapAnswer(mapping, 'application', bomb)).toThrow(/DOCTYPE/);
  });
});
