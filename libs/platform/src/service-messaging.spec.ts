import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { consumerLanes, type EventConsumerSettings, InboundMessage, type TopicHandlers, Topics } from '@umg/messaging';
import { ServiceMessaging } from './service-messaging';

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => logger,
} as unknown as Logger;

const handlers: TopicHandlers = {
  handlers: {
    [Topics.portalApplicationSubmitted]: () => Promise.resolve(),
    [Topics.paymentEvents]: () => Promise.resolve(),
  },
  accepts: { [Topics.paymentEvents]: (message: InboundMessage) => message.announcedStatus !== 'ordered' },
};

function settingsOf(lanes = consumerLanes.applications): EventConsumerSettings[] {
  const messaging = new ServiceMessaging(
    {
      service: 'applications',
      schema: 'applications',
      databaseUrl: 'postgres://unused',
      kafka: { brokers: ['127.0.0.1:1'] },
      consumer: {
        deadLetterTopic: Topics.applicationsDeadLetter,
        replayTopic: Topics.applicationsReplay,
        lanes,
      },
    },
    {} as DataSource,
    logger,
  );
  return messaging['consumerSettings'](handlers);
}

describe('ServiceMessaging: consumer lanes', () => {
  it('reads portal submissions in the intake group only, everything else in the main group, one inbox for both', () => {
    const [main, intake, ...more] = settingsOf();

    expect(more).toEqual([]);
    expect(main).toMatchObject({
      groupId: 'umg.applications',
      inboxGroup: 'umg.applications',
      topics: [Topics.paymentEvents],
      replayTopic: Topics.applicationsReplay,
      replayLanes: { otherGroups: ['umg.applications.intake'], takesStrays: true },
    });
    // The main group can still replay submissions dead-lettered before the lane existed.
    expect(Object.keys(main!.handlers).sort()).toEqual(
      [Topics.paymentEvents, Topics.portalApplicationSubmitted].sort(),
    );
    expect(intake).toMatchObject({
      groupId: 'umg.applications.intake',
      inboxGroup: 'umg.applications',
      topics: [Topics.portalApplicationSubmitted],
      replayTopic: Topics.applicationsReplay,
      replayLanes: { otherGroups: ['umg.applications'], takesStrays: false },
    });
    expect(Object.keys(intake!.handlers)).toEqual([Topics.portalApplicationSubmitted]);
  });

  it('passes the transport’s relevance filters to the consumers', () => {
    const [main] = settingsOf();
    const ordered = new InboundMessage(Topics.paymentEvents, 0, '0', null, { ce_umgstatus: 'ordered' }, null);

    expect(main!.accepts![Topics.paymentEvents]!(ordered)).toBe(false);
    expect(main!.accepts![Topics.portalApplicationSubmitted]).toBeUndefined();
  });

  it('has one group and no shared replay orders without lanes', () => {
    const settings = settingsOf([]);
    expect(settings).toHaveLength(1);
    expect(settings[0]!.replayLanes).toBeUndefined();
  });

  it('refuses a lane naming a topic without a handler', () => {
    expect(() => settingsOf([{ name: 'x', topics: [Topics.deliveryEvents] }])).toThrow('without a handler');
  });
});
