import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecurityFault, parseSoapAnswer, SoapFaultFailure } from './soap-answer';
import { soapTreeMappingSchema } from './soap-mapping';

const izgrev = soapTreeMappingSchema.parse(
  (
    JSON.parse(readFileSync(join(__dirname, '../../../../docs/examples/izgrev-soap-profile.json'), 'utf8')) as {
      mapping: unknown;
    }
  ).mapping,
);
const soap12 = 'http://www.w3.org/2003/05/soap-envelope';
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="${soap12}" xmlns:a="urn:izgrev:deloproizvodstvo:2024" ` +
  `xmlns:b="urn:izgrev:tipove:2024" xmlns:xop="http://www.w3.org/2004/08/xop/include"><e:Body>${body}</e:Body></e:Envelope>`;
const xml = (body: string, status = 'application/soap+xml; charset=utf-8') => ({
  contentType: status,
  body: Buffer.from(envelope(body)),
});
const application = { kind: 'application' as const, pushId: '11' };
const statusChange = { kind: 'status_change' as const, pushId: '12' };
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0xff)]);

/** An MTOM answer as a SOAP 1.2 stack writes it: the envelope as application/xop+xml, then the binary part. */
function mtom(body: string, attachment: Buffer, options: { contentId?: string; type?: string } = {}) {
  const boundary = 'uuid:6b62f0a2-7f2c-4f3b-9c0e-000000000001';
  const contentId = options.contentId ?? 'result-1@izgrev.bg';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n` +
        `Content-Transfer-Encoding: 8bit\r\nContent-ID: <root.message@izgrev.bg>\r\n\r\n${envelope(body)}\r\n` +
        `--${boundary}\r\nContent-Type: ${options.type ?? 'application/pdf'}\r\nContent-Transfer-Encoding: binary\r\n` +
        `Content-ID: <${contentId}>\r\n\r\n`,
    ),
    attachment,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    contentType: `multipart/related; type="application/xop+xml"; start="<root.message@izgrev.bg>"; start-info="application/soap+xml"; boundary="${boundary}"`,
    body: payload,
  };
}

const resultAnswer = (sha = createHash('sha256').update(pdf).digest('hex'), href = 'cid:result-1%40izgrev.bg') =>
  `<a:PromyanaNaSastoyanieOtgovor><a:Reshenie kod="V-OBRABOTKA"/><b:Delo nomer="IZ-D-1"/><b:Rezultat>` +
  `<b:Fail ime="udostoverenie.pdf" vid="application/pdf" sha256="${sha}"><b:Sadarzhanie><xop:Include href="${href}"/></b:Sadarzhanie></b:Fail>` +
  `</b:Rezultat></a:PromyanaNaSastoyanieOtgovor>`;

