import { createHash } from 'node:crypto';
import { type Answer, BackOfficeSimulator, type Control, type Exchange } from './back-office-simulator';
import { signedHeaders, verify } from './signature';

/** The office's own request: nothing of the gateway's PushMessage shape or names. */
interface Zaiavlenie {
  nomer?: unknown;
  vid?: unknown;
  status?: unknown;
  usluga?: { kod?: unknown };
  zaiavitel?: { ime?: unknown; egn?: unknown };
  dati?: { podadeno?: unknown };
  prichini?: unknown;
  obratenAdres?: unknown;
}

const kinds = { NOVO: 'application', PROMIANA: 'status_change', SROK: 'deadline_alert' } as const;

/** A small signed PDF-like document the office issues as the result of a service. */
export function nestedOfficeResultDocument(applicationId: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% Удостоверение по заявление ${applicationId}, район Лозенец\n%%EOF\n`, 'utf8');
}

/**
 * A district back office (issue 18, kind (a)) with its own nested JSON schema and field names: it
 * accepts only `{ "zaiavlenie": { nomer, vid, status, usluga: {kod}, zaiavitel: {ime, egn},
 * dati: {podadeno: "dd.MM.yyyy"}, prichini: [...] } }`, signed with the gateway's HMAC, and
 * answers `{ "otgovor": { status, vhNomer, data, referentsia, dokument } }` with its own status
 * codes (VPISANO registered, GOTOVO done with the result document, PRIETO taken note of). When
 * told an application is paid it does the work at once and answers with the result document
 * (base64, with its SHA-256); in mode `async` it answers that work started and sends the result
 * later to the gateway's callback (`obratenAdres`) as a reference to fetch from `/_documents/…`.
 * The gateway reaches it by the mapping in nested-json-office.profile.ts — configuration only.
 */
export class NestedJsonBackOffice extends BackOfficeSimulator {
  constructor(
    secrets: Record<string, string> = {},
    private readonly prefix = 'ЛЗ',
  ) {
    super(secrets);
  }

  protected answer(exchange: Exchange, control: Control): Promise<Answer> {
    const secret = this.secrets[exchange.district]!;
    const header = (name: string) => exchange.headers[name] as string | undefined;
    if (!verify(secret, header('x-umg-timestamp'), header('x-umg-signature'), exchange.body)) {
      return Promise.resolve(json(401, { greshka: 'невалиден подпис' }));
    }
    if (control.mode === 'reject') return Promise.resolve(json(422, { greshka: 'не приемаме това заявление' }));
    let request: { zaiavlenie?: Zaiavlenie };
    try {
      request = JSON.parse(exchange.body) as { zaiavlenie?: Zaiavlenie };
    } catch {
      return Promise.resolve(json(400, { greshka: 'не е JSON' }));
    }
    const problem = problemOf(request);
    if (problem) return Promise.resolve(json(400, { greshka: problem }));
    const zaiavlenie = request.zaiavlenie!;
    const applicationId = zaiavlenie.nomer as string;
    const vid = zaiavlenie.vid as keyof typeof kinds;
    const registration = this.register(
      exchange.district,
      {
        applicationId,
        pushId: header('x-umg-push-id') ?? '',
        kind: kinds[vid],
        status: String(zaiavlenie.status),
        serviceCode: vid === 'NOVO' ? String(zaiavlenie.usluga!.kod) : '',
      },
      this.prefix,
    );
    const referentsia = `LZ-${applicationId.slice(0, 8)}`;
    // An answer the gateway's mapping cannot understand: a status it has no code for and no reference.
    if (control.mode === 'wrong') return Promise.resolve(json(200, { otgovor: { status: 'НЕЩО-НОВО' } }));
    if (vid === 'NOVO') {
      return Promise.resolve(
        json(200, {
          otgovor: { status: 'VPISANO', vhNomer: registration.registrationNumber, data: officeTime(), referentsia },
        }),
      );
    }
    if (vid === 'PROMIANA' && zaiavlenie.status === 'PLATENO' && control.mode === 'async') {
      // Mode `async`: work started now; the result follows later on the gateway's callback, as a reference.
      const name = `${applicationId}.pdf`;
      const document = nestedOfficeResultDocument(applicationId);
      this.documents.set(name, { contentType: 'application/pdf', body: document });
      setTimeout(
        () =>
          void this.callBack(String(zaiavlenie.obratenAdres), secret, {
            applicationId,
            decision: 'submit_result',
            backOfficeReference: referentsia,
            result: {
              kind: 'result',
              fileName: `udostoverenie-${applicationId.slice(0, 8)}.pdf`,
              mediaType: 'application/pdf',
              sha256: createHash('sha256').update(document).digest('hex'),
              reference: `${this.baseUrl}/_documents/${name}`,
            },
          }),
        300,
      );
      return Promise.resolve(json(200, { otgovor: { status: 'ZAPOCHNATO', data: officeTime(), referentsia } }));
    }
    if (vid === 'PROMIANA' && zaiavlenie.status === 'PLATENO') {
      const document = nestedOfficeResultDocument(applicationId);
      return Promise.resolve(
        json(200, {
          otgovor: {
            status: 'GOTOVO',
            data: officeTime(),
            referentsia,
            dokument: {
              ime: `udostoverenie-${applicationId.slice(0, 8)}.pdf`,
              tip: 'PDF',
              sadarjanie: document.toString('base64'),
              kontrolnaSuma: createHash('sha256').update(document).digest('hex'),
            },
          },
        }),
      );
    }
    return Promise.resolve(json(200, { otgovor: { status: 'PRIETO', referentsia } }));
  }

  /** An answer later, in the gateway's own callback form (the office's integration speaks it for callbacks). */
  private async callBack(url: string, secret: string, answer: unknown): Promise<void> {
    const body = JSON.stringify(answer);
    await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, body) },
    }).catch(() => undefined);
  }
}

/** What the office insists on: its own names, its own codes, its own date format. */
function problemOf(request: { zaiavlenie?: Zaiavlenie }): string | undefined {
  const z = request.zaiavlenie;
  if (!z || typeof z !== 'object') return 'липсва zaiavlenie';
  const extra = Object.keys(request).filter((key) => key !== 'zaiavlenie');
  if (extra.length > 0) return `непознати полета: ${extra.join(', ')}`;
  if (typeof z.nomer !== 'string' || !/^[0-9a-f-]{36}$/.test(z.nomer)) return 'zaiavlenie.nomer липсва';
  if (typeof z.vid !== 'string' || !(z.vid in kinds)) return 'zaiavlenie.vid е непознат';
  if (typeof z.status !== 'string' || !/^[A-Z_]+$/.test(z.status)) return 'zaiavlenie.status е непознат';
  if (z.vid !== 'NOVO') return undefined;
  if (typeof z.usluga?.kod !== 'string' || !/^[A-Z][A-Z0-9-]+$/.test(z.usluga.kod)) return 'usluga.kod е невалиден';
  if (typeof z.zaiavitel?.ime !== 'string' || typeof z.zaiavitel.egn !== 'string') return 'zaiavitel е непълен';
  if (typeof z.dati?.podadeno !== 'string' || !/^\d{2}\.\d{2}\.\d{4}$/.test(z.dati.podadeno)) {
    return 'dati.podadeno трябва да е дд.ММ.гггг';
  }
  if (z.prichini !== undefined && !Array.isArray(z.prichini)) return 'prichini трябва да е списък';
  return undefined;
}

/** The office's clock as it writes it: `dd.MM.yyyy HH:mm:ss`, in UTC. */
function officeTime(now = new Date()): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(now.getUTCDate())}.${two(now.getUTCMonth() + 1)}.${now.getUTCFullYear()} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}
