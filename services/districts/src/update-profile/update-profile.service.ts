import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sealSecret } from '@umg/config';
import type { Logger } from '@umg/logging';
import type { DistrictsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PublishOfferingsService } from '../offerings/publish-offerings.service';
import { PublishPayeeService } from '../payees/publish-payee.service';
import { DISTRICTS_CONFIG } from '../tokens';
import type { DistrictRecord, PaymentSystemClientRecord } from '../district/district-record';
import { DistrictRepository } from '../district/district.repository';
import { checkedMapping, type ProfileChange } from '../district/profile-changes';
import type { MappingSamples } from '../push/mappings/mapping-samples';

/**
 * Changes a district's back-office profile, bank details or contacts. A change of how the
 * gateway talks to the back office (style, endpoint, credentials, mapping) makes a new profile
 * version: earlier conformance runs no longer count for it.
 */
@Injectable()
export class UpdateProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly offerings: PublishOfferingsService,
    private readonly payees: PublishPayeeService,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async update(code: string, change: ProfileChange, actor: string): Promise<DistrictRecord> {
    const district = await this.dataSource.transaction(async (manager) => {
      const before = await this.districts.get(manager, code, { lock: true });
      const adapterStyle = change.adapterStyle ?? before.profile.adapterStyle;
      const mappingSamples =
        change.mappingSamples === undefined ? before.mappingSamples : (change.mappingSamples as MappingSamples | null);
      let mapping = change.mapping === undefined ? before.profile.mapping : change.mapping;
      // A change of how the district's messages look is checked against its samples before it is saved.
      if (change.adapterStyle !== undefined || change.mapping !== undefined || change.mappingSamples !== undefined) {
        mapping = await checkedMapping(code, adapterStyle, mapping, mappingSamples);
      }
      const profile = {
        adapterStyle,
        endpoint: change.endpoint === undefined ? before.profile.endpoint : change.endpoint,
        credentialsRef: change.credentialsRef === undefined ? before.profile.credentialsRef : change.credentialsRef,
        mapping,
      };
      const profileChanged =
        JSON.stringify(profile) !== JSON.stringify(before.profile) ||
        JSON.stringify(mappingSamples) !== JSON.stringify(before.mappingSamples);
      const bank = change.bank ?? before.bank;
      const contacts = change.contacts ?? before.contacts;
      const client: PaymentSystemClientRecord | null =
        change.paymentSystemClient === undefined
          ? before.paymentSystemClient
          : change.paymentSystemClient && {
              clientId: change.paymentSystemClient.clientId,
              sealedSecret: sealSecret(this.config.SECRETS_KEY, change.paymentSystemClient.secret),
            };
      const payeeChanged =
        change.paymentSystemClient !== undefined || JSON.stringify(bank) !== JSON.stringify(before.bank);
      await manager.query(
        `UPDATE districts.district
         SET adapter_style = $2, endpoint = $3, credentials_ref = $4, mapping = $5::jsonb, bank = $6::jsonb,
             contacts = $7::jsonb, profile_version = profile_version + $8, payment_system_client = $9::jsonb,
             mapping_samples = $10::jsonb, updated_at = now()
         WHERE code = $1`,
        [
          code,
          profile.adapterStyle,
          profile.endpoint,
          profile.credentialsRef,
          JSON.stringify(profile.mapping),
          JSON.stringify(bank),
          JSON.stringify(contacts),
          profileChanged ? 1 : 0,
          JSON.stringify(client),
          JSON.stringify(mappingSamples),
        ],
      );
      await this.districts.audit(manager, {
        districtCode: code,
        change: 'profile',
        // The audit names the client and a fingerprint of the sealed secret, never the secret.
        before: {
          profile: before.profile,
          mappingSamples: before.mappingSamples,
          bank: before.bank,
          contacts: before.contacts,
          paymentSystemClient: clientForAudit(before.paymentSystemClient),
        },
        after: { profile, mappingSamples, bank, contacts, paymentSystemClient: clientForAudit(client) },
        actor,
        reason: change.reason,
      });
      await this.offerings.publishIfChanged(manager, code);
      if (payeeChanged) await this.payees.publish(manager, code);
      return this.districts.get(manager, code);
    });
    this.logger.info(
      { districtCode: code, actor, profileVersion: district.profileVersion },
      'district profile changed',
    );
    return district;
  }
}

function clientForAudit(client: PaymentSystemClientRecord | null) {
  if (!client) return null;
  const fingerprint = createHash('sha256').update(client.sealedSecret).digest('hex').slice(0, 12);
  return { clientId: client.clientId, secret: `sealed:${fingerprint}` };
}