describe('SOAP 1.2 answers by a tree mapping', () => {
  it('reads a registration by namespace-prefixed paths, whatever prefixes the answer uses', async () => {
    const answer = await parseSoapAnswer(
      izgrev,
      application,
      xml(
        '<a:PodavaneNaZayavlenieOtgovor><a:Reshenie kod="PRIETO"/><b:VhodyashtNomer>ИЗ-1/2026</b:VhodyashtNomer>' +
          '<b:Delo nomer="IZ-D-1"/></a:PodavaneNaZayavlenieOtgovor>',
      ),
    );
    expect(answer).toEqual({ decision: 'register', registrationNumber: 'ИЗ-1/2026', backOfficeReference: 'IZ-D-1' });
  });

  it('reads a return for corrections with its repeated reasons', async () => {
    const answer = await parseSoapAnswer(
      izgrev,
      application,
      xml(
        '<a:PodavaneNaZayavlenieOtgovor><a:Reshenie kod="ZA-KOREKCIYA"/><b:Delo nomer="IZ-D-2"/>' +
          '<b:Prichini><b:Prichina>липсва подпис</b:Prichina><b:Prichina>нечетливо копие</b:Prichina></b:Prichini></a:PodavaneNaZayavlenieOtgovor>',
      ),
    );
    expect(answer).toEqual({
      decision: 'return_for_corrections',
      backOfficeReference: 'IZ-D-2',
      reasons: [{ message: 'липсва подпис' }, { message: 'нечетливо копие' }],
    });
  });

  it('takes the result document from an MTOM attachment the xop:Include names', async () => {
    const answer = await parseSoapAnswer(izgrev, statusChange, mtom(resultAnswer(), pdf));
    expect(answer).toMatchObject({
      decision: 'start_processing',
      backOfficeReference: 'IZ-D-1',
      result: { kind: 'result', fileName: 'udostoverenie.pdf', mediaType: 'application/pdf' },
    });
    expect((answer.result!.document as { content: Buffer }).content.equals(pdf)).toBe(true);
  });

  it('takes a base64 document inline, and an https reference', async () => {
    const inline = await parseSoapAnswer(
      izgrev,
      statusChange,
      xml(
        `<a:X><b:Delo nomer="R"/><b:Rezultat><b:Fail ime="r.pdf" vid="application/pdf"><b:Sadarzhanie>${pdf.toString('base64')}</b:Sadarzhanie></b:Fail></b:Rezultat></a:X>`,
      ),
    );
    expect((inline.result!.document as { content: Buffer }).content.equals(pdf)).toBe(true);
    const referenced = await parseSoapAnswer(
      izgrev,
      statusChange,
      xml(
        '<a:X><b:Delo nomer="R"/><b:Rezultat><b:Fail ime="r.pdf" vid="application/pdf"/><b:Adres>https://dms.izgrev.bg/r/1</b:Adres></b:Rezultat></a:X>',
      ),
    );
    expect(referenced.result).toEqual({
      kind: 'result',
      fileName: 'r.pdf',
      mediaType: 'application/pdf',
      document: { reference: 'https://dms.izgrev.bg/r/1' },
    });
    await expect(
      parseSoapAnswer(
        izgrev,
        statusChange,
        xml(
          '<a:X><b:Delo nomer="R"/><b:Rezultat><b:Fail ime="r.pdf" vid="application/pdf"/><b:Adres>http://x/1</b:Adres></b:Rezultat></a:X>',
        ),
      ),
    ).rejects.toThrow('https');
  });

  it('parks a result that is not what it says, not allowed, missing or too large', async () => {
    await expect(parseSoapAnswer(izgrev, statusChange, mtom(resultAnswer('00'.repeat(32)), pdf))).rejects.toMatchObject(
      {
        permanent: true,
        message: 'the result document does not match its stated SHA-256',
      },
    );
    await expect(
      parseSoapAnswer(izgrev, statusChange, mtom(resultAnswer(undefined, 'cid:other@izgrev.bg'), pdf)),
    ).rejects.toThrow('no attachment cid:other@izgrev.bg');
    const exe = resultAnswer()
      .replace('application/pdf', 'application/x-msdownload')
      .replace(/ sha256="[0-9a-f]+"/, '');
    await expect(parseSoapAnswer(izgrev, statusChange, mtom(exe, pdf))).rejects.toThrow('is not accepted');
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
    const unsigned = resultAnswer().replace(/ sha256="[0-9a-f]+"/, '');
    await expect(parseSoapAnswer(izgrev, statusChange, mtom(unsigned, big))).rejects.toThrow('exceeds 10 MiB');
  });

  it('parks a cut-off multipart answer', async () => {
    const whole = mtom(resultAnswer(), pdf);
    const cut = { ...whole, body: whole.body.subarray(0, whole.body.length - 40) };
    await expect(parseSoapAnswer(izgrev, statusChange, cut)).rejects.toThrow('multipart answer cannot be read');
  });
});

