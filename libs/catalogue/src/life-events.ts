import { findCatalogueService } from './catalogue-service';

/**
 * Which district is competent for a part: the district of one of the request's addresses (by its
 * role in the life event: the new address, the old one, the deceased's …), or the applicant's choice.
 */
export type PartCompetence = { address: string } | { applicantChoice: true };

/** One service a life event bundles. */
export interface LifeEventPart {
  /** Stable key of the part within its life event, e.g. `register-current-address`. */
  key: string;
  serviceNumber: number;
  competence: PartCompetence;
  /** Parts that must be done (their result ready) before this one is filed. */
  dependsOn: string[];
  /** An optional part is filed only when the request selects it. */
  optional: boolean;
}

/** A life event: the services that follow from one thing that happened in a person's life. */
export interface LifeEvent {
  code: string;
  nameBg: string;
  nameEn: string;
  /** The address roles a request must give a district for. */
  addresses: string[];
  /** In filing order; a part depends only on parts before it. */
  parts: LifeEventPart[];
}

export const lifeEvents: readonly LifeEvent[] = [
  {
    code: 'moving',
    nameBg: 'Преместване в или в рамките на София',
    nameEn: 'Moving to or within Sofia',
    addresses: ['new', 'old'],
    parts: [
      // The address card registers the current address; the certificate of it comes with it.
      {
        key: 'register-current-address',
        serviceNumber: 2107,
        competence: { address: 'new' },
        dependsOn: [],
        optional: false,
      },
      // A further certificate of the now registered current address, only once it is registered.
      {
        key: 'current-address-certificate',
        serviceNumber: 1997,
        competence: { address: 'new' },
        dependsOn: ['register-current-address'],
        optional: true,
      },
      {
        key: 'register-permanent-address',
        serviceNumber: 2079,
        competence: { address: 'new' },
        dependsOn: [],
        optional: true,
      },
      {
        key: 'permanent-address-certificate',
        serviceNumber: 2128,
        competence: { address: 'new' },
        dependsOn: ['register-permanent-address'],
        optional: true,
      },
      // The history of permanent addresses is kept where the person was registered before.
      {
        key: 'permanent-address-history',
        serviceNumber: 2056,
        competence: { address: 'old' },
        dependsOn: [],
        optional: true,
      },
    ],
  },
  {
    code: 'death-of-a-relative',
    nameBg: 'Смърт на близък',
    nameEn: 'Death of a relative',
    addresses: ['deceased'],
    parts: [
      {
        key: 'death-record-extract',
        serviceNumber: 2019,
        competence: { address: 'deceased' },
        dependsOn: [],
        optional: false,
      },
      {
        key: 'heirs-certificate',
        serviceNumber: 2016,
        competence: { address: 'deceased' },
        dependsOn: ['death-record-extract'],
        optional: true,
      },
      // Any district's civil registry can issue it: the applicant picks the one they go to.
      {
        key: 'kinship-certificate',
        serviceNumber: 2036,
        competence: { applicantChoice: true },
        dependsOn: [],
        optional: true,
      },
    ],
  },
];

const byCode = new Map(lifeEvents.map((event) => [event.code, event]));

export function findLifeEvent(code: string): LifeEvent | undefined {
  return byCode.get(code);
}

/** The parts a request files: the required ones and the optional ones it selected, with what they wait for. */
export function selectedParts(event: LifeEvent, selected: readonly string[]): LifeEventPart[] {
  return event.parts.filter((part) => !part.optional || selected.includes(part.key));
}

/** What is wrong with a life event's definition; empty when it is sound (checked by the catalogue's tests). */
export function lifeEventDefectsOf(event: LifeEvent): string[] {
  const defects: string[] = [];
  const before = new Set<string>();
  for (const part of event.parts) {
    if (!findCatalogueService(part.serviceNumber)) defects.push(`${part.key}: no service ${part.serviceNumber}`);
    if ('address' in part.competence && !event.addresses.includes(part.competence.address)) {
      defects.push(`${part.key}: no address "${part.competence.address}"`);
    }
    for (const dependency of part.dependsOn) {
      if (!before.has(dependency)) defects.push(`${part.key}: depends on "${dependency}", not an earlier part`);
      const required = event.parts.find((other) => other.key === dependency);
      if (required?.optional && !part.optional) defects.push(`${part.key}: required but waits for an optional part`);
    }
    if (before.has(part.key)) defects.push(`${part.key}: twice`);
    before.add(part.key);
  }
  return defects;
}
