import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type DistrictPayeeChanged, SchemaValidator } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { InjectLogger } from '../inject-logger';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';
import { DistrictPayees } from './district-payees';

/**
 * Kafka entry point for `districts.payees`: the registry's payee of a district, and the sealed
 * secret of its own payment-system client (kept sealed; opened only to sign a call).
 */
@Controller()
export class DistrictPayeeMessageHandler {
  constructor(
    private readonly payees: DistrictPayees,
    private readonly clients: PaymentSystemClients,
    private readonly validator: SchemaValidator,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  @EventPattern(cloudEventTypes.DistrictPayeeChanged, onTopic(Topics.districtPayees))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const payee = validPayload<DistrictPayeeChanged>(message, this.validator, {
      type: cloudEventTypes.DistrictPayeeChanged,
      schema: 'DistrictPayeeChanged',
    });
    const client = payee.paymentSystemClient;
    if (client) await this.clients.storeSecret(manager, client.clientId, client.sealedSecret);
    const applied = await this.payees.apply(
      manager,
      {
        districtCode: payee.districtCode,
        providerName: payee.providerName,
        bankName: payee.bankName,
        bic: payee.bic,
        iban: payee.iban,
        placeholder: payee.placeholder,
        paymentSystemClientId: client?.clientId ?? null,
      },
      payee.version,
    );
    if (applied) {
      this.logger.info(
        {
          districtCode: payee.districtCode,
          version: payee.version,
          ownClient: client !== null,
          placeholder: payee.placeholder,
        },
        'district payee updated',
      );
    }
  }
}
