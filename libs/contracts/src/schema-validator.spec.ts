import type { ApplicationSubmitted } from './index';
import { maxNodesForAllErrors, maxReportedErrors, SchemaValidator } from './schema-validator';

function validSubmission(): ApplicationSubmitted {
  return {
    portalApplicationId: 'EGOV-2026-000123456',
    serviceReferenceNumber: '20260312-2016-000123',
    serviceNumber: 2016,
    districtCode: 'nadezhda',
    urgency: 'fast',
    applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров Иванов' },
    representative: {
      identifierType: 'EGN',
      identifier: '8003150020',
      name: 'Мария Георгиева Петрова',
      capacity: 'authorised person',
    },
    deliveryChannel: 'e_delivery',
    eDeliveryProfileId: '104578',
    formData: { purpose: 'пред банка' },
    attachments: [
      {
        attachmentId: 'att-1',
        fileName: 'note.txt',
        mediaType: 'text/plain',
        size: 5,
        sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
        contentBase64: 'aGVsbG8=',
      },
    ],
    submittedAt: '2026-03-12T09:58:41+02:00',
  };
}

describe('SchemaValidator', () => {
  const validator = new SchemaValidator();

  it('accepts a valid ApplicationSubmitted and returns it typed', () => {
    const submission = validSubmission();

    const result = validator.validate<ApplicationSubmitted>('ApplicationSubmitted', submission);

    expect(result).toEqual({ ok: true, value: submission });
  });

  it('reports a missing field by its path with code required', () => {
    const submission: Partial<ApplicationSubmitted> = validSubmission();
    delete submission.serviceReferenceNumber;

    const result = validator.validate('ApplicationSubmitted', submission);

    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'serviceReferenceNumber', code: 'required', message: expect.any(String) }],
    });
  });

  it('reports a missing nested field with a dotted path', () => {
    const submission = validSubmission();
    const applicant: Partial<ApplicationSubmitted['applicant']> = { ...submission.applicant };
    delete applicant.identifier;

    const result = validator.validate('ApplicationSubmitted', { ...submission, applicant });

    expect(result.ok === false && result.errors).toEqual([
      { field: 'applicant.identifier', code: 'required', message: expect.any(String) },
    ]);
  });

  it('reports a value outside an enum with code invalid_enum', () => {
    const result = validator.validate('ApplicationSubmitted', { ...validSubmission(), urgency: 'tomorrow' });

    expect(result.ok === false && result.errors).toEqual([
      { field: 'urgency', code: 'invalid_enum', message: expect.any(String) },
    ]);
  });

  it('reports a bad SHA-256 of an attachment by its index with code invalid_pattern', () => {
    const submission = validSubmission();
    submission.attachments[0] = { ...submission.attachments[0], sha256: 'ABC123' };

    const result = validator.validate('ApplicationSubmitted', submission);

    expect(result.ok === false && result.errors).toEqual([
      { field: 'attachments[0].sha256', code: 'invalid_pattern', message: expect.any(String) },
    ]);
  });

  it('reports a too long applicant name with code too_long', () => {
    const submission = validSubmission();
    submission.applicant = { ...submission.applicant, name: 'И'.repeat(201) };

    const result = validator.validate('ApplicationSubmitted', submission);

    expect(result.ok === false && result.errors).toEqual([
      { field: 'applicant.name', code: 'too_long', message: 'must NOT have more than 200 characters' },
    ]);
  });

  it('reports an unknown field with code unknown_field and a bad date-time with code invalid_format', () => {
    const result = validator.validate('ApplicationSubmitted', {
      ...validSubmission(),
      submittedAt: 'yesterday',
      priority: 'high',
    });

    expect(result.ok === false && result.errors).toEqual(
      expect.arrayContaining([
        { field: 'priority', code: 'unknown_field', message: expect.any(String) },
        { field: 'submittedAt', code: 'invalid_format', message: expect.any(String) },
      ]),
    );
  });

  it('reports only the real error of a nullable reference, not the null branch', () => {
    const result = validator.validate('ApplicationStatusChanged', {
      applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
      portalApplicationId: 'EGOV-2026-000123456',
      serviceReferenceNumber: '20260312-2016-000123',
      districtCode: 'nadezhda',
      status: 'registered',
      previousStatus: 'routed',
      registrationNumber: '',
      occurredAt: '2026-03-12T10:15:00+02:00',
      sequence: 3,
    });

    expect(result.ok === false && result.errors.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'registrationNumber', code: 'too_short' },
      { field: 'registrationNumber', code: 'invalid_pattern' },
    ]);
  });

  it('validates district API bodies too', () => {
    expect(
      validator.validate('RegisterApplicationRequest', { registrationNumber: 'НД-94-00-1234/12.03.2026' }).ok,
    ).toBe(true);
    expect(validator.validate('RegisterApplicationRequest', { registrationNumber: '/starts-with-slash' })).toEqual({
      ok: false,
      errors: [{ field: 'registrationNumber', code: 'invalid_pattern', message: expect.any(String) }],
    });
  });

  it('reports a body of the wrong type at the root with an empty field', () => {
    expect(validator.validate('StartProcessingRequest', 'go')).toEqual({
      ok: false,
      errors: [{ field: '', code: 'invalid_type', message: 'must be object' }],
    });
  });
});

describe('field errors that can be stored', () => {
  it('names an unknown field with a NUL in it without the NUL (found by the bad-input run)', () => {
    const result = new SchemaValidator().validate('Reason', { message: 'x', 'a\u0000b': true });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toContainEqual(expect.objectContaining({ field: 'a\uFFFDb', code: 'unknown_field' }));
  });
});

describe('bounded validation of hostile values (security review F3)', () => {
  const validator = new SchemaValidator();

  it('refuses a 1 MiB array of invalid items in milliseconds with a bounded error list', () => {
    const reasons = Array.from({ length: 350_000 }, () => ({}));
    expect(JSON.stringify({ reasons }).length).toBeGreaterThan(1024 * 1024);

    const started = performance.now();
    const result = validator.validate('ReturnForCorrectionsRequest', { reasons });
    const elapsedMs = performance.now() - started;

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeLessThanOrEqual(maxReportedErrors);
    // The quadratic de-duplication took seconds for a twentieth of this; linear work takes a few ms.
    expect(elapsedMs).toBeLessThan(250);
  });

  it('still reports every error of an ordinary value, de-duplicated by field and code', () => {
    const result = validator.validate('ReturnForCorrectionsRequest', { reasons: [{}, { message: 1 }], extra: 1 });

    expect(result.ok === false && result.errors.map(({ field, code }) => `${field}:${code}`).sort()).toEqual(
      expect.arrayContaining(['extra:unknown_field', 'reasons[0].message:required', 'reasons[1].message:invalid_type']),
    );
  });

  it('caps the errors of a value just under the node limit and keeps them unique', () => {
    const reasons = Array.from({ length: 600 }, () => ({ message: 1, code: 2 }));
    const started = performance.now();
    const result = validator.validate('ReturnForCorrectionsRequest', { reasons });
    expect(performance.now() - started).toBeLessThan(250);

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(maxReportedErrors);
      const keys = result.errors.map(({ field, code }) => `${field}:${code}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('reports the first error of a value too large for a full report', () => {
    const reasons = Array.from({ length: maxNodesForAllErrors }, () => ({ message: 'ok' }));

    const result = validator.validate('ReturnForCorrectionsRequest', { reasons });

    expect(result.ok === false && result.errors.map(({ field, code }) => `${field}:${code}`)).toEqual([
      'reasons:too_many_items',
    ]);
  });
});
