import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { catalogueGaps, catalogueServices, districts } from '@umg/catalogue';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { DISTRICT_PROFILES } from '../tokens';
import { PublishOfferingsService } from '../offerings/publish-offerings.service';
import { PublishPayeeService } from '../payees/publish-payee.service';
import { placeholderIban } from '../migrations/1765000000000-district-payee';
import { DistrictSecretStore } from '../secrets/district-secret-store';
import { districtSecretVariable } from '../district/district-secret';
import { DistrictRepository } from '../district/district.repository';
import type { BankDetails } from '../district/district-record';
import type { ProfilesFileEntry } from '../district/profile-changes';

/** The four pilots went live with the Unified Model in June 2020. */
const pilotsLiveSince = new Date('2020-06-01T00:00:00+03:00');

/** Made-up account at Municipal Bank (SOMBBGSF) until each district confirms its own. */
function placeholderBank(no: number): BankDetails {
  return {
    iban: placeholderIban(no),
    bic: 'SOMBBGSF',
    bankName: 'Общинска банка АД (placeholder)',
    placeholder: true,
  };
}

/**
 * At start-up: puts every district of the reference data into the register if it is not there
 * yet (pilots live with pull and every catalogue service the catalogue can support, live; the
 * others not started, with nothing enabled; profiles from the profiles file), seeds the secret
 * store from the profiles' variables where nothing is stored, seals secrets under the keyring's
 * current key, then publishes each district's offerings when they
 * changed or were never published.
 */
@Injectable()
export class SeedRegistryService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districtRepository: DistrictRepository,
    private readonly offerings: PublishOfferingsService,
    private readonly payees: PublishPayeeService,
    private readonly secrets: DistrictSecretStore,
    @Inject(DISTRICT_PROFILES) private readonly profiles: Record<string, ProfilesFileEntry>,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeded: string[] = [];
    const published: string[] = [];
    const secretsSeeded: string[] = [];
    let resealed = 0;
    await this.dataSource.transaction(async (manager) => {
      // One instance seeds at a time.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('districts.seed-registry'))`);
      for (const district of districts) {
        const profile = this.profiles[district.code] ?? {};
        if (profile.eDelivery) {
          // Also for a district seeded before its e-delivery identity was known; one set later stays.
          await manager.query(
            `UPDATE districts.district SET e_delivery = $2::jsonb WHERE code = $1 AND e_delivery IS NULL`,
            [district.code, JSON.stringify(profile.eDelivery)],
          );
        }
        const inserted = (await manager.query(
          `INSERT INTO districts.district
             (code, no, name_bg, name_en, phase, live_since, adapter_style, endpoint, credentials_ref, mapping, bank, contacts,
              e_delivery, mapping_samples)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb, $14::jsonb)
           ON CONFLICT (code) DO NOTHING RETURNING code`,
          [
            district.code,
            district.no,
            district.nameBg,
            district.nameEn,
            district.pilot ? 'live' : 'not_started',
            district.pilot ? pilotsLiveSince : null,
            profile.adapterStyle ?? 'pull',
            profile.endpoint ?? null,
            profile.credentialsRef ?? null,
            JSON.stringify(profile.mapping ?? null),
            JSON.stringify(profile.bank ?? placeholderBank(district.no)),
            JSON.stringify(profile.contacts ?? []),
            profile.eDelivery ? JSON.stringify(profile.eDelivery) : null,
            JSON.stringify(profile.mappingSamples ?? null),
          ],
        )) as unknown[];
        if (inserted.length === 0) continue;
        seeded.push(district.code);
        if (district.pilot) {
          // The pilots offer every service the catalogue can support; one with gaps is not started.
          const offerable = catalogueServices.filter((service) => catalogueGaps(service).length === 0);
          await manager.query(
            `INSERT INTO districts.service_enablement (district_code, service_number, phase) SELECT $1, unnest($2::int[]), 'live'`,
            [district.code, offerable.map((service) => service.serviceNumber)],
          );
        }
        await this.districtRepository.audit(manager, {
          districtCode: district.code,
          change: 'seeded',
          before: null,
          after: { phase: district.pilot ? 'live' : 'not_started', adapterStyle: profile.adapterStyle ?? 'pull' },
          actor: 'system:districts',
          reason: 'seeded from the reference data and the profiles file',
        });
      }
      for (const district of districts) {
        const variable = districtSecretVariable(
          (await this.districtRepository.get(manager, district.code)).profile.credentialsRef,
        );
        if (variable && (await this.secrets.seedFromEnvironment(manager, district.code, variable))) {
          secretsSeeded.push(district.code);
        }
      }
      resealed = await this.secrets.resealUnderCurrentKey(manager);
      for (const district of districts) {
        if (await this.offerings.publishIfChanged(manager, district.code)) published.push(district.code);
        await this.payees.publishIfNever(manager, district.code);
      }
    });
    this.logger.info({ seeded, published, secretsSeeded, resealed }, 'district register ready');
  }
}
