import { randomBytes } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';
import { findCatalogueService } from '@umg/catalogue';
import type { ApplicationSubmitted } from '@umg/contracts';

/** An application as the single portal files it through e-delivery on the applicant's behalf. */
export interface PortalFiling {
  /** The portal's operation reference number (ORN), e.g. `BGES9d5798b`. */
  orn: string;
  sender: { identifier: string; name: string };
  receiverIdentifier: string;
  title: string;
  documents: { name: string; contentType: string; contentBase64: string }[];
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: true });

/**
 * Builds the e-delivery message the portal sends to an administration's unit for a submission
 * (state-platform.md §3): title `{ORN}-{service number}-{service name}` (at most 255 characters,
 * EF EDeliverySendDelegate.java); the form as `{arId}-{ORN}-{documentCode}.pdf` with the
 * `<ServiceRequest>` XML and the form JSON in its document information under `{pdfFileName}_xml`
 * and `{pdfFileName}_json` (EF GenerateFilesPackageServiceImpl.java) — or, with `legacyFiles`, as
 * separate `.xml` and `.json` files; then the applicant's own files.
 */
export async function portalFiling(
  submission: ApplicationSubmitted,
  unitIdentifier: string,
  options: { legacyFiles?: boolean } = {},
): Promise<PortalFiling> {
  const orn = `BGES${randomBytes(4).toString('hex').slice(0, 7)}`;
  const serviceName = findCatalogueService(submission.serviceNumber)?.nameBg ?? `Услуга ${submission.serviceNumber}`;
  const arId = submission.serviceNumber;
  const pdfName = `${arId}-${orn}-zayavlenie.pdf`;
  const serviceRequest = serviceRequestXml(submission, orn, serviceName, unitIdentifier);
  const formJson = JSON.stringify({ data: { specificContent: submission.formData } });

  const pdf = await PDFDocument.create();
  pdf.setTitle(`${orn} ${arId}`);
  const page = pdf.addPage();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText(`Application ${orn}, service ${arId}`, { x: 50, y: 780, size: 14, font });
  if (!options.legacyFiles) {
    // What PDFBox's setCustomMetadataValue writes: text strings in the Info dictionary.
    const info = pdf.context.lookup(pdf.context.trailerInfo.Info) as unknown as {
      set(key: PDFName, value: PDFHexString): void;
    };
    info.set(PDFName.of(`${pdfName}_xml`), PDFHexString.fromText(serviceRequest));
    info.set(PDFName.of(`${pdfName}_json`), PDFHexString.fromText(formJson));
  }
  const documents = [
    { name: pdfName, contentType: 'application/pdf', contentBase64: Buffer.from(await pdf.save()).toString('base64') },
    ...(options.legacyFiles
      ? [
          {
            name: `${arId}-${orn}.xml`,
            contentType: 'application/xml',
            contentBase64: Buffer.from(serviceRequest).toString('base64'),
          },
          {
            name: `${arId}-${orn}.json`,
            contentType: 'application/json',
            contentBase64: Buffer.from(formJson).toString('base64'),
          },
        ]
      : []),
    ...submission.attachments.map((attachment) => ({
      name: attachment.fileName,
      contentType: attachment.mediaType,
      contentBase64: attachment.contentBase64,
    })),
  ];
  return {
    orn,
    sender: { identifier: submission.applicant.identifier, name: submission.applicant.name },
    receiverIdentifier: unitIdentifier,
    title: `${orn}-${arId}-${serviceName}`.slice(0, 255),
    documents,
  };
}

const processTime: Record<ApplicationSubmitted['urgency'], { code: string; name: string }> = {
  regular: { code: '0006-000083', name: 'Нормална услуга' },
  fast: { code: '0006-000084', name: 'Бърза услуга' },
  express: { code: '0006-000085', name: 'Експресна услуга' },
};

/** `<ServiceRequest>` in the order of EF's serviceRequestTemplate.xml (the parts the gateway reads, and a few more). */
function serviceRequestXml(
  submission: ApplicationSubmitted,
  orn: string,
  serviceName: string,
  unitIdentifier: string,
): string {
  // An Agent (EF xml/xsd/Agent.xsd): a person, or a legal entity by its ЕИК.
  const agent = (who: { identifier: string; identifierType: string; name: string }) =>
    who.identifierType === 'EIK'
      ? {
          legalEntity: {
            legalIdentifier: { identifier: who.identifier, identifierType: { code: 'EIK', name: 'ЕИК' } },
            legalName: who.name,
          },
        }
      : {
          person: {
            identifier: {
              identifier: who.identifier,
              identifierType: { code: who.identifierType, name: who.identifierType === 'LNCH' ? 'ЛНЧ' : 'ЕГН' },
            },
            fullName: who.name,
          },
        };
  const author = submission.representative ?? submission.applicant;
  const request = {
    ServiceRequest: {
      requestURI: {
        identifier: orn,
        identifierType: { code: '1006-100001', name: 'Идентификатор на заявление за услуга' },
      },
      requestDateTime: submission.submittedAt,
      publicService: {
        identifier: {
          identifier: submission.serviceNumber,
          identifierType: { code: '1006-100008', name: 'Идентификатор на публична услуга' },
        },
        name: serviceName,
      },
      serviceProvider: {
        preferredLabel: 'Столична община',
        administrativeUnits: {
          legalIdentifier: { identifier: unitIdentifier, identifierType: { code: '1006-100003', name: 'БУЛСТАТ' } },
        },
      },
      requestType: {
        code: '0006-000121',
        name: 'Първоначално заявление за предоставяне на електронна административна услуга',
      },
      resultChannel: {
        channelType:
          submission.deliveryChannel === 'desk'
            ? { code: '0006-000076', name: 'На гише в администрацията' }
            : { code: '0006-000080', name: 'Чрез ССЕВ' },
      },
      processTime: { processTimeType: processTime[submission.urgency] },
      applicant: agent(submission.applicant),
      requestAuthor: {
        ...agent(author),
        authorType: submission.representative
          ? { code: '1006-020002', name: submission.representative.capacity }
          : { code: '1006-020001', name: 'Титуляр' },
      },
      dataProcessingAgreement: true,
      specificContent: submission.formData,
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(request) as string}`;
}
