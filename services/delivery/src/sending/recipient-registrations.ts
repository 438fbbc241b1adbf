import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import type { SubjectRegistration } from '../e-delivery/e-delivery-wire';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';

/** Recipients remembered at most; the oldest is forgotten first (a lifecycle's notices come within minutes). */
const maxRecipients = 10_000;

/**
 * Whether a recipient has an e-delivery profile (CheckSubjectHasRegistration), asked once for the
 * notices of an application instead of before each of its sends (issue 19: three calls per
 * lifecycle). Only a positive answer is kept, for `E_DELIVERY_REGISTRATION_CACHE_MS`: a profile
 * closed meanwhile costs nothing worse than a send that ССЕВ refuses with its no-profile fault,
 * which ends the delivery the same way. A negative answer is never kept: it ends the delivery at
 * once as `no_profile`, so a person who registers a minute later must be found at the next notice.
 * Checks of the same recipient made at the same time share one call.
 */
@Injectable()
export class RecipientRegistrations {
  private readonly known = new Map<string, { subjectId: string | null; until: number }>();
  private readonly asking = new Map<string, Promise<SubjectRegistration>>();

  constructor(
    private readonly eDelivery: EDeliveryClient,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async check(districtCode: string, identifier: string): Promise<SubjectRegistration> {
    const known = this.known.get(identifier);
    if (known && known.until > Date.now()) return { hasRegistration: true, subjectId: known.subjectId };
    this.known.delete(identifier);
    let asking = this.asking.get(identifier);
    if (!asking) {
      asking = this.ask(districtCode, identifier).finally(() => this.asking.delete(identifier));
      this.asking.set(identifier, asking);
    }
    return asking;
  }

  private async ask(districtCode: string, identifier: string): Promise<SubjectRegistration> {
    const registration = await this.eDelivery.checkRegistration(districtCode, identifier);
    const keepMs = this.config.E_DELIVERY_REGISTRATION_CACHE_MS;
    if (registration.hasRegistration && keepMs > 0) {
      if (this.known.size >= maxRecipients) this.known.delete(this.known.keys().next().value!);
      this.known.set(identifier, { subjectId: registration.subjectId, until: Date.now() + keepMs });
    }
    return registration;
  }
}
