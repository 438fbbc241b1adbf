import { createHash, randomUUID } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { verifyEnvelopeSecurity } from '@umg/ws-security';
import { type Answer, BackOfficeSimulator, type Control, type Exchange } from './back-office-simulator';

const soap12 = 'http://www.w3.org/2003/05/soap-envelope';
const iz = 'urn:izgrev:deloproizvodstvo:2024';
const t = 'urn:izgrev:tipove:2024';
const select = xpath.useNamespaces({ soap: soap12, iz, t });

/** Its own service codes; anything else is a fault. */
const serviceCode = /^(IZ-[A-Z0-9-]+|IISDA-[0-9]+)$/;

/** The user the gateway signs in as, by the office's WS-Security policy. */
export const izgrevUsername = 'umg-gateway';

export interface Soap12BackOfficeOptions {
  /** Registration number prefixes by district. */
  prefixes?: Record<string, string>;
  /** Whether a signing certificate (by SHA-1 thumbprint) is one the office has on file. */
  acceptsCertificate: (thumbprint: string) => boolean;
}

/**
 * A district document system with a SOAP 1.2 endpoint (`POST /soap12/<district>`), modelled on
 * Izgrev's: nested elements in two namespaces of its own (`iz:` operations, `t:` types), a
 * WS-Security policy of a UsernameToken with a digest password (the district's secret) and an
 * X.509 signature over Body and Timestamp by a certificate it has on file; a security failure is a
 * `Sender`/`wsse:FailedAuthentication` fault. It answers `iz:PodavaneNaZayavlenie` with its decision
 * (`iz:Reshenie/@kod`), registration number and case number, and the status change to `PLATENO`
 * (paid) with "processing started" and the result document as an MTOM attachment.
 */
export class Soap12BackOffice extends BackOfficeSimulator {
  /** The MTOM answers it has given, by application id: tests check what was sent. */
  readonly resultsSent = new Map<string, { fileName: string; sha256: string }>();
  private readonly nonces = new Set<string>();

  constructor(
    secrets: Record<string, string>,
    private readonly options: Soap12BackOfficeOptions,
  ) {
    super(secrets);
  }

  protected answer(exchange: Exchange, control: Control): Promise<Answer> {
    return Promise.resolve(this.answerNow(exchange, control));
  }

  private answerNow(exchange: Exchange, control: Control): Answer {
    const contentType = String(exchange.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/soap+xml')) {
      return fault(400, 'VersionMismatch', undefined, 'a SOAP 1.2 endpoint: application/soap+xml expected');
    }
    const secret = this.secrets[exchange.district]!;
    const verdict = verifyEnvelopeSecurity(exchange.body, {
      usernameToken: { passwordOf: (name) => (name === izgrevUsername ? secret : undefined), digestOnly: true },
      x509: { accepts: this.options.acceptsCertificate },
    });
    if (!verdict.ok) return fault(400, 'Sender', 'wsse:FailedAuthentication', `достъпът е отказан: ${verdict.why}`);
    // A digest's nonce is good once (WSS UsernameToken profile §4): a replay is refused.
    const nonce = /<wsse:Nonce[^>]*>([^<]+)</.exec(exchange.body)?.[1];
    if (nonce && this.nonces.has(nonce))
      return fault(400, 'Sender', 'wsse:FailedAuthentication', 'повторено съобщение');
    if (nonce) this.nonces.add(nonce);
    const document = new DOMParser().parseFromString(exchange.body, 'text/xml') as unknown as Document;
    const text = (path: string) => ((select(path, document, true) as Node | undefined)?.textContent ?? '').trim();
    const application = select('/soap:Envelope/soap:Body/iz:PodavaneNaZayavlenie/iz:Zayavlenie', document, true);
    const statusChange = select('/soap:Envelope/soap:Body/iz:PromyanaNaSastoyanie', document, true);
    const prefix = this.options.prefixes?.[exchange.district] ?? 'ИЗ';
    if (application) {
      // Mode `reject`: the office refuses new applications (a business fault); status changes are still taken.
      if (control.mode === 'reject') {
        return fault(400, 'Sender', undefined, 'Извън компетентността на района', 'NE-E-NASHA-KOMPETENTNOST');
      }
      const base = '/soap:Envelope/soap:Body/iz:PodavaneNaZayavlenie/iz:Zayavlenie';
      const id = text(`${base}/t:Identifikator`);
      const code = text(`${base}/t:Usluga/@kod`);
      if (!id || !text(`${base}/t:Zayavitel/t:Ime`)) {
        return fault(400, 'Sender', undefined, 'Заявлението е непълно', 'NEPALNO-ZAYAVLENIE');
      }
      if (!serviceCode.test(code)) return fault(400, 'Sender', undefined, `непозната услуга ${code || '(няма)'}`);
      const registration = this.register(
        exchange.district,
        {
          applicationId: id,
          pushId: String(exchange.headers['x-umg-push-id'] ?? ''),
          kind: 'application',
          status: '',
          serviceCode: code,
        },
        prefix,
      );
      const decision = control.mode === 'wrong' ? '???' : 'PRIETO';
      return envelope(
        `<iz:PodavaneNaZayavlenieOtgovor><iz:Reshenie kod="${decision}"/>` +
          `<t:VhodyashtNomer>${registration.registrationNumber}</t:VhodyashtNomer><t:Delo nomer="${caseNumber(id)}"/>` +
          `</iz:PodavaneNaZayavlenieOtgovor>`,
      );
    }
    if (statusChange) {
      const base = '/soap:Envelope/soap:Body/iz:PromyanaNaSastoyanie';
      const id = text(`${base}/t:Identifikator`);
      const status = text(`${base}/t:Sastoyanie`);
      if (!id || !status) return fault(400, 'Sender', undefined, 'Съобщението е непълно', 'NEPALNO-ZAYAVLENIE');
      const registration = this.register(
        exchange.district,
        {
          applicationId: id,
          pushId: String(exchange.headers['x-umg-push-id'] ?? ''),
          kind: 'status_change',
          status,
          serviceCode: '',
        },
        prefix,
      );
      if (status !== 'PLATENO') {
        return envelope(
          `<iz:PromyanaNaSastoyanieOtgovor><t:Delo nomer="${caseNumber(id)}"/></iz:PromyanaNaSastoyanieOtgovor>`,
        );
      }
      // Paid: the office starts processing and answers with the certificate it issued, as an attachment.
      const pdf = resultPdf(id, registration.received);
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      const fileName = `udostoverenie-${id.slice(0, 8)}.pdf`;
      this.resultsSent.set(id, { fileName, sha256 });
      return mtom(
        `<iz:PromyanaNaSastoyanieOtgovor><iz:Reshenie kod="V-OBRABOTKA"/><t:Delo nomer="${caseNumber(id)}"/>` +
          `<t:Rezultat><t:Fail ime="${fileName}" vid="application/pdf" sha256="${sha256}"><t:Sadarzhanie>` +
          `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:rezultat-${id}%40izgrev.bg"/>` +
          `</t:Sadarzhanie></t:Fail></t:Rezultat></iz:PromyanaNaSastoyanieOtgovor>`,
        { contentId: `rezultat-${id}@izgrev.bg`, mediaType: 'application/pdf', content: pdf },
      );
    }
    return fault(400, 'Sender', undefined, 'непозната операция');
  }
}

