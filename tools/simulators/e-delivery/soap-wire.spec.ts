import { envelopeOf, faultEnvelope, mtomPackage, operationOf, responseEnvelope } from './soap-wire';

describe('the simulator’s SOAP wire', () => {
  it('puts an XOP-optimised binary part back inline as base64', () => {
    const boundary = 'uuid:0b7d+id=1';
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    const root =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
      '<SendMessage xmlns="https://edelivery.egov.bg/services/integration"><message>' +
      '<a:AttachedDocuments xmlns:a="http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts"><a:DcDocument>' +
      '<a:Content><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc-1%40umg"/></a:Content>' +
      '<a:DocumentName>a.pdf</a:DocumentName></a:DcDocument></a:AttachedDocuments></message></SendMessage></s:Body></s:Envelope>';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-ID: <root@umg>\r\nContent-Type: application/xop+xml; type="text/xml"\r\n\r\n${root}\r\n` +
          `--${boundary}\r\nContent-ID: <doc-1@umg>\r\nContent-Type: application/octet-stream\r\n\r\n`,
        'latin1',
      ),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'),
    ]);

    const envelope = envelopeOf(
      `multipart/related; type="application/xop+xml"; start="<root@umg>"; boundary="${boundary}"`,
      body,
    );
    const { name, payload } = operationOf(envelope);

    expect(name).toBe('SendMessage');
    const document = (payload.message as { AttachedDocuments: { DcDocument: { Content: string }[] } }).AttachedDocuments
      .DcDocument[0]!;
    expect(Buffer.from(document.Content, 'base64')).toEqual(pdf);
  });

  it('answers in one MTOM root part, and reads a plain text/xml request as it is', () => {
    const answer = responseEnvelope('SendMessage', 42);
    const { contentType, body } = mtomPackage(answer);
    expect(contentType).toMatch(/^multipart\/related; type="application\/xop\+xml"; start="<[^>]+>"; boundary="[^"]+"/);
    expect(envelopeOf(contentType, body)).toBe(answer);
    expect(operationOf(answer)).toEqual({ name: 'SendMessageResponse', payload: { SendMessageResult: '42' } });
    expect(envelopeOf('text/xml; charset=utf-8', Buffer.from(answer))).toBe(answer);
  });

  it('writes ССЕВ’s text reason into a SOAP 1.1 fault', () => {
    expect(faultEnvelope('File a.pdf is malicious')).toContain(
      '<s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">File a.pdf is malicious</faultstring></s:Fault>',
    );
  });
});
