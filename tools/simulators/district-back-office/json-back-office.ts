import { type Answer, BackOfficeSimulator, type Control, type Exchange } from './back-office-simulator';
import { signedHeaders, verify } from './signature';

interface PushBody {
  pushId: string;
  kind: 'application' | 'status_change' | 'deadline_alert';
  callbackUrl: string;
  application: { applicationId: string; serviceNumber: number; status: string; deadline?: { state: string } };
}

/**
 * A district back office that takes the gateway's HMAC-signed JSON pushes
 * (`POST /json/<district>/applications`) and answers with its own registration number — at once,
 * or (mode `async`) later by a signed callback to the gateway.
 */
export class JsonBackOffice extends BackOfficeSimulator {
  constructor(
    secrets: Record<string, string>,
    private readonly prefixes: Record<string, string> = {},
  ) {
    super(secrets);
  }

  protected answer(exchange: Exchange, control: Control): Promise<Answer> {
    const secret = this.secrets[exchange.district]!;
    const header = (name: string) => exchange.headers[name] as string | undefined;
    if (!verify(secret, header('x-umg-timestamp'), header('x-umg-signature'), exchange.body)) {
      return Promise.resolve(json(401, { error: 'bad signature' }));
    }
    if (control.mode === 'reject') return Promise.resolve(json(422, { error: 'we cannot take this application' }));
    if (control.mode === 'wrong') return Promise.resolve(json(200, { status: 'OK!!', nomer: 42 }));
    const push = JSON.parse(exchange.body) as PushBody;
    const registration = this.register(
      exchange.district,
      {
        applicationId: push.application.applicationId,
        pushId: push.pushId,
        kind: push.kind,
        // A deadline alert is kept under its threshold (due_soon, overdue), once each.
        status: push.kind === 'deadline_alert' ? (push.application.deadline?.state ?? '') : push.application.status,
        serviceCode: String(push.application.serviceNumber),
      },
      this.prefixes[exchange.district] ?? 'РН',
    );
    const backOfficeReference = `DOC-${registration.applicationId.slice(0, 8)}`;
    if (push.kind !== 'application') return Promise.resolve(json(200, { backOfficeReference }));
    if (control.mode === 'async') {
      setTimeout(
        () =>
          void this.callBack(
            push.callbackUrl,
            secret,
            push.application.applicationId,
            registration.registrationNumber!,
            backOfficeReference,
          ),
        200,
      );
      return Promise.resolve(json(202, { backOfficeReference }));
    }
    return Promise.resolve(
      json(200, {
        decision: 'register',
        registrationNumber: registration.registrationNumber,
        decidedAt: new Date().toISOString(),
        backOfficeReference,
      }),
    );
  }

  private async callBack(
    url: string,
    secret: string,
    applicationId: string,
    registrationNumber: string,
    reference: string,
  ) {
    const body = JSON.stringify({
      applicationId,
      decision: 'register',
      registrationNumber,
      backOfficeReference: reference,
    });
    await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, body) },
    }).catch(() => undefined);
  }
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}
