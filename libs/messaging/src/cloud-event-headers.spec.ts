import { readHeaders, storableText } from './cloud-event-headers';

describe('headers as PostgreSQL can store them', () => {
  it('replaces NUL, which text and jsonb refuse, and leaves other text alone', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('Сердика ✓')).toBe('Сердика ✓');
  });

  it('reads header names and values without NUL (found by the bad-input run: dead-lettering failed)', () => {
    const headers = readHeaders({
      ce_id: Buffer.from('id\u0000'),
      'x\u0000': 'v',
      list: [Buffer.from('first'), 'second'],
    });
    expect(headers).toEqual({ ce_id: 'id\uFFFD', 'x\uFFFD': 'v', list: 'first' });
    expect(JSON.stringify(headers)).not.toContain('\\u0000');
  });
});
