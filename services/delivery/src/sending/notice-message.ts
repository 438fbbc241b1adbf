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
 * we lost is found again instead of sent twice. The result's notice, the last one the applicant
 * gets, carries the link where they rate the service (`feedbackLink`).
 */
export function noticeMessage(
  delivery: DeliveryEntity,
  documents: AttachableDocument[],
  senderName: string,
  feedbackLink?: string,
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
      case 'payment_notice': {
        const payment = delivery.payment;
        const due = payment?.expiresAt ? ` до ${sofiaDate(payment.expiresAt)}` : '';
        return {
          title: `Такса за услугата, РНУ ${rnu}`,
          text:
            `За услуга ${service} в ${districtName} дължите такса ${payment ? money(payment.amountMinor, payment.currency) : '—'}.\n` +
            `Платете я${due} в Системата за електронни плащания (pay.egov.bg)` +
            (payment?.accessCode ? ` с код за достъп ${payment.accessCode}` : '') +
            (payment ? ` — заявка за плащане № ${payment.paymentSystemId}.` : '.') +
            `\nМожете да платите и на касата на районната администрация.`,
        };
      }
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
          text:
            `Приложен е резултатът от предоставянето на услуга ${service} от ${districtName}.` +
            (feedbackLink
              ? `\n\nКак мина? Оценете услугата и кажете какво беше трудно (една стъпка, без вход):\n${feedbackLink}`
              : ''),
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

/** 2,56 EUR: Bulgarian writes the decimal comma. */
function money(amountMinor: number, currency: string): string {
  return `${Math.trunc(amountMinor / 100)},${String(amountMinor % 100).padStart(2, '0')} ${currency}`;
}

/** The day in Sofia, as 13.12.2026. */
function sofiaDate(iso: string): string {
  return new Intl.DateTimeFormat('bg-BG', {
    timeZone: 'Europe/Sofia',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  })
    .format(new Date(iso))
    .replace(/\s*г\.?$/, '');
}
