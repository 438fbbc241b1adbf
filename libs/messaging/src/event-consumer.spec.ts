import type { Kafka, KafkaMessage } from 'kafkajs';
import { EventConsumer, type EventConsumerSettings, type MessageHandler } from './event-consumer';
import type { InboundMessage } from './inbound-message';
import { Outbox } from './outbox';
import { PoisonMessageError } from './poison-message.error';
import {
  committedEffects,
  consumeBatch as consumeBatchOf,
  FakeDatabase,
  kafkaMessage,
  logger,
} from './testing/consumer-fakes';

const topic = 'applications.events';

const consumeBatch = (consumer: EventConsumer, messages: KafkaMessage[], onTopic = topic) =>
  consumeBatchOf(consumer, messages, onTopic);

function consumerOn(db: FakeDatabase, settings: Partial<EventConsumerSettings> & { handler: MessageHandler }) {
  const { handler, ...rest } = settings;
  return new EventConsumer(
    {} as Kafka,
    db.dataSource,
    new Outbox('test', 'urn:test'),
    {
      groupId: 'umg.test',
      schema: 'test',
      handlers: { [topic]: handler },
      deadLetterTopic: 'test.dead-letter',
      replayTopic: 'test.replay',
      maxAttempts: 2,
      partitionsConsumedConcurrently: 1,
      ...rest,
    },
    logger,
  );
}

/** A handler that records its effect in the transaction, and fails as `fails` says. */
function recordingHandler(fails: (message: InboundMessage, attempt: number) => Error | undefined = () => undefined) {
  const attempts = new Map<string, number>();
  const handler: MessageHandler = (message, manager) => {
    const attempt = (attempts.get(message.id) ?? 0) + 1;
    attempts.set(message.id, attempt);
    const error = fails(message, attempt);
    if (error) return Promise.reject(error);
    return manager.query('UPDATE effect', [message.id]).then(() => undefined);
  };
  return handler;
}

const event = (offset: number, status?: string) =>
  kafkaMessage(offset, {
    ce_id: `m-${offset}`,
    ce_type: 'bg.sofia.umg.application.event.v1',
    ...(status ? { ce_umgstatus: status } : {}),
  });

