import { Injectable } from '@nestjs/common';
import { districts, catalogueServices } from '@umg/catalogue';

/**
 * Which services each district offers electronically. Until the districts service publishes its
 * registry, the pilots offer the whole catalogue and the other districts nothing (they have not
 * started their rollout).
 */
@Injectable()
export class ServiceOfferings {
  private readonly enabled = new Set<string>(
    districts
      .filter((district) => district.pilot)
      .flatMap((district) => catalogueServices.map((service) => `${district.code}/${service.serviceNumber}`)),
  );

  isEnabled(districtCode: string, serviceNumber: number): boolean {
    return this.enabled.has(`${districtCode}/${serviceNumber}`);
  }
}