describe('SOAP faults mapped to outcomes', () => {
  const fault12 = (code: string, subcode: string | undefined, reason: string, detail = '') =>
    xml(
      `<e:Fault><e:Code><e:Value>e:${code}</e:Value>${subcode ? `<e:Subcode><e:Value>${subcode}</e:Value></e:Subcode>` : ''}</e:Code>` +
        `<e:Reason><e:Text xml:lang="bg">${reason}</e:Text></e:Reason>${detail ? `<e:Detail>${detail}</e:Detail>` : ''}</e:Fault>`,
    );

  it('retries a fault the mapping calls transient (a subcode)', async () => {
    await expect(
      parseSoapAnswer(izgrev, application, fault12('Receiver', 'a:Zaeto', 'системата е заета')),
    ).rejects.toMatchObject({ permanent: false, message: 'SOAP fault Receiver/Zaeto: системата е заета' });
  });

  it('turns a business fault into the decision it means, with the fault string as the reason', async () => {
    const answer = await parseSoapAnswer(
      izgrev,
      application,
      fault12('Sender', undefined, 'Заявлението е непълно', '<a:Greshka kod="NEPALNO-ZAYAVLENIE"/>'),
    );
    expect(answer).toEqual({
      decision: 'return_for_corrections',
      reasons: [{ code: 'NEPALNO-ZAYAVLENIE', message: 'Заявлението е непълно' }],
      backOfficeReference: 'fault:11',
    });
    // On a status change a decision fault means nothing: parked.
    await expect(
      parseSoapAnswer(izgrev, statusChange, fault12('Sender', undefined, 'x', '<a:Greshka kod="NEPALNO-ZAYAVLENIE"/>')),
    ).rejects.toMatchObject({ permanent: true });
  });

  it('parks an unmapped fault with its reason, and knows a WS-Security fault (either version)', async () => {
    const refused = await parseSoapAnswer(
      izgrev,
      application,
      fault12('Sender', 'wsse:FailedAuthentication', 'грешна парола'),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SoapFaultFailure);
    expect(refused).toMatchObject({
      permanent: true,
      message: 'SOAP fault Sender/FailedAuthentication: грешна парола',
    });
    expect(isSecurityFault((refused as SoapFaultFailure).fault)).toBe(true);
    const soap11 = {
      contentType: 'text/xml',
      body: Buffer.from(
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>wsse:InvalidSecurity</faultcode>' +
          '<faultstring>bad signature</faultstring></s:Fault></s:Body></s:Envelope>',
      ),
    };
    const refused11 = await parseSoapAnswer(izgrev, application, soap11).catch((error: unknown) => error);
    expect(isSecurityFault((refused11 as SoapFaultFailure).fault)).toBe(true);
  });
});

describe('hostile SOAP answers (security review F7, F14)', () => {
  it('refuses an answer with a DOCTYPE before parsing it (entity expansion), also inside MTOM', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol2;</soapenv:Body></soapenv:Envelope>';
    await expect(
      parseSoapAnswer(izgrev, application, { contentType: 'text/xml', body: Buffer.from(bomb) }),
    ).rejects.toThrow(/DOCTYPE/);
    const wrapped = mtom('', pdf);
    const inside = {
      ...wrapped,
      body: Buffer.from(wrapped.body.toString('latin1').replace(/<\?xml[^]*?<\/e:Envelope>/, bomb), 'latin1'),
    };
    await expect(parseSoapAnswer(izgrev, application, inside)).rejects.toThrow(/DOCTYPE/);
  });

  it('refuses what is not a SOAP envelope', async () => {
    await expect(
      parseSoapAnswer(izgrev, application, { contentType: 'text/xml', body: Buffer.from('<html><body/></html>') }),
    ).rejects.toThrow('not a SOAP envelope');
    await expect(
      parseSoapAnswer(izgrev, application, { contentType: 'text/xml', body: Buffer.from('<a><b></a>') }),
    ).rejects.toThrow('not XML');
  });
});
