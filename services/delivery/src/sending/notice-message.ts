import { findCatalogueService, findDistrict } from '@umg/catalogue';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { OutgoingDocument, OutgoingMessage } from '../e-delivery/e-delivery-wire';

/** A document to attach, as fetched from the applications service. */
export interface AttachableDocument {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/**
 * The e-delivery message of a notice: title and text in Bulgarian with the service reference
 * number (РНУ), the service number and the district; the notice itself as the first document, then
 * the result or refusal documents. ССЕВ has no idempotency key: every document carries our number
 * (`DocumentRegistrationNumber`) — the delivery id for the first — by which a message whose answer
 * we lost is found again instead of sent twice.
 */
export function noticeMessage(
  delivery: DeliveryEntity,
  documents: AttachableDocument[],
  senderName: string,
): OutgoingMessage {
  const district = findDistrict(delivery.districtCode);
  const districtName = district ? `район „${district.nameBg}“` : `район ${delivery.districtCode}`;
  const serviceName = findCatalogueService(delivery.serviceNumber)?.nameBg;
  const service = serviceName ? `„${serviceName}“ (№ ${delivery.serviceNumber})` : `№ ${delivery.serviceNumber}`;
  const rnu = delivery.serviceReferenceNumber;
  const reasons = (delivery.reasons ?? []).map((reason) => `- ${reason.message}`).join('\n');
  const { title, text } = ((): { title: string; text: string } => {
    switch (delivery.noticeKind) {
      case 'registration_notice':
        return {
          title: `Входящ номер на заявлението Ви, РНУ ${rnu}`,
          text: `Заявлението Ви за услуга ${service} е регистрирано в ${districtName} с входящ № ${delivery.registrationNumber ?? '—'}.`,
        };
      case 'correction_notice':
        return {
          title: `Заявлението Ви е върнато за отстраняване на нередовности, РНУ ${rnu}`,
          text: `Заявлението Ви за услуга ${service} е върнато от ${districtName} за отстраняване на нередовности:\n${reasons}`,
        };
      case 'expiry_notice':
        return {
          title: `Изтекъл срок за плащане, РНУ ${rnu}`,
          text: `Срокът за плащане на таксата за услуга ${service} в ${districtName} изтече, без плащането да е получено.`,
        };
      case 'refusal':
        return {
          title: `Отказ за предоставяне на услуга, РНУ ${rnu}`,
          text: `${districtName[0]!.toUpperCase()}${districtName.slice(1)} отказва да предостави услуга ${service}:\n${reasons}`,
        };
      case 'result':
        return {
          title: `Резултат от услуга, РНУ ${rnu}`,
          text: `Приложен е резултатът от предоставянето на услуга ${service} от ${districtName}.`,
        };
    }
  })();
  const signedText = `${text}\n\n${senderName} — ${districtName}\nРНУ ${rnu}, услуга № ${delivery.serviceNumber}`;
  const notice: OutgoingDocument = {
    name: `${delivery.noticeKind.replace(/_/g, '-')}-${rnu}.txt`,
    contentType: 'text/plain; charset=utf-8',
    content: Buffer.from(signedText, 'utf8'),
    registrationNumber: delivery.id,
  };
  return {
    title,
    text: signedText,
    documents: [
      notice,
      ...documents.map((document, index) => ({
        name: document.fileName,
        contentType: document.mediaType,
        content: document.content,
        registrationNumber: `${delivery.id}-${index + 1}`,
      })),
    ],
  };
}
