import { cloudEventHeaders, extensionHeaders, readHeaders, storableText } from './cloud-event-headers';
import { InboundMessage } from './inbound-message';

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

describe('CloudEvents extension attributes', () => {
  it('are sent as ce_<name> headers, read back as the announced status', () => {
    const headers = cloudEventHeaders({ type: 't', source: 's', extensions: { umgstatus: 'paid' } });
    expect(headers.ce_umgstatus).toBe('paid');
    expect(new InboundMessage('x', 0, '0', null, headers, null).announcedStatus).toBe('paid');
    expect(new InboundMessage('x', 0, '0', null, {}, null).announcedStatus).toBeUndefined();
  });

  it.each(['UmgStatus', 'umg_status', 'type', 'id', '', 'a'.repeat(21)])(
    'refuses "%s", not a name the outbox may set',
    (name) => {
      expect(() => extensionHeaders({ [name]: 'x' })).toThrow('is not a CloudEvents extension name');
    },
  );
});
