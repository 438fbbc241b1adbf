import { maxMessageBytes, Topics } from './gateway-topics';
import { InboundMessage } from './inbound-message';
import { PoisonMessageError } from './poison-message.error';

function messageOn(topic: string, value: Buffer): InboundMessage {
  return new InboundMessage(topic, 0, '0', null, {}, value);
}

describe('InboundMessage.json', () => {
  it('refuses a value larger than its topic allows before parsing it, as a poison message', () => {
    const limit = maxMessageBytes(Topics.paymentEvents);
    const value = Buffer.from(`[${'0,'.repeat(limit / 2)}0]`);

    const started = performance.now();
    let caught: unknown;
    try {
      messageOn(Topics.paymentEvents, value).json();
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(PoisonMessageError);
    expect((caught as PoisonMessageError).reasonCode).toBe('message_too_large');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses a value with more objects than any real message has, before parsing it', () => {
    const value = Buffer.from(`{"attachments":[${'{},'.repeat(100_000)}{}]}`);
    expect(() => messageOn(Topics.portalApplicationSubmitted, value).json()).toThrow(
      expect.objectContaining({ reasonCode: 'message_too_complex' }),
    );
  });

  it('parses a value within the limit; portal submissions may carry attachments up to 8 MiB', () => {
    expect(maxMessageBytes(Topics.portalApplicationSubmitted)).toBe(8 * 1024 * 1024);
    expect(maxMessageBytes('some.unknown.topic')).toBe(1024 * 1024);
    expect(messageOn(Topics.paymentEvents, Buffer.from('{"a":1}')).json()).toEqual({ a: 1 });
  });
});
