import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import type { PaymentsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import type { StatusChangeDecision } from '../payment-request/decide-status-change';
import { PaymentRequests } from '../payment-request/payment-requests';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { parsePaymentStatus } from '../payment-system/egov-payment-status';
import { decodeData, hmacMatches } from '../payment-system/egov-signature';

export interface NotificationForm {
  ClientId?: unknown;
  Hmac?: unknown;
  Data?: unknown;
}

/**
 * A status notification from the payment system: checked (client, HMAC in constant time, data)
 * before anything is read from it, then recorded. Whatever fails a check changes nothing.
 */
@Injectable()
export class ReceiveNotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
    private readonly recorder: PaymentStatusRecorder,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async receive(form: NotificationForm): Promise<StatusChangeDecision> {
    const { ClientId: clientId, Hmac: hmac } = form;
    // Form encoding turns an unescaped '+' into a space; base64 never contains spaces.
    const data = typeof form.Data === 'string' ? form.Data.replace(/ /g, '+') : form.Data;
    if (typeof clientId !== 'string' || typeof hmac !== 'string' || typeof data !== 'string') {
      throw new PaymentError(PaymentErrorCode.MalformedNotification, 'ClientId, Hmac and Data are required');
    }
    if (clientId !== this.config.PAYMENT_SYSTEM_CLIENT_ID) {
      this.logger.warn({ clientId: clientId.slice(0, 100) }, 'notification for an unknown client refused');
      throw new PaymentError(PaymentErrorCode.UnknownClient, 'this client is not known here');
    }
    if (!hmacMatches(data, hmac.replace(/ /g, '+'), this.config.PAYMENT_SYSTEM_SECRET)) {
      this.logger.warn('notification with a bad HMAC refused');
      throw new PaymentError(PaymentErrorCode.InvalidSignature, 'the HMAC does not match the data');
    }
    const notification = parseNotification(decodeData(data));
    const decision = await this.dataSource.transaction(async (manager) => {
      const request = await this.requests.lockByPaymentSystemId(manager, notification.id);
      // Not known (yet): the receipt may still be on its way; the payment system retries.
      if (!request) {
        throw new PaymentError(PaymentErrorCode.PaymentRequestNotFound, `no payment request ${notification.id}`);
      }
      return this.recorder.record(manager, request, notification, 'notification');
    });
    return decision;
  }
}

function parseNotification(value: unknown) {
  const body = value as { Id?: unknown; Status?: unknown; ChangeTime?: unknown } | undefined;
  const id = typeof body?.Id === 'number' ? String(body.Id) : body?.Id;
  const status = parsePaymentStatus(body?.Status);
  const changeTime = typeof body?.ChangeTime === 'string' ? new Date(body.ChangeTime) : undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no usable Id');
  }
  if (!status) throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no known Status');
  if (!changeTime || Number.isNaN(changeTime.getTime())) {
    throw new PaymentError(PaymentErrorCode.MalformedNotification, 'Data has no valid ChangeTime');
  }
  return { id, status, changeTime };
}