describe('EventConsumer', () => {
  it('skips the messages its filter does not accept before any database work: no transaction, no inbox row, offset resolved', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      handler: recordingHandler(),
      accepts: { [topic]: (message) => message.announcedStatus === 'awaiting_payment' },
    });

    const resolved = await consumeBatch(consumer, [event(0, 'routed'), event(1, 'registered'), event(2, 'paid')]);

    expect(db.statements).toEqual([]);
    expect(db.inbox.size).toBe(0);
    expect(resolved).toEqual(['2']);
    expect(consumer.skipped.get(topic)).toBe(3);
  });

  it('applies the relevant messages among skipped ones in one transaction with one inbox statement, and resolves past both', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      handler: recordingHandler(),
      accepts: { [topic]: (message) => message.announcedStatus !== 'routed' },
    });

    const resolved = await consumeBatch(consumer, [
      event(0, 'routed'),
      event(1, 'awaiting_payment'),
      event(2), // an older producer: no status header, so relevant
      event(3, 'routed'),
    ]);

    expect(db.statements.map((statement) => statement.split(/\s/)[0])).toEqual([
      'BEGIN',
      'INSERT',
      'UPDATE',
      'UPDATE',
      'COMMIT',
    ]);
    expect([...db.inbox.keys()].sort()).toEqual(['umg.test/m-1', 'umg.test/m-2']);
    expect(resolved).toEqual(['3']);
    expect(db.count(/SAVEPOINT/)).toBe(0);
  });

  it('absorbs a redelivered batch with the inbox: each effect once', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, { handler: recordingHandler() });
    const batch = [event(0), event(1), event(2)];

    await consumeBatch(consumer, batch);
    await consumeBatch(consumer, batch);
    // The same message twice in one batch (republished by a relay) is applied once too.
    await consumeBatch(consumer, [event(3), event(3)]);

    expect(committedEffects(db)).toBe(4);
  });

  it('commits the others of a batch exactly once and dead-letters the poison one with its reason', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      handler: recordingHandler((message) =>
        message.id === 'm-2' ? new PoisonMessageError('invalid_payload', 'status: required') : undefined,
      ),
    });

    const resolved = await consumeBatch(consumer, [event(0), event(1), event(2), event(3), event(4)]);

    expect(resolved.at(-1)).toBe('4');
    expect(committedEffects(db)).toBe(4);
    expect(db.deadLetters).toEqual([{ consumerGroup: 'umg.test', topic, offset: '2', reasonCode: 'invalid_payload' }]);
    expect(db.inbox.get('umg.test/m-2')).toEqual({ deadLettered: true });
    for (const id of ['m-0', 'm-1', 'm-3', 'm-4'])
      expect(db.inbox.get(`umg.test/${id}`)).toEqual({ deadLettered: false });
    // The dead letter travels through the outbox, in the transaction that records it.
    expect(db.count(/INSERT INTO "test"\.outbox/)).toBe(1);
    expect(db.count(/SAVEPOINT/)).toBe(0);

    // Redelivered after a crash: nothing applied twice, nothing dead-lettered twice.
    await consumeBatch(consumer, [event(0), event(1), event(2), event(3), event(4)]);
    expect(committedEffects(db)).toBe(4);
    expect(db.deadLetters).toHaveLength(1);
  });

  it('retries a message that failed for a passing reason alone, and applies the whole batch exactly once', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      handler: recordingHandler((message, attempt) =>
        message.id === 'm-1' && attempt <= 2 ? new Error('serialization failure') : undefined,
      ),
    });

    await consumeBatch(consumer, [event(0), event(1), event(2)]);

    expect(committedEffects(db)).toBe(3);
    expect(db.deadLetters).toEqual([]);
  });

  it('dead-letters a message that keeps failing after its attempts, with the error as the reason', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      handler: recordingHandler((message) => (message.id === 'm-0' ? new Error('always broken') : undefined)),
    });

    await consumeBatch(consumer, [event(0), event(1)]);

    expect(db.deadLetters).toEqual([
      { consumerGroup: 'umg.test', topic, offset: '0', reasonCode: 'processing_failed' },
    ]);
    expect(committedEffects(db)).toBe(1);
  });

  it('records in the inbox group it is given, so a service’s lanes share one inbox', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, {
      groupId: 'umg.test.intake',
      inboxGroup: 'umg.test',
      handler: recordingHandler(),
    });

    await consumeBatch(consumer, [event(0)]);

    expect([...db.inbox.keys()]).toEqual(['umg.test/m-0']);
  });

  it('pays three statements of its own per chunk of 50 relevant messages, none per message (was 3 per message + 2)', async () => {
    const db = new FakeDatabase();
    const consumer = consumerOn(db, { handler: recordingHandler() });

    await consumeBatch(
      consumer,
      Array.from({ length: 50 }, (_, offset) => event(offset)),
    );

    const own = db.statements.filter((statement) => statement !== 'UPDATE effect');
    expect(own.map((statement) => statement.split(/\s/)[0])).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    expect(committedEffects(db)).toBe(50);
  });

  describe('on a replay topic shared by lanes', () => {
    const order = (offset: number, consumerGroup: unknown) =>
      kafkaMessage(
        offset,
        { ce_id: `r-${offset}`, ce_type: 'bg.sofia.umg.dead-letter-replay.v1' },
        { deadLetterId: 1, consumerGroup, replayedBy: 'operator' },
      );

    it('skips another lane’s order without any database work, and a secondary lane leaves strays to the main one', async () => {
      const db = new FakeDatabase();
      const lane = consumerOn(db, {
        groupId: 'umg.test.intake',
        handler: recordingHandler(),
        replayLanes: { otherGroups: ['umg.test'], takesStrays: false },
      });
      const main = consumerOn(db, {
        handler: recordingHandler(),
        replayLanes: { otherGroups: ['umg.test.intake'], takesStrays: true },
      });

      await consumeBatch(lane, [order(0, 'umg.test'), order(1, 'umg.other'), order(2, 42)], 'test.replay');
      await consumeBatch(main, [order(0, 'umg.test.intake')], 'test.replay');
      expect(db.statements).toEqual([]);

      // An order naming no lane of the service is the main lane's: dead-lettered there, once.
      await consumeBatch(main, [order(1, 'umg.other')], 'test.replay');
      expect(db.deadLetters).toEqual([
        { consumerGroup: 'umg.test', topic: 'test.replay', offset: '1', reasonCode: 'replay_wrong_group' },
      ]);
    });
  });
});
