import { auditedRequest } from './audited-request';

describe('auditedRequest', () => {
  it('keeps what the operator asked for and redacts secrets at any depth', () => {
    expect(
      auditedRequest({
        reason: 'go live',
        phase: 'pilot',
        secret: 's3cr3t',
        profile: { endpoint: 'https://bo.example', hmacSecret: 'x', apiKey: 'y', retries: 3 },
      }),
    ).toEqual({
      reason: 'go live',
      phase: 'pilot',
      secret: '[redacted]',
      profile: { endpoint: 'https://bo.example', hmacSecret: '[redacted]', apiKey: '[redacted]', retries: 3 },
    });
  });

  it('cuts long texts and lists, and records a file only as binary', () => {
    const audited = auditedRequest({ note: 'a'.repeat(600), ids: Array.from({ length: 80 }, (_, i) => i) }) as {
      note: string;
      ids: number[];
    };
    expect(audited.note).toHaveLength(501);
    expect(audited.ids).toHaveLength(50);
    expect(auditedRequest(Buffer.from('%PDF'))).toBe('[binary]');
    expect(auditedRequest(undefined)).toBeNull();
  });

  it('masks a personal identifier, as the console shows it', () => {
    expect(
      auditedRequest({ recipient: { name: 'Петър Петров', identifierType: 'EGN', identifier: '8003150020' } }),
    ).toEqual({ recipient: { name: 'Петър Петров', identifierType: 'EGN', identifier: '******0020' } });
  });
});
