import { SchemaValidator } from '@umg/contracts';
import { readPortalApplication } from '../../../services/delivery/src/intake/portal-application.reader';
import { portalFiling } from './e-delivery-filing';
import { randomSubmission } from './submission-factory';

const received = (filing: Awaited<ReturnType<typeof portalFiling>>, messageId = 41) => ({
  messageId,
  title: filing.title,
  dateSent: new Date('2026-03-12T08:15:00Z'),
  documents: filing.documents.map((document, index) => ({
    id: index + 1,
    name: document.name,
    contentType: document.contentType,
    content: Buffer.from(document.contentBase64, 'base64'),
  })),
});

/**
 * The portal simulator files an application as the portal does (title, PDF with the embedded
 * ServiceRequest XML and form JSON); the delivery service's reader turns it back into the
 * submission the applications service takes.
 */
describe('a portal application through e-delivery, filed and read back', () => {
  const validator = new SchemaValidator();

  it('reads the ORN, service number, applicant, representative, urgency, channel, form data and files from the PDF', async () => {
    const submission = {
      ...randomSubmission({ districtCode: 'nadezhda', serviceNumber: 2016, urgency: 'fast', attachments: 2 }),
      representative: {
        identifierType: 'EGN' as const,
        identifier: '8003150020',
        name: 'Мария Георгиева Петрова',
        capacity: 'пълномощник',
      },
      deliveryChannel: 'desk' as const,
    };
    const filing = await portalFiling(submission, '0006963270042');

    expect(filing.title).toMatch(new RegExp(`^${filing.orn}-2016-`));
    expect(filing.documents[0]!.name).toBe(`2016-${filing.orn}-zayavlenie.pdf`);
    const outcome = await readPortalApplication(received(filing), 'nadezhda');

    expect(outcome.kind).toBe('application');
    if (outcome.kind !== 'application') return;
    expect(outcome.submission).toMatchObject({
      portalApplicationId: filing.orn,
      serviceReferenceNumber: filing.orn,
      serviceNumber: 2016,
      districtCode: 'nadezhda',
      urgency: 'fast',
      applicant: submission.applicant,
      representative: submission.representative,
      deliveryChannel: 'desk',
      formData: { purpose: 'Да послужи пред работодател', copies: '1' },
      submittedAt: '2026-03-12T08:15:00.000Z',
    });
    // The form's PDF and the applicant's two files, as attachments of the application.
    expect(outcome.submission.attachments.map((attachment) => attachment.fileName)).toEqual([
      filing.documents[0]!.name,
      'declaration-1.pdf',
      'declaration-2.pdf',
    ]);
    expect(validator.validate('ApplicationSubmitted', outcome.submission)).toMatchObject({ ok: true });
  });

  it('reads a company applicant (a legal entity by its ЕИК) filed by its manager', async () => {
    const submission = {
      ...randomSubmission({ districtCode: 'triaditsa', attachments: 0 }),
      applicant: { identifierType: 'EIK' as const, identifier: '131468980', name: 'Строй ЕООД' },
      representative: {
        identifierType: 'EGN' as const,
        identifier: '8003150020',
        name: 'Мария Петрова',
        capacity: 'управител',
      },
    };
    const outcome = await readPortalApplication(received(await portalFiling(submission, '0006963270010')), 'triaditsa');

    expect(outcome).toMatchObject({
      kind: 'application',
      submission: { applicant: submission.applicant, representative: submission.representative },
    });
  });

  it('reads the older path, with the XML and JSON as separate files', async () => {
    const submission = randomSubmission({ districtCode: 'serdika', urgency: 'regular', attachments: 0 });
    const filing = await portalFiling(submission, '0006963270007', { legacyFiles: true });
    expect(filing.documents.map((document) => document.name.split('.').pop())).toEqual(['pdf', 'xml', 'json']);

    const outcome = await readPortalApplication(received(filing), 'serdika');

    expect(outcome).toMatchObject({
      kind: 'application',
      submission: { portalApplicationId: filing.orn, applicant: submission.applicant, urgency: 'regular' },
    });
    if (outcome.kind === 'application') {
      expect(outcome.submission.attachments.map((attachment) => attachment.fileName)).toEqual([
        filing.documents[0]!.name,
      ]);
    }
  });

  it('does not take a letter, or a portal title without a readable form, for an application', async () => {
    const letter = await readPortalApplication(
      { messageId: 1, title: 'Въпрос относно заявление', dateSent: null, documents: [] },
      'serdika',
    );
    expect(letter).toMatchObject({ kind: 'unreadable', code: 'not_an_application' });

    const broken = await readPortalApplication(
      {
        messageId: 2,
        title: 'BGES1234567-2016-Удостоверение за наследници',
        dateSent: null,
        documents: [{ id: 1, name: 'scan.pdf', contentType: 'application/pdf', content: Buffer.from('not a pdf') }],
      },
      'serdika',
    );
    expect(broken).toMatchObject({ kind: 'unreadable', code: 'no_service_request' });
  });
});
