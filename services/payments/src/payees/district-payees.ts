import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Who a district's fees are paid to, as the districts registry last published it. */
export interface DistrictPayee {
  districtCode: string;
  providerName: string;
  bankName: string;
  bic: string;
  iban: string;
  /** Made-up seed details: never to be sent to the real payment system. */
  placeholder: boolean;
  /** The district's own payment-system client; null: the municipality's. */
  paymentSystemClientId: string | null;
}

/** The payee of a district's payment requests; kept in step with the registry's `districts.payees`. */
@Injectable()
export class DistrictPayees {
  async payeeOf(manager: EntityManager, districtCode: string): Promise<DistrictPayee | undefined> {
    const [row] = (await manager.query(
      `SELECT district_code, provider_name, bank_name, bic, iban, placeholder, payment_system_client_id
         FROM payments.district_payee WHERE district_code = $1`,
      [districtCode],
    )) as {
      district_code: string;
      provider_name: string;
      bank_name: string;
      bic: string;
      iban: string;
      placeholder: boolean;
      payment_system_client_id: string | null;
    }[];
    return row
      ? {
          districtCode: row.district_code,
          providerName: row.provider_name,
          bankName: row.bank_name,
          bic: row.bic,
          iban: row.iban,
          placeholder: row.placeholder,
          paymentSystemClientId: row.payment_system_client_id,
        }
      : undefined;
  }

  /** Stores the registry's version unless a newer one is already here (the topic is compacted, replays happen). */
  async apply(manager: EntityManager, payee: DistrictPayee, registryVersion: number): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO payments.district_payee
         (district_code, provider_name, bank_name, bic, iban, placeholder, payment_system_client_id, registry_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (district_code) DO UPDATE SET
         provider_name = EXCLUDED.provider_name, bank_name = EXCLUDED.bank_name, bic = EXCLUDED.bic,
         iban = EXCLUDED.iban, placeholder = EXCLUDED.placeholder,
         payment_system_client_id = EXCLUDED.payment_system_client_id,
         registry_version = EXCLUDED.registry_version, updated_at = now()
       WHERE payments.district_payee.registry_version < EXCLUDED.registry_version
       RETURNING district_code`,
      [
        payee.districtCode,
        payee.providerName,
        payee.bankName,
        payee.bic,
        payee.iban,
        payee.placeholder,
        payee.paymentSystemClientId,
        registryVersion,
      ],
    )) as unknown[];
    return rows.length > 0;
  }
}
