import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { PublicCallback } from '@umg/platform';
import { ReceiveNotificationService, type NotificationForm } from './receive-notification.service';

/** The payment system's status notifications (form-encoded ClientId, Hmac, Data), only on the callback listener. */
@PublicCallback()
@Controller('v1/payment-notifications')
export class PaymentNotificationHttpController {
  constructor(private readonly receiveNotification: ReceiveNotificationService) {}

  @Post()
  @HttpCode(200)
  async receive(@Body() form: NotificationForm): Promise<{ success: true }> {
    await this.receiveNotification.receive(form ?? {});
    return { success: true };
  }
}
