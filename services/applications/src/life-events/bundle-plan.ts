import { findDistrict, findLifeEvent, type LifeEventPart, selectedParts } from '@umg/catalogue';
import type { ApplicationSubmitted, LifeEventRequested } from '@umg/contracts';
import type { RejectionReason } from '../intake/submission-checks';

/** A part of a request's bundle with the district competent for it. */
export interface PlannedPart {
  part: LifeEventPart;
  position: number;
  districtCode: string;
}

/**
 * The parts a life-event request files and the district of each: from the address of the part's
 * role, or the district the applicant chose. Answers the reasons it cannot be planned instead.
 */
export function planBundle(request: LifeEventRequested): { parts: PlannedPart[]; reasons: RejectionReason[] } {
  const event = findLifeEvent(request.lifeEvent);
  if (!event) {
    return {
      parts: [],
      reasons: [{ code: 'unknown_life_event', field: 'lifeEvent', message: `no life event "${request.lifeEvent}"` }],
    };
  }
  const reasons: RejectionReason[] = [];
  for (const key of request.selectedParts) {
    if (!event.parts.some((part) => part.key === key && part.optional)) {
      reasons.push({
        code: 'unknown_part',
        field: 'selectedParts',
        message: `"${key}" is not an optional part of ${event.code}`,
      });
    }
  }
  const parts: PlannedPart[] = [];
  selectedParts(event, request.selectedParts).forEach((part, position) => {
    const districtCode =
      'address' in part.competence
        ? request.addresses[part.competence.address]?.districtCode
        : request.chosenDistricts?.[part.key];
    if (!districtCode) {
      reasons.push(
        'address' in part.competence
          ? {
              code: 'address_missing',
              field: `addresses.${part.competence.address}`,
              message: `${part.key} needs the ${part.competence.address} address`,
            }
          : {
              code: 'district_not_chosen',
              field: `chosenDistricts.${part.key}`,
              message: `choose a district for ${part.key}`,
            },
      );
    } else if (!findDistrict(districtCode)) {
      reasons.push({ code: 'unknown_district', field: `parts.${part.key}`, message: `no district "${districtCode}"` });
    } else {
      parts.push({ part, position, districtCode });
    }
  });
  return { parts, reasons };
}

/** The portal id of a part's application: the request's id and the part's key. */
export const partPortalId = (requestId: string, partKey: string) => `${requestId}/${partKey}`;

/** A part's application as if it had been submitted on its own: intake checks and files it like any other. */
export function partSubmission(
  request: LifeEventRequested,
  planned: { partKey: string; serviceNumber: number; districtCode: string },
): ApplicationSubmitted {
  return {
    portalApplicationId: partPortalId(request.requestId, planned.partKey),
    serviceReferenceNumber: partPortalId(request.requestId, planned.partKey),
    serviceNumber: planned.serviceNumber,
    districtCode: planned.districtCode,
    urgency: request.urgency,
    applicant: request.applicant,
    ...(request.representative ? { representative: request.representative } : {}),
    deliveryChannel: request.deliveryChannel,
    ...(request.eDeliveryProfileId ? { eDeliveryProfileId: request.eDeliveryProfileId } : {}),
    formData: { ...request.formData, lifeEvent: request.lifeEvent, addresses: request.addresses },
    attachments: [],
    submittedAt: request.submittedAt,
  };
}
