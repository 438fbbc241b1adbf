import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { OutboundCalls } from '../outbound/outbound-calls';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PaymentRequests } from '../payment-request/payment-requests';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import { decodeData, hmacMatches } from '../payment-system/egov-signature';
import { parsePaymentStatus } from '../payment-system/egov-payment-status';
import { parseEgovTime } from '../payment-system/egov-time';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';

/** The form as it arrives; field names are read case-insensitively (`ClientId` or `clientId`). */
export type NotificationForm = Record<string, unknown>;

/** What became of a notification: acted on (signed), or taken as a hint to confirm. */
export type NotificationOutcome = 'recorded' | 'confirmation_requested';

/**
 * A status notification from the payment system (pay-egov `EserviceNotificationJob.cs`): form
 * fields `ClientId`, `Hmac`, `Data`, where `Data` decodes to `{Id, Status, ChangeTime}` (keys in
 * PascalCase, or camelCase from some hosts; status as a name in any case, or a number).
 *
 * Signed with the owning client's secret, it is recorded like any report (duplicates and older
 * reports change nothing). Without a valid HMAC — the 2024 release sends `Paid` without one — it
 * proves nothing: it is noted and a status query (rate-limited per request) confirms it; only the
 * confirmed status moves the request.
 */
@Injectable()
export class ReceiveNotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
    private readonly recorder: PaymentStatusRecorder,
    private readonly clients: PaymentSystemClients,
    private readonly outbound: OutboundCalls,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async receive(form: NotificationForm): Promise<NotificationOutcome> {
    const field = (name: string): unknown =>
      Object.entries(form ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
    const clientId = field('clientid');
    const hmac = field('hmac');
    // Form encoding turns an unescaped '+' into a space; base64 never contains spaces.
    const rawData = field('data');
    if (typeof rawData !== 'string' || rawData.length === 0 || rawData.length > 10_000) {
      throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data is required');
    }
    const data = rawData.replace(/ /g, '+');
    const notification = parseNotification(decodeData(data));
    // Read without a lock: a hint, forged or not, must never queue behind the request's writers.
    const request = await this.requests.findByPaymentSystemId(this.dataSource.manager, notification.id);
    // Not known (yet): the receipt may still be on its way; the payment system retries.
    if (!request) {
      throw new PaymentError(PaymentErrorCode.PaymentRequestNotFound, `no payment request ${notification.id}`);
    }
    const owner = request.paymentSystemClientId ?? this.clients.municipalityClientId;
    const credentials = await this.clients.credentials(this.dataSource.manager, owner);
    const signed =
      typeof clientId === 'string' &&
      clientId === owner &&
      typeof hmac === 'string' &&
      credentials !== undefined &&
      hmacMatches(data, hmac.replace(/ /g, '+'), credentials.secret);
    if (signed && notification.status && notification.changeTime) {
      const reported = { status: notification.status, changeTime: notification.changeTime };
      await this.dataSource.transaction(async (manager) => {
        const locked = await this.requests.lock(manager, request.id);
        await this.recorder.record(manager, locked!, reported, 'notification');
      });
      return 'recorded';
    }
    this.logger.info(
      {
        paymentRequestId: request.id,
        claimed: notification.rawStatus,
        hasHmac: typeof hmac === 'string' && hmac.length > 0,
        clientMatches: clientId === owner,
      },
      'unverified payment notification; confirming with a status query',
    );
    await this.dataSource.transaction(async (manager) => {
      await this.recorder.noteHint(manager, request, {
        status: notification.rawStatus,
        changeTime: notification.changeTime ?? null,
      });
      await this.outbound.requestConfirmation(manager, request.id);
    });
    return 'confirmation_requested';
  }
}

/** `Data` decoded: keys in any case, the status by name or number, the time as .NET writes it. */
export function parseNotification(value: unknown) {
  const body = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const key = (name: string): unknown =>
    Object.entries(body as Record<string, unknown>).find(([candidate]) => candidate.toLowerCase() === name)?.[1];
  const rawId = key('id');
  const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? String(rawId) : rawId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(id)) {
    throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no usable Id');
  }
  const rawStatus = key('status');
  const status = parsePaymentStatus(rawStatus);
  if (!status) throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no known Status');
  const rawChangeTime = key('changetime');
  const changeTime = parseEgovTime(rawChangeTime);
  if (rawChangeTime !== undefined && rawChangeTime !== null && !changeTime) {
    throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no valid ChangeTime');
  }
  return { id, status, changeTime, rawStatus: String(rawStatus) };
}
