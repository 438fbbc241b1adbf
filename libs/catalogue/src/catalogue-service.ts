import { type DeadlineTerm, parseDeadlineTerm } from '@umg/calendar';
import reference from '../data/district-services.json';
import { bgnToEur, type Money } from './money';

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
}

/** A district service of the catalogue, with where its facts come from. */
export interface CatalogueService {
  /** IISDA unified-service number, or a placeholder in the 90000s where none is known. */
  serviceNumber: number;
  serviceNumberIsPlaceholder: boolean;
  nameBg: string;
  nameEn: string;
  category: string;
  urgencies: ServiceUrgency[];
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

export const catalogueServices: readonly CatalogueService[] = reference.services.map((service, index) => ({
  serviceNumber: service.iisda_service_number ?? PLACEHOLDER_BASE + index + 1,
  serviceNumberIsPlaceholder: service.iisda_service_number === null,
  nameBg: service.name_bg,
  nameEn: service.name_en,
  category: service.category,
  urgencies: service.urgencies.map((urgency) => ({
    urgency: urgency.kind as Urgency,
    deadlineText: urgency.deadline,
    deadline: deadlineOf(urgency.deadline),
    fee: urgency.fee_bgn === null ? null : bgnToEur(urgency.fee_bgn),
    feeBgn: urgency.fee_bgn,
  })),
  sources: service.sources,
  notes: service.notes,
}));

const byNumber = new Map(catalogueServices.map((service) => [service.serviceNumber, service]));

export function findCatalogueService(serviceNumber: number): CatalogueService | undefined {
  return byNumber.get(serviceNumber);
}
