import { type DeadlineTerm, parseDeadlineTerm } from '@umg/calendar';
import reference from '../data/district-services.json';
import { bgnToEur, type Money } from './money';
import { type TermStart, termStartOf } from './term-start';

export type Urgency = 'regular' | 'fast' | 'express';

export interface ServiceUrgency {
  urgency: Urgency;
  /** The deadline as the source states it. */
  deadlineText: string | null;
  /** Parsed deadline; null where the source gives none or gives it relative to another event. */
  deadline: DeadlineTerm | null;
  /** Fee in EUR minor units, converted from the source's BGN; null when the source gives none. */
  fee: Money | null;
  feeBgn: number | null;
  /** Where the deadline and fee come from; empty only when both are unknown. */
  sources: string[];
}

/** A district service of the catalogue, with where its facts come from. */
export interface CatalogueService {
  /** IISDA unified-service number, or a placeholder in the 90000s where none is known. */
  serviceNumber: number;
  serviceNumberIsPlaceholder: boolean;
  /** Where the IISDA number comes from; empty for a placeholder. */
  serviceNumberSources: string[];
  nameBg: string;
  nameEn: string;
  category: string;
  urgencies: ServiceUrgency[];
  /** Whether the term runs from submission or from payment (termStartOf: a paid service from payment). */
  termStartsAt: TermStart;
  sources: string[];
  notes: string;
}

/** Placeholders sit far above real IISDA numbers (at most a few thousand) so they never clash. */
const PLACEHOLDER_BASE = 90_000;

function deadlineOf(text: string | null): DeadlineTerm | null {
  if (!text) return null;
  try {
    return parseDeadlineTerm(text);
  } catch {
    return null;
  }
}

export const catalogueServices: readonly CatalogueService[] = reference.services
  .map((service, index) => ({
    serviceNumber: service.iisda_service_number ?? PLACEHOLDER_BASE + index + 1,
    serviceNumberIsPlaceholder: service.iisda_service_number === null,
    serviceNumberSources: service.iisda_service_number_sources,
    nameBg: service.name_bg,
    nameEn: service.name_en,
    category: service.category,
    urgencies: service.urgencies.map((urgency) => ({
      urgency: urgency.kind as Urgency,
      deadlineText: urgency.deadline,
      deadline: deadlineOf(urgency.deadline),
      fee: urgency.fee_bgn === null ? null : bgnToEur(urgency.fee_bgn),
      feeBgn: urgency.fee_bgn,
      sources: urgency.sources,
    })),
    sources: service.sources,
    notes: service.notes,
  }))
  .map((service) => ({ ...service, termStartsAt: termStartOf(service.serviceNumber, service.urgencies) }));

const byNumber = new Map(catalogueServices.map((service) => [service.serviceNumber, service]));

export function findCatalogueService(serviceNumber: number): CatalogueService | undefined {
  return byNumber.get(serviceNumber);
}

/** Why a catalogue service cannot be offered yet; stable codes shown to operators. */
export type CatalogueGap = 'placeholder_service_number' | 'no_urgency' | 'term_unknown' | 'fee_unknown';

/**
 * What is missing before a service can be enabled in a district: a real register number and, for
 * every urgency it offers, a known term and a known fee (zero is a fee; unknown is not free).
 */
export function catalogueGaps(service: CatalogueService): CatalogueGap[] {
  const gaps: CatalogueGap[] = [];
  if (service.serviceNumberIsPlaceholder) gaps.push('placeholder_service_number');
  if (service.urgencies.length === 0) gaps.push('no_urgency');
  if (service.urgencies.some((urgency) => urgency.deadline === null)) gaps.push('term_unknown');
  if (service.urgencies.some((urgency) => urgency.fee === null)) gaps.push('fee_unknown');
  return gaps;
}
