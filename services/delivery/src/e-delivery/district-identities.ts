import { Inject, Injectable } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';

type District = DistrictsInternal.components['schemas']['District'];
export type EDeliveryIdentity = NonNullable<District['eDelivery']>;

/**
 * The districts' e-delivery identities from the register (the districts service's internal API):
 * unit identifier, certificate thumbprint and the name of the secret holding the signing key.
 */
@Injectable()
export class DistrictIdentities {
  private readonly districtsFetch: typeof fetch;

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    tokens: ServiceTokenIssuer,
  ) {
    this.districtsFetch = serviceFetch(tokens, 'districts', tracedFetch('districts'));
  }

  /** The district's identity, or `null` when the register gives it none. */
  async identity(districtCode: string): Promise<EDeliveryIdentity | null> {
    const response = await this.districtsFetch(
      `${this.config.DISTRICTS_URL}/internal/v1/districts/${encodeURIComponent(districtCode)}`,
      { signal: AbortSignal.timeout(this.config.E_DELIVERY_TIMEOUT_MS) },
    );
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`the districts register answered ${response.status}`);
    return ((await response.json()) as District).eDelivery;
  }

  /** Districts whose inbox is their intake: in pilot or live, with an e-delivery identity. */
  async intakeDistricts(): Promise<string[]> {
    const response = await this.districtsFetch(`${this.config.DISTRICTS_URL}/internal/v1/districts`, {
      signal: AbortSignal.timeout(this.config.E_DELIVERY_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the districts register answered ${response.status}`);
    return ((await response.json()) as District[])
      .filter((district) => (district.phase === 'live' || district.phase === 'pilot') && district.eDelivery)
      .map((district) => district.code);
  }
}
