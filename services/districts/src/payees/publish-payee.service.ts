import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type DistrictPayeeChanged } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import { DistrictRepository } from '../district/district.repository';

/**
 * Publishes who a district's fees are paid to (`districts.payees`, compacted, key district code)
 * through the outbox in the caller's transaction: its bank details and its own payment-system
 * client, the secret still sealed. The payments service signs the district's requests with it.
 */
@Injectable()
export class PublishPayeeService {
  constructor(
    private readonly districts: DistrictRepository,
    private readonly outbox: Outbox,
  ) {}

  async publish(manager: EntityManager, districtCode: string): Promise<DistrictPayeeChanged> {
    const district = await this.districts.get(manager, districtCode, { lock: true });
    const payee: DistrictPayeeChanged = {
      districtCode,
      providerName: `Столична община – район „${district.nameBg}“`.slice(0, 100),
      bankName: district.bank.bankName,
      bic: district.bank.bic,
      iban: district.bank.iban,
      placeholder: district.bank.placeholder,
      paymentSystemClient: district.paymentSystemClient,
      version: district.payeeVersion + 1,
      changedAt: new Date().toISOString(),
    };
    await manager.query(`UPDATE districts.district SET payee_version = $2 WHERE code = $1`, [
      districtCode,
      payee.version,
    ]);
    await this.outbox.enqueue(manager, {
      topic: Topics.districtPayees,
      key: districtCode,
      type: cloudEventTypes.DistrictPayeeChanged,
      payload: payee,
    });
    return payee;
  }

  /** At start-up: a district whose payee was never published gets it published. */
  async publishIfNever(manager: EntityManager, districtCode: string): Promise<boolean> {
    const district = await this.districts.get(manager, districtCode, { lock: true });
    if (district.payeeVersion > 0) return false;
    await this.publish(manager, districtCode);
    return true;
  }
}
