import { XMLParser } from 'fast-xml-parser';
import { type Answer, BackOfficeSimulator, type Control, type Exchange } from './back-office-simulator';
import { verify } from './signature';

/** The legacy back office's own service codes look like this; anything else is a fault. */
const serviceCode = /^(ADR|GR|IISDA)-[A-Z0-9]+$/;

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

/**
 * A legacy district document-management system with a SOAP 1.1 endpoint (`POST /soap/<district>`),
 * in its own vocabulary: operation `VpishiVhodyasht` (register an incoming document) with
 * `GatewayId`, `UslugaKod` (its service code), `Zayavitel`…, and `SaobshtiStatus` for status
 * changes. It answers `Rezultat` `VP` (registered) with `VhNomer` (its registration number), or
 * a SOAP fault.
 */
export class SoapBackOffice extends BackOfficeSimulator {
  constructor(
    secrets: Record<string, string>,
    private readonly prefixes: Record<string, string> = {},
  ) {
    super(secrets);
  }

  protected answer(exchange: Exchange, control: Control): Promise<Answer> {
    const header = (name: string) => exchange.headers[name] as string | undefined;
    if (
      !verify(this.secrets[exchange.district]!, header('x-umg-timestamp'), header('x-umg-signature'), exchange.body)
    ) {
      return Promise.resolve({ status: 401, contentType: 'text/plain', body: 'bad signature' });
    }
    if (control.mode === 'reject') return Promise.resolve(fault('Client', 'Документът е отхвърлен от деловодството'));
    const body = (parser.parse(exchange.body) as { Envelope?: { Body?: Record<string, Record<string, string>> } })
      .Envelope?.Body;
    const operation = body && Object.keys(body)[0];
    const fields = operation ? body[operation]! : undefined;
    if (!fields || (operation !== 'VpishiVhodyasht' && operation !== 'SaobshtiStatus') || !fields.GatewayId) {
      return Promise.resolve(fault('Client', `unknown operation ${operation ?? '(none)'}`));
    }
    if (!serviceCode.test(fields.UslugaKod ?? '')) {
      return Promise.resolve(fault('Client', `unknown service code ${fields.UslugaKod ?? '(none)'}`));
    }
    const kind = operation === 'VpishiVhodyasht' ? 'application' : 'status_change';
    const registration = this.register(
      exchange.district,
      {
        applicationId: fields.GatewayId,
        pushId: String(exchange.headers['x-umg-push-id'] ?? ''),
        kind,
        status: fields.StatusKod ?? '',
        serviceCode: fields.UslugaKod!,
      },
      this.prefixes[exchange.district] ?? 'ВХ',
    );
    const reference = `DMS-${fields.GatewayId.slice(0, 8).toUpperCase()}`;
    if (kind === 'status_change') {
      return Promise.resolve(
        envelope(`<d:SaobshtiStatusOtgovor><d:DokumentId>${reference}</d:DokumentId></d:SaobshtiStatusOtgovor>`),
      );
    }
    const result = control.mode === 'wrong' ? '???' : 'VP';
    return Promise.resolve(
      envelope(
        `<d:VpishiVhodyashtOtgovor><d:Rezultat>${result}</d:Rezultat><d:VhNomer>${registration.registrationNumber}</d:VhNomer>` +
          `<d:DokumentId>${reference}</d:DokumentId></d:VpishiVhodyashtOtgovor>`,
      ),
    );
  }
}

function envelope(content: string): Answer {
  return {
    status: 200,
    contentType: 'text/xml; charset=utf-8',
    body:
      `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ` +
      `xmlns:d="urn:oborishte:delovodstvo:v1"><soap:Body>${content}</soap:Body></soap:Envelope>`,
  };
}

function fault(code: string, message: string): Answer {
  return {
    status: 500,
    contentType: 'text/xml; charset=utf-8',
    body:
      `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
      `<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${message}</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
  };
}
