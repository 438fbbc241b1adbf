import type { DistrictsInternal } from '@umg/contracts';
import type { DistrictRecord } from './district-record';

export type DistrictView = DistrictsInternal.components['schemas']['District'];
export type AuditEntryView = DistrictsInternal.components['schemas']['AuditEntry'];

/** What leaves the service about a district: never the secret, only the name of its variable. */
export function toDistrictView(district: DistrictRecord): DistrictView {
  return {
    code: district.code,
    no: district.no,
    nameBg: district.nameBg,
    nameEn: district.nameEn,
    phase: district.phase,
    liveSince: district.liveSince ? district.liveSince.toISOString() : null,
    profile: district.profile,
    profileVersion: district.profileVersion,
    bank: district.bank,
    // Never the secret, sealed or not: only that there is one.
    paymentSystemClient: district.paymentSystemClient
      ? { clientId: district.paymentSystemClient.clientId, secretSet: true }
      : null,
    contacts: district.contacts,
    offeringsVersion: district.offeringsVersion,
    eDelivery: district.eDelivery,
  };
}
