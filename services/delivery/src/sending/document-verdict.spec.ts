import { blockReason } from './document-verdict';

describe('blockReason', () => {
  it('lets clean, doubtful and unscanned documents go, signed validly or not at all', () => {
    for (const malware of ['NOTMALICIOUS', 'NOTSURE', 'NONE', null] as const) {
      expect(blockReason(malware, 'VALID')).toBeNull();
      expect(blockReason(malware, null)).toBeNull();
    }
  });

  it('stops a malicious document whatever its signature', () => {
    expect(blockReason('ISMALICIOUS', 'VALID')).toContain('ISMALICIOUS');
    expect(blockReason('ISMALICIOUS', null)).toContain('ISMALICIOUS');
  });

  it('stops every invalid signature status', () => {
    for (const signature of ['INVALIDINTEGRITY', 'CERTIFICATEEXPIREDATTIMEOFSIGNING', 'INVALIDCERTIFICATE'] as const) {
      expect(blockReason('NOTMALICIOUS', signature)).toContain(signature);
    }
  });
});
