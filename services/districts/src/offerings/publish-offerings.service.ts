import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findCatalogueService } from '@umg/catalogue';
import { cloudEventTypes, type DistrictServiceOfferings, type OfferedService } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import { DistrictRepository } from '../district/district.repository';

/**
 * Publishes a district's offerings snapshot (phase, adapter style, enabled services with their
 * urgencies) through the outbox, in the caller's transaction — but only when it differs from the
 * last one published, so calling it at every start-up and after every change is idempotent.
 */
@Injectable()
export class PublishOfferingsService {
  constructor(
    private readonly districts: DistrictRepository,
    private readonly outbox: Outbox,
  ) {}

  /** Returns the published snapshot, or undefined when nothing changed. */
  async publishIfChanged(manager: EntityManager, districtCode: string): Promise<DistrictServiceOfferings | undefined> {
    const district = await this.districts.get(manager, districtCode, { lock: true });
    const services: OfferedService[] = (await this.districts.enabledServices(manager, districtCode)).map(
      (serviceNumber) => ({
        serviceNumber,
        urgencies: findCatalogueService(serviceNumber)?.urgencies.map((urgency) => urgency.urgency) ?? [],
      }),
    );
    const content = { phase: district.phase, adapterStyle: district.profile.adapterStyle, services };
    const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex');
    if (digest === district.offeringsDigest) return undefined;
    const changedAt = new Date();
    const snapshot: DistrictServiceOfferings = {
      districtCode,
      ...content,
      version: district.offeringsVersion + 1,
      changedAt: changedAt.toISOString(),
    };
    await manager.query(
      `UPDATE districts.district SET offerings_version = $2, offerings_digest = $3, offerings_changed_at = $4 WHERE code = $1`,
      [districtCode, snapshot.version, digest, changedAt],
    );
    await this.outbox.enqueue(manager, {
      topic: Topics.districtServiceOfferings,
      key: districtCode,
      type: cloudEventTypes.DistrictServiceOfferings,
      payload: snapshot,
    });
    return snapshot;
  }
}
