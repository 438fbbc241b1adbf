import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { Kafka } from 'kafkajs';
import { EventConsumer } from '../event-consumer';
import type { InboundMessage } from '../inbound-message';
import { Outbox } from '../outbox';
import { PoisonMessageError } from '../poison-message.error';
import { committedEffects, consumeBatch, FakeDatabase, kafkaMessage, logger } from '../testing/consumer-fakes';
import type { KafkaEventContext } from './kafka-event-context';
import { onTopic } from './kafka-event-routes';
import { startKafkaHandlers, type TopicHandlers } from './kafka-event-transport';

const paymentEvents = 'payments.events';
const offerings = 'districts.service-offerings';
const types = {
  paymentChanged: 'bg.sofia.umg.payment.status-changed.v1',
  paymentReminder: 'bg.sofia.umg.payment.reminder.v1',
  offerings: 'bg.sofia.umg.district.service-offerings.v1',
  offeringsWithdrawn: 'bg.sofia.umg.district.service-offerings-withdrawn.v1',
};

/** Handlers as a service declares them; what they were given is recorded, effects go through the context's manager. */
@Controller()
class Handlers {
  static readonly seen: { method: string; type?: string; topic: string; offset: string; correlation?: string }[] = [];

  @EventPattern(types.paymentChanged, onTopic(paymentEvents, { statuses: ['paid'], ignores: [types.paymentReminder] }))
  async paymentChanged(@Payload() message: InboundMessage, @Ctx() context: KafkaEventContext): Promise<void> {
    Handlers.seen.push({
      method: 'paymentChanged',
      type: message.type,
      topic: context.topic,
      offset: context.offset,
      correlation: context.headers.ce_correlationid,
    });
    const { fail } = message.json() as { fail?: string };
    if (fail === 'poison') throw new PoisonMessageError('invalid_payload', 'amountMinor: required');
    if (fail === 'always') throw new Error('the payee is locked');
    await context.manager.query('UPDATE effect', [message.id]);
  }

  // One handler for several types.
  @EventPattern([types.offerings, types.offeringsWithdrawn], onTopic(offerings))
  async offerings(@Payload() message: InboundMessage, @Ctx() context: KafkaEventContext): Promise<void> {
    Handlers.seen.push({ method: 'offerings', type: message.type, topic: context.topic, offset: context.offset });
    await context.manager.query('UPDATE effect', [message.id]);
  }
}

const headers = (offset: number, type: string, status?: string) => ({
  ce_id: `m-${offset}`,
  ce_type: type,
  ce_correlationid: `c-${offset}`,
  ...(status ? { ce_umgstatus: status } : {}),
});

