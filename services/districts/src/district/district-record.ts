import type { AdapterStyle, DistrictPhase } from '@umg/contracts';
import type { MappingSamples } from '../push/mappings/mapping-samples';

export interface BankDetails {
  iban: string;
  bic: string;
  bankName: string;
  /** True while the values are made up, not confirmed by the district. */
  placeholder: boolean;
}

/** The district's own client in the eGov payment system; the secret only ever sealed. */
export interface PaymentSystemClientRecord {
  clientId: string;
  sealedSecret: string;
}

export interface Contact {
  role: string;
  name: string;
  email?: string;
  phone?: string;
}

export interface BackOfficeProfile {
  adapterStyle: AdapterStyle;
  endpoint: string | null;
  /** Name of the environment variable holding the district's secret; never the secret itself. */
  credentialsRef: string | null;
  mapping: Record<string, unknown> | null;
}

/** How the district is known to e-delivery (ССЕВ); the key itself is a mounted secret named by `signingKeyRef`. */
export interface EDeliveryIdentity {
  unitIdentifier: string;
  certificateThumbprint: string | null;
  signingKeyRef: string;
}

/** A district of the register, as the service works with it. */
export interface DistrictRecord {
  code: string;
  no: number;
  nameBg: string;
  nameEn: string;
  phase: DistrictPhase;
  liveSince: Date | null;
  profile: BackOfficeProfile;
  /** The samples the profile's mapping was checked against when saved; versioned with the profile. */
  mappingSamples: MappingSamples | null;
  profileVersion: number;
  bank: BankDetails;
  paymentSystemClient: PaymentSystemClientRecord | null;
  payeeVersion: number;
  contacts: Contact[];
  offeringsVersion: number;
  offeringsDigest: string | null;
  eDelivery: EDeliveryIdentity | null;
}

export interface DistrictRow {
  code: string;
  no: number;
  name_bg: string;
  name_en: string;
  phase: DistrictPhase;
  live_since: Date | null;
  adapter_style: AdapterStyle;
  endpoint: string | null;
  credentials_ref: string | null;
  mapping: Record<string, unknown> | null;
  mapping_samples: MappingSamples | null;
  profile_version: number;
  bank: BankDetails;
  payment_system_client: PaymentSystemClientRecord | null;
  payee_version: number;
  contacts: Contact[];
  offerings_version: number;
  offerings_digest: string | null;
  e_delivery: EDeliveryIdentity | null;
}

export function districtFromRow(row: DistrictRow): DistrictRecord {
  return {
    code: row.code,
    no: row.no,
    nameBg: row.name_bg,
    nameEn: row.name_en,
    phase: row.phase,
    liveSince: row.live_since,
    profile: {
      adapterStyle: row.adapter_style,
      endpoint: row.endpoint,
      credentialsRef: row.credentials_ref,
      mapping: row.mapping,
    },
    mappingSamples: row.mapping_samples,
    profileVersion: row.profile_version,
    bank: row.bank,
    paymentSystemClient: row.payment_system_client,
    payeeVersion: row.payee_version,
    contacts: row.contacts,
    offeringsVersion: row.offerings_version,
    offeringsDigest: row.offerings_digest,
    eDelivery: row.e_delivery,
  };
}
