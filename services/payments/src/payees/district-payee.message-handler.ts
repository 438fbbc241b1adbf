import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type DistrictPayeeChanged, SchemaValidator } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { type InboundMessage, validPayload } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { InjectLogger } from '../inject-logger';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';
import { DistrictPayees } from './district-payees';

/**
 * Kafka entry point for `districts.payees`: the registry's payee of a district, and the sealed
 * secret of its own payment-system client (kept sealed; opened only to sign a call).
 */
@Injectable()
export class DistrictPayeeMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly payees: DistrictPayees,
    private readonly clients: PaymentSystemClients,
    private readonly validator: SchemaValidator,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
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
