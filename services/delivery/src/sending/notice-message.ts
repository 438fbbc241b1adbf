import { findCatalogueService, findDistrict } from '@umg/catalogue';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { EDeliverySendMessageRequest } from '../e-delivery/e-delivery-wire';

/**
 * The e-delivery message of a notice: its subject and text in Bulgarian, the service reference
 * number (РНУ), the service number, and the district as sender.
 */
export function noticeMessage(
  delivery: DeliveryEntity,
  recipientProfileId: string,
  blobIds: string[],
  senderName: string,
): EDeliverySendMessageRequest {
  const district = findDistrict(delivery.districtCode);
  const districtName = district ? `район „${district.nameBg}“` : `район ${delivery.districtCode}`;
  const serviceName = findCatalogueService(delivery.serviceNumber)?.nameBg;
  const service = serviceName ? `„${serviceName}“ (№ ${delivery.serviceNumber})` : `№ ${delivery.serviceNumber}`;
  const rnu = delivery.serviceReferenceNumber;
  const reasons = (delivery.reasons ?? []).map((reason) => `- ${reason.message}`).join('\n');
  const { subject, body } = ((): { subject: string; body: string } => {
    switch (delivery.noticeKind) {
      case 'registration_notice':
        return {
          subject: `Входящ номер на заявлението Ви, РНУ ${rnu}`,
          body: `Заявлението Ви за услуга ${service} е регистрирано в ${districtName} с входящ № ${delivery.registrationNumber ?? '—'}.`,
        };
      case 'correction_notice':
        return {
          subject: `Заявлението Ви е върнато за отстраняване на нередовности, РНУ ${rnu}`,
          body: `Заявлението Ви за услуга ${service} е върнато от ${districtName} за отстраняване на нередовности:\n${reasons}`,
        };
      case 'expiry_notice':
        return {
          subject: `Изтекъл срок за плащане, РНУ ${rnu}`,
          body: `Срокът за плащане на таксата за услуга ${service} в ${districtName} изтече, без плащането да е получено.`,
        };
      case 'refusal':
        return {
          subject: `Отказ за предоставяне на услуга, РНУ ${rnu}`,
          body: `${districtName[0]!.toUpperCase()}${districtName.slice(1)} отказва да предостави услуга ${service}:\n${reasons}`,
        };
      case 'result':
        return {
          subject: `Резултат от услуга, РНУ ${rnu}`,
          body: `Приложен е резултатът от предоставянето на услуга ${service} от ${districtName}.`,
        };
    }
  })();
  return {
    recipientProfileIds: [recipientProfileId],
    subject,
    rnu,
    serviceNumber: delivery.serviceNumber,
    additionalIdentifier: delivery.id,
    sender: { name: `${senderName} — ${districtName}`, identifier: delivery.districtCode },
    body,
    fields: {
      serviceReferenceNumber: rnu,
      serviceNumber: String(delivery.serviceNumber),
      districtCode: delivery.districtCode,
      ...(delivery.registrationNumber ? { registrationNumber: delivery.registrationNumber } : {}),
    },
    blobIds,
  };
}