const caseNumber = (id: string) => `IZ-DELO-${id.slice(0, 8).toUpperCase()}`;

/** A small but well-formed PDF naming the application: the certificate Izgrev issues. */
function resultPdf(applicationId: string, copy: number): Buffer {
  const text = `Udostoverenie po zayavlenie ${applicationId} (${copy})`;
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

function envelopeXml(content: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${soap12}" xmlns:iz="${iz}" xmlns:t="${t}">` +
    `<env:Body>${content}</env:Body></env:Envelope>`
  );
}

function envelope(content: string): Answer {
  return { status: 200, contentType: 'application/soap+xml; charset=utf-8', body: envelopeXml(content) };
}

/** An MTOM answer: the envelope as application/xop+xml, then the attachment as binary. */
function mtom(content: string, attachment: { contentId: string; mediaType: string; content: Buffer }): Answer {
  const boundary = `MIMEBoundary_${randomUUID()}`;
  const start = '<root.message@izgrev.bg>';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n` +
        `Content-Transfer-Encoding: 8bit\r\nContent-ID: ${start}\r\n\r\n${envelopeXml(content)}\r\n` +
        `--${boundary}\r\nContent-Type: ${attachment.mediaType}\r\nContent-Transfer-Encoding: binary\r\n` +
        `Content-ID: <${attachment.contentId}>\r\n\r\n`,
    ),
    attachment.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    status: 200,
    contentType: `multipart/related; type="application/xop+xml"; start="${start}"; start-info="application/soap+xml"; boundary="${boundary}"`,
    body,
  };
}

function fault(status: number, code: string, subcode: string | undefined, reason: string, detailCode?: string): Answer {
  const wsse = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
  return {
    status,
    contentType: 'application/soap+xml; charset=utf-8',
    body:
      `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${soap12}" xmlns:iz="${iz}" xmlns:wsse="${wsse}"><env:Body>` +
      `<env:Fault><env:Code><env:Value>env:${code}</env:Value>` +
      (subcode ? `<env:Subcode><env:Value>${subcode}</env:Value></env:Subcode>` : '') +
      `</env:Code><env:Reason><env:Text xml:lang="bg">${reason.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</env:Text></env:Reason>` +
      (detailCode ? `<env:Detail><iz:Greshka kod="${detailCode}"/></env:Detail>` : '') +
      `</env:Fault></env:Body></env:Envelope>`,
  };
}