describe('KafkaEventTransport: @EventPattern handlers on the batch consumer', () => {
  let app: INestApplication;
  let topics: TopicHandlers;
  const stop = jest.fn(() => Promise.resolve());

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [Handlers] }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
    await startKafkaHandlers(app, {
      start: (started) => {
        topics = started;
      },
      stop,
    });
  });

  afterAll(() => app.close());

  beforeEach(() => {
    Handlers.seen.length = 0;
  });

  function consumer(db: FakeDatabase): EventConsumer {
    return new EventConsumer(
      {} as Kafka,
      db.dataSource,
      new Outbox('test', 'urn:test'),
      {
        groupId: 'umg.test',
        schema: 'test',
        handlers: topics.handlers,
        accepts: topics.accepts,
        deadLetterTopic: 'test.dead-letter',
        replayTopic: 'test.replay',
        maxAttempts: 2,
        partitionsConsumedConcurrently: 1,
      },
      logger,
    );
  }

  it('gives the consumers one handler and one relevance filter per topic the patterns name', () => {
    expect(Object.keys(topics.handlers).sort()).toEqual([offerings, paymentEvents]);
    expect(Object.keys(topics.accepts).sort()).toEqual([offerings, paymentEvents]);
  });

  it('routes each message by its ce_type to its handler, with the message and its position in the context', async () => {
    const db = new FakeDatabase();
    const subject = consumer(db);

    await consumeBatch(
      subject,
      [kafkaMessage(0, headers(0, types.offerings)), kafkaMessage(1, headers(1, types.offeringsWithdrawn))],
      offerings,
    );
    await consumeBatch(subject, [kafkaMessage(7, headers(7, types.paymentChanged, 'paid'))], paymentEvents);

    expect(Handlers.seen).toEqual([
      { method: 'offerings', type: types.offerings, topic: offerings, offset: '0' },
      { method: 'offerings', type: types.offeringsWithdrawn, topic: offerings, offset: '1' },
      { method: 'paymentChanged', type: types.paymentChanged, topic: paymentEvents, offset: '7', correlation: 'c-7' },
    ]);
    // Written through the context's manager: in the consumer's transaction, committed with the inbox rows.
    expect(committedEffects(db)).toBe(3);
    expect(db.inbox.size).toBe(3);
  });

  it('skips by the headers alone what the patterns exclude: no handler call, no transaction, no inbox row', async () => {
    const db = new FakeDatabase();
    const subject = consumer(db);

    const resolved = await consumeBatch(
      subject,
      [
        kafkaMessage(0, headers(0, types.paymentChanged, 'ordered')),
        kafkaMessage(1, headers(1, types.paymentReminder)),
        kafkaMessage(2, headers(2, types.paymentChanged, 'authorized')),
      ],
      paymentEvents,
    );

    expect(Handlers.seen).toEqual([]);
    expect(db.statements).toEqual([]);
    expect(db.inbox.size).toBe(0);
    expect(resolved).toEqual(['2']);
    expect(subject.skipped.get(paymentEvents)).toBe(3);
  });

  it('handles a status it takes and a message without the status header (an older producer)', async () => {
    const db = new FakeDatabase();

    await consumeBatch(
      consumer(db),
      [kafkaMessage(0, headers(0, types.paymentChanged, 'paid')), kafkaMessage(1, headers(1, types.paymentChanged))],
      paymentEvents,
    );

    expect(Handlers.seen.map((seen) => seen.offset)).toEqual(['0', '1']);
    expect(committedEffects(db)).toBe(2);
  });

  it('dead-letters a type no pattern takes (nor ignores) as unknown_message_type, and applies the rest once', async () => {
    const db = new FakeDatabase();

    await consumeBatch(
      consumer(db),
      [
        kafkaMessage(0, headers(0, types.paymentChanged, 'paid')),
        kafkaMessage(1, headers(1, 'bg.sofia.umg.payment.unheard-of.v1', 'paid')),
        kafkaMessage(2, headers(2, types.paymentChanged, 'paid')),
      ],
      paymentEvents,
    );

    expect(db.deadLetters).toEqual([
      { consumerGroup: 'umg.test', topic: paymentEvents, offset: '1', reasonCode: 'unknown_message_type' },
    ]);
    expect(committedEffects(db)).toBe(2);
  });

  it('rolls back the chunk when a handler fails, and the message takes the careful path to a dead letter with its own reason', async () => {
    const db = new FakeDatabase();
    const subject = consumer(db);
    const batch = [
      kafkaMessage(0, headers(0, types.paymentChanged, 'paid')),
      kafkaMessage(1, headers(1, types.paymentChanged, 'paid'), { fail: 'poison' }),
      kafkaMessage(2, headers(2, types.paymentChanged, 'paid'), { fail: 'always' }),
      kafkaMessage(3, headers(3, types.paymentChanged, 'paid')),
    ];

    const resolved = await consumeBatch(subject, batch, paymentEvents);

    expect(resolved.at(-1)).toBe('3');
    expect(committedEffects(db)).toBe(2);
    // The handler's own error reached the consumer through Nest: the poison's reason code, the other's message.
    expect(db.deadLetters).toEqual([
      { consumerGroup: 'umg.test', topic: paymentEvents, offset: '1', reasonCode: 'invalid_payload' },
      { consumerGroup: 'umg.test', topic: paymentEvents, offset: '2', reasonCode: 'processing_failed' },
    ]);
    expect(db.inbox.get('umg.test/m-2')).toEqual({ deadLettered: true });
    // The one that kept failing ran in the chunk, then alone for each of its attempts.
    expect(Handlers.seen.filter((seen) => seen.offset === '2')).toHaveLength(3);
    expect(db.count(/INSERT INTO "test"\.outbox/)).toBe(2);
  });

  it('stops the consumers when the application closes', async () => {
    const module = await Test.createTestingModule({ controllers: [Handlers] }).compile();
    const other = module.createNestApplication({ logger: false });
    await other.init();
    const stopped = jest.fn(() => Promise.resolve());
    await startKafkaHandlers(other, { start: () => undefined, stop: stopped });

    await other.close();

    expect(stopped).toHaveBeenCalledTimes(1);
  });

  it('refuses to start a pattern that names no topic', async () => {
    @Controller()
    class Unplaced {
      @EventPattern(types.paymentChanged)
      handle(): Promise<void> {
        return Promise.resolve();
      }
    }
    const module = await Test.createTestingModule({ controllers: [Unplaced] }).compile();
    const other = module.createNestApplication({ logger: false });
    await other.init();
    const start = jest.fn();

    await expect(startKafkaHandlers(other, { start, stop: () => Promise.resolve() })).rejects.toThrow('names no topic');
    expect(start).not.toHaveBeenCalled();
    await other.close();
  });
});
